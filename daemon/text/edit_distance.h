// "Did you mean" hints: the known name nearest a mistyped one by edit
// distance (Levenshtein, ASCII letters compared without case). One place
// for every such hint: config keys and template kinds (config), template
// placeholders (checkinctl lint), CSV column names (checkinctl import).
//
// Thread-safety: pure functions.
#ifndef CHECKIN_DAEMON_TEXT_EDIT_DISTANCE_H_
#define CHECKIN_DAEMON_TEXT_EDIT_DISTANCE_H_

#include <optional>
#include <string>
#include <vector>

namespace checkin {

// The candidate in `known` closest to `typo` by edit distance, when close
// enough to be a likely typo (at most max(2, typo.size() / 3) edits; the
// first of equally close ones); nullopt otherwise.
std::optional<std::string> NearestName(const std::string& typo, const std::vector<std::string>& known);

}  // namespace checkin

#endif  // CHECKIN_DAEMON_TEXT_EDIT_DISTANCE_H_
