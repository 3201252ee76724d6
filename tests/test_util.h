// Test helpers: ASSERT_OK / EXPECT_OK print the Status, FreeLoopbackPort,
// and a ring-buffer log sink for asserting what was (not) logged.
#ifndef CHECKIN_TESTS_TEST_UTIL_H_
#define CHECKIN_TESTS_TEST_UTIL_H_

#include <gtest/gtest.h>
#include <spdlog/logger.h>
#include <spdlog/sinks/ringbuffer_sink.h>

#include <memory>
#include <string>
#include <vector>

#include "checkin/status.h"

namespace checkin::testing {

inline ::testing::AssertionResult IsOk(const Status& s) {
  if (s.ok()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << s.ToString();
}
template <typename T>
::testing::AssertionResult IsOk(const Result<T>& r) {
  return IsOk(r.status());
}

// A TCP port on 127.0.0.1 that was free a moment ago (bind to 0, read, close).
int FreeLoopbackPort();

// A logger whose lines are kept in memory, every level enabled.
struct CapturedLog {
  std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> sink;
  std::shared_ptr<spdlog::logger> logger;
  // Formatted lines at or above `level`.
  std::vector<std::string> Lines(spdlog::level::level_enum level = spdlog::level::trace) const;
  std::string Joined(spdlog::level::level_enum level = spdlog::level::trace) const;
};
CapturedLog CaptureLog(const std::string& name = "test");

// A unique key prefix per test ("t:<suite>.<name>:"), so ctest -j is safe on
// one redis-server.
std::string TestKeyPrefix();

}  // namespace checkin::testing

#define ASSERT_OK(expr) ASSERT_TRUE(::checkin::testing::IsOk(expr))
#define EXPECT_OK(expr) EXPECT_TRUE(::checkin::testing::IsOk(expr))

#endif  // CHECKIN_TESTS_TEST_UTIL_H_
