// Helpers shared by the plan tests: literal instants and zones by name.
// No clock reads: every instant in these tests is written out.
#ifndef CHECKIN_TESTS_PLAN_TEST_UTIL_H_
#define CHECKIN_TESTS_PLAN_TEST_UTIL_H_

#include <date/tz.h>
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "checkin/clock.h"
#include "schema/records.h"

namespace checkin::testing {

// "2026-03-28T18:00:00Z" as an Instant; a test failure when it does not parse.
inline Instant T(const std::string& rfc3339) {
  Result<Instant> r = ParseRfc3339(rfc3339);
  if (!r.ok()) {
    ADD_FAILURE() << "bad literal instant " << rfc3339 << ": " << r.status().ToString();
    return Instant{};
  }
  return *r;
}

// The zone named `name`; a test failure (and UTC-as-nullptr) when unknown.
inline const date::time_zone* Zone(const std::string& name) {
  try {
    return date::locate_zone(name);
  } catch (const std::exception& e) {
    ADD_FAILURE() << "unknown zone " << name << ": " << e.what();
    return nullptr;
  }
}

inline std::string Show(Instant t) { return FormatRfc3339(t); }

inline std::string Show(const std::vector<Instant>& ts) {
  std::string out = "[";
  for (size_t i = 0; i < ts.size(); ++i) out += (i ? ", " : "") + Show(ts[i]);
  return out + "]";
}

inline std::string Show(const std::optional<Instant>& t) { return t ? Show(*t) : std::string("none"); }

}  // namespace checkin::testing

#endif  // CHECKIN_TESTS_PLAN_TEST_UTIL_H_
