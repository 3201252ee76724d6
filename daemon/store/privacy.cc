#include "store/privacy.h"

#include <set>

#include "base/phone.h"

namespace checkin {
namespace {

// Member ids whose record has `phone`, plus those reminded at it.
Result<std::set<std::string>> MembersWithPhone(RedisStore& store, const std::string& phone, const std::string& region) {
  const RedisKeys& k = store.keys();
  std::set<std::string> ids;
  auto indexed = store.client().Command({"SMEMBERS", k.Phone(phone)});
  if (!indexed.ok()) return indexed.status();
  for (const auto& e : indexed->elements) ids.insert(e.str);
  auto keys = ScanKeys(store.client(), KeyGlob(k.Member(kAnyId)));
  if (!keys.ok()) return keys.status();
  const std::string prefix = k.Member("");
  for (const std::string& key : *keys) {
    auto stored = store.client().Command({"HGET", key, "phone"});
    if (!stored.ok()) return stored.status();
    if (stored->is_nil()) continue;
    auto normalized = NormalizePhone(stored->str, region);
    if (normalized.ok() && *normalized == phone) ids.insert(key.substr(prefix.size()));
  }
  return ids;
}

// `command` ("SREM", "HDEL") of `id` on each of `keys`, in one round trip;
// returns how many removed something.
Result<int64_t> RemoveFromEach(RedisStore& store, const char* command, const std::vector<std::string>& keys,
                               const std::string& id) {
  if (keys.empty()) return 0;
  std::vector<std::vector<std::string>> commands;
  for (const std::string& key : keys) commands.push_back({command, key, id});
  auto r = store.client().Pipeline(commands);
  if (!r.ok()) return r.status();
  int64_t removed = 0;
  for (const auto& reply : *r) removed += reply.integer;
  return removed;
}

Result<int64_t> ForgetJobs(RedisStore& store, const std::set<std::string>& ids) {
  const RedisKeys& k = store.keys();
  auto jobs = ScanKeys(store.client(), KeyGlob(k.Job(kAnyId)));
  if (!jobs.ok()) return jobs.status();
  int64_t removed = 0;
  for (const std::string& key : *jobs) {
    auto member = store.client().Command({"HGET", key, "member"});
    if (!member.ok()) return member.status();
    if (member->is_nil() || !ids.count(member->str)) continue;
    const std::string id = key.substr(k.JobPrefix().size());
    auto r = store.client().Pipeline({{"ZREM", k.DueQueue(), id}, {"ZREM", k.Leases(), id}, {"DEL", key}});
    if (!r.ok()) return r.status();
    ++removed;
  }
  return removed;
}

Result<int64_t> ForgetInbox(RedisStore& store, const std::set<std::string>& ids, const std::string& phone) {
  const std::string inbox = store.keys().Inbox();
  int64_t removed = 0;
  std::string from = "-";
  for (;;) {
    auto page = store.client().Command({"XRANGE", inbox, from, "+", "COUNT", "1000"});
    if (!page.ok()) return page.status();
    if (page->elements.empty()) break;
    for (const auto& entry : page->elements) {
      if (entry.elements.size() != 2) continue;
      const auto& f = entry.elements[1].elements;
      bool hers = false;
      for (size_t i = 0; i + 1 < f.size(); i += 2) {
        if ((f[i].str == "member" && ids.count(f[i + 1].str)) || (f[i].str == "from" && f[i + 1].str == phone)) {
          hers = true;
        }
      }
      if (!hers) continue;
      auto r = store.client().Command({"XDEL", inbox, entry.elements[0].str});
      if (!r.ok()) return r.status();
      removed += r->integer;
    }
    if (page->elements.size() < 1000) break;
    from = "(" + page->elements.back().elements[0].str;  // exclusive start (Redis >= 6.2)
  }
  return removed;
}

}  // namespace

Result<ForgetReport> ForgetPhone(RedisStore& store, const std::string& phone, const std::string& region) {
  const RedisKeys& k = store.keys();
  auto ids = MembersWithPhone(store, phone, region);
  if (!ids.ok()) return ids.status();
  ForgetReport report;
  report.members.assign(ids->begin(), ids->end());

  auto groups = ScanKeys(store.client(), KeyGlob(k.GroupMembers(kAnyId)));
  if (!groups.ok()) return groups.status();
  auto answers = ScanKeys(store.client(), KeyGlob(k.SessionRsvp(kAnyId)));
  if (!answers.ok()) return answers.status();
  auto registers = ScanKeys(store.client(), KeyGlob(k.SessionAttended(kAnyId)));
  if (!registers.ok()) return registers.status();
  const struct {
    const char* command;
    const std::vector<std::string>& keys;
    int64_t& removed;
  } removals[] = {{"SREM", *groups, report.group_memberships},
                  {"HDEL", *answers, report.answers},
                  {"SREM", *registers, report.attended}};
  for (const std::string& id : *ids) {
    for (const auto& removal : removals) {
      auto removed = RemoveFromEach(store, removal.command, removal.keys, id);
      if (!removed.ok()) return removed.status();
      removal.removed += *removed;
    }
    auto r = store.client().Pipeline({{"DEL", k.Member(id)}, {"DEL", k.Reminded(id), k.MemberJobs(id)}});
    if (!r.ok()) return r.status();
    report.other_keys += (*r)[1].integer;
  }
  auto jobs = ForgetJobs(store, *ids);
  if (!jobs.ok()) return jobs.status();
  report.jobs = *jobs;
  auto inbox = ForgetInbox(store, *ids, phone);
  if (!inbox.ok()) return inbox.status();
  report.inbox_entries = *inbox;
  auto index = store.client().Command({"DEL", k.Phone(phone)});
  if (!index.ok()) return index.status();
  report.other_keys += index->integer;
  return report;
}

Result<int64_t> TrimInbox(RedisStore& store, Millis older_than) {
  auto r = store.client().Command({"XTRIM", store.keys().Inbox(), "MINID", std::to_string(older_than)});
  if (!r.ok()) return r.status();
  return r->integer;
}

}  // namespace checkin
