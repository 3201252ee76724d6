// Value types of Redis schema v1 (../docs/redis-schema.md): what other
// systems write (members, groups, sessions, schedules) after validation.
// Parsing from Redis hashes lives in daemon/schema/records.cc.
//
// Thread-safety: plain values.
#ifndef CHECKIN_MODEL_H_
#define CHECKIN_MODEL_H_

#include <string>
#include <vector>

#include "checkin/clock.h"

namespace checkin {

enum class Channel { kSms, kWhatsapp, kVoice };
const char* ChannelName(Channel c);  // "sms", "whatsapp", "voice"

struct Member {
  std::string id;
  std::string name;      // first name
  std::string phone;     // E.164, normalised with the config's region
  std::string language;  // e.g. "en", "pl"; config default when absent
  Channel channel = Channel::kSms;
  bool opted_out = false;
};

struct Group {
  std::string id;
  std::string name;
  std::string venue;
  std::string timezone;           // IANA; config default when absent
  std::string coordinator_phone;  // E.164 or empty
  std::string safeguarding_phone;  // E.164 or empty: alerted first about a concern
};

struct Session {
  std::string id;
  std::string group_id;
  std::string title;  // group name when absent
  std::string venue;  // group venue when absent
  Instant starts_at;
  Instant ends_at;  // starts_at + 2h when absent
  bool cancelled = false;
  std::string schedule_id;  // set when produced by a recurring schedule
};

struct Schedule {
  std::string id;
  std::string group_id;
  std::string rrule;          // RFC 5545 RRULE value, e.g. "FREQ=WEEKLY;BYDAY=TU"
  std::string dtstart_local;  // local wall time "2026-09-01T10:00"
  std::string timezone;       // IANA; group's, then config default, when absent
  std::vector<std::string> exdates;  // local dates "2026-12-22" that are cancelled
};

}  // namespace checkin

#endif  // CHECKIN_MODEL_H_
