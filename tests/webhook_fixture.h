// WebhookFixture: a checkind Daemon with its HTTP listener on a free
// loopback port (DaemonFixture's redis-server, stand-in, clock and log), a
// group "g" with Amy and Bea and a session s1, and helpers that post texts
// and status callbacks signed exactly as Twilio signs them
// (twilio_signature.h) over the configured public URL. Used by
// replies_test.cc and hostile_clients_test.cc.
#ifndef CHECKIN_TESTS_WEBHOOK_FIXTURE_H_
#define CHECKIN_TESTS_WEBHOOK_FIXTURE_H_

#include <httplib.h>

#include <memory>
#include <string>

#include "daemon_fixture.h"
#include "twilio/form_body.h"
#include "twilio/twilio_signature.h"

namespace checkin {

inline constexpr const char* kPublicUrl = "https://reminders.example.org";
inline constexpr const char* kAmy = "+447700900123";

class WebhookFixture : public DaemonFixture {
 protected:
  void SetUp() override {
    DaemonFixture::SetUp();
    clock_->Set(std::chrono::system_clock::time_point(T("2026-12-01T08:00:00Z")));
    AddGroup("g", {{"amy", kAmy}, {"bea", "+447700900456"}});
    Cli({"HSET", p_ + "group:g", "coordinator_phone", "+447700900999"});
    Cli({"HSET", p_ + "member:amy", "name", "Amy"});
    AddSession("s1", "g", "2026-12-01T10:00:00+00:00");
    DaemonOptions o;
    o.clock = clock_;
    o.logger = log_.logger;
    o.instance_id = "d1";
    o.listen = "127.0.0.1:0";
    std::string yaml = Yaml();
    yaml.replace(yaml.find("http:\n"), 6, "http:\n" + HttpYaml());
    auto d = Daemon::Create(MakeConfig(yaml), o);
    ASSERT_OK(d);
    daemon_ = std::move(*d);
    ASSERT_OK(daemon_->StartListener());
    http_ = std::make_unique<httplib::Client>("127.0.0.1", daemon_->listener_port());
  }

  // More http.* keys, each line "  key: value\n".
  virtual std::string HttpYaml() const { return ""; }

  // A MessageSid as Twilio makes them: "SM" + 32 hex digits, fresh each time.
  std::string NewSid() {
    const std::string n = std::to_string(++next_sid_);
    return "SM" + std::string(32 - n.size(), '0') + n;
  }
  // The parameters Twilio sends with every inbound text (and no others).
  FormParams TextParams(const std::string& body, const std::string& from, const std::string& sid) const {
    return {{"MessageSid", sid}, {"AccountSid", standin_.account_sid()}, {"From", from},
            {"To", "+447700900000"}, {"Body", body}, {"NumMedia", "0"}};
  }

  // Reminds Amy of s1 as the dispatcher does when it sends.
  void Remind(const std::string& member, const std::string& phone, const std::string& session, const char* at) {
    ASSERT_OK(daemon_->store().NoteReminded(member, phone, session, T(at)));
  }

  httplib::Result Post(const std::string& path, const FormParams& params, const std::string& signature) {
    httplib::Headers headers;
    if (!signature.empty()) headers.emplace("X-Twilio-Signature", signature);
    return http_->Post(path.c_str(), headers, FormEncode(params), "application/x-www-form-urlencoded");
  }
  httplib::Result PostSigned(const std::string& path, const FormParams& params) {
    return Post(path, params, ComputeTwilioSignature(standin_.auth_token(), kPublicUrl + path, params));
  }
  httplib::Result Text(const std::string& body, const std::string& from = kAmy, std::string sid = "") {
    if (sid.empty()) sid = NewSid();
    return PostSigned("/twilio/sms", TextParams(body, from, sid));
  }

  std::string Rsvp(const std::string& session, const std::string& member) {
    return redis_->Cli({"HGET", p_ + "session:" + session + ":rsvp", member});
  }
  std::string InboxDump() { return redis_->Cli({"XRANGE", p_ + "inbox", "-", "+"}); }
  int InboxLength() { return std::stoi(redis_->Cli({"XLEN", p_ + "inbox"})); }

  std::unique_ptr<Daemon> daemon_;
  std::unique_ptr<httplib::Client> http_;
  int next_sid_ = 0;
};

}  // namespace checkin

#endif  // CHECKIN_TESTS_WEBHOOK_FIXTURE_H_
