// A coordinator's answer to the `register` text ("Who came to Baby massage
// today? 1 Amy 2 Bea 3 Chloe 4 Dee. Reply with the numbers, e.g. 1 3 4, or
// ALL, or NONE."), read as a volunteer types it on a phone:
//   "1 3 4", "1,3 and 4", "1-3", "1 to 3", "only 1 and 3"    those numbers
//   "all", "everyone came", "all of them"                   everyone listed
//   "none", "nobody", "no one", "0"                         nobody
//   "all but 2", "all except 2 and 4", "all apart from 2"   everyone else
//   "+ Sarah 07700 900123" (any number of them, each from its "+")
//                                                           a walk-in
// Case, punctuation and friendly words ("thanks", "x", "came", "today")
// do not matter. Anything else, or a number not on the list, is unclear:
// the caller changes nothing and asks once more, since a wrong register is
// worse than asking again.
//
// Thread-safety: pure functions.
#ifndef CHECKIN_DAEMON_REPLIES_REGISTER_REPLY_H_
#define CHECKIN_DAEMON_REPLIES_REGISTER_REPLY_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace checkin {

// One first-timer named in the answer: "+ Sarah Jones 07700 900123".
struct WalkIn {
  std::string name;   // "Sarah Jones", trimmed
  std::string phone;  // as written ("07700 900123"): the caller normalises it
};

struct RegisterAnswer {
  // The list numbers (1-based, sorted, unique) of the members who came;
  // nullopt when the answer named only walk-ins (the list stays as it is).
  std::optional<std::vector<int>> came;
  std::vector<WalkIn> walk_ins;
};

// The answer to a register of `count` numbered members; nullopt when it is
// unclear (see above).
std::optional<RegisterAnswer> ParseRegisterAnswer(std::string_view body, int count);

}  // namespace checkin

#endif  // CHECKIN_DAEMON_REPLIES_REGISTER_REPLY_H_
