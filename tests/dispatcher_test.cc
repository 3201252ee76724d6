// The dispatcher's worker pool: workers are fed continuously, so one slow
// Twilio request does not idle the others (no barrier per claimed batch),
// and the jobs in hand stay bounded whatever the backlog.
#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>

#include "daemon_fixture.h"
#include "base/logging.h"
#include "twilio/twilio_client.h"

namespace checkin {
namespace {

// Holds the first send (its number becomes `slow_to`) until `release_after`
// other texts were accepted, then lets it through. With a barrier per batch the held send
// would keep its batch from finishing, no more jobs would be claimed, and
// the gate would only open at its safety bound (a failure).
class Gate {
 public:
  explicit Gate(int release_after) : release_after_(release_after) {}

  std::function<void()> on_send;  // called before each send, outside the lock

  void BeforeSend(const std::string& to) {
    if (on_send) on_send();
    std::unique_lock<std::mutex> lock(mu_);
    if (slow_to_.empty() && release_after_ > 0) slow_to_ = to;
    if (to != slow_to_) return;
    // Safety bound only, so a regression fails instead of hanging.
    opened_by_others_ = cv_.wait_for(lock, std::chrono::seconds(20), [&] { return others_ >= release_after_; });
  }
  void AfterSend(const std::string& to) {
    std::lock_guard<std::mutex> lock(mu_);
    if (to == slow_to_) return;
    ++others_;
    cv_.notify_all();
  }
  bool opened_by_others() {
    std::lock_guard<std::mutex> lock(mu_);
    return opened_by_others_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::string slow_to_;
  const int release_after_;
  int others_ = 0;
  bool opened_by_others_ = false;
};

class GatedSender : public SmsSender {
 public:
  GatedSender(std::unique_ptr<SmsSender> inner, Gate& gate) : inner_(std::move(inner)), gate_(gate) {}
  SendResult Send(const OutgoingMessage& msg) override {
    gate_.BeforeSend(msg.to);
    SendResult r = inner_->Send(msg);
    gate_.AfterSend(msg.to);
    return r;
  }
  Result<std::vector<SentMessage>> ListSentTo(const std::string& to, Channel channel, Instant since) override {
    return inner_->ListSentTo(to, channel, since);
  }

 private:
  std::unique_ptr<SmsSender> inner_;
  Gate& gate_;
};

class DispatcherTest : public DaemonFixture {
 protected:
  // `n` members with numbers +447700900100, +447700900101, ...
  static std::vector<std::pair<std::string, std::string>> Members(int n) {
    std::vector<std::pair<std::string, std::string>> out;
    for (int i = 0; i < n; ++i) {
      char phone[20];
      std::snprintf(phone, sizeof phone, "+4477009%05d", 100 + i);
      out.push_back({"m" + std::to_string(100 + i), phone});
    }
    return out;
  }

  // `n` members of one group, each with a reminder due now (the session is
  // at 10:00, the clock at 08:00, the last reminder 2 hours before).
  void AllDueNow(int n) {
    AddGroup("g", Members(n));
    AddSession("s1", "g", "2026-12-01T10:00:00+00:00");
    clock_->Set(std::chrono::system_clock::time_point(T("2026-12-01T08:00:00Z")));
  }

  std::unique_ptr<Daemon> StartGated(Gate& gate, int concurrency, std::function<void()> on_progress = nullptr) {
    std::string yaml = Yaml();
    const std::string from = "  concurrency: 2\n";
    yaml.replace(yaml.find(from), from.size(),
                 "  concurrency: " + std::to_string(concurrency) + "\n  max_per_second: 1000\n");
    DaemonOptions o;
    o.clock = clock_;
    o.logger = log_.logger;
    o.instance_id = "gated";
    o.on_progress = std::move(on_progress);
    o.make_sender = [&gate](const Config& c) -> std::unique_ptr<SmsSender> {
      auto client = TwilioClient::Create(TwilioOptionsFrom(c, NullLogger()));
      if (!client.ok()) return nullptr;
      return std::make_unique<GatedSender>(std::move(*client), gate);
    };
    auto d = Daemon::Create(MakeConfig(yaml), o);
    EXPECT_OK(d);
    return std::move(*d);
  }
};

TEST_F(DispatcherTest, OneSlowRequestDoesNotHoldTheOtherWorkers) {
  // 2 workers; 120 members due at once, more than one claim takes (64). The
  // first send is held until 100 others were sent: only a pool
  // that keeps claiming while one request hangs gets there.
  AllDueNow(120);
  Gate gate(100);
  auto d = StartGated(gate, 2);
  d->scheduler().Tick();
  EXPECT_TRUE(gate.opened_by_others()) << "the held send was only let through by the safety bound";
  EXPECT_EQ(standin_.Messages().size(), 120u);
  EXPECT_EQ(TextsByNumber().size(), 120u) << "each member once";
}

TEST_F(DispatcherTest, JobsInHandStayBoundedWhateverTheBacklog) {
  // 40 due, 3 workers: never more than 2 x 3 jobs leased at once (the rest
  // stay waiting in Redis, not in memory).
  AllDueNow(40);
  Gate gate(0);  // holds nothing
  // Every send looks at how many jobs are leased right then.
  std::mutex mu;
  int leased_max = 0;
  gate.on_send = [&] {
    const int n = std::stoi(redis_->Cli({"ZCARD", p_ + "{jobs}:leases"}));
    std::lock_guard<std::mutex> lock(mu);
    leased_max = std::max(leased_max, n);
  };
  auto d = StartGated(gate, 3);
  d->scheduler().Tick();
  EXPECT_EQ(standin_.Messages().size(), 40u);
  EXPECT_GT(leased_max, 0);
  EXPECT_LE(leased_max, 6);
}

TEST_F(DispatcherTest, ClaimingStopsAfterMaxRunOnTheInjectedClock) {
  // One worker; every send takes 1 s of the test's clock. A run claims for
  // 2 s (max_run) and then finishes the jobs in hand, so the 40 texts take
  // many runs; a dispatcher that read the real clock would send them all in
  // one or two.
  AllDueNow(40);
  Gate gate(0);
  gate.on_send = [&] { clock_->Advance(std::chrono::seconds(1)); };
  std::atomic<int> progress{0};  // once after planning, once after each dispatch run
  auto d = StartGated(gate, 1, [&] { ++progress; });
  d->scheduler().Tick();
  EXPECT_EQ(TextsByNumber().size(), 40u) << "each member once";
  EXPECT_EQ(standin_.Messages().size(), 40u);
  EXPECT_GE(progress.load(), 10) << "the runs were not cut at max_run";
}

TEST_F(DispatcherTest, TheHeartbeatRenewsTheLeasesOfEveryJobInHand) {
  // One worker: one job sending, one claimed and waiting for the worker.
  // Mid-send the clock passes their lease (15 s); the heartbeat's renewal
  // keeps both ours, so no other daemon could take them.
  AllDueNow(5);
  Gate gate(0);
  auto d = StartGated(gate, 1);
  std::optional<Result<int>> renewed;
  std::string ended_before, ended_after;
  gate.on_send = [&] {
    if (renewed) return;
    clock_->Advance(std::chrono::seconds(20));
    const std::string now = std::to_string(UnixMillis(clock_->Now()));
    ended_before = redis_->Cli({"ZCOUNT", p_ + "{jobs}:leases", "-inf", now});
    renewed = d->dispatcher().RenewLeases();
    ended_after = redis_->Cli({"ZCOUNT", p_ + "{jobs}:leases", "-inf", now});
  };
  d->scheduler().Tick();
  ASSERT_TRUE(renewed.has_value());
  ASSERT_OK(*renewed);
  EXPECT_EQ(**renewed, 2) << "the job sending and the one waiting";
  EXPECT_EQ(ended_before, "2") << "both leases had ended (the request window, 10 s here, is inside the lease)";
  EXPECT_EQ(ended_after, "0");
  EXPECT_EQ(TextsByNumber().size(), 5u);
  EXPECT_EQ(standin_.Messages().size(), 5u) << "each member once";
}

TEST_F(DispatcherTest, StoppingHandsBackTheJobsNotStartedAtOnce) {
  // One worker holds two jobs: SIGTERM (Scheduler::Stop) during the first
  // send. That one is finished; the other goes straight back to the queue
  // for another daemon, without waiting out its lease.
  AllDueNow(5);
  Gate gate(0);
  auto d = StartGated(gate, 1);
  bool stopped = false;
  gate.on_send = [&] {
    if (stopped) return;
    stopped = true;
    d->scheduler().Stop();
  };
  d->scheduler().Tick();
  EXPECT_EQ(standin_.Messages().size(), 1u);
  EXPECT_EQ(redis_->Cli({"ZCARD", p_ + "{jobs}:leases"}), "0") << "nothing left leased";
  EXPECT_EQ(redis_->Cli({"ZCARD", p_ + "{jobs}:due"}), "4");
  EXPECT_NE(log_.Joined().find("1 job(s) not started handed back"), std::string::npos) << log_.Joined();
  // Another daemon, at the same moment, texts the other four.
  auto other = StartDaemon("other");
  other->scheduler().Tick();
  EXPECT_EQ(TextsByNumber().size(), 5u);
  EXPECT_EQ(standin_.Messages().size(), 5u) << "each member once";
}

}  // namespace
}  // namespace checkin
