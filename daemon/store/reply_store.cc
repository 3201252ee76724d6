#include "store/reply_store.h"

#include "store/delivery_status.h"
#include "store/lua_scripts.h"

namespace checkin {
namespace {

std::string Seconds(std::chrono::seconds d) { return std::to_string(d.count()); }

}  // namespace

RedisReplyStore::RedisReplyStore(RedisStore& store, RedisReplyStoreOptions options)
    : client_(store.client()), keys_(store.keys()), options_(options) {}

Result<std::vector<std::string>> RedisReplyStore::MembersAtPhone(const std::string& phone) {
  auto r = client_.Command({"SMEMBERS", keys_.Phone(phone)});
  if (!r.ok()) return KeyError(client_, r.status(), keys_.Phone(phone), "set");
  std::vector<std::string> out;
  for (const auto& e : r->elements) out.push_back(e.str);
  return out;
}

Status RedisReplyStore::ForgetMemberAtPhone(const std::string& phone, const std::string& member_id) {
  auto r = client_.Command({"SREM", keys_.Phone(phone), member_id});
  return r.ok() ? Status::OK() : r.status();
}

Result<std::vector<std::pair<std::string, Instant>>> RedisReplyStore::RemindedSessions(const std::string& member_id,
                                                                                       int limit) {
  const std::string key = keys_.Reminded(member_id);
  auto r = client_.Command({"ZREVRANGE", key, "0", std::to_string(limit - 1), "WITHSCORES"});
  if (!r.ok()) return KeyError(client_, r.status(), key, "sorted set");
  std::vector<std::pair<std::string, Instant>> out;
  for (size_t i = 0; i + 1 < r->elements.size(); i += 2) {
    int64_t at = 0;
    try {
      at = static_cast<int64_t>(std::stod(r->elements[i + 1].str));
    } catch (const std::exception&) {
      continue;  // Redis scores are always numbers; defensive only
    }
    out.emplace_back(r->elements[i].str, Instant(std::chrono::seconds(at)));
  }
  return out;
}

Result<MessageClaim> RedisReplyStore::ClaimMessage(const std::string& message_sid) {
  const std::string key = keys_.ReplySeen(message_sid);
  // "" marks a claim in progress; a finished one holds the answer ("" is
  // never a finished answer: an empty TwiML is "<Response/>").
  auto r = client_.Pipeline({{"SET", key, "", "NX", "PX", std::to_string(options_.claim_hold.count())},
                             {"GET", key}});
  if (!r.ok()) return r.status().WithContext(key);
  MessageClaim claim;
  if (!(*r)[0].is_nil()) return claim;  // OK: ours
  const RedisReply& current = (*r)[1];
  if (current.is_nil()) return claim;  // expired between the two: ours to retry safely
  claim.kind = current.str.empty() ? MessageClaim::Kind::kInProgress : MessageClaim::Kind::kDone;
  claim.answer = current.str;
  return claim;
}

Status RedisReplyStore::FinishMessage(const std::string& message_sid, const std::string& answer) {
  auto r = client_.Command({"SET", keys_.ReplySeen(message_sid), answer, "EX", Seconds(options_.dedupe_for)});
  return r.ok() ? Status::OK() : r.status();
}

Status RedisReplyStore::ReleaseMessage(const std::string& message_sid) {
  auto r = client_.Command({"DEL", keys_.ReplySeen(message_sid)});
  return r.ok() ? Status::OK() : r.status();
}

Status RedisReplyStore::SetRsvp(const std::string& session_id, const std::string& member_id,
                                const std::string& intent, Instant expire_at) {
  const std::string key = keys_.SessionRsvp(session_id);
  auto r = client_.Pipeline({{"HSET", key, member_id, intent},
                             {"EXPIREAT", key, std::to_string(expire_at.time_since_epoch().count())}});
  return r.ok() ? Status::OK() : KeyError(client_, r.status(), key, "hash");
}

Status RedisReplyStore::AppendInbox(const InboxEntry& e) {
  auto r = client_.Command({"XADD", keys_.Inbox(), "MAXLEN", "~", std::to_string(options_.inbox_max_entries), "*",
                            "member", e.member, "group", e.group, "session", e.session, "body", e.body,
                            "received_at", e.received_at, "from", e.from, "reason", e.reason});
  return r.ok() ? Status::OK() : KeyError(client_, r.status(), keys_.Inbox(), "stream");
}

Result<std::vector<InboxEntry>> RedisReplyStore::RecentInbox(int limit) {
  auto r = client_.Command({"XREVRANGE", keys_.Inbox(), "+", "-", "COUNT", std::to_string(limit)});
  if (!r.ok()) return KeyError(client_, r.status(), keys_.Inbox(), "stream");
  std::vector<InboxEntry> out;
  for (const auto& item : r->elements) {
    if (item.elements.size() != 2) continue;
    FieldMap f = PairsToMap(item.elements[1]);
    InboxEntry e;
    e.id = item.elements[0].str;
    e.member = f["member"];
    e.group = f["group"];
    e.session = f["session"];
    e.body = f["body"];
    e.from = f["from"];
    e.reason = f["reason"];
    e.received_at = f["received_at"];
    out.push_back(std::move(e));
  }
  return out;
}

Result<int> RedisReplyStore::CancelMemberJobs(const std::string& member_id, const std::string& reason, Millis now) {
  auto r = client_.Eval(lua::cancel_jobs(), {keys_.MemberJobs(member_id), keys_.DueQueue()},
                        {keys_.JobPrefix(), reason, std::to_string(now), Seconds(options_.retention)});
  if (!r.ok()) return r.status();
  return static_cast<int>(r->integer);
}

Result<int> RedisReplyStore::RecordDeliveryStatus(const std::string& sid, const std::string& status, int error_code,
                                                  const std::string& meaning, Millis now) {
  const int rank = DeliveryStatusRank(status);
  if (rank == 0) return 0;
  auto r = client_.Eval(lua::delivery_status(), {keys_.SidJob(sid), keys_.EarlyStatus(sid)},
                        {keys_.JobPrefix(), status, std::to_string(rank), std::to_string(error_code),
                         meaning.empty() && error_code != 0 ? std::to_string(error_code) + " (unknown code)" : meaning,
                         std::to_string(now), "86400"});
  if (!r.ok()) return r.status();
  return static_cast<int>(r->integer);
}

}  // namespace checkin
