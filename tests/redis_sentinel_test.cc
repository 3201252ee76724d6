// redis-sentinel:// URLs: checkind finds the primary through Sentinel and
// follows a failover (real redis-server primary, replica and sentinel).
#include <gtest/gtest.h>

#include <thread>

#include "store/redis_client.h"
#include "redis_server.h"
#include "test_util.h"

namespace checkin {
namespace {

using testing::RedisServer;

TEST(RedisSentinelUrl, ParsesSentinelsMasterAndDb) {
  auto ep = ParseRedisUrl("redis-sentinel://:s3cret@10.0.0.1:26379,10.0.0.2/reminders/2");
  ASSERT_OK(ep);
  ASSERT_EQ(ep->sentinels.size(), 2u);
  EXPECT_EQ(ep->sentinels[0], std::make_pair(std::string("10.0.0.1"), 26379));
  EXPECT_EQ(ep->sentinels[1], std::make_pair(std::string("10.0.0.2"), 26379)) << "default sentinel port";
  EXPECT_EQ(ep->master_name, "reminders");
  EXPECT_EQ(ep->db, 2);
  EXPECT_EQ(ep->password, "s3cret");
  EXPECT_EQ(RedactRedisUrl("redis-sentinel://:s3cret@h:1/m"), "redis-sentinel://:***@h:1/m");
  for (const char* bad : {"redis-sentinel://h:1", "redis-sentinel://h:1/", "redis-sentinel://h:x/m",
                          "redis-sentinel://,h/m", "redis-sentinel://h:1/m/x"}) {
    EXPECT_FALSE(ParseRedisUrl(bad).ok()) << bad;
  }
}

// Waits (bounded) for a process to reach a state; never waits for time.
template <typename Pred>
bool Eventually(Pred pred) {
  for (int i = 0; i < 300; ++i) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

TEST(RedisSentinel, FindsThePrimaryAndFollowsAFailover) {
  RedisServer a;
  RedisServer::Options replica;
  replica.extra_args = {"--replicaof", "127.0.0.1", std::to_string(a.port())};
  RedisServer b(replica);
  ASSERT_TRUE(Eventually([&] { return b.Cli({"INFO", "replication"}).find("master_link_status:up") != std::string::npos; }));
  RedisServer::Options watch;
  watch.sentinel_monitor = "checkin 127.0.0.1 " + std::to_string(a.port());
  RedisServer sentinel(watch);
  ASSERT_TRUE(Eventually([&] { return sentinel.Cli({"SENTINEL", "replicas", "checkin"}).find("ip") != std::string::npos; }));

  RedisOptions o;
  o.url = "redis-sentinel://127.0.0.1:" + std::to_string(sentinel.port()) + "/checkin/0";
  o.timeout = std::chrono::milliseconds(500);
  auto client = RedisClient::Connect(o);
  ASSERT_OK(client);
  ASSERT_OK((*client)->Command({"SET", "k", "before"}));
  EXPECT_EQ(a.Cli({"GET", "k"}), "before") << "written to the primary";

  // Refused (NOGOODSLAVE) until the sentinel has talked to the replica itself.
  ASSERT_TRUE(Eventually([&] {
    try {
      return sentinel.Cli({"SENTINEL", "FAILOVER", "checkin"}) == "OK";
    } catch (const std::exception&) {
      return false;
    }
  }));
  ASSERT_TRUE(Eventually([&] { return b.Cli({"ROLE"}).rfind("master", 0) == 0; }));
  ASSERT_TRUE(Eventually([&] { return a.Cli({"ROLE"}).rfind("slave", 0) == 0; })) << "the old primary is demoted";
  // The pooled connection still points at the old primary: its write is
  // refused (READONLY, Unavailable), the connection dropped, and a later
  // call reaches the new primary. Callers retry Unavailable; so does this.
  bool written = Eventually([&] { return (*client)->Command({"SET", "k", "after"}).ok(); });
  ASSERT_TRUE(written);
  EXPECT_EQ(b.Cli({"GET", "k"}), "after") << "written to the new primary";
}

}  // namespace
}  // namespace checkin
