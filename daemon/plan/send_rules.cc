// Send-time rules (see send_rules.h).
#include "plan/send_rules.h"

namespace checkin {

std::vector<SendBlock> SendBlocks(const SendCheck& c) {
  std::vector<SendBlock> blocks;
  const Session& s = *c.session;
  if (c.member != nullptr && c.member->opted_out) blocks.push_back(SendBlock::kOptedOut);
  if (c.kind == JobKind::kCancelled) {
    if (!s.cancelled) blocks.push_back(SendBlock::kSessionNotCancelled);
  } else {
    if (s.cancelled) blocks.push_back(SendBlock::kSessionCancelled);
    if (s.starts_at != c.planned_starts_at) blocks.push_back(SendBlock::kSessionMoved);
  }
  if (c.now >= s.starts_at) blocks.push_back(SendBlock::kSessionStarted);
  if (c.kind == JobKind::kReminder && c.rsvp == "no") blocks.push_back(SendBlock::kAnsweredNo);
  if (c.kind == JobKind::kFollowUp && c.rsvp) blocks.push_back(SendBlock::kAnswered);
  return blocks;
}

const char* SendBlockReason(SendBlock block) {
  switch (block) {
    case SendBlock::kOptedOut: return "member opted out";
    case SendBlock::kSessionCancelled: return "session cancelled";
    case SendBlock::kSessionNotCancelled: return "session is no longer cancelled";
    case SendBlock::kSessionMoved: return "session moved; planned anew";
    case SendBlock::kSessionStarted: return "session has started";
    case SendBlock::kAnsweredNo: return "member answered no";
    case SendBlock::kAnswered: return "member has answered";
  }
  return "not wanted";
}

}  // namespace checkin
