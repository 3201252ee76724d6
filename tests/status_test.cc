#include "checkin/status.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace checkin {
namespace {

TEST(Status, OkAndErrorsPrintTheirCode) {
  EXPECT_TRUE(Status::OK().ok());
  EXPECT_EQ(Status::OK().ToString(), "OK");
  Status s = Status::Unavailable("redis down");
  EXPECT_FALSE(s.ok());
  EXPECT_TRUE(s.IsUnavailable());
  EXPECT_EQ(s.ToString(), "Unavailable: redis down");
  EXPECT_EQ(s.WithContext("claim").ToString(), "Unavailable: claim: redis down");
}

TEST(Result, HoldsValueOrStatus) {
  Result<int> good = 7;
  ASSERT_OK(good);
  EXPECT_EQ(*good, 7);
  Result<int> bad = Status::InvalidArgument("nope");
  EXPECT_FALSE(bad.ok());
  EXPECT_TRUE(bad.status().IsInvalidArgument());
}

Status FailsThenNot(bool fail) {
  CHECKIN_RETURN_IF_ERROR(fail ? Status::NotFound("x") : Status::OK());
  return Status::Internal("reached");
}

TEST(Status, ReturnIfErrorReturnsEarly) {
  EXPECT_TRUE(FailsThenNot(true).IsNotFound());
  EXPECT_EQ(FailsThenNot(false).code(), Status::Code::kInternal);
}

}  // namespace
}  // namespace checkin
