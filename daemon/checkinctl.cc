// checkinctl: the admin command. Reads the same config as checkind (no
// Twilio secret needed) and talks to the same Redis.
//
//   checkinctl queue [--limit N] [--json]   jobs waiting and leased, next due first
//   checkinctl job JOB_ID [--json]          one job's record (state, sid, reason, ...)
//   checkinctl segments [--json]            encoding and SMS segment count of stdin
//   checkinctl forget PHONE [--json]        remove a member's data on request (privacy.h)
//
// Exit codes: 0 ok, 1 refused input or Redis error, 2 usage.
#include <CLI/CLI.hpp>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "checkin/config.h"
#include "phone.h"
#include "privacy.h"
#include "records.h"
#include "redis_store.h"
#include "segments.h"

namespace checkin {
namespace {

constexpr const char* kDefaultConfig = "/etc/checkin/checkin.yaml";

Result<std::unique_ptr<RedisStore>> OpenStore(const std::string& config_path, std::string* region = nullptr) {
  auto config = Config::Load(config_path, Config::SecretSource::Process(), /*resolve_secrets=*/false);
  if (!config.ok()) return config.status();
  if (region) *region = config->region;
  RedisStoreOptions o;
  o.redis.url = config->redis.url;
  o.redis.timeout = config->redis.timeout;
  o.redis.pool_size = 1;
  o.prefix = config->redis.prefix;
  auto store = RedisStore::Create(o);
  if (!store.ok()) return store.status();
  CHECKIN_RETURN_IF_ERROR((*store)->Ping());
  return store;
}

std::string Iso(const std::string& unix_ms) {
  if (unix_ms.empty()) return "";
  try {
    return FormatRfc3339(Instant(std::chrono::seconds(std::stoll(unix_ms) / 1000)));
  } catch (const std::exception&) {
    return unix_ms;
  }
}

int Fail(const Status& s) {
  std::cerr << "checkinctl: " << s.ToString() << "\n";
  return 1;
}

int Queue(const std::string& config_path, int limit, bool json) {
  auto store = OpenStore(config_path);
  if (!store.ok()) return Fail(store.status());
  RedisStore& st = **store;
  auto stats = st.Stats();
  if (!stats.ok()) return Fail(stats.status());
  auto next = st.client().Command({"ZRANGE", st.keys().DueQueue(), "0", std::to_string(limit - 1), "WITHSCORES"});
  if (!next.ok()) return Fail(next.status());
  nlohmann::json jobs = nlohmann::json::array();
  for (size_t i = 0; i + 1 < next->elements.size(); i += 2) {
    const std::string& id = next->elements[i].str;
    auto f = st.JobFields(id);
    if (!f.ok()) return Fail(f.status());
    jobs.push_back({{"id", id}, {"due", Iso(next->elements[i + 1].str)}, {"session", (*f)["session"]},
                    {"member", (*f)["member"]}, {"state", (*f)["state"]}, {"attempts", (*f)["attempts"]}});
  }
  if (json) {
    std::cout << nlohmann::json{{"due", stats->due}, {"leased", stats->leased}, {"next", jobs}}.dump(2) << "\n";
    return 0;
  }
  std::cout << "waiting: " << stats->due << "  leased: " << stats->leased << "\n";
  for (const auto& j : jobs) {
    std::cout << "  " << j["due"].get<std::string>() << "  " << j["id"].get<std::string>().substr(0, 12) << "  session "
              << j["session"].get<std::string>() << "  member " << j["member"].get<std::string>() << "  "
              << j["state"].get<std::string>() << "\n";
  }
  return 0;
}

int Job(const std::string& config_path, const std::string& id, bool json) {
  auto store = OpenStore(config_path);
  if (!store.ok()) return Fail(store.status());
  auto f = (*store)->JobFields(id);
  if (!f.ok()) return Fail(f.status());
  if (f->empty()) return Fail(Status::NotFound("no job " + id + " (finished jobs are kept for the retention period)"));
  for (const char* ms_field : {"lease_until", "first_sending_at", "sending_at", "finished_at", "created_at"}) {
    if (f->count(ms_field)) (*f)[ms_field] = Iso((*f)[ms_field]);
  }
  if (json) {
    std::cout << nlohmann::json(*f).dump(2) << "\n";
    return 0;
  }
  for (const auto& [k, v] : *f) std::cout << k << ": " << v << "\n";
  return 0;
}

int Forget(const std::string& config_path, const std::string& raw_phone, bool json) {
  std::string region;
  auto store = OpenStore(config_path, &region);
  if (!store.ok()) return Fail(store.status());
  auto phone = NormalizePhone(raw_phone, region);
  if (!phone.ok()) return Fail(phone.status());
  auto report = ForgetPhone(**store, *phone, region);
  if (!report.ok()) return Fail(report.status());
  if (json) {
    std::cout << nlohmann::json{{"phone", MaskPhone(*phone)},
                                {"members", report->members},
                                {"group_memberships", report->group_memberships},
                                {"answers", report->answers},
                                {"jobs", report->jobs},
                                {"inbox_entries", report->inbox_entries},
                                {"other_keys", report->other_keys}}
                     .dump(2)
              << "\n";
    return 0;
  }
  std::cout << "forgot " << MaskPhone(*phone) << ": " << report->members.size() << " member record(s)";
  for (const auto& id : report->members) std::cout << " " << id;
  std::cout << ", " << report->group_memberships << " group membership(s), " << report->answers << " answer(s), "
            << report->jobs << " job(s), " << report->inbox_entries << " inbox entr"
            << (report->inbox_entries == 1 ? "y" : "ies") << ", " << report->other_keys << " other key(s)\n";
  return 0;
}

int Segments(bool json) {
  std::string text((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  const SegmentInfo info = CountSegments(text);
  if (json) {
    std::cout << nlohmann::json{{"encoding", EncodingName(info.encoding)}, {"segments", info.segments},
                                {"characters", info.characters}}
                     .dump()
              << "\n";
  } else {
    std::cout << EncodingName(info.encoding) << ", " << info.characters << " characters, " << info.segments
              << " segment" << (info.segments == 1 ? "" : "s") << "\n";
  }
  return 0;
}

}  // namespace
}  // namespace checkin

int main(int argc, char** argv) {
  CLI::App app{"checkinctl: look at checkin's reminder queue, check message texts, forget a member on request."};
  app.require_subcommand(1);
  std::string config = checkin::kDefaultConfig;
  bool json = false;
  app.add_option("-c,--config", config, "config file (Redis URL and key prefix)")->default_str(config);
  app.add_flag("--json", json, "print JSON");

  int limit = 20;
  auto* queue = app.add_subcommand("queue", "jobs waiting and leased, next due first");
  queue->add_option("--limit", limit, "how many upcoming jobs to list")->check(CLI::Range(1, 10000));
  queue->add_flag("--json", json, "print JSON");

  std::string job_id;
  auto* job = app.add_subcommand("job", "one job's record: state, attempts, sid, reason");
  job->add_option("JOB_ID", job_id, "job id (from checkinctl queue)")->required();
  job->add_flag("--json", json, "print JSON");

  auto* segments = app.add_subcommand("segments", "encoding (GSM-7 or UCS-2) and SMS segments of the text on stdin");
  segments->add_flag("--json", json, "print JSON");

  std::string forget_phone;
  auto* forget = app.add_subcommand(
      "forget", "remove everything checkin holds about the member(s) with this phone number (privacy request)");
  forget->add_option("PHONE", forget_phone, "the number, E.164 or national (read in the config's region)")->required();
  forget->add_flag("--json", json, "print JSON");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  try {
    if (*queue) return checkin::Queue(config, limit, json);
    if (*job) return checkin::Job(config, job_id, json);
    if (*segments) return checkin::Segments(json);
    if (*forget) return checkin::Forget(config, forget_phone, json);
  } catch (const std::exception& e) {
    std::cerr << "checkinctl: fatal: " << e.what() << "\n";
    return 1;
  }
  return 2;
}
