// Who is alerted about a concern, and when: the escalation ladder, as pure
// functions of the time the concern was raised.
//
// Contacts, in order: the group's safeguarding_phone, then the config's
// safeguarding.contacts; a group with neither falls back to its
// coordinator_phone. Step 0 alerts the first contact at once; while nobody
// acknowledges, step k (due `interval` x k after the concern was raised)
// alerts contact k; once the list is exhausted the last step repeats every
// interval, at most kAlertRepeats times. Steps are numbered so that every
// daemon computes the same ones: the job id of an alert is a function of
// (concern, step), so each step is sent once however many daemons see it.
//
// Thread-safety: pure functions.
#ifndef CHECKIN_DAEMON_SAFEGUARDING_ESCALATION_H_
#define CHECKIN_DAEMON_SAFEGUARDING_ESCALATION_H_

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "checkin/clock.h"

namespace checkin {

// How often the last step repeats after the list of contacts is exhausted.
constexpr int kAlertRepeats = 6;

struct AlertStep {
  int step = 0;
  std::string contact;  // E.164
  Instant due;
};

// The contacts of a concern, in order and without repeats; empty when there
// is nobody (an unknown number with no safeguarding.contacts).
std::vector<std::string> SafeguardingContacts(const std::string& group_safeguarding_phone,
                                              const std::vector<std::string>& config_contacts,
                                              const std::string& group_coordinator_phone);

// Every step due at `now` (step 0 always), in order.
std::vector<AlertStep> DueAlertSteps(Instant raised_at, const std::vector<std::string>& contacts,
                                     std::chrono::minutes interval, Instant now);

// When the next step after those due at `now` falls due; nullopt when the
// ladder is exhausted (or there are no contacts).
std::optional<Instant> NextAlertAt(Instant raised_at, size_t contacts, std::chrono::minutes interval, Instant now);

}  // namespace checkin

#endif  // CHECKIN_DAEMON_SAFEGUARDING_ESCALATION_H_
