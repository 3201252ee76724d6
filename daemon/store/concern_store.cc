// Safeguarding concerns in Redis (see concern_store.h).
#include "store/concern_store.h"

#include <algorithm>

#include "base/sha256.h"
#include "store/lua_scripts.h"
#include "store/redis_store.h"  // KeyError

namespace checkin {

namespace {

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ",") + s;
  return out;
}

std::vector<std::string> Split(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    const std::string item = text.substr(start, end - start);
    if (!item.empty() && std::find(out.begin(), out.end(), item) == out.end()) out.push_back(item);
    start = end + 1;
  }
  return out;
}

Concern FromFields(const std::string& id, FieldMap f) {
  Concern c;
  c.id = id;
  c.member = f["member"];
  c.name = f["name"];
  c.phone = f["phone"];
  c.group = f["group"];
  c.session = f["session"];
  c.body = f["body"];
  c.language = f["language"];
  c.received_at = f["received_at"];
  c.raised_at = f["raised_at"].empty() ? 0 : std::stoll(f["raised_at"]);
  c.contacts = Split(f["contacts"]);
  c.state = f["state"];
  c.alerted = Split(f["alerted"]);
  c.acknowledged_by = f["acknowledged_by"];
  c.acknowledged_at = f["acknowledged_at"];
  return c;
}

}  // namespace

std::string ConcernIdFor(const std::string& message_sid) { return Sha256Hex("concern:" + message_sid).substr(0, 16); }

ConcernStore::ConcernStore(RedisStore& store) : client_(store.client()), prefix_(store.keys().prefix()) {}

Result<bool> ConcernStore::Raise(const Concern& c) {
  const std::string key = StateKey(c.id);
  auto fresh = client_.Pipeline({{"HSETNX", key, "state", "raised"}, {"HGET", key, "stream_id"}});
  if (!fresh.ok()) return fresh.status().WithContext(key);
  // Recorded before, unless an earlier attempt stopped half-way (no stream id yet).
  if ((*fresh)[0].integer == 0 && !(*fresh)[1].is_nil()) return false;
  const std::string raised_at = std::to_string(c.raised_at);
  auto r = client_.Pipeline({
      {"HSET", key, "member", c.member, "name", c.name, "phone", c.phone, "group", c.group, "session", c.session,
       "body", c.body, "language", c.language, "received_at", c.received_at, "raised_at", raised_at, "contacts",
       Join(c.contacts), "alerted", ""},
      {"XADD", StreamKey(), "*", "concern", c.id, "member", c.member, "phone", c.phone, "group", c.group, "session",
       c.session, "body", c.body, "language", c.language, "received_at", c.received_at},
      {"ZADD", OpenKey(), raised_at, c.id},
  });
  if (!r.ok()) return r.status().WithContext(key);
  auto id = client_.Command({"HSET", key, "stream_id", (*r)[1].str});
  if (!id.ok()) return id.status().WithContext(key);
  return true;
}

Result<std::optional<Concern>> ConcernStore::Get(const std::string& id) {
  auto r = client_.Command({"HGETALL", StateKey(id)});
  if (!r.ok()) return KeyError(client_, r.status(), StateKey(id), "hash");
  FieldMap f = PairsToMap(*r);
  if (f.empty()) return std::optional<Concern>();
  return std::optional<Concern>(FromFields(id, std::move(f)));
}

Result<std::vector<std::string>> ConcernStore::DueForEscalation(Millis now, int limit) {
  auto r = client_.Command({"ZRANGEBYSCORE", OpenKey(), "-inf", std::to_string(now), "LIMIT", "0",
                            std::to_string(limit)});
  if (!r.ok()) return r.status().WithContext(OpenKey());
  std::vector<std::string> ids;
  for (const RedisReply& e : r->elements) ids.push_back(e.str);
  return ids;
}

Status ConcernStore::SetNextAlert(const std::string& id, std::optional<Millis> at) {
  // An exhausted ladder leaves the concern open (listed, counted) but parks
  // it far in the future so escalation passes no longer pick it up.
  constexpr Millis kNever = 253402300799000;  // 9999-12-31
  auto r = client_.Command({"ZADD", OpenKey(), "XX", std::to_string(at.value_or(kNever)), id});
  return r.ok() ? Status::OK() : r.status().WithContext(OpenKey());
}

Status ConcernStore::NoteAlerted(const std::string& id, const std::string& contact, Millis at) {
  auto r = client_.Eval(lua::concern_alerted(), {StateKey(id), AlertedKey(contact)},
                        {contact, id, std::to_string(at)});
  return r.ok() ? Status::OK() : r.status().WithContext(StateKey(id));
}

Result<std::optional<std::string>> ConcernStore::LatestOpenAlertedTo(const std::string& phone) {
  auto r = client_.Command({"ZREVRANGE", AlertedKey(phone), "0", "19"});
  if (!r.ok()) return r.status().WithContext(AlertedKey(phone));
  for (const RedisReply& e : r->elements) {
    auto state = client_.Command({"HGET", StateKey(e.str), "state"});
    if (!state.ok()) return state.status().WithContext(StateKey(e.str));
    if (state->str == "raised") return std::optional<std::string>(e.str);
  }
  return std::optional<std::string>();
}

Result<bool> ConcernStore::Acknowledge(const std::string& id, const std::string& by, const std::string& at) {
  auto r = client_.Eval(lua::concern_acknowledge(), {StateKey(id), OpenKey()}, {by, at, id});
  if (!r.ok()) return r.status().WithContext(StateKey(id));
  return r->integer == 1;
}

Result<std::vector<Concern>> ConcernStore::Open(int limit) {
  auto ids = client_.Command({"ZRANGE", OpenKey(), "0", std::to_string(limit - 1)});
  if (!ids.ok()) return KeyError(client_, ids.status(), OpenKey(), "sorted set");
  std::vector<Concern> out;
  for (const RedisReply& id : ids->elements) {
    auto c = Get(id.str);
    if (!c.ok()) return c.status();
    if (*c && (*c)->open()) out.push_back(std::move(**c));
  }
  std::sort(out.begin(), out.end(), [](const Concern& a, const Concern& b) { return a.raised_at < b.raised_at; });
  return out;
}

Result<std::vector<Concern>> ConcernStore::List(int limit) {
  // Open ones first however old (an old open concern must never scroll
  // away), then the newest of the rest.
  auto out = Open(limit);
  if (!out.ok()) return out.status();
  auto r = client_.Command({"XREVRANGE", StreamKey(), "+", "-", "COUNT", std::to_string(limit)});
  if (!r.ok()) return r.status().WithContext(StreamKey());
  for (const RedisReply& item : r->elements) {
    if (static_cast<int>(out->size()) >= limit) break;
    if (item.elements.size() != 2) continue;
    auto c = Get(PairsToMap(item.elements[1])["concern"]);
    if (!c.ok()) return c.status();
    if (*c && !(*c)->open()) out->push_back(std::move(**c));
  }
  return out;
}

Result<int64_t> ConcernStore::CountOpen() {
  auto r = client_.Command({"ZCARD", OpenKey()});
  if (!r.ok()) return r.status().WithContext(OpenKey());
  return r->integer;
}

Result<int64_t> ConcernStore::Trim(Millis older_than) {
  auto r = client_.Command({"XRANGE", StreamKey(), "-", std::to_string(older_than), "COUNT", "1000"});
  if (!r.ok()) return r.status().WithContext(StreamKey());
  int64_t trimmed = 0;
  for (const RedisReply& item : r->elements) {
    if (item.elements.size() != 2) continue;
    const std::string id = PairsToMap(item.elements[1])["concern"];
    auto c = Get(id);
    if (!c.ok()) return c.status();
    if (*c && (*c)->open()) continue;  // never before it was acknowledged
    std::vector<std::vector<std::string>> del = {{"XDEL", StreamKey(), item.elements[0].str}, {"DEL", StateKey(id)}};
    if (*c) {
      for (const std::string& contact : (*c)->alerted) del.push_back({"ZREM", AlertedKey(contact), id});
    }
    auto done = client_.Pipeline(del);
    if (!done.ok()) return done.status();
    ++trimmed;
  }
  return trimmed;
}

}  // namespace checkin
