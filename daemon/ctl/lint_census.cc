// Template lint, the member census (see ReadMemberCensus in
// template_lint.h): how many members of each group get texts, by language,
// read from Redis without reading any phone number.
#include <map>
#include <string>
#include <vector>

#include "ctl/template_lint.h"
#include "store/redis_client.h"
#include "store/redis_store.h"

namespace checkin {

Result<MemberCensus> ReadMemberCensus(RedisClient& redis, const RedisKeys& keys, const std::string& default_language) {
  const std::string head = keys.prefix() + "group:", tail = ":members";
  auto group_keys = ScanKeys(redis, KeyGlob(keys.GroupMembers(kAnyId)));
  if (!group_keys.ok()) return group_keys.status();
  MemberCensus census;
  std::map<std::string, std::string> language_of;  // member id -> language, each member once
  for (const std::string& key : *group_keys) {
    MemberCensus::GroupInfo group;
    group.id = key.substr(head.size(), key.size() - head.size() - tail.size());
    auto ids = redis.Command({"SMEMBERS", key});
    if (!ids.ok() && IsRedisWrongType(ids.status())) continue;  // not a set: nobody there gets texts
    if (!ids.ok()) return ids.status().WithContext(key);
    // HSTRLEN: whether the group has a coordinator, without reading the number.
    std::vector<std::vector<std::string>> commands = {{"HGET", keys.Group(group.id), "name"},
                                                      {"HSTRLEN", keys.Group(group.id), "coordinator_phone"}};
    for (const RedisReply& id : ids->elements) {
      commands.push_back({"HMGET", keys.Member(id.str), "name", "language", "opted_out"});
    }
    // One reply per command: a key of the wrong type (the daemon reports
    // it) counts as missing, the others are still read.
    auto replies = redis.PipelineEach(commands);
    if (!replies.ok()) return replies.status().WithContext(key);
    if ((*replies)[0].ok()) group.name = (*replies)[0]->str;
    group.has_coordinator = (*replies)[1].ok() && (*replies)[1]->integer > 0;
    const auto field = [](const RedisReply& r, size_t i) { return i < r.elements.size() ? r.elements[i].str : ""; };
    for (size_t i = 2; i < replies->size(); ++i) {
      if (!(*replies)[i].ok()) continue;
      const RedisReply& m = *(*replies)[i];
      // No such member (the daemon reports it), or opted out: no texts.
      if (m.elements.empty() || m.elements[0].is_nil() || field(m, 2) == "1") continue;
      std::string language = field(m, 1).empty() ? default_language : field(m, 1);
      ++group.members_by_language[language];
      language_of[ids->elements[i - 2].str] = language;
    }
    census.groups.push_back(group);
  }
  for (const auto& [id, language] : language_of) ++census.members_by_language[language];
  return census;
}

}  // namespace checkin
