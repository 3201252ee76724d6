// The shared send-rate bucket (rate_limit.lua) against a real redis-server:
// two stores stand for two daemons on two machines.
#include <gtest/gtest.h>

#include "redis_server.h"
#include "store/redis_store.h"
#include "test_util.h"

namespace checkin {
namespace {

constexpr Millis kT0 = 1'800'000'000'000;

class RateLimitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto* redis = testing::RedisServer::Shared();
    for (auto* store : {&a_, &b_}) {
      RedisStoreOptions o;
      o.redis.url = redis->Url();
      o.prefix = testing::TestKeyPrefix();
      auto s = RedisStore::Create(o);
      ASSERT_OK(s);
      *store = std::move(*s);
    }
  }
  Millis Take(RedisStore& s, double cost, Millis now) {
    auto wait = s.TakeSendTokens(cost, /*per_second (so burst)=*/10, now);
    EXPECT_OK(wait);
    return wait.ok() ? *wait : -1;
  }
  std::unique_ptr<RedisStore> a_, b_;
};

TEST_F(RateLimitTest, BurstThenRefillAtTheRateShared) {
  for (int i = 0; i < 5; ++i) EXPECT_EQ(Take(*a_, 1, kT0), 0) << i;
  for (int i = 0; i < 5; ++i) EXPECT_EQ(Take(*b_, 1, kT0), 0) << i;
  EXPECT_EQ(Take(*a_, 1, kT0), 100) << "the two daemons share one bucket of 10";
  EXPECT_EQ(Take(*b_, 1, kT0 + 50), 50);
  EXPECT_EQ(Take(*b_, 1, kT0 + 100), 0);
  EXPECT_EQ(Take(*a_, 1, kT0 + 100), 100) << "a refused take takes nothing";
}

TEST_F(RateLimitTest, SegmentsCostMoreAndLongTextsStillGo) {
  EXPECT_EQ(Take(*a_, 3, kT0), 0);
  EXPECT_EQ(Take(*a_, 8, kT0), 100) << "7 tokens left, 8 needed";
  EXPECT_EQ(Take(*a_, 30, kT0 + 300), 0) << "a cost above the burst is capped at a full bucket";
}

TEST_F(RateLimitTest, PauseAfter429HoldsEveryone) {
  ASSERT_OK(a_->PauseSending(2000, 10, kT0));
  EXPECT_EQ(Take(*b_, 1, kT0), 2100) << "20 tokens of debt plus the one wanted";
  EXPECT_EQ(Take(*b_, 1, kT0 + 2100), 0);
}

TEST_F(RateLimitTest, AnAlertBorrowsAtOnceAndTheTextsAfterItWait) {
  for (int i = 0; i < 10; ++i) ASSERT_EQ(Take(*a_, 1, kT0), 0);  // the bucket is empty
  ASSERT_OK(b_->BorrowSendTokens(2, 10, kT0));                   // the alert goes now
  EXPECT_EQ(Take(*a_, 1, kT0), 300) << "2 tokens of debt plus the one wanted";
  EXPECT_EQ(Take(*a_, 1, kT0 + 300), 0);
}

TEST_F(RateLimitTest, ClockSkewCreatesNoTokens) {
  for (int i = 0; i < 10; ++i) ASSERT_EQ(Take(*a_, 1, kT0 + 5000), 0);  // a's clock runs 5 s ahead
  EXPECT_GT(Take(*b_, 1, kT0), 0) << "b, behind, gets no refill until it catches up";
  EXPECT_EQ(Take(*b_, 1, kT0 + 5100), 0);
}

}  // namespace
}  // namespace checkin
