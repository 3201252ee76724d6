#include "store/redis_store.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "store/lua_scripts.h"

namespace checkin {
namespace {

std::string RetentionSeconds(std::chrono::seconds retention) { return std::to_string(retention.count()); }

std::vector<std::string> Strings(const RedisReply& reply) {
  std::vector<std::string> out;
  out.reserve(reply.elements.size());
  for (const auto& e : reply.elements) out.push_back(e.str);
  return out;
}

// A WITHSCORES reply (member, score, member, score, ...) as pairs.
std::vector<std::pair<std::string, double>> ScoredMembers(const RedisReply& reply) {
  std::vector<std::pair<std::string, double>> out;
  for (size_t i = 0; i + 1 < reply.elements.size(); i += 2) {
    try {
      out.emplace_back(reply.elements[i].str, std::stod(reply.elements[i + 1].str));
    } catch (const std::exception&) {
      continue;  // Redis scores are always numbers; defensive only
    }
  }
  return out;
}

std::vector<std::string> SplitCommas(const std::string& s) {
  std::vector<std::string> out;
  std::string item;
  std::istringstream in(s);
  while (std::getline(in, item, ',')) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

}  // namespace

Status KeyError(RedisClient& client, const Status& error, const std::string& key, const std::string& expected) {
  if (!IsRedisWrongType(error)) return error.WithContext(key);
  auto type = client.Command({"TYPE", key});
  std::string actual = type.ok() && !type->str.empty() ? type->str : "value of another type";
  if (actual == "zset") actual = "sorted set";
  return WrongTypeError(key, actual, expected);
}

RedisStore::RedisStore(RedisStoreOptions options, std::unique_ptr<RedisClient> client)
    : options_(std::move(options)), keys_(options_.prefix), client_(std::move(client)) {}

Result<std::unique_ptr<RedisStore>> RedisStore::Create(RedisStoreOptions options) {
  auto client = RedisClient::Create(options.redis);
  if (!client.ok()) return client.status();
  return std::unique_ptr<RedisStore>(new RedisStore(std::move(options), std::move(*client)));
}

Result<FieldMap> RedisStore::HashFields(const std::string& key) {
  auto r = client_->Command({"HGETALL", key});
  if (!r.ok()) return KeyError(*client_, r.status(), key, "hash");
  return PairsToMap(*r);
}

Result<std::vector<std::string>> RedisStore::SetMembers(const std::string& key) {
  auto r = client_->Command({"SMEMBERS", key});
  if (!r.ok()) return KeyError(*client_, r.status(), key, "set");
  return Strings(*r);
}

Result<std::vector<std::pair<std::string, Instant>>> RedisStore::SessionsStartingBetween(Instant from, Instant to) {
  auto r = client_->Command({"ZRANGEBYSCORE", keys_.Sessions(), std::to_string(from.time_since_epoch().count()),
                             std::to_string(to.time_since_epoch().count()), "WITHSCORES"});
  if (!r.ok()) return KeyError(*client_, r.status(), keys_.Sessions(), "sorted set");
  std::vector<std::pair<std::string, Instant>> out;
  for (const auto& [id, score] : ScoredMembers(*r)) {
    out.emplace_back(id, Instant(std::chrono::seconds(static_cast<int64_t>(score))));
  }
  return out;
}

Result<std::vector<std::string>> RedisStore::ScheduleIds() { return SetMembers(keys_.Schedules()); }
Result<bool> RedisStore::ScheduleListed(const std::string& schedule_id) {
  auto r = client_->Command({"SISMEMBER", keys_.Schedules(), schedule_id});
  if (!r.ok()) return KeyError(*client_, r.status(), keys_.Schedules(), "set");
  return r->integer == 1;
}
Result<std::vector<std::string>> RedisStore::GroupMemberIds(const std::string& group_id) {
  return SetMembers(keys_.GroupMembers(group_id));
}
Result<FieldMap> RedisStore::SessionFields(const std::string& id) { return HashFields(keys_.Session(id)); }
Result<FieldMap> RedisStore::GroupFields(const std::string& id) { return HashFields(keys_.Group(id)); }
Result<FieldMap> RedisStore::MemberFields(const std::string& id) { return HashFields(keys_.Member(id)); }
Result<FieldMap> RedisStore::ScheduleFields(const std::string& id) { return HashFields(keys_.Schedule(id)); }

Result<std::map<std::string, Result<FieldMap>>> RedisStore::MembersFields(const std::vector<std::string>& ids) {
  std::map<std::string, Result<FieldMap>> out;
  if (ids.empty()) return out;
  std::vector<std::vector<std::string>> cmds;
  cmds.reserve(ids.size());
  for (const auto& id : ids) cmds.push_back({"HGETALL", keys_.Member(id)});
  auto replies = client_->PipelineEach(cmds);
  if (!replies.ok()) return replies.status().WithContext("members");
  for (size_t i = 0; i < ids.size(); ++i) {
    const Result<RedisReply>& r = (*replies)[i];
    out.emplace(ids[i], r.ok() ? Result<FieldMap>(PairsToMap(*r))
                               : Result<FieldMap>(KeyError(*client_, r.status(), keys_.Member(ids[i]), "hash")));
  }
  return out;
}

Result<std::optional<std::string>> RedisStore::Rsvp(const std::string& session_id, const std::string& member_id) {
  auto r = client_->Command({"HGET", keys_.SessionRsvp(session_id), member_id});
  if (!r.ok()) return KeyError(*client_, r.status(), keys_.SessionRsvp(session_id), "hash");
  if (r->is_nil()) return std::optional<std::string>();
  return std::optional<std::string>(r->str);
}

Result<FieldMap> RedisStore::Rsvps(const std::string& session_id) {
  auto r = client_->Command({"HGETALL", keys_.SessionRsvp(session_id)});
  if (!r.ok()) return KeyError(*client_, r.status(), keys_.SessionRsvp(session_id), "hash");
  return PairsToMap(*r);
}

Result<std::vector<std::string>> RedisStore::Attended(const std::string& session_id) {
  const std::string key = keys_.SessionAttended(session_id);
  auto r = client_->Command({"SMEMBERS", key});
  if (!r.ok()) return KeyError(*client_, r.status(), key, "set");
  std::vector<std::string> ids;
  for (const auto& e : r->elements) ids.push_back(e.str);
  std::sort(ids.begin(), ids.end());
  return ids;
}

Result<int> RedisStore::MarkAttended(const std::string& session_id, const std::vector<std::string>& member_ids,
                                     bool came, Instant expire_at) {
  if (member_ids.empty()) return 0;
  const std::string key = keys_.SessionAttended(session_id);
  std::vector<std::string> change = {came ? "SADD" : "SREM", key};
  change.insert(change.end(), member_ids.begin(), member_ids.end());
  auto r = client_->Pipeline({change, {"EXPIREAT", key, std::to_string(expire_at.time_since_epoch().count())}});
  if (!r.ok()) return KeyError(*client_, r.status(), key, "set");
  return static_cast<int>((*r)[0].integer);
}

Status RedisStore::SetOptedOut(const std::string& member_id, bool opted_out) {
  auto r = client_->Command({"HSET", keys_.Member(member_id), "opted_out", opted_out ? "1" : "0"});
  return r.ok() ? Status::OK() : KeyError(*client_, r.status(), keys_.Member(member_id), "hash");
}

std::vector<std::vector<std::string>> RedisStore::NoteCommands(const ReminderNote& n) const {
  const std::string key = keys_.Reminded(n.member_id);
  const std::string phone_key = keys_.Phone(n.phone);
  const std::string ttl =
      std::to_string(std::chrono::duration_cast<std::chrono::seconds>(options_.job_retention).count());
  return {{"ZADD", key, std::to_string(n.at.time_since_epoch().count()), n.session_id},
          {"EXPIRE", key, ttl},
          {"SADD", phone_key, n.member_id},
          {"EXPIRE", phone_key, ttl}};
}

Status RedisStore::NoteReminded(const std::string& member_id, const std::string& phone, const std::string& session_id,
                                Instant at) {
  auto r = client_->Pipeline(NoteCommands({member_id, phone, session_id, at}));
  return r.ok() ? Status::OK() : r.status().WithContext(keys_.Reminded(member_id));
}

Status RedisStore::MarkSessionCancelled(const std::string& session_id) {
  auto r = client_->Command({"HSET", keys_.Session(session_id), "status", "cancelled"});
  return r.ok() ? Status::OK() : KeyError(*client_, r.status(), keys_.Session(session_id), "hash");
}

Result<SendReads> RedisStore::ReadForSend(const std::string& member_id, const std::string& session_id) {
  const std::string member_key = keys_.Member(member_id);
  const std::string session_key = keys_.Session(session_id);
  const std::string rsvp_key = keys_.SessionRsvp(session_id);
  auto r = client_->PipelineEach({{"HGETALL", member_key}, {"HGETALL", session_key}, {"HGET", rsvp_key, member_id}});
  if (!r.ok()) return r.status().WithContext(member_key);
  SendReads out;
  if ((*r)[0].ok()) out.member = PairsToMap(*(*r)[0]);
  else out.member_error = KeyError(*client_, (*r)[0].status(), member_key, "hash");
  if ((*r)[1].ok()) out.session = PairsToMap(*(*r)[1]);
  else out.session_error = KeyError(*client_, (*r)[1].status(), session_key, "hash");
  if (!(*r)[2].ok()) out.rsvp_error = KeyError(*client_, (*r)[2].status(), rsvp_key, "hash");
  else if (!(*r)[2]->is_nil()) out.rsvp = (*r)[2]->str;
  for (const Status* e : {&out.member_error, &out.session_error, &out.rsvp_error}) {
    if (e->IsUnavailable()) return *e;  // the TYPE lookup found Redis gone
  }
  return out;
}

Result<int> RedisStore::CreateJobs(const std::vector<JobSpec>& jobs, Millis now) {
  if (jobs.empty()) return 0;
  std::vector<std::string> keys = {keys_.DueQueue()};
  std::vector<std::string> args = {keys_.QueuePrefix(), RetentionSeconds(options_.job_retention)};
  for (const auto& job : jobs) {
    const FieldMap f = JobSpecToFields(job, now);
    keys.push_back(keys_.Job(job.id));
    args.push_back(job.id);
    args.push_back(std::to_string(UnixMillis(job.due_at)));
    // A member's own texts are cancelled when she opts out; a session's
    // reminders, follow-ups and digest when it is cancelled.
    args.push_back(IsMemberJob(job.kind) ? job.member_id : "");
    const bool session_indexed = !IsFixedTextJob(job.kind) && job.kind != JobKind::kCancelled;
    args.push_back(session_indexed ? job.session_id : "");
    args.push_back(std::to_string(f.size()));
    for (const auto& [k, v] : f) {
      args.push_back(k);
      args.push_back(v);
    }
  }
  auto r = client_->Eval(lua::create_jobs(), keys, args);
  if (!r.ok()) return r.status();
  return static_cast<int>(r->integer);
}

Result<CancelledSessionJobs> RedisStore::CancelSessionJobs(const std::string& session_id, const std::string& reason,
                                                           Millis now) {
  auto r = client_->Eval(lua::cancel_session_jobs(), {keys_.SessionJobs(session_id), keys_.DueQueue()},
                         {keys_.QueuePrefix(), reason, std::to_string(now), RetentionSeconds(options_.job_retention)});
  if (!r.ok()) return r.status().WithContext(keys_.SessionJobs(session_id));
  CancelledSessionJobs out;
  if (r->elements.empty()) return Status::Internal("cancel_session_jobs.lua: empty reply");
  out.dropped = static_cast<int>(r->elements[0].integer);
  for (size_t i = 1; i < r->elements.size(); ++i) out.reminded.push_back(r->elements[i].str);
  return out;
}

Result<std::map<std::string, int>> RedisStore::DropRemovedScheduleJobs(const std::vector<std::string>& schedule_ids,
                                                                       const std::string& reason, Millis now) {
  std::vector<std::string> args = {keys_.QueuePrefix(), reason, std::to_string(now),
                                   RetentionSeconds(options_.job_retention)};
  args.insert(args.end(), schedule_ids.begin(), schedule_ids.end());
  auto r = client_->Eval(lua::drop_schedule_jobs(), {keys_.PlannedSchedules(), keys_.DueQueue()}, args);
  if (!r.ok()) return r.status().WithContext(keys_.PlannedSchedules());
  std::map<std::string, int> dropped;
  for (size_t i = 0; i + 1 < r->elements.size(); i += 2) {
    dropped[r->elements[i].str] = static_cast<int>(r->elements[i + 1].integer);
  }
  return dropped;
}

Result<std::vector<ClaimedJob>> RedisStore::ClaimDueJobs(Millis now, Millis lease, const std::string& owner,
                                                         int limit) {
  auto r = client_->Eval(lua::claim_due(), {keys_.DueQueue(), keys_.Leases(), keys_.AccountPause()},
                         {std::to_string(now), std::to_string(lease), owner, std::to_string(limit),
                          keys_.JobPrefix()});
  if (!r.ok()) return r.status();
  std::vector<ClaimedJob> out;
  for (size_t i = 1; i < r->elements.size(); ++i) {
    const RedisReply& item = r->elements[i];
    if (item.elements.size() != 2) continue;
    const std::string& id = item.elements[0].str;
    FieldMap f = PairsToMap(item.elements[1]);
    auto spec = JobSpecFromFields(id, f);
    ClaimedJob job;
    if (spec.ok()) {
      job.spec = std::move(*spec);
    } else {
      job.spec.id = id;  // the dispatcher finishes it as failed with this reason
    }
    job.attempts = static_cast<int>(FieldInt(f, "attempts"));
    job.in_doubt = FieldInt(f, "in_doubt") == 1;
    job.first_sending_at = FieldInt(f, "first_sending_at");
    job.last_sending_at = FieldInt(f, "sending_at", job.first_sending_at);
    job.doubt_bodies = SplitCommas(f["doubt_bodies"]);
    job.lease_until = FieldInt(f, "lease_until");
    out.push_back(std::move(job));
  }
  return out;
}

Result<MarkSendingResult> RedisStore::MarkSending(const std::string& job_id, const std::string& owner, Millis now,
                                                  Millis request_window, const std::string& body_sha256,
                                                  const std::optional<ReminderNote>& note) {
  const std::vector<std::string> keys = {keys_.Job(job_id), keys_.AccountPause(), keys_.Leases()};
  const std::vector<std::string> args = {owner, std::to_string(now), std::to_string(request_window), body_sha256,
                                         job_id};
  // The note goes in the same round trip (idempotent, so a NOSCRIPT resend is safe).
  auto r = client_->EvalThen(lua::mark_sending(), keys, args,
                             note ? NoteCommands(*note) : std::vector<std::vector<std::string>>{});
  if (!r.ok()) return r.status();
  switch ((*r)[0].integer) {
    case 1: return MarkSendingResult::kMarked;
    case 2: return MarkSendingResult::kPaused;
    default: return MarkSendingResult::kLeaseLost;
  }
}

Result<int> RedisStore::EvalOverJobIds(const RedisScript& script, const std::vector<std::string>& keys,
                                       std::vector<std::string> args, const std::vector<std::string>& job_ids) {
  if (job_ids.empty()) return 0;
  args.insert(args.end(), job_ids.begin(), job_ids.end());
  auto r = client_->Eval(script, keys, args);
  if (!r.ok()) return r.status();
  return static_cast<int>(r->integer);
}

Result<int> RedisStore::RenewLeases(const std::vector<std::string>& job_ids, const std::string& owner, Millis now,
                                    Millis lease) {
  return EvalOverJobIds(lua::renew_leases(), {keys_.Leases(), keys_.AccountPause()},
                        {owner, std::to_string(now), std::to_string(lease), keys_.JobPrefix()}, job_ids);
}

Result<int> RedisStore::ReleaseJobs(const std::vector<std::string>& job_ids, const std::string& owner) {
  return EvalOverJobIds(lua::release_jobs(), {keys_.DueQueue(), keys_.Leases(), keys_.AccountPause()},
                        {owner, keys_.JobPrefix()}, job_ids);
}

Result<bool> RedisStore::FinishJob(const std::string& job_id, const std::string& owner, const JobOutcome& outcome,
                                   Millis now) {
  const bool unsent = outcome.kind == JobOutcome::Kind::kRetry && outcome.not_attempted;
  std::vector<std::string> args = {
      owner, job_id, unsent ? "unsent" : OutcomeName(outcome.kind), std::to_string(outcome.next_due),
      RetentionSeconds(options_.job_retention), keys_.QueuePrefix()};
  for (auto& f : OutcomeFields(outcome, now)) args.push_back(std::move(f));
  auto r = client_->Eval(lua::finish_job(), {keys_.Job(job_id), keys_.Leases(), keys_.DueQueue(), keys_.AccountPause()},
                         args);
  if (!r.ok()) return r.status();
  return r->integer == 1;
}

Result<FieldMap> RedisStore::JobFields(const std::string& job_id) { return HashFields(keys_.Job(job_id)); }

namespace {
std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}
}  // namespace

Result<Millis> RedisStore::RateLimit(const char* mode, const std::string& amount, double per_second, Millis now) {
  // The bucket holds one second's worth of sends, and at least one.
  const double burst = std::max(1.0, per_second);
  auto r = client_->Eval(lua::rate_limit(), {keys_.RateBucket()},
                         {std::to_string(now), Num(per_second), Num(burst), mode, amount});
  if (!r.ok()) return r.status();
  return static_cast<Millis>(r->integer);
}

Result<Millis> RedisStore::TakeSendTokens(double cost, double per_second, Millis now) {
  return RateLimit("take", Num(cost), per_second, now);
}

Status RedisStore::BorrowSendTokens(double cost, double per_second, Millis now) {
  return RateLimit("borrow", Num(cost), per_second, now).status();
}

Status RedisStore::PauseSending(Millis pause, double per_second, Millis now) {
  return RateLimit("pause", std::to_string(pause), per_second, now).status();
}

namespace {

AccountPause AccountPauseFromFields(const FieldMap& f) {
  AccountPause p;
  p.error_code = static_cast<int>(FieldInt(f, "code"));
  if (auto it = f.find("reason"); it != f.end()) p.reason = it->second;
  if (auto it = f.find("by"); it != f.end()) p.by = it->second;
  if (auto it = f.find("probe_job"); it != f.end()) p.probe_job = it->second;
  p.since = FieldInt(f, "since");
  p.until = FieldInt(f, "until");
  p.length = FieldInt(f, "length");
  p.errors = static_cast<int>(FieldInt(f, "errors"));
  p.probe_until = FieldInt(f, "probe_until");
  return p;
}

}  // namespace

Result<AccountPause> RedisStore::PauseForAccountError(const std::string& job_id, int error_code,
                                                      const std::string& reason, Millis first, Millis max, Millis now,
                                                      const std::string& owner) {
  auto r = client_->Eval(lua::account_pause(), {keys_.AccountPause()},
                         {std::to_string(now), job_id, std::to_string(error_code), reason, std::to_string(first),
                          std::to_string(std::max(first, max)), owner});
  if (!r.ok()) return r.status().WithContext(keys_.AccountPause());
  return AccountPauseFromFields(PairsToMap(*r));
}

Result<std::optional<AccountPause>> RedisStore::CurrentAccountPause() {
  auto f = HashFields(keys_.AccountPause());
  if (!f.ok()) return f.status();
  if (f->find("until") == f->end()) return std::optional<AccountPause>();
  return std::optional<AccountPause>(AccountPauseFromFields(*f));
}

Result<bool> RedisStore::LiftAccountPause(Millis now) {
  auto r = client_->Eval(lua::lift_account_pause(), {keys_.AccountPause()}, {std::to_string(now)});
  if (!r.ok()) return r.status().WithContext(keys_.AccountPause());
  return r->integer > 0;
}

Result<QueueStats> RedisStore::Stats() {
  auto r = client_->Pipeline({{"ZCARD", keys_.DueQueue()}, {"ZCARD", keys_.Leases()}});
  if (!r.ok()) return r.status();
  QueueStats s;
  s.due = (*r)[0].integer;
  s.leased = (*r)[1].integer;
  return s;
}

Result<std::vector<WaitingJob>> RedisStore::NextDueJobs(int limit) {
  auto r = client_->Command({"ZRANGE", keys_.DueQueue(), "0", std::to_string(limit - 1), "WITHSCORES"});
  if (!r.ok()) return r.status();
  std::vector<WaitingJob> out;
  for (const auto& [id, due] : ScoredMembers(*r)) out.push_back({id, static_cast<Millis>(due)});
  return out;
}

Status RedisStore::Ping() { return client_->Ping(); }

}  // namespace checkin
