// Importer: `checkinctl import members|sessions|groups FILE.csv`, spreadsheet
// rows checked and written as schema v1 records (docs/redis-schema.md).
//
// The whole file is checked first. Any bad line means nothing is written,
// and every bad line is reported with its number and reason; a good row's
// phone number is never printed. The writes of one import go in one
// MULTI/EXEC transaction, so a Redis failure half way writes nothing: a
// Redis-specific writer by design, it takes the RedisStore and its client,
// not the Store interface.
//
// Ids are derived, so importing the same file again updates instead of
// duplicating:
//   member   "m-" + 16 hex digits of SHA-256 over the E.164 number (stable,
//            and the number does not show in keys, logs or queue listings);
//            a member already in another group is added to this one too
//   session  "<group>-<local start YYYYMMDDTHHMM>" ("baby-massage-20261201T1000")
//   group    the file's `id` column
// An empty cell in an optional column removes that field (the default then
// applies); a column that is absent leaves the field as it is. A re-import
// never changes a member's opted_out nor a session's status (a cancelled
// session stays cancelled).
//
// Thread-safety: an Importer is used by one thread; the RedisStore is
// thread-safe.
#ifndef CHECKIN_DAEMON_CTL_IMPORT_H_
#define CHECKIN_DAEMON_CTL_IMPORT_H_

#include <string>
#include <vector>

#include "checkin/config.h"
#include "checkin/status.h"
#include "store/redis_store.h"

namespace checkin {

struct ImportOptions {
  std::string file_label = "input.csv";  // names the file in messages: "members.csv:7: ..."
  bool dry_run = false;                  // check only, write nothing
};

struct ImportReport {
  std::string kind;   // "member", "session", "group"
  std::string group;  // members: the group imported into
  int created = 0;
  int updated = 0;
  bool dry_run = false;
  // "members.csv:7: phone "0770090" is not a valid number for GB", in file
  // order. When not empty, nothing was written.
  std::vector<std::string> errors;

  bool ok() const { return errors.empty(); }
  // "12 members imported into baby-massage (3 new, 9 updated)"
  std::string Summary() const;
};

class Importer {
 public:
  Importer(RedisStore& store, const Config& config);

  // Columns name,phone[,language,channel] in any order; the group must exist.
  Result<ImportReport> Members(const std::string& csv, const std::string& group_id, const ImportOptions& options);
  // Columns group,starts_at[,title,venue]; starts_at is RFC 3339 with an
  // offset, or local wall time ("2026-12-01 10:00", "2026-12-01T10:00") in
  // the group's zone. Every group must exist.
  Result<ImportReport> Sessions(const std::string& csv, const ImportOptions& options);
  // Columns id,name,venue[,timezone,coordinator_phone].
  Result<ImportReport> Groups(const std::string& csv, const ImportOptions& options);

 private:
  RedisStore& store_;
  const Config& config_;
};

// The member id for an E.164 number: "+447700900123" -> "m-447700900123".
std::string MemberIdForPhone(const std::string& e164);

}  // namespace checkin

#endif  // CHECKIN_DAEMON_CTL_IMPORT_H_
