// Fuzz target: recurring schedules (schema/recurrence.h): the fields of a
// checkin:schedule hash parsed, then the RRULE and exdates expanded with
// libical over a window of a year and a half.
//
// Input: four lines, the hash's fields in order: rrule, dtstart, exdates,
// timezone (empty: Europe/London). Missing lines are empty.
// Properties: occurrences lie in the window, in order, at most as many as
// asked for, none on an exdate's id twice; each id names its local start
// closely enough for ApproximateOccurrenceStart (within a day).
#include <chrono>
#include <cstdint>
#include <set>
#include <string>

#include "fuzz_input.h"
#include "schema/records.h"
#include "schema/recurrence.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace checkin;
  using std::chrono::hours;
  constexpr size_t kMax = 60;
  static const Instant kFrom = *ParseRfc3339("2026-01-01T00:00:00Z");
  static const Instant kTo = *ParseRfc3339("2027-07-01T00:00:00Z");

  std::vector<std::string> lines = fuzz::Lines(fuzz::AsText(data, size));
  lines.resize(4);
  Fields fields{{"group", "g1"}, {"rrule", lines[0]}, {"dtstart", lines[1]}, {"exdates", lines[2]},
                {"timezone", lines[3]}};
  Result<Schedule> schedule = ParseSchedule("w1", fields);
  (void)ApproximateOccurrenceStart(lines[0]);
  if (!schedule.ok()) return 0;
  if (schedule->timezone.empty()) schedule->timezone = "Europe/London";
  const Group group{"g1", "Baby massage", "Walkerburn hall", "Europe/London", "", ""};

  const Result<std::vector<Session>> sessions = ExpandSchedule(*schedule, group, kFrom, kTo, kMax);
  if (!sessions.ok()) return 0;
  FUZZ_CHECK(sessions->size() <= kMax, std::to_string(sessions->size()) + " occurrences");
  std::set<std::string> ids;
  Instant previous = kFrom;
  for (const Session& s : *sessions) {
    FUZZ_CHECK(s.starts_at >= kFrom && s.starts_at < kTo, s.id + " starts outside the window");
    FUZZ_CHECK(s.starts_at >= previous, s.id + " out of order");
    FUZZ_CHECK(ids.insert(s.id).second, s.id + " twice");
    FUZZ_CHECK(s.ends_at == s.starts_at + hours(2), s.id + " does not last two hours");
    const std::optional<Instant> approx = ApproximateOccurrenceStart(s.id);
    FUZZ_CHECK(approx.has_value(), s.id + " carries no start");
    const auto off = *approx > s.starts_at ? *approx - s.starts_at : s.starts_at - *approx;
    FUZZ_CHECK(off <= hours(24), s.id + " is more than a day from " + FormatRfc3339(s.starts_at));
    previous = s.starts_at;
  }
  return 0;
}
