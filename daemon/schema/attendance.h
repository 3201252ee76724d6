// Attendance: who is coming to a session, from the group's members and the
// session's answers (P session:<id>:rsvp). One reading shared by
// `checkinctl sessions` / `session`, GET /dashboard and the headcount digest,
// so the three always agree on the counts.
//
// A member counts once: her latest answer (yes, no, maybe) or "no answer".
// Members who opted out are listed (answer "opted out") but not counted.
// Answers from members no longer in the group are ignored. A key of the
// wrong type is reported once, left out and named in `unreadable`.
//
// Thread-safety: pure reads through the Store and SessionSource (both
// thread-safe); the values are plain.
#ifndef CHECKIN_DAEMON_ATTENDANCE_H_
#define CHECKIN_DAEMON_ATTENDANCE_H_

#include <chrono>
#include <string>
#include <vector>

#include "checkin/model.h"
#include "checkin/status.h"
#include "checkin/store.h"
#include "schema/session_source.h"

namespace checkin {

struct Headcount {
  int coming = 0;
  int maybe = 0;
  int not_coming = 0;
  int no_answer = 0;
};

struct MemberAnswer {
  std::string member_id;
  std::string name;
  std::string phone;   // E.164; mask it (MaskPhone) wherever it is logged
  std::string answer;  // "yes", "no", "maybe", "" (no answer) or "opted out"
};

struct Attendance {
  Session session;
  Group group;
  const date::time_zone* zone = nullptr;  // the group's zone
  Headcount count;
  std::vector<MemberAnswer> members;  // by name, then id
  // Keys that could not be read (the wrong type: the group's members, a
  // member's hash, the session's answers), each reported once through the
  // SessionSource's BadRecordReporter; what they hold is left out.
  std::vector<std::string> unreadable;
};

class AttendanceReader {
 public:
  AttendanceReader(Store& store, SessionSource& sessions, RecordDefaults defaults);

  // One session; NotFound when it does not exist. `near` is a time close to
  // its start (occurrences of schedules are searched around it); the
  // session's own start when known, else now.
  Result<Attendance> ForSession(const std::string& session_id, Instant near);

  // Sessions starting in (now, now + window], cancelled ones included
  // (session.cancelled), by start time.
  Result<std::vector<Attendance>> Upcoming(Instant now, std::chrono::seconds window);

 private:
  Status Fill(Attendance& a);
  void Unreadable(Attendance& a, const std::string& key, const Status& status);

  Store& store_;
  SessionSource& sessions_;
  RecordDefaults defaults_;
};

// "5 coming, 2 maybe, 1 not coming, 4 no answer"
std::string HeadcountText(const Headcount& count);

}  // namespace checkin

#endif  // CHECKIN_DAEMON_ATTENDANCE_H_
