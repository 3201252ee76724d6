// Privacy: what checkind forgets, on request and with time.
//
//   ForgetPhone  `checkinctl forget PHONE`: every member whose record has
//                that number (any format, read in the config's region) is
//                removed with all checkind holds about her: the member hash,
//                her group memberships, her answers in every session's rsvp,
//                her marks in every session's register (attended),
//                her reply context (reminded, phone index), her jobs
//                (waiting, leased or finished), and inbox entries from her or
//                her number. Admin-only, so it may SCAN (never on a hot path).
//   TrimInbox    inbox entries older than the retention period go (stream ids
//                are their arrival times); run hourly by checkind.
// Answers and registers expire with their session (ReplyStore::SetRsvp,
// Store::MarkAttended: session end plus the retention period), job records
// and reply context on their own TTLs.
// Both walk Redis's own structures (SCAN over every key kind, XTRIM MINID on
// stream ids), so they take the RedisStore and its client, not the Store
// interface: Redis-specific by design.
//
// Thread-safety: functions over a thread-safe RedisStore.
#ifndef CHECKIN_DAEMON_PRIVACY_H_
#define CHECKIN_DAEMON_PRIVACY_H_

#include <string>
#include <vector>

#include "checkin/status.h"
#include "store/redis_store.h"

namespace checkin {

struct ForgetReport {
  std::vector<std::string> members;  // ids removed
  int64_t group_memberships = 0;
  int64_t answers = 0;
  int64_t attended = 0;  // sessions whose register had her
  int64_t jobs = 0;
  int64_t inbox_entries = 0;
  int64_t other_keys = 0;  // reply context, phone index, job index
};

// `phone` in E.164; `region` reads numbers stored in national format.
Result<ForgetReport> ForgetPhone(RedisStore& store, const std::string& phone, const std::string& region);

// Deletes inbox entries that arrived before `older_than` (Unix ms); returns
// how many.
Result<int64_t> TrimInbox(RedisStore& store, Millis older_than);

}  // namespace checkin

#endif  // CHECKIN_DAEMON_PRIVACY_H_
