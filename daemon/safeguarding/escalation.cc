// The escalation ladder (see escalation.h).
#include "safeguarding/escalation.h"

#include <algorithm>

namespace checkin {

namespace {

int StepCount(size_t contacts) { return contacts == 0 ? 0 : static_cast<int>(contacts) + kAlertRepeats; }

// Steps due at `now`: step k is due at raised_at + k * interval.
int StepsDue(Instant raised_at, size_t contacts, std::chrono::minutes interval, Instant now) {
  if (contacts == 0) return 0;
  if (now < raised_at || interval.count() <= 0) return 1;
  const auto elapsed = std::chrono::duration_cast<std::chrono::minutes>(now - raised_at);
  const long long due = elapsed.count() / interval.count() + 1;
  return static_cast<int>(std::min<long long>(due, StepCount(contacts)));
}

}  // namespace

std::vector<std::string> SafeguardingContacts(const std::string& group_safeguarding_phone,
                                              const std::vector<std::string>& config_contacts,
                                              const std::string& group_coordinator_phone) {
  std::vector<std::string> out;
  auto add = [&](const std::string& phone) {
    if (!phone.empty() && std::find(out.begin(), out.end(), phone) == out.end()) out.push_back(phone);
  };
  add(group_safeguarding_phone);
  for (const std::string& c : config_contacts) add(c);
  if (out.empty()) add(group_coordinator_phone);
  return out;
}

std::vector<AlertStep> DueAlertSteps(Instant raised_at, const std::vector<std::string>& contacts,
                                     std::chrono::minutes interval, Instant now) {
  std::vector<AlertStep> steps;
  const int due = StepsDue(raised_at, contacts.size(), interval, now);
  for (int k = 0; k < due; ++k) {
    const size_t who = std::min<size_t>(static_cast<size_t>(k), contacts.size() - 1);
    steps.push_back(AlertStep{k, contacts[who], raised_at + interval * k});
  }
  return steps;
}

std::optional<Instant> NextAlertAt(Instant raised_at, size_t contacts, std::chrono::minutes interval, Instant now) {
  const int due = StepsDue(raised_at, contacts, interval, now);
  if (due >= StepCount(contacts) || interval.count() <= 0) return std::nullopt;
  return raised_at + interval * due;
}

}  // namespace checkin
