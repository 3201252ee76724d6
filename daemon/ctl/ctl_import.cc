#include "ctl/ctl_import.h"

#include <date/date.h>
#include <date/tz.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <sstream>

#include "config/config_table.h"
#include "text/csv.h"
#include "text/edit_distance.h"
#include "base/sha256.h"
#include "base/phone.h"
#include "schema/records.h"
#include "text/utf8.h"
#include "time/zone.h"

namespace checkin {
namespace {

using Command = std::vector<std::string>;

std::string Trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ",") + n;
  return out;
}

// A CSV file whose first row names its columns, in any order.
class Table {
 public:
  Table(const std::string& csv, std::string label, std::vector<std::string> required,
        std::vector<std::string> optional, std::vector<std::string>& errors)
      : label_(std::move(label)), errors_(errors) {
    auto records = ParseCsv(csv);
    if (!records.ok()) {
      Error(records.status().message());
      return;
    }
    std::vector<std::string> known = required;
    known.insert(known.end(), optional.begin(), optional.end());
    const std::string layout = JoinNames(required) + (optional.empty() ? "" : "[," + JoinNames(optional) + "]");
    if (records->empty()) {
      Error("the file is empty (the first row must name the columns: " + layout + ")");
      return;
    }
    const CsvRecord& header = records->front();
    width_ = header.fields.size();
    std::vector<std::string> suggested;  // "did you mean": not also reported missing
    for (size_t i = 0; i < header.fields.size(); ++i) {
      const std::string name = Lower(Trim(header.fields[i]));
      if (std::find(known.begin(), known.end(), name) == known.end()) {
        auto near = NearestName(name, known);
        if (near) suggested.push_back(*near);
        LineError(header.line, "unknown column " + Quoted(name) + (near ? " (did you mean " + *near + "?)" : "") +
                                   "; the first row must name the columns: " + layout);
      } else if (!columns_.emplace(name, i).second) {
        LineError(header.line, "column " + Quoted(name) + " appears twice");
      }
    }
    for (const auto& name : required) {
      if (!columns_.count(name) && std::find(suggested.begin(), suggested.end(), name) == suggested.end()) {
        LineError(header.line, "missing column " + Quoted(name) + "; the first row must name the columns: " + layout);
      }
    }
    if (!errors_.empty()) return;
    if (records->size() == 1) Error("no rows below the header");
    // Rows of the wrong shape are reported here, once, and not checked further.
    for (auto r = records->begin() + 1; r != records->end(); ++r) {
      if (r->fields.size() != width_) {
        LineError(r->line, std::to_string(r->fields.size()) + " values, but the header has " + std::to_string(width_) +
                               " columns (a value with a comma in it needs \"quotes\")");
      } else if (!std::all_of(r->fields.begin(), r->fields.end(), [](const std::string& f) { return ValidUtf8(f); })) {
        LineError(r->line, "not UTF-8 text (save the spreadsheet as \"CSV UTF-8\")");
      } else {
        rows_.push_back(std::move(*r));
      }
    }
  }

  const std::vector<CsvRecord>& rows() const { return rows_; }
  bool Has(const std::string& column) const { return columns_.count(column) > 0; }
  // The trimmed cell; "" when the column is absent.
  std::string Get(const CsvRecord& r, const std::string& column) const {
    auto it = columns_.find(column);
    return it == columns_.end() ? "" : Trim(r.fields[it->second]);
  }
  void LineError(int line, const std::string& what) { errors_.push_back(label_ + ":" + std::to_string(line) + ": " + what); }
  void Error(const std::string& what) { errors_.push_back(label_ + ": " + what); }

 private:
  std::string label_;
  std::vector<std::string>& errors_;
  std::map<std::string, size_t> columns_;
  size_t width_ = 0;
  std::vector<CsvRecord> rows_;
};

// E.164, or the reason; "phone "0770090" is not a valid number for GB (...)".
Result<std::string> CheckPhone(const std::string& column, const std::string& raw, const std::string& region) {
  if (raw.empty()) return Status::InvalidArgument(column + " is empty");
  auto phone = NormalizePhone(raw, region);
  if (phone.ok()) return phone;
  const std::string where = raw[0] == '+' ? "" : " for " + region;
  // NormalizePhone's reason, when it says more than "not valid".
  std::string why = phone.status().message();
  if (why.rfind("phone number ", 0) == 0) why.erase(0, 13);
  why = why.find("not a valid number") == std::string::npos ? " (" + why + ")" : "";
  return Status::InvalidArgument(column + " " + Quoted(raw) + " is not a valid number" + where + why);
}

// Ids end up in Redis keys and session ids: keep them plain.
bool IsPlainId(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](unsigned char c) { return std::isalnum(c) || c == '-' || c == '_' || c == '.'; });
}

// For an optional column that is present: HSET field value, or HDEL field
// when the cell is empty (the default applies again).
void SetOrClear(const Table& t, const std::string& column, const std::string& value, Command& hset, Command& hdel) {
  if (!t.Has(column)) return;
  if (value.empty()) {
    hdel.push_back(column);
  } else {
    hset.push_back(column);
    hset.push_back(value);
  }
}

// One record an import writes: HSET its fields, HDEL the emptied ones,
// then any commands that go with it (the session's ZADD).
struct HashWrite {
  std::string key;
  std::string shown;  // the key as messages show it (a member's number masked)
  Command hset;       // {"HSET", key, field, value, ...}
  Command hdel;       // {"HDEL", key, field, ...}: written only with fields
  std::vector<Command> after;
};

HashWrite NewHashWrite(const std::string& key) { return HashWrite{key, key, {"HSET", key}, {"HDEL", key}, {}}; }

// Checks the type of every key to be written (one of another type would
// make EXEC fail half way: Redis does not roll a transaction back), counts
// the records as new or updated, and unless `dry_run` writes everything in
// one MULTI/EXEC. `others` are further keys with their type, written by
// `tail`.
Status Apply(RedisClient& client, std::vector<HashWrite> writes,
             const std::vector<std::pair<std::string, std::string>>& others, std::vector<Command> tail,
             bool dry_run, ImportReport& report) {
  std::vector<Command> types;
  std::vector<std::pair<std::string, std::string>> shown;  // key as shown, wanted type
  for (const auto& w : writes) {
    types.push_back({"TYPE", w.key});
    shown.emplace_back(w.shown, "hash");
  }
  for (const auto& [key, type] : others) {
    types.push_back({"TYPE", key});
    shown.emplace_back(key, type);
  }
  auto found = client.Pipeline(types);
  if (!found.ok()) return found.status();
  for (size_t i = 0; i < shown.size(); ++i) {
    const std::string& type = (*found)[i].str;
    if (type != "none" && type != shown[i].second) {
      report.errors.push_back("Redis key " + shown[i].first + " is a " + type + ", not a " + shown[i].second +
                              "; nothing was written");
    }
    if (i < writes.size()) (type == "none" ? report.created : report.updated)++;
  }
  if (!report.ok() || dry_run) return Status::OK();

  std::vector<Command> tx = {{"MULTI"}};
  for (auto& w : writes) {
    if (w.hdel.size() > 2) tx.push_back(std::move(w.hdel));
    tx.push_back(std::move(w.hset));
    for (auto& c : w.after) tx.push_back(std::move(c));
  }
  for (auto& c : tail) tx.push_back(std::move(c));
  tx.push_back({"EXEC"});
  auto replies = client.Pipeline(tx);
  if (!replies.ok()) return replies.status().WithContext("nothing imported");
  if (replies->empty() || replies->back().type != RedisReply::Type::kArray) {
    return Status::Internal("nothing imported: Redis aborted the transaction");
  }
  return Status::OK();
}

// GCC 12 reports -Wmaybe-uninitialized inside date.h's parse(); the value
// is only read after parse succeeded (as in records.cc).
#if defined(__GNUC__) && !defined(__clang__)  // clang has no such warning
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
std::optional<date::local_seconds> ParseLocal(std::string text) {
  if (text.size() > 10 && text[10] == ' ') text[10] = 'T';
  // YYYY-MM-DDTHH:MM[:SS], checked first: date::parse's %S converts an
  // uninitialised long double when the seconds are not digits (UBSan), as
  // %T does in ParseRfc3339 (records.cc).
  static const std::string kShape = "0000-00-00T00:00:00";
  if (text.size() != 16 && text.size() != 19) return std::nullopt;
  for (size_t i = 0; i < text.size(); ++i) {
    if (kShape[i] == '0' ? (text[i] < '0' || text[i] > '9') : text[i] != kShape[i]) return std::nullopt;
  }
  for (const char* format : {"%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"}) {
    std::istringstream in(text);
    date::local_seconds t{};
    in >> date::parse(format, t);
    if (!in.fail() && in.peek() == std::char_traits<char>::eof()) return t;
  }
  return std::nullopt;
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

// A session start: RFC 3339 with an offset, or wall time in `zone`.
Result<Instant> ParseStart(const std::string& text, const date::time_zone* zone) {
  const std::string quoted = "starts_at " + Quoted(text);
  const bool has_offset = text.size() > 10 && (text.back() == 'Z' || text.back() == 'z' ||
                                               text.find_first_of("+-", 10) != std::string::npos);
  if (has_offset) {
    auto t = ParseRfc3339(text);
    if (!t.ok()) return Status::InvalidArgument(quoted + " is not a time such as 2026-12-01T10:00:00+00:00");
    return t;
  }
  auto local = ParseLocal(text);
  if (!local) {
    return Status::InvalidArgument(quoted + " is not a time: write 2026-12-01 10:00 (the group's local time) or "
                                   "2026-12-01T10:00:00+00:00");
  }
  const date::local_info info = zone->get_info(*local);
  if (info.result == date::local_info::nonexistent) {
    return Status::InvalidArgument(quoted + " does not exist in " + zone->name() + " (the clocks go forward then)");
  }
  if (info.result == date::local_info::ambiguous) {
    const date::sys_seconds first = *local - date::local_seconds{} + date::sys_seconds{} - info.first.offset;
    return Status::InvalidArgument(quoted + " happens twice in " + zone->name() +
                                   " (the clocks go back then): write it with its offset, e.g. " +
                                   LocalRfc3339(first, zone));
  }
  return *local - date::local_seconds{} + date::sys_seconds{} - info.first.offset;
}

// Groups named by a sessions file, each read once.
class GroupCache {
 public:
  GroupCache(Store& store, RecordDefaults defaults) : store_(store), defaults_(std::move(defaults)) {}
  // The group, or InvalidArgument saying why it cannot be used;
  // Unavailable when Redis is down.
  Result<Group> Get(const std::string& id) {
    auto it = cache_.find(id);
    if (it != cache_.end()) return it->second;
    auto fields = store_.GroupFields(id);
    if (!fields.ok()) return fields.status();
    Result<Group> group = ParseGroup(id, *fields, defaults_);
    if (!group.ok() && group.status().IsNotFound()) {
      group = Status::InvalidArgument("group " + Quoted(id) +
                                      " does not exist (add it first: checkinctl import groups FILE.csv)");
    } else if (!group.ok()) {
      group = Status::InvalidArgument("group " + Quoted(id) + " is broken in Redis: " + group.status().message());
    }
    return cache_.emplace(id, group).first->second;
  }

 private:
  Store& store_;
  RecordDefaults defaults_;
  std::map<std::string, Result<Group>> cache_;
};

}  // namespace

std::string MemberIdForPhone(const std::string& e164) {
  // A digest, not the digits: member ids show up in keys, logs and
  // `checkinctl queue`, where a phone number must not.
  return "m-" + Sha256Hex(e164).substr(0, 16);
}

std::string ImportReport::Summary() const {
  const int n = created + updated;
  std::string s = std::to_string(n) + " " + kind + (n == 1 ? "" : "s") + (dry_run ? " checked" : " imported");
  if (!group.empty()) s += (dry_run ? " for " : " into ") + group;
  s += " (" + std::to_string(created) + " new, " + std::to_string(updated) + " updated)";
  if (dry_run) s += "; nothing written (--dry-run)";
  return s;
}

Importer::Importer(RedisStore& store, const Config& config) : store_(store), config_(config) {}

Result<ImportReport> Importer::Members(const std::string& csv, const std::string& group_id,
                                       const ImportOptions& options) {
  ImportReport report;
  report.kind = "member";
  report.group = group_id;
  report.dry_run = options.dry_run;
  Table t(csv, options.file_label, {"name", "phone"}, {"language", "channel"}, report.errors);
  auto group = store_.GroupFields(group_id);
  if (!group.ok()) return group.status();
  if (group->empty()) {
    report.errors.insert(report.errors.begin(), "group " + Quoted(group_id) +
                                                    " does not exist (add it first: checkinctl import groups FILE.csv)");
  }
  const RedisKeys& keys = store_.keys();
  std::vector<HashWrite> writes;
  Command sadd = {"SADD", keys.GroupMembers(group_id)};
  std::map<std::string, int> line_of_id;
  for (const auto& r : t.rows()) {
    const std::string name = t.Get(r, "name");
    auto phone = CheckPhone("phone", t.Get(r, "phone"), config_.region);
    std::string language = t.Get(r, "language");
    const size_t dash = language.find('-');  // "PL" and "pt-BR" are fine
    language = Lower(language.substr(0, dash)) + (dash == std::string::npos ? "" : language.substr(dash));
    const std::string channel = Lower(t.Get(r, "channel"));
    if (name.empty()) t.LineError(r.line, "name is empty");
    if (!phone.ok()) t.LineError(r.line, phone.status().message());
    if (!language.empty() && !IsLanguageCode(language)) {
      t.LineError(r.line, "language " + Quoted(t.Get(r, "language")) + " is not a language code such as en, pl, ur, pt-BR");
    }
    if (!channel.empty() && channel != "sms" && channel != "whatsapp" && channel != "voice") {
      t.LineError(r.line, "channel " + Quoted(t.Get(r, "channel")) + " is not one of sms, whatsapp, voice");
    }
    if (name.empty() || !phone.ok()) continue;
    const std::string id = MemberIdForPhone(*phone);
    auto [it, fresh] = line_of_id.emplace(id, r.line);
    if (!fresh) {
      t.LineError(r.line, "same phone number as line " + std::to_string(it->second) + " (one member per number)");
      continue;
    }
    HashWrite w = NewHashWrite(keys.Member(id));
    w.shown = keys.Member(id) + " (" + MaskPhone(*phone) + ")";
    w.hset.insert(w.hset.end(), {"name", name, "phone", *phone});
    SetOrClear(t, "language", language, w.hset, w.hdel);
    SetOrClear(t, "channel", channel, w.hset, w.hdel);
    writes.push_back(std::move(w));
    sadd.push_back(id);
  }
  if (!report.ok()) return report;
  CHECKIN_RETURN_IF_ERROR(Apply(store_.client(), std::move(writes), {{keys.GroupMembers(group_id), "set"}},
                                {std::move(sadd)}, options.dry_run, report));
  return report;
}

Result<ImportReport> Importer::Sessions(const std::string& csv, const ImportOptions& options) {
  ImportReport report;
  report.kind = "session";
  report.dry_run = options.dry_run;
  Table t(csv, options.file_label, {"group", "starts_at"}, {"title", "venue"}, report.errors);
  const RedisKeys& keys = store_.keys();
  std::vector<HashWrite> writes;
  std::map<std::string, int> line_of_id;
  GroupCache groups(store_, RecordDefaultsOf(config_));
  for (const auto& r : t.rows()) {
    const std::string group_id = t.Get(r, "group");
    const std::string starts_text = t.Get(r, "starts_at");
    if (group_id.empty()) t.LineError(r.line, "group is empty");
    if (starts_text.empty()) t.LineError(r.line, "starts_at is empty");
    if (group_id.empty() || starts_text.empty()) continue;
    auto group = groups.Get(group_id);
    if (!group.ok() && group.status().IsUnavailable()) return group.status();
    if (!group.ok()) {
      t.LineError(r.line, group.status().message());
      continue;
    }
    const date::time_zone* zone = FindTimeZone(group->timezone);
    auto start = ParseStart(starts_text, zone);
    if (!start.ok()) {
      t.LineError(r.line, start.status().message());
      continue;
    }
    const std::string id = group_id + "-" + date::format("%Y%m%dT%H%M", ToLocal(zone, *start));
    auto [it, fresh] = line_of_id.emplace(id, r.line);
    if (!fresh) {
      t.LineError(r.line, "same group and start as line " + std::to_string(it->second));
      continue;
    }
    HashWrite w = NewHashWrite(keys.Session(id));
    w.hset.insert(w.hset.end(), {"group", group_id, "starts_at", LocalRfc3339(*start, zone)});
    SetOrClear(t, "title", t.Get(r, "title"), w.hset, w.hdel);
    SetOrClear(t, "venue", t.Get(r, "venue"), w.hset, w.hdel);
    // A new session is scheduled; one imported before keeps its status, so
    // importing again does not undo `checkinctl cancel`.
    w.after.push_back({"HSETNX", w.key, "status", "scheduled"});
    w.after.push_back({"ZADD", keys.Sessions(), std::to_string(start->time_since_epoch().count()), id});
    writes.push_back(std::move(w));
  }
  if (!report.ok()) return report;
  CHECKIN_RETURN_IF_ERROR(
      Apply(store_.client(), std::move(writes), {{keys.Sessions(), "zset"}}, {}, options.dry_run, report));
  return report;
}

Result<ImportReport> Importer::Groups(const std::string& csv, const ImportOptions& options) {
  ImportReport report;
  report.kind = "group";
  report.dry_run = options.dry_run;
  Table t(csv, options.file_label, {"id", "name", "venue"}, {"timezone", "coordinator_phone"}, report.errors);
  std::vector<HashWrite> writes;
  std::map<std::string, int> line_of_id;
  for (const auto& r : t.rows()) {
    const std::string id = t.Get(r, "id"), name = t.Get(r, "name"), venue = t.Get(r, "venue");
    const std::string timezone = t.Get(r, "timezone"), coordinator = t.Get(r, "coordinator_phone");
    const size_t errors_before = report.errors.size();
    if (!IsPlainId(id)) {
      t.LineError(r.line, id.empty() ? "id is empty"
                                     : "id " + Quoted(id) + " may only have letters, digits, - _ and . (64 at most)");
    }
    if (name.empty()) t.LineError(r.line, "name is empty");
    if (venue.empty()) t.LineError(r.line, "venue is empty");
    if (!timezone.empty() && !IsKnownTimeZone(timezone)) {
      t.LineError(r.line, "timezone " + Quoted(timezone) + " is not an IANA zone such as Europe/London");
    }
    auto phone = coordinator.empty() ? Result<std::string>(std::string())
                                     : CheckPhone("coordinator_phone", coordinator, config_.region);
    if (!phone.ok()) t.LineError(r.line, phone.status().message());
    if (report.errors.size() != errors_before) continue;
    auto [it, fresh] = line_of_id.emplace(id, r.line);
    if (!fresh) {
      t.LineError(r.line, "id " + Quoted(id) + " is also on line " + std::to_string(it->second));
      continue;
    }
    HashWrite w = NewHashWrite(store_.keys().Group(id));
    w.hset.insert(w.hset.end(), {"name", name, "venue", venue});
    SetOrClear(t, "timezone", timezone, w.hset, w.hdel);
    SetOrClear(t, "coordinator_phone", *phone, w.hset, w.hdel);
    writes.push_back(std::move(w));
  }
  if (!report.ok()) return report;
  CHECKIN_RETURN_IF_ERROR(Apply(store_.client(), std::move(writes), {}, {}, options.dry_run, report));
  return report;
}

}  // namespace checkin
