// Template lint, the estimates (see lint_cost.h): each text rendered over
// every {day} and {date} its language can produce, the longest counted in
// SMS segments (text/segments.h), and those segments priced.
#include "ctl/lint_cost.h"

#include <algorithm>
#include <chrono>
#include <vector>

#include "config/templates.h"
#include "text/segments.h"

namespace checkin {

namespace {

bool Longer(const SegmentInfo& a, const SegmentInfo& b) {
  return a.segments != b.segments ? a.segments > b.segments : a.units > b.units;
}

// The longest rendering of `text` over every {day} and {date} the language
// can produce.
std::pair<SegmentInfo, std::string> LongestRendering(const std::string& text, const LanguageWords& words,
                                                     const LintSamples& v, bool far_ahead) {
  std::map<std::string, std::string> vars = {{"name", v.name},       {"title", v.title},  {"group", v.group},
                                             {"venue", v.venue},     {"time", v.time},    {"coming", v.count},
                                             {"maybe", v.count},     {"not_coming", v.count}, {"no_answer", v.count},
                                             {"phone", v.phone},     {"taken_by", v.phone}, {"body", v.body}};
  const bool uses_words = text.find("{day}") != std::string::npos || text.find("{date}") != std::string::npos;
  const std::vector<std::string> months = uses_words ? words.months : std::vector<std::string>{""};
  std::pair<SegmentInfo, std::string> best;
  bool first = true;
  for (const std::string& month : months) {
    vars["date"] = v.day_of_month + " " + month;
    std::vector<std::string> days = {words.today, words.tomorrow};
    for (const std::string& weekday : words.weekdays) {
      days.push_back(weekday);
      if (far_ahead) days.push_back(weekday + " " + vars["date"]);
    }
    if (!uses_words) days = {""};
    for (const std::string& day : days) {
      vars["day"] = day;
      std::string rendered = RenderTemplate(text, vars);
      SegmentInfo info = CountSegments(rendered);
      if (first || Longer(info, best.first)) best = {info, std::move(rendered)};
      first = false;
    }
  }
  return best;
}

KindEstimate Estimate(const Config& c, const std::string& language, TemplateKind kind, const TemplateLocations& where,
                      const LintSamples& samples) {
  KindEstimate e;
  e.kind = kind;
  e.text_language = HasOwnTemplate(c, language, kind) ? language : "en";
  auto loc = where.find({e.text_language, kind});
  e.location = loc == where.end() ? "" : loc->second;
  auto longest = LongestRendering(c.Template(language, kind), c.Words(language), samples, FarAheadPossible(c));
  e.rendered = longest.first;
  e.sample = longest.second;
  return e;
}

Cost CostOf(int segments, double per_segment) { return Cost{segments, segments * per_segment}; }

}  // namespace

TemplateLocations LocationsOf(const TemplateFile& file) {
  TemplateLocations where;
  for (const TemplateSource& t : file.templates) where.emplace(std::make_pair(t.language, t.kind), t.location);
  return where;
}

bool HasOwnTemplate(const Config& c, const std::string& language, TemplateKind kind) {
  auto it = c.templates.find(language);
  return it != c.templates.end() && it->second.count(kind) > 0;
}

bool FarAheadPossible(const Config& c) {
  std::chrono::minutes lead = std::max(c.reminders.follow_up_before, c.reminders.digest_before);
  for (const SendRule& r : c.reminders.send) lead = std::max(lead, r.before);
  return lead > std::chrono::hours(6 * 24);
}

void SetCostModel(const Config& config, const LintSamples& samples, LintReport& r) {
  r.reminders_per_session = static_cast<int>(config.reminders.send.size());
  r.follow_up = config.reminders.follow_up_before.count() > 0;
  r.per_segment = config.pricing.per_segment;
  r.currency = config.pricing.currency;
  r.samples = samples;
}

int EstimateLanguageCost(const Config& config, const TemplateLocations& where, const LintReport& model,
                         LanguageLint& lang) {
  int segments = 0;
  for (TemplateKind kind : AllTemplateKinds()) {
    // Coordinators' texts (the digest, safeguarding alerts) are in the default language only.
    if (ForCoordinators(kind) && lang.language != config.default_language) continue;
    lang.kinds.push_back(Estimate(config, lang.language, kind, where, model.samples));
    const int s = lang.kinds.back().rendered.segments;
    if (kind == TemplateKind::kReminder) segments += model.reminders_per_session * s;
    if (kind == TemplateKind::kFollowUp && model.follow_up) segments += s;
  }
  lang.per_member = CostOf(segments, model.per_segment);
  lang.group_of_12 = CostOf(segments * kSampleGroupSize, model.per_segment);
  return segments;
}

void EstimateDigestCost(const Config& config, const TemplateLocations& where, LintReport& r) {
  if (config.reminders.digest_before.count() == 0) return;
  r.digest = Estimate(config, config.default_language, TemplateKind::kDigest, where, r.samples);
  r.digest_cost = CostOf(r.digest->rendered.segments, r.per_segment);
}

void EstimateGroupCosts(const MemberCensus& census, const std::map<std::string, int>& segments_per_member,
                        LintReport& r) {
  for (const MemberCensus::GroupInfo& g : census.groups) {
    LintReport::GroupCost cost;
    cost.id = g.id;
    cost.name = g.name;
    int segments = 0;
    for (const auto& [language, count] : g.members_by_language) {
      cost.members += count;
      auto it = segments_per_member.find(language);
      segments += count * (it == segments_per_member.end() ? 0 : it->second);
    }
    cost.members_cost = CostOf(segments, r.per_segment);
    if (r.digest && g.has_coordinator) cost.digest_cost = r.digest_cost;
    r.groups.push_back(cost);
  }
}

}  // namespace checkin
