// Message templates: kind names, the shipped English set, placeholder
// checking, rendering, and the variables of one message ({day}, {time},
// {date} in the session's zone and the member's language).
#include "config/templates.h"

#include "config/config_limits.h"
#include "text/utf8.h"
#include "time/zone.h"

#include <date/tz.h>

#include <algorithm>
#include <cstdio>

namespace checkin {

namespace {

struct KindName {
  TemplateKind kind;
  const char* name;
};

constexpr KindName kKindNames[] = {
    {TemplateKind::kReminder, "reminder"},         {TemplateKind::kReplyYes, "reply_yes"},
    {TemplateKind::kReplyNo, "reply_no"},          {TemplateKind::kReplyMaybe, "reply_maybe"},
    {TemplateKind::kReplyUnclear, "reply_unclear"}, {TemplateKind::kHelp, "help"},
    {TemplateKind::kCancelled, "cancelled"},       {TemplateKind::kDigest, "digest"},
    {TemplateKind::kFollowUp, "follow_up"},
    {TemplateKind::kConcern, "concern"},           {TemplateKind::kConcernAlert, "concern_alert"},
    {TemplateKind::kConcernAcknowledged, "concern_acknowledged"}, {TemplateKind::kConcernTaken, "concern_taken"},
};

std::string Word(const std::vector<std::string>& words, unsigned index) {
  return index < words.size() ? words[index] : std::string();
}

struct Width {
  const char* placeholder;
  size_t chars;
};

// What a placeholder may render to at most, for CountedLength: names,
// titles and venues as long as people write them, {day} as
// "<weekday> <day> <month>" of kMaxWordChars words, {body} as
// concerns.cc cuts an alert's (600 bytes and "...").
constexpr Width kWidths[] = {
    {"name", 40},     {"title", 80},     {"group", 80},     {"venue", 80},       {"day", 2 * kMaxWordChars + 3},
    {"time", 5},      {"date", kMaxWordChars + 3},          {"coming", 5},       {"maybe", 5},
    {"not_coming", 5}, {"no_answer", 5}, {"phone", 16},      {"body", 603},       {"taken_by", 40},
};

std::string At(const std::string& text, size_t byte) {
  return " at character " + std::to_string(CodePointCount(text, byte) + 1);
}

}  // namespace

std::string AllowedList(TemplateKind kind) {
  std::string out;
  for (const std::string& p : AllowedPlaceholders(kind)) out += (out.empty() ? "{" : " {") + p + "}";
  return out;
}

const char* TemplateKindName(TemplateKind kind) {
  for (const KindName& k : kKindNames) {
    if (k.kind == kind) return k.name;
  }
  return "?";
}

std::optional<TemplateKind> TemplateKindFromName(const std::string& name) {
  for (const KindName& k : kKindNames) {
    if (name == k.name) return k.kind;
  }
  return std::nullopt;
}

const std::vector<TemplateKind>& AllTemplateKinds() {
  static const std::vector<TemplateKind> kAll = [] {
    std::vector<TemplateKind> all;
    for (const KindName& k : kKindNames) all.push_back(k.kind);
    return all;
  }();
  return kAll;
}

bool ForCoordinators(TemplateKind kind) {
  return kind == TemplateKind::kDigest || kind == TemplateKind::kConcernAlert ||
         kind == TemplateKind::kConcernAcknowledged || kind == TemplateKind::kConcernTaken;
}

const std::vector<std::string>& AllowedPlaceholders(TemplateKind kind) {
  static const std::vector<std::string> kCommon = {"name", "title", "group", "venue", "day", "time", "date"};
  static const std::vector<std::string> kDigest = {"name", "title", "group", "venue", "day", "time", "date",
                                                   "coming", "maybe", "not_coming", "no_answer"};
  static const std::vector<std::string> kConcern = {"name", "title", "group", "venue", "day", "time", "date",
                                                    "phone", "body"};
  static const std::vector<std::string> kConcernTaken = {"name", "title", "group", "venue", "day", "time",
                                                         "date", "phone", "body", "taken_by"};
  switch (kind) {
    case TemplateKind::kDigest: return kDigest;
    case TemplateKind::kConcern:
    case TemplateKind::kConcernAlert:
    case TemplateKind::kConcernAcknowledged: return kConcern;
    case TemplateKind::kConcernTaken: return kConcernTaken;
    default: return kCommon;
  }
}

Status CheckTemplate(const std::string& text, TemplateKind kind) {
  const auto& allowed = AllowedPlaceholders(kind);
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool doubled = i + 1 < text.size() && text[i + 1] == c;
    if ((c == '{' || c == '}') && doubled) {
      ++i;
      continue;
    }
    // The position is counted only for an error: counting it for every
    // character made loading quadratic in the template's length.
    if (c == '}') return Status::InvalidArgument("unbalanced '}'" + At(text, i) + " (write }} for a literal brace)");
    if (c != '{') continue;
    const size_t close = text.find_first_of("{}", i + 1);
    if (close == std::string::npos || text[close] == '{') {
      return Status::InvalidArgument("unbalanced '{'" + At(text, i) + " (write {{ for a literal brace)");
    }
    const std::string name = text.substr(i + 1, close - i - 1);
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      return Status::InvalidArgument("unknown placeholder {" + name + "}" + At(text, i) + "; " +
                                     TemplateKindName(kind) + " may use " + AllowedList(kind));
    }
    i = close;
  }
  const size_t length = CountedLength(text);
  if (length > kMaxMessageChars) {
    return Status::InvalidArgument(
        "too long: " + std::to_string(length) + " characters, counting each placeholder at its longest (" +
        PlaceholderWidthList() + "); a text may be at most " + std::to_string(kMaxMessageChars) +
        ", Twilio's limit for one message");
  }
  return Status::OK();
}

size_t PlaceholderWidth(const std::string& placeholder) {
  for (const Width& w : kWidths) {
    if (placeholder == w.placeholder) return w.chars;
  }
  return 0;
}

std::string PlaceholderWidthList() {
  std::string out;
  for (const Width& w : kWidths) out += (out.empty() ? "{" : ", {") + std::string(w.placeholder) + "} " + std::to_string(w.chars);
  return out;
}

size_t CountedLength(const std::string& text) {
  size_t length = 0;
  for (size_t i = 0; i < text.size();) {
    const char c = text[i];
    if ((c == '{' || c == '}') && i + 1 < text.size() && text[i + 1] == c) {
      ++length;
      i += 2;
      continue;
    }
    const size_t close = c == '{' ? text.find_first_of("{}", i + 1) : std::string::npos;
    if (close != std::string::npos && text[close] == '}') {
      length += PlaceholderWidth(text.substr(i + 1, close - i - 1));
      i = close + 1;
      continue;
    }
    NextCodePoint(text, i);
    ++length;
  }
  return length;
}

std::string RenderTemplate(const std::string& text, const std::map<std::string, std::string>& vars) {
  std::string out;
  out.reserve(text.size() + 64);
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if ((c == '{' || c == '}') && i + 1 < text.size() && text[i + 1] == c) {
      out += c;
      ++i;
      continue;
    }
    const size_t close = c == '{' ? text.find_first_of("{}", i + 1) : std::string::npos;
    if (close != std::string::npos && text[close] == '}') {
      auto it = vars.find(text.substr(i + 1, close - i - 1));
      if (it != vars.end()) {
        out += it->second;
        i = close;
        continue;
      }
    }
    out += c;
  }
  return out;
}

std::map<std::string, std::string> MessageVars(const Config& config, const Member& member, const Session& session,
                                               const Group& group, const date::time_zone* zone, Instant now) {
  const LanguageWords& words = config.Words(member.language.empty() ? config.default_language : member.language);
  const date::local_seconds start = ToLocal(zone, session.starts_at);
  const date::local_days start_day = date::floor<date::days>(start);
  const date::local_days today = date::floor<date::days>(ToLocal(zone, now));
  const date::year_month_day ymd{start_day};
  const date::hh_mm_ss<std::chrono::seconds> clock{start - start_day};

  char time[8];
  std::snprintf(time, sizeof time, "%02d:%02d", static_cast<int>(clock.hours().count()),
                static_cast<int>(clock.minutes().count()));
  const std::string day_date =
      std::to_string(static_cast<unsigned>(ymd.day())) + " " + Word(words.months, static_cast<unsigned>(ymd.month()) - 1);
  const std::string weekday = Word(words.weekdays, date::weekday{start_day}.iso_encoding() - 1);

  const auto days_ahead = (start_day - today).count();
  std::string day;
  if (days_ahead == 0) {
    day = words.today;
  } else if (days_ahead == 1) {
    day = words.tomorrow;
  } else if (days_ahead >= 2 && days_ahead <= 6) {
    day = weekday;
  } else {
    day = weekday + " " + day_date;
  }
  return {{"name", member.name}, {"title", session.title}, {"group", group.name}, {"venue", session.venue},
          {"day", day},          {"time", time},           {"date", day_date}};
}

// The `concern` text a member gets when her message raised a concern
// (docs/safeguarding.md), shipped in every language checkin ships words
// for, since she must be able to read it. UK helplines, checked 2026-12:
// Samaritans 116 123 (free, 24/7), Shout: text SHOUT to 85258 (free, 24/7),
// NHS 111 option 2 (mental health crisis line), 999 for danger now. The
// Polish and Urdu texts want a native speaker's review.
constexpr const char* kConcernEn =
    "Thank you for telling us, we're glad you did. You are not alone: someone from the group will be in touch "
    "with you soon. To talk to someone now: Samaritans 116 123 (free, any time), or text SHOUT to 85258. NHS 111, "
    "option 2, for mental health help. If you or your baby are in danger now, call 999.";

const std::map<std::string, std::string>& DefaultConcernTexts() {
  static const std::map<std::string, std::string> kTexts = {
      {"en", kConcernEn},
      {"pl",
       "Dziękujemy, że nam napisałaś. Nie jesteś z tym sama: ktoś z grupy wkrótce się z Tobą skontaktuje. Jeśli "
       "chcesz porozmawiać teraz: Samaritans 116 123 (bezpłatnie, całą dobę, po angielsku) albo SMS o treści SHOUT "
       "na numer 85258. NHS 111, opcja 2: pomoc w kryzysie psychicznym. Jeśli Tobie lub dziecku grozi teraz "
       "niebezpieczeństwo, dzwoń pod 999."},
      {"ur",
       "ہمیں بتانے کا شکریہ۔ آپ اکیلی نہیں ہیں: گروپ سے کوئی جلد آپ سے رابطہ کرے گا۔ ابھی کسی سے بات کرنے کے لیے: "
       "Samaritans 116 123 (مفت، دن رات)، یا SHOUT لکھ کر 85258 پر بھیجیں۔ ذہنی صحت کی مدد کے لیے NHS 111، آپشن 2۔ "
       "اگر آپ یا آپ کا بچہ ابھی خطرے میں ہیں تو 999 پر کال کریں۔"},
  };
  return kTexts;
}

const std::map<TemplateKind, std::string>& DefaultEnglishTemplates() {
  // Pure GSM-7 (no curly quotes, dashes or emoji) and one SMS segment with
  // realistic values: tests/templates_test.cc checks both.
  static const std::map<TemplateKind, std::string> kDefaults = {
      {TemplateKind::kReminder,
       "Hi {name}, {title} is {day} at {time}, {venue}. We'd love to see you! Reply Y if you're coming, N if not."},
      {TemplateKind::kReplyYes, "Lovely, thanks {name}! See you {day} at {time}."},
      {TemplateKind::kReplyNo, "Thanks for letting us know, {name}. We'll miss you, and hope to see you next time."},
      {TemplateKind::kReplyMaybe, "Thanks {name}, no worries. Come along if you can, we'd love to see you."},
      {TemplateKind::kReplyUnclear,
       "Thanks {name}, we've passed your message on to the coordinator. To answer the reminder, reply Y if you're "
       "coming or N if not."},
      {TemplateKind::kHelp,
       "These texts remind you about your group's sessions. Reply Y if you're coming, N if not, or MAYBE. "
       "Reply STOP to stop them."},
      {TemplateKind::kCancelled, "Hi {name}, sorry, {title} {day} at {time} is cancelled. We hope to see you next time."},
      {TemplateKind::kDigest, "{title} {time}: {coming} coming, {maybe} maybe, {not_coming} not coming, {no_answer} no answer"},
      {TemplateKind::kFollowUp,
       "Hi {name}, just checking: are you coming to {title} {day} at {time}? Reply Y or N. No pressure, we'd just "
       "love to know."},
      {TemplateKind::kConcern, kConcernEn},
      {TemplateKind::kConcernAlert,
       "checkin: CONCERN. {name} ({phone}, {group}) wrote: \"{body}\". Please call her as soon as you can. Reply OK "
       "when you are taking this on."},
      {TemplateKind::kConcernAcknowledged,
       "Thank you for taking this on. Nobody else will be alerted about {name}; the others who were are told it is "
       "in hand."},
      {TemplateKind::kConcernTaken, "checkin: {taken_by} has taken on the concern about {name}. Thank you."},
  };
  return kDefaults;
}

}  // namespace checkin
