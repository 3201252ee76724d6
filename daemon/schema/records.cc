#include "schema/records.h"

#include <date/date.h>
#include <date/tz.h>

#include <sstream>

#include "base/phone.h"
#include "time/zone.h"

namespace checkin {
namespace {

std::string Get(const Fields& f, const std::string& key) {
  auto it = f.find(key);
  return it == f.end() ? std::string() : it->second;
}

Status Missing(const std::string& field) { return Status::InvalidArgument("field '" + field + "' is required"); }

// Whether `t` has RFC 3339's shape with a numeric offset:
// YYYY-MM-DDTHH:MM:SS[.digits](+|-)HH:MM. Checked before date::parse, whose
// %T reads the seconds into an uninitialised long double and converts it
// even when they are missing ("10:00+00:00"): undefined behaviour that
// UBSan reports (found by tests/fuzz/records_fuzz.cc).
bool HasRfc3339Shape(const std::string& t) {
  auto digits = [&t](size_t at, size_t n) {
    if (at + n > t.size()) return false;
    for (size_t i = at; i < at + n; ++i) {
      if (t[i] < '0' || t[i] > '9') return false;
    }
    return true;
  };
  auto is = [&t](size_t at, char c) { return at < t.size() && t[at] == c; };
  if (!digits(0, 4) || !is(4, '-') || !digits(5, 2) || !is(7, '-') || !digits(8, 2) || !is(10, 'T') ||
      !digits(11, 2) || !is(13, ':') || !digits(14, 2) || !is(16, ':') || !digits(17, 2)) {
    return false;
  }
  size_t at = 19;
  if (is(at, '.')) {
    ++at;
    if (!digits(at, 1)) return false;
    while (digits(at, 1)) ++at;
  }
  return (is(at, '+') || is(at, '-')) && digits(at + 1, 2) && is(at + 3, ':') && digits(at + 4, 2) &&
         at + 6 == t.size();
}

}  // namespace

const char* ChannelName(Channel c) {
  switch (c) {
    case Channel::kSms: return "sms";
    case Channel::kWhatsapp: return "whatsapp";
    case Channel::kVoice: return "voice";
  }
  return "sms";
}

// GCC 12 reports -Wmaybe-uninitialized inside date.h's parse(); the value
// is only read after parse succeeded.
#if defined(__GNUC__) && !defined(__clang__)  // clang has no such warning
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
Result<Instant> ParseRfc3339(const std::string& text) {
  // date::parse %FT%T%Ez takes "+00:00"; "Z" is handled by rewriting it.
  std::string t = text;
  if (!t.empty() && (t.back() == 'Z' || t.back() == 'z')) t = t.substr(0, t.size() - 1) + "+00:00";
  const bool shaped = HasRfc3339Shape(t);
  std::istringstream in(t);
  date::sys_time<std::chrono::milliseconds> tp{};
  if (shaped) in >> date::parse("%FT%T%Ez", tp);
  if (!shaped || in.fail() || in.peek() != std::char_traits<char>::eof()) {
    return Status::InvalidArgument("'" + text + "' is not an RFC 3339 time with offset, e.g. 2026-12-01T10:00:00+00:00");
  }
  return std::chrono::time_point_cast<std::chrono::seconds>(tp);
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

std::string FormatRfc3339(Instant t) { return date::format("%FT%TZ", t); }

Result<Member> ParseMember(const std::string& id, const Fields& fields, const RecordDefaults& defaults) {
  Member m;
  m.id = id;
  m.name = Get(fields, "name");
  if (m.name.empty()) return Missing("name");
  const std::string raw_phone = Get(fields, "phone");
  if (raw_phone.empty()) return Missing("phone");
  auto phone = NormalizePhone(raw_phone, defaults.region);
  if (!phone.ok()) return Status::InvalidArgument("field 'phone': " + phone.status().message());
  m.phone = *phone;
  m.language = Get(fields, "language");
  if (m.language.empty()) m.language = defaults.language;
  const std::string channel = Get(fields, "channel");
  if (channel.empty() || channel == "sms") {
    m.channel = Channel::kSms;
  } else if (channel == "whatsapp") {
    m.channel = Channel::kWhatsapp;
  } else if (channel == "voice") {
    m.channel = Channel::kVoice;
  } else {
    return Status::InvalidArgument("field 'channel' is '" + channel + "', expected sms, whatsapp or voice");
  }
  const std::string opted = Get(fields, "opted_out");
  if (opted.empty() || opted == "0") {
    m.opted_out = false;
  } else if (opted == "1") {
    m.opted_out = true;
  } else {
    return Status::InvalidArgument("field 'opted_out' is '" + opted + "', expected 0 or 1");
  }
  return m;
}

Result<Group> ParseGroup(const std::string& id, const Fields& fields, const RecordDefaults& defaults) {
  if (fields.empty()) return Status::NotFound("group '" + id + "' does not exist");
  Group g;
  g.id = id;
  g.name = Get(fields, "name");
  if (g.name.empty()) return Missing("name");
  g.venue = Get(fields, "venue");
  g.timezone = Get(fields, "timezone");
  if (g.timezone.empty()) g.timezone = defaults.timezone;
  if (!IsKnownTimeZone(g.timezone)) {
    return Status::InvalidArgument("field 'timezone' is '" + g.timezone + "', not an IANA zone such as Europe/London");
  }
  for (auto [field, phone] : {std::pair{"coordinator_phone", &g.coordinator_phone},
                              std::pair{"safeguarding_phone", &g.safeguarding_phone}}) {
    const std::string raw = Get(fields, field);
    if (raw.empty()) continue;
    auto e164 = NormalizePhone(raw, defaults.region);
    if (!e164.ok()) return Status::InvalidArgument(std::string("field '") + field + "': " + e164.status().message());
    *phone = *e164;
  }
  return g;
}

Result<Session> ParseSession(const std::string& id, const Fields& fields) {
  if (fields.empty()) return Status::NotFound("session '" + id + "' has no hash");
  Session s;
  s.id = id;
  s.group_id = Get(fields, "group");
  if (s.group_id.empty()) return Missing("group");
  s.title = Get(fields, "title");
  s.venue = Get(fields, "venue");
  const std::string starts = Get(fields, "starts_at");
  if (starts.empty()) return Missing("starts_at");
  auto start = ParseRfc3339(starts);
  if (!start.ok()) return start.status().WithContext("field 'starts_at'");
  s.starts_at = *start;
  const std::string ends = Get(fields, "ends_at");
  if (ends.empty()) {
    s.ends_at = s.starts_at + std::chrono::hours(2);
  } else {
    auto end = ParseRfc3339(ends);
    if (!end.ok()) return end.status().WithContext("field 'ends_at'");
    if (*end <= s.starts_at) return Status::InvalidArgument("field 'ends_at' is not after starts_at");
    s.ends_at = *end;
  }
  const std::string status = Get(fields, "status");
  if (status.empty() || status == "scheduled") {
    s.cancelled = false;
  } else if (status == "cancelled") {
    s.cancelled = true;
  } else {
    return Status::InvalidArgument("field 'status' is '" + status + "', expected scheduled or cancelled");
  }
  return s;
}

void ApplyGroupDefaults(Session& session, const Group& group) {
  if (session.title.empty()) session.title = group.name;
  if (session.venue.empty()) session.venue = group.venue;
}

Result<Schedule> ParseSchedule(const std::string& id, const Fields& fields) {
  if (fields.empty()) return Status::NotFound("schedule '" + id + "' has no hash");
  Schedule s;
  s.id = id;
  s.group_id = Get(fields, "group");
  if (s.group_id.empty()) return Missing("group");
  s.rrule = Get(fields, "rrule");
  if (s.rrule.empty()) return Missing("rrule");
  s.dtstart_local = Get(fields, "dtstart");
  if (s.dtstart_local.empty()) return Missing("dtstart");
  s.timezone = Get(fields, "timezone");
  if (!s.timezone.empty() && !IsKnownTimeZone(s.timezone)) {
    return Status::InvalidArgument("field 'timezone' is '" + s.timezone + "', not an IANA zone such as Europe/London");
  }
  std::string ex = Get(fields, "exdates");
  std::string item;
  std::istringstream in(ex);
  while (std::getline(in, item, ',')) {
    size_t b = item.find_first_not_of(" \t");
    size_t e = item.find_last_not_of(" \t");
    if (b == std::string::npos) continue;
    item = item.substr(b, e - b + 1);
    std::istringstream d(item);
    date::year_month_day ymd{};
    d >> date::parse("%F", ymd);
    if (d.fail() || !ymd.ok()) {
      return Status::InvalidArgument("field 'exdates' has '" + item + "', expected local dates like 2026-12-22");
    }
    s.exdates.push_back(item);
  }
  return s;
}

}  // namespace checkin
