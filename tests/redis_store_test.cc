// RedisStore against a real redis-server: schema reads, idempotent job
// creation, leases, in-doubt marking, lost leases, outages, the account pause.
#include "store/redis_store.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <thread>

#include "redis_server.h"
#include "test_util.h"

namespace checkin {
namespace {

using testing::RedisServer;
using testing::TestKeyPrefix;

constexpr Millis kT0 = 1'800'000'000'000;  // 2027-01-15, any fixed instant
constexpr Millis kLease = 60'000;

Instant At(Millis ms) { return Instant(std::chrono::seconds(ms / 1000)); }

std::unique_ptr<RedisStore> MakeStore(const std::string& url, const std::string& prefix) {
  RedisStoreOptions o;
  o.redis.url = url;
  o.redis.timeout = std::chrono::milliseconds(500);
  o.prefix = prefix;
  auto s = RedisStore::Create(o);
  EXPECT_OK(s);
  return std::move(*s);
}

JobSpec Job(const std::string& id, Millis due) {
  JobSpec j;
  j.id = id;
  j.session_id = "s1";
  j.member_id = "m-" + id;
  j.session_starts_at = At(due + 3'600'000);
  j.planned_at = At(due);
  j.due_at = At(due);
  return j;
}

class RedisStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    redis_ = RedisServer::Shared();
    store_ = MakeStore(redis_->Url(), TestKeyPrefix());
  }
  RedisServer* redis_;
  std::unique_ptr<RedisStore> store_;
};

TEST_F(RedisStoreTest, ReadsSchemaV1Records) {
  const std::string p = TestKeyPrefix();
  redis_->Cli({"HSET", p + "member:m1", "name", "Amy", "phone", "07700 900123"});
  redis_->Cli({"SADD", p + "group:g1:members", "m1", "m2"});
  redis_->Cli({"ZADD", p + "sessions", "1800000000", "s1", "1900000000", "s2"});
  auto fields = store_->MemberFields("m1");
  ASSERT_OK(fields);
  EXPECT_EQ((*fields)["name"], "Amy");
  auto members = store_->GroupMemberIds("g1");
  ASSERT_OK(members);
  EXPECT_EQ(std::set<std::string>(members->begin(), members->end()), (std::set<std::string>{"m1", "m2"}));
  auto sessions = store_->SessionsStartingBetween(At(1'700'000'000'000), At(1'850'000'000'000));
  ASSERT_OK(sessions);
  ASSERT_EQ(sessions->size(), 1u);
  EXPECT_EQ((*sessions)[0].first, "s1");
  auto many = store_->MembersFields({"m1", "nobody"});
  ASSERT_OK(many);
  ASSERT_OK(many->at("m1"));
  EXPECT_EQ(many->at("m1")->at("name"), "Amy");
  ASSERT_OK(many->at("nobody"));
  EXPECT_TRUE(many->at("nobody")->empty());
}

TEST_F(RedisStoreTest, WrongTypeIsInvalidArgumentNotACrash) {
  redis_->Cli({"SET", TestKeyPrefix() + "member:m1", "not a hash"});
  auto fields = store_->MemberFields("m1");
  ASSERT_FALSE(fields.ok());
  EXPECT_TRUE(fields.status().IsInvalidArgument()) << fields.status().ToString();
  EXPECT_EQ(WrongTypeKey(fields.status()), TestKeyPrefix() + "member:m1") << fields.status().ToString();
  EXPECT_NE(fields.status().message().find("holds a string, expected a hash"), std::string::npos)
      << fields.status().ToString();
}

// Every schema v1 read of a key of the wrong type names that key (and what
// it holds), so the caller can report it once and skip it.
TEST_F(RedisStoreTest, EveryWrongTypeReadNamesItsKey) {
  const std::string p = TestKeyPrefix();
  for (const char* key : {"sessions", "schedules", "group:g1:members", "group:g1", "session:s1", "schedule:w1",
                          "session:s1:rsvp"}) {
    redis_->Cli({"SET", p + key, "oops"});
  }
  redis_->Cli({"SADD", p + "member:m1", "not", "a", "hash"});
  struct Case {
    const char* key;
    Status status;
  };
  const std::vector<Case> cases = {
      {"sessions", store_->SessionsStartingBetween(At(0), At(kT0)).status()},
      {"schedules", store_->ScheduleIds().status()},
      {"group:g1:members", store_->GroupMemberIds("g1").status()},
      {"group:g1", store_->GroupFields("g1").status()},
      {"session:s1", store_->SessionFields("s1").status()},
      {"schedule:w1", store_->ScheduleFields("w1").status()},
      {"member:m1", store_->MemberFields("m1").status()},
      {"session:s1:rsvp", store_->Rsvps("s1").status()},
      {"session:s1:rsvp", store_->Rsvp("s1", "m1").status()},
  };
  for (const Case& c : cases) {
    EXPECT_TRUE(c.status.IsInvalidArgument()) << c.key << ": " << c.status.ToString();
    EXPECT_EQ(WrongTypeKey(c.status), p + c.key) << c.status.ToString();
  }
  EXPECT_NE(WrongTypeKey(store_->MemberFields("m1").status()).size(), 0u);
  EXPECT_NE(store_->MemberFields("m1").status().message().find("holds a set"), std::string::npos);
}

TEST_F(RedisStoreTest, PipelineEachKeepsTheOtherRepliesOfAWrongTypeOne) {
  const std::string p = TestKeyPrefix();
  redis_->Cli({"SET", p + "str", "x"});
  redis_->Cli({"HSET", p + "hash", "f", "v"});
  auto each = store_->client().PipelineEach({{"HGETALL", p + "hash"}, {"HGETALL", p + "str"}, {"HGET", p + "hash", "f"}});
  ASSERT_OK(each);
  ASSERT_EQ(each->size(), 3u);
  ASSERT_OK((*each)[0]);
  EXPECT_EQ(PairsToMap(*(*each)[0]).at("f"), "v");
  ASSERT_FALSE((*each)[1].ok());
  EXPECT_TRUE(IsRedisWrongType((*each)[1].status())) << (*each)[1].status().ToString();
  ASSERT_OK((*each)[2]);
  EXPECT_EQ((*each)[2]->str, "v");
  auto all = store_->client().Pipeline({{"HGETALL", p + "hash"}, {"HGETALL", p + "str"}});
  EXPECT_FALSE(all.ok()) << "Pipeline stands or falls together";
  EXPECT_OK(store_->Ping()) << "the connection is still good";
}

TEST_F(RedisStoreTest, MembersFieldsReadsTheOthersPastAWrongTypeMember) {
  const std::string p = TestKeyPrefix();
  redis_->Cli({"HSET", p + "member:amy", "name", "Amy", "phone", "07700 900001"});
  redis_->Cli({"SET", p + "member:bad", "Bea"});
  redis_->Cli({"HSET", p + "member:cat", "name", "Cat", "phone", "07700 900003"});
  auto many = store_->MembersFields({"amy", "bad", "cat"});
  ASSERT_OK(many);
  ASSERT_OK(many->at("amy"));
  EXPECT_EQ(many->at("amy")->at("name"), "Amy");
  ASSERT_FALSE(many->at("bad").ok());
  EXPECT_EQ(WrongTypeKey(many->at("bad").status()), p + "member:bad");
  ASSERT_OK(many->at("cat"));
  EXPECT_EQ(many->at("cat")->at("name"), "Cat");
}

TEST_F(RedisStoreTest, ReadForSendReadsEachPartOnItsOwn) {
  const std::string p = TestKeyPrefix();
  redis_->Cli({"HSET", p + "member:amy", "name", "Amy", "phone", "07700 900001"});
  redis_->Cli({"HSET", p + "session:s1", "group", "g", "starts_at", "2026-12-01T10:00:00Z"});
  redis_->Cli({"SET", p + "session:s1:rsvp", "yes"});
  auto reads = store_->ReadForSend("amy", "s1");
  ASSERT_OK(reads);
  EXPECT_EQ(reads->member.at("name"), "Amy");
  EXPECT_EQ(reads->session.at("group"), "g");
  EXPECT_OK(reads->member_error);
  EXPECT_OK(reads->session_error);
  EXPECT_FALSE(reads->rsvp);
  EXPECT_EQ(WrongTypeKey(reads->rsvp_error), p + "session:s1:rsvp") << reads->rsvp_error.ToString();
  redis_->Cli({"DEL", p + "session:s1:rsvp"});
  redis_->Cli({"DEL", p + "member:amy"});
  redis_->Cli({"RPUSH", p + "member:amy", "Amy"});
  reads = store_->ReadForSend("amy", "s1");
  ASSERT_OK(reads);
  EXPECT_EQ(WrongTypeKey(reads->member_error), p + "member:amy") << reads->member_error.ToString();
  EXPECT_EQ(reads->session.at("group"), "g");
}

TEST_F(RedisStoreTest, CreatingJobsTwiceCreatesNothingTwice) {
  std::vector<JobSpec> jobs = {Job("a", kT0), Job("b", kT0 + 1000)};
  auto first = store_->CreateJobs(jobs, kT0);
  ASSERT_OK(first);
  EXPECT_EQ(*first, 2);
  auto again = store_->CreateJobs(jobs, kT0);
  ASSERT_OK(again);
  EXPECT_EQ(*again, 0);
  auto stats = store_->Stats();
  ASSERT_OK(stats);
  EXPECT_EQ(stats->due, 2);
}

TEST_F(RedisStoreTest, RecreatingNeverResetsAFinishedJob) {
  ASSERT_OK(store_->CreateJobs({Job("a", kT0)}, kT0));
  auto claimed = store_->ClaimDueJobs(kT0, kLease, "d1", 10);
  ASSERT_OK(claimed);
  ASSERT_EQ(claimed->size(), 1u);
  JobOutcome sent;
  sent.kind = JobOutcome::Kind::kSent;
  sent.sid = "SM1";
  ASSERT_TRUE(*store_->FinishJob("a", "d1", sent, kT0));
  EXPECT_EQ(*store_->CreateJobs({Job("a", kT0)}, kT0 + 5000), 0);
  EXPECT_EQ(store_->JobFields("a")->at("state"), "sent");
  EXPECT_TRUE(store_->ClaimDueJobs(kT0 + 10'000, kLease, "d2", 10)->empty());
}

TEST_F(RedisStoreTest, ClaimsOnlyDueJobsAndOnlyOnce) {
  ASSERT_OK(store_->CreateJobs({Job("now", kT0), Job("later", kT0 + 60'000)}, kT0));
  auto mine = store_->ClaimDueJobs(kT0, kLease, "d1", 10);
  ASSERT_OK(mine);
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ((*mine)[0].spec.id, "now");
  EXPECT_EQ((*mine)[0].spec.member_id, "m-now");
  EXPECT_EQ((*mine)[0].spec.planned_at, At(kT0));
  EXPECT_FALSE((*mine)[0].in_doubt);
  auto theirs = store_->ClaimDueJobs(kT0 + 1, kLease, "d2", 10);
  ASSERT_OK(theirs);
  EXPECT_TRUE(theirs->empty());
}

TEST_F(RedisStoreTest, NextDueJobsAreTheWaitingOnesDueFirst) {
  ASSERT_OK(store_->CreateJobs({Job("late", kT0 + 120'000), Job("soon", kT0), Job("mid", kT0 + 60'000)}, kT0));
  ASSERT_EQ(store_->ClaimDueJobs(kT0, kLease, "d1", 10)->size(), 1u);  // "soon" is leased, no longer waiting
  auto next = store_->NextDueJobs(10);
  ASSERT_OK(next);
  ASSERT_EQ(next->size(), 2u);
  EXPECT_EQ((*next)[0].id, "mid");
  EXPECT_EQ((*next)[0].due, kT0 + 60'000);
  EXPECT_EQ((*next)[1].id, "late");
  EXPECT_EQ((*next)[1].due, kT0 + 120'000);
  auto first = store_->NextDueJobs(1);
  ASSERT_OK(first);
  ASSERT_EQ(first->size(), 1u);
  EXPECT_EQ((*first)[0].id, "mid");
}

TEST_F(RedisStoreTest, MarkSessionCancelledWritesTheStatusAlone) {
  const std::string p = TestKeyPrefix();
  redis_->Cli({"HSET", p + "session:s1", "group", "g1", "status", "scheduled"});
  ASSERT_OK(store_->MarkSessionCancelled("s1"));
  EXPECT_EQ(redis_->Cli({"HGETALL", p + "session:s1"}), "group\ng1\nstatus\ncancelled");
  ASSERT_OK(store_->MarkSessionCancelled("tue@20261201T1400"));  // an occurrence: its override hash
  EXPECT_EQ(redis_->Cli({"HGETALL", p + "session:tue@20261201T1400"}), "status\ncancelled");
}

// Issue 13: a schedule removed from `schedules` loses the jobs still
// waiting for its occurrences, as a cancelled session does; a job claimed
// right now is its holder's; a one-off session whose id holds an @ is no
// occurrence; planned again (the schedule added back), a dropped job is
// created afresh and can be dropped again.
TEST_F(RedisStoreTest, DropRemovedScheduleJobsDropsTheWaitingJobsOfItsOccurrences) {
  auto job = [](const std::string& id, const std::string& session, Millis due) {
    JobSpec j = Job(id, due);
    j.session_id = session;
    return j;
  };
  auto state = [&](const std::string& id) {
    auto f = store_->JobFields(id);
    return f.ok() && f->count("state") ? f->at("state") : "(none)";
  };
  ASSERT_OK(store_->CreateJobs({job("a1", "tue@20261201T1000", kT0), job("a2", "tue@20261208T1000", kT0 + 1000),
                                job("b1", "wed@20261202T1000", kT0 + 2000), job("c1", "walk@park", kT0 + 3000)},
                               kT0));
  auto claimed = store_->ClaimDueJobs(kT0, kLease, "d1", 1);
  ASSERT_OK(claimed);
  ASSERT_EQ(claimed->size(), 1u);
  ASSERT_EQ((*claimed)[0].spec.id, "a1");

  auto dropped = store_->DropRemovedScheduleJobs({"wed"}, "schedule removed", kT0);
  ASSERT_OK(dropped);
  EXPECT_EQ(*dropped, (std::map<std::string, int>{{"tue", 1}}));
  EXPECT_EQ(state("a2"), "skipped");
  EXPECT_EQ(store_->JobFields("a2")->at("reason"), "schedule removed");
  EXPECT_NE(state("a1"), "skipped") << "being sent: left to its holder";
  EXPECT_EQ(state("b1"), "pending") << "its schedule is still there";
  EXPECT_EQ(state("c1"), "pending") << "a one-off session, though its id holds an @";
  auto again = store_->DropRemovedScheduleJobs({"wed"}, "schedule removed", kT0);
  ASSERT_OK(again);
  EXPECT_TRUE(again->empty()) << "a removed schedule is handled once";

  ASSERT_EQ(*store_->CreateJobs({job("a2", "tue@20261208T1000", kT0 + 1000)}, kT0), 1) << "revived";
  EXPECT_EQ(state("a2"), "pending");
  auto twice = store_->DropRemovedScheduleJobs({}, "schedule removed", kT0);
  ASSERT_OK(twice);
  EXPECT_EQ(*twice, (std::map<std::string, int>{{"tue", 1}, {"wed", 1}}));
}

// Jobs planned before the schedule index existed (by an older checkind) are
// indexed when a restarted daemon plans them again, though none is created.
TEST_F(RedisStoreTest, DropRemovedScheduleJobsFindsJobsPlannedBeforeTheIndex) {
  JobSpec j = Job("old", kT0);
  j.session_id = "tue@20261201T1000";
  ASSERT_EQ(*store_->CreateJobs({j}, kT0), 1);
  const std::string p = TestKeyPrefix();
  redis_->Cli({"DEL", p + "{jobs}:schedules", p + "{jobs}:schedule:tue"});  // as an older checkind left it
  ASSERT_EQ(*store_->CreateJobs({j}, kT0), 0) << "exists: nothing created";
  auto dropped = store_->DropRemovedScheduleJobs({}, "schedule removed", kT0);
  ASSERT_OK(dropped);
  EXPECT_EQ(*dropped, (std::map<std::string, int>{{"tue", 1}}));
}

TEST_F(RedisStoreTest, ExpiredLeaseReturnsTheJobAndSendingMeansInDoubt) {
  ASSERT_OK(store_->CreateJobs({Job("idle", kT0), Job("sending", kT0)}, kT0));
  ASSERT_EQ(store_->ClaimDueJobs(kT0, kLease, "dead", 10)->size(), 2u);
  ASSERT_EQ(*store_->MarkSending("sending", "dead", kT0, 1000, "abc123"), MarkSendingResult::kMarked);
  // The dead daemon's lease ends; another daemon takes both jobs back.
  auto back = store_->ClaimDueJobs(kT0 + kLease + 1, kLease, "alive", 10);
  ASSERT_OK(back);
  ASSERT_EQ(back->size(), 2u);
  for (const auto& job : *back) {
    if (job.spec.id == "sending") {
      EXPECT_TRUE(job.in_doubt);
      EXPECT_EQ(job.attempts, 1);
      EXPECT_EQ(job.first_sending_at, kT0);
      EXPECT_EQ(job.doubt_bodies, std::vector<std::string>{"abc123"});
    } else {
      EXPECT_FALSE(job.in_doubt) << job.spec.id;
    }
  }
  // The dead daemon, if it wakes up, can no longer send or finish.
  EXPECT_EQ(*store_->MarkSending("sending", "dead", kT0 + kLease + 2, 1000, "abc123"), MarkSendingResult::kLeaseLost);
  JobOutcome sent;
  sent.kind = JobOutcome::Kind::kSent;
  EXPECT_FALSE(*store_->FinishJob("sending", "dead", sent, kT0 + kLease + 2));
}

TEST_F(RedisStoreTest, MarkSendingExtendsTheLeaseOverTheRequestWindow) {
  ASSERT_OK(store_->CreateJobs({Job("a", kT0)}, kT0));
  ASSERT_EQ(store_->ClaimDueJobs(kT0, kLease, "d1", 10)->size(), 1u);
  // The request window is longer than the lease left: the lease grows to it.
  const Millis window = 3 * kLease;
  EXPECT_EQ(*store_->MarkSending("a", "d1", kT0 + kLease - 500, window, "x"), MarkSendingResult::kMarked);
  const Millis until = kT0 + kLease - 500 + window;
  EXPECT_EQ((*store_->JobFields("a"))["lease_until"], std::to_string(until));
  EXPECT_TRUE(store_->ClaimDueJobs(until - 1, kLease, "d2", 10)->empty()) << "nobody takes it mid-request";
  auto back = store_->ClaimDueJobs(until + 1, kLease, "d2", 10);
  ASSERT_EQ(back->size(), 1u);
  EXPECT_TRUE((*back)[0].in_doubt);
  EXPECT_EQ(*store_->MarkSending("a", "d1", until + 2, window, "x"), MarkSendingResult::kLeaseLost);
}

TEST_F(RedisStoreTest, RenewedLeasesKeepTheJobsOfALiveDaemon) {
  ASSERT_OK(store_->CreateJobs({Job("a", kT0), Job("b", kT0), Job("c", kT0)}, kT0));
  ASSERT_EQ(store_->ClaimDueJobs(kT0, kLease, "d1", 2)->size(), 2u);  // a, b
  ASSERT_EQ(store_->ClaimDueJobs(kT0, kLease, "d2", 2)->size(), 1u);  // c
  // d1 renews shortly before its leases end, d2 does not (it died).
  const Millis renew_at = kT0 + kLease - 10;
  EXPECT_EQ(*store_->RenewLeases({"a", "b", "c", "gone"}, "d1", renew_at, kLease), 2) << "only its own jobs";
  auto taken = store_->ClaimDueJobs(kT0 + kLease + 1, kLease, "d3", 10);
  ASSERT_OK(taken);
  ASSERT_EQ(taken->size(), 1u);
  EXPECT_EQ((*taken)[0].spec.id, "c") << "the dead daemon's job, within one lease";
  EXPECT_TRUE(store_->ClaimDueJobs(renew_at + kLease - 1, kLease, "d3", 10)->empty());
  // A renewal never shortens a lease (a request window set by MarkSending).
  ASSERT_EQ(*store_->MarkSending("a", "d1", renew_at, 5 * kLease, "x"), MarkSendingResult::kMarked);
  ASSERT_EQ(*store_->RenewLeases({"a"}, "d1", renew_at + 1, kLease), 1);
  EXPECT_EQ((*store_->JobFields("a"))["lease_until"], std::to_string(renew_at + 5 * kLease));
}

TEST_F(RedisStoreTest, ReleasedJobsAreClaimableAtOnceButASendingOneStays) {
  ASSERT_OK(store_->CreateJobs({Job("idle", kT0), Job("sending", kT0)}, kT0));
  ASSERT_EQ(store_->ClaimDueJobs(kT0, kLease, "d1", 10)->size(), 2u);
  ASSERT_EQ(*store_->MarkSending("sending", "d1", kT0, 1000, "x"), MarkSendingResult::kMarked);
  EXPECT_EQ(*store_->ReleaseJobs({"idle", "sending"}, "d2"), 0) << "not d2's to hand back";
  EXPECT_EQ(*store_->ReleaseJobs({"idle", "sending"}, "d1"), 1);
  auto taken = store_->ClaimDueJobs(kT0 + 1, kLease, "d2", 10);
  ASSERT_EQ(taken->size(), 1u);
  EXPECT_EQ((*taken)[0].spec.id, "idle");
  EXPECT_FALSE((*taken)[0].in_doubt);
  EXPECT_EQ((*store_->JobFields("sending"))["owner"], "d1") << "its request may have reached Twilio";
}

TEST_F(RedisStoreTest, RetryPutsTheJobBackAtItsNextDueTime) {
  ASSERT_OK(store_->CreateJobs({Job("a", kT0)}, kT0));
  ASSERT_EQ(store_->ClaimDueJobs(kT0, kLease, "d1", 10)->size(), 1u);
  JobOutcome retry;
  retry.kind = JobOutcome::Kind::kRetry;
  retry.next_due = kT0 + 30'000;
  retry.error_code = 20429;
  retry.reason = "rate limited";
  ASSERT_TRUE(*store_->FinishJob("a", "d1", retry, kT0));
  EXPECT_TRUE(store_->ClaimDueJobs(kT0 + 29'999, kLease, "d1", 10)->empty());
  auto again = store_->ClaimDueJobs(kT0 + 30'000, kLease, "d2", 10);
  ASSERT_OK(again);
  ASSERT_EQ(again->size(), 1u);
  EXPECT_FALSE((*again)[0].in_doubt);
}

TEST_F(RedisStoreTest, FinishedJobsExpireAfterRetention) {
  ASSERT_OK(store_->CreateJobs({Job("a", kT0)}, kT0));
  ASSERT_EQ(store_->ClaimDueJobs(kT0, kLease, "d1", 10)->size(), 1u);
  JobOutcome failed;
  failed.kind = JobOutcome::Kind::kFailed;
  failed.error_code = 21211;
  ASSERT_TRUE(*store_->FinishJob("a", "d1", failed, kT0));
  long ttl = std::stol(redis_->Cli({"TTL", store_->keys().Job("a")}));
  EXPECT_GT(ttl, 89 * 24 * 3600);
  EXPECT_LE(ttl, 90 * 24 * 3600);
}

TEST_F(RedisStoreTest, ConcurrentClaimersNeverShareAJob) {
  std::vector<JobSpec> jobs;
  for (int i = 0; i < 200; ++i) jobs.push_back(Job("j" + std::to_string(i), kT0));
  ASSERT_OK(store_->CreateJobs(jobs, kT0));
  std::vector<std::vector<std::string>> got(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (;;) {
        auto c = store_->ClaimDueJobs(kT0, kLease, "d" + std::to_string(t), 7);
        if (!c.ok() || c->empty()) return;
        for (auto& j : *c) got[t].push_back(j.spec.id);
      }
    });
  }
  for (auto& th : threads) th.join();
  std::set<std::string> all;
  size_t total = 0;
  for (auto& g : got) {
    total += g.size();
    all.insert(g.begin(), g.end());
  }
  EXPECT_EQ(total, 200u);
  EXPECT_EQ(all.size(), 200u);
}

TEST(RedisStoreOutage, UnavailableWhileDownThenRecovers) {
  RedisServer own;
  auto store = MakeStore(own.Url(), "outage:");
  ASSERT_OK(store->CreateJobs({Job("a", kT0)}, kT0));
  own.Kill();
  auto down = store->ClaimDueJobs(kT0, kLease, "d1", 10);
  ASSERT_FALSE(down.ok());
  EXPECT_TRUE(down.status().IsUnavailable()) << down.status().ToString();
  EXPECT_TRUE(store->Ping().IsUnavailable());
  own.Start();  // no persistence in this server: the queue starts empty
  ASSERT_OK(store->Ping());
  ASSERT_OK(store->CreateJobs({Job("b", kT0)}, kT0));
  EXPECT_EQ(store->ClaimDueJobs(kT0, kLease, "d1", 10)->size(), 1u);
}

// The account pause, script by script (the daemon-level story is in
// account_pause_test.cc).
class AccountPauseStoreTest : public RedisStoreTest {
 protected:
  static constexpr Millis kFirst = 60'000, kMax = 900'000;
  Result<AccountPause> Refused(const std::string& job, Millis now, const std::string& owner = "d1") {
    return store_->PauseForAccountError(job, 20003, "20003 authentication failed", kFirst, kMax, now, owner);
  }
  JobOutcome Outcome(JobOutcome::Kind kind) {
    JobOutcome o;
    o.kind = kind;
    o.next_due = kT0;
    o.sid = "SM1";
    return o;
  }
};

TEST_F(AccountPauseStoreTest, ClaimsNothingUntilTheEndThenOneProbeAtATime) {
  ASSERT_OK(store_->CreateJobs({Job("a", kT0), Job("b", kT0), Job("c", kT0)}, kT0));
  ASSERT_EQ(store_->ClaimDueJobs(kT0, kLease, "d1", 2)->size(), 2u);  // a, b in hand
  auto p = Refused("a", kT0);
  ASSERT_OK(p);
  EXPECT_EQ(p->until, kT0 + kFirst);
  EXPECT_EQ(p->errors, 1);
  EXPECT_EQ(Refused("b", kT0 + 5)->errors, 1) << "in flight when it began: counts once";
  EXPECT_EQ(*store_->MarkSending("b", "d1", kT0 + 10, 1000, "x"), MarkSendingResult::kPaused);
  EXPECT_TRUE(store_->ClaimDueJobs(kT0 + kFirst - 1, kLease, "d2", 10)->empty());
  for (const char* id : {"a", "b"}) {
    JobOutcome back = Outcome(JobOutcome::Kind::kRetry);
    ASSERT_TRUE(*store_->FinishJob(id, "d1", back, kT0 + 20));
  }
  auto probe = store_->ClaimDueJobs(kT0 + kFirst, kLease, "d2", 10);
  ASSERT_OK(probe);
  ASSERT_EQ(probe->size(), 1u) << "one probe";
  const std::string id = (*probe)[0].spec.id;
  EXPECT_EQ((*store_->CurrentAccountPause())->probe_job, id);
  EXPECT_TRUE(store_->ClaimDueJobs(kT0 + kFirst, kLease, "d3", 10)->empty()) << "while its lease runs";
  EXPECT_EQ(*store_->MarkSending(id, "d2", kT0 + kFirst, 1000, "x"), MarkSendingResult::kMarked);
  // The probe's daemon dies: after its lease another daemon probes.
  auto next = store_->ClaimDueJobs(kT0 + kFirst + kLease + 1, kLease, "d3", 10);
  ASSERT_EQ(next->size(), 1u);
}

TEST_F(AccountPauseStoreTest, TheProbeSlotLivesWithTheProbesLease) {
  ASSERT_OK(store_->CreateJobs({Job("a", kT0), Job("b", kT0)}, kT0));
  ASSERT_OK(Refused("first", kT0));
  ASSERT_EQ(store_->ClaimDueJobs(kT0 + kFirst, kLease, "d1", 10)->size(), 1u);
  // Renewed by its live daemon: no second probe after the first lease.
  ASSERT_EQ(*store_->RenewLeases({(*store_->CurrentAccountPause())->probe_job}, "d1", kT0 + kFirst + kLease - 1,
                                 kLease), 1);
  EXPECT_TRUE(store_->ClaimDueJobs(kT0 + kFirst + kLease + 1, kLease, "d2", 10)->empty());
  // Handed back by a stopping daemon: the next claim probes at once.
  ASSERT_EQ(*store_->ReleaseJobs({"a", "b"}, "d1"), 1);
  EXPECT_EQ(store_->ClaimDueJobs(kT0 + kFirst + kLease + 2, kLease, "d2", 10)->size(), 1u);
}

TEST_F(AccountPauseStoreTest, ARefusedProbeDoublesToTheCapAndGivesItsAttemptBack) {
  ASSERT_OK(store_->CreateJobs({Job("a", kT0)}, kT0));
  ASSERT_OK(Refused("first", kT0));
  Millis now = kT0, length = kFirst;
  for (Millis want : {120'000, 240'000, 480'000, 900'000, 900'000}) {
    now += length;
    ASSERT_EQ(store_->ClaimDueJobs(now, kLease, "d1", 10)->size(), 1u);
    ASSERT_EQ(*store_->MarkSending("a", "d1", now, 1000, "x"), MarkSendingResult::kMarked);
    auto p = Refused("a", now);
    ASSERT_OK(p);
    EXPECT_EQ(p->length, want);
    EXPECT_EQ(p->until, now + want);
    EXPECT_TRUE(p->probe_job.empty());
    JobOutcome unsent = Outcome(JobOutcome::Kind::kRetry);
    unsent.not_attempted = true;
    ASSERT_TRUE(*store_->FinishJob("a", "d1", unsent, now));
    auto job = store_->JobFields("a");
    EXPECT_EQ((*job)["attempts"], "0");
    EXPECT_EQ((*job)["state"], "pending");
    EXPECT_EQ(job->count("first_sending_at"), 0u);
    length = want;
  }
}

TEST_F(AccountPauseStoreTest, OnlyTheProbeSentLiftsIt) {
  ASSERT_OK(store_->CreateJobs({Job("a", kT0), Job("b", kT0), Job("c", kT0)}, kT0));
  ASSERT_OK(Refused("x", kT0));
  const Millis at = kT0 + kFirst;
  // Skipped, or found in Twilio's list: the probe is freed, the pause stays.
  for (JobOutcome::Kind kind : {JobOutcome::Kind::kSkipped, JobOutcome::Kind::kSent}) {
    auto probe = store_->ClaimDueJobs(at, kLease, "d1", 10);
    ASSERT_EQ(probe->size(), 1u);
    JobOutcome o = Outcome(kind);
    o.reconciled = true;
    ASSERT_TRUE(*store_->FinishJob((*probe)[0].spec.id, "d1", o, at));
    auto p = store_->CurrentAccountPause();
    ASSERT_TRUE(p->has_value());
    EXPECT_TRUE((*p)->probe_job.empty());
  }
  auto probe = store_->ClaimDueJobs(at, kLease, "d1", 10);
  ASSERT_EQ(probe->size(), 1u);
  ASSERT_TRUE(*store_->FinishJob((*probe)[0].spec.id, "d1", Outcome(JobOutcome::Kind::kSent), at));
  EXPECT_FALSE(store_->CurrentAccountPause()->has_value()) << "sent: lifted";
  ASSERT_OK(Refused("y", at));
  EXPECT_TRUE(*store_->LiftAccountPause(at));
  EXPECT_FALSE(*store_->LiftAccountPause(at)) << "nothing left to lift";
}

TEST_F(AccountPauseStoreTest, ARefusalOfAJobBegunBeforeTheLiftStartsNoPause) {
  // A reload lifts the pause while a request made with the old token is out;
  // its refusal comes back afterwards.
  ASSERT_OK(Refused("x", kT0));
  const Millis lifted = kT0 + 10'000;
  ASSERT_TRUE(*store_->LiftAccountPause(lifted));
  auto stale = Refused("old-token", lifted - 500);
  ASSERT_OK(stale);
  EXPECT_EQ(stale->until, 0) << "no pause: it was sent with the credentials the reload replaced";
  EXPECT_FALSE(store_->CurrentAccountPause()->has_value());
  ASSERT_OK(store_->CreateJobs({Job("a", kT0)}, kT0));
  EXPECT_EQ(store_->ClaimDueJobs(lifted, kLease, "d1", 10)->size(), 1u) << "nothing paused";

  auto fresh = Refused("new-token", lifted + 1);
  ASSERT_OK(fresh);
  EXPECT_EQ(fresh->until, lifted + 1 + kFirst) << "begun after the lift: the new credentials are refused too";
  EXPECT_TRUE(store_->CurrentAccountPause()->has_value());
}

TEST(RedisUrl, ParsesTheFormsWeDocument) {
  auto a = ParseRedisUrl("redis://:s3cret@10.0.0.5:6380/2");
  ASSERT_OK(a);
  EXPECT_EQ(a->host, "10.0.0.5");
  EXPECT_EQ(a->port, 6380);
  EXPECT_EQ(a->password, "s3cret");
  EXPECT_EQ(a->db, 2);
  auto b = ParseRedisUrl("unix:///run/redis/redis.sock?db=1");
  ASSERT_OK(b);
  EXPECT_EQ(b->unix_path, "/run/redis/redis.sock");
  EXPECT_EQ(b->db, 1);
  EXPECT_OK(ParseRedisUrl("redis://localhost"));
  EXPECT_FALSE(ParseRedisUrl("http://localhost").ok());
  EXPECT_FALSE(ParseRedisUrl("redis://host:99999/0").ok());
  EXPECT_FALSE(ParseRedisUrl("redis://host:6379/x").ok());
}

TEST(RedisUrl, RedactsPasswords) {
  EXPECT_EQ(RedactRedisUrl("redis://:s3cret@h:1/0"), "redis://:***@h:1/0");
  EXPECT_EQ(RedactRedisUrl("redis://user:s3cret@h:1/0"), "redis://user:***@h:1/0");
  EXPECT_EQ(RedactRedisUrl("redis://h:1/0"), "redis://h:1/0");
}

}  // namespace
}  // namespace checkin
