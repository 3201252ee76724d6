// Fuzz target: schema v1 records (schema/records.h): the Redis hashes of
// members, groups, sessions and schedules, written by other systems.
//
// Input: one hash, a field per line as "name=value" (a line without '='
// is a field with an empty value). The same hash is read as each kind of
// record, and every value as an RFC 3339 time.
// Properties: a parsed member's phone is E.164; a session ends after it
// starts; a time that parses formats to one that parses to the same
// instant.
#include <cstdint>
#include <string>

#include "fuzz_input.h"
#include "schema/records.h"

namespace checkin {
namespace {

Fields FieldsOf(std::string_view text) {
  Fields fields;
  for (const std::string& line : fuzz::Lines(text)) {
    const size_t eq = line.find('=');
    if (eq == std::string::npos) {
      fields[line];
    } else {
      fields[line.substr(0, eq)] = line.substr(eq + 1);
    }
  }
  return fields;
}

bool IsE164(const std::string& phone) {
  if (phone.size() < 3 || phone.size() > 16 || phone[0] != '+') return false;
  for (size_t i = 1; i < phone.size(); ++i) {
    if (phone[i] < '0' || phone[i] > '9') return false;
  }
  return true;
}

void CheckTime(const std::string& text) {
  const Result<Instant> t = ParseRfc3339(text);
  if (!t.ok()) return;
  const std::string formatted = FormatRfc3339(*t);
  const Result<Instant> again = ParseRfc3339(formatted);
  FUZZ_CHECK(again.ok(), "'" + formatted + "' does not parse back: " + again.status().ToString());
  FUZZ_CHECK(*again == *t, "'" + formatted + "' parses to another instant");
}

}  // namespace
}  // namespace checkin

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace checkin;
  static const RecordDefaults kDefaults{"GB", "en", "Europe/London"};
  const Fields fields = FieldsOf(fuzz::AsText(data, size));

  const Result<Member> member = ParseMember("m1", fields, kDefaults);
  if (member.ok()) FUZZ_CHECK(IsE164(member->phone), "member phone '" + member->phone + "' is not E.164");
  const Result<Group> group = ParseGroup("g1", fields, kDefaults);
  Result<Session> session = ParseSession("s1", fields);
  if (session.ok()) {
    FUZZ_CHECK(session->ends_at > session->starts_at, "a session that ends before it starts");
    if (group.ok()) ApplyGroupDefaults(*session, *group);
  }
  (void)ParseSchedule("w1", fields);
  for (const auto& [name, value] : fields) CheckTime(value);
  return 0;
}
