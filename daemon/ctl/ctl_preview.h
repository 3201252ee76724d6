// `checkinctl preview --member M --session S`: the exact text a member
// would get, rendered the way checkind renders it at send time
// (job_runner.cc: Config::Template for her language, then RenderTemplate
// over MessageVars at that moment), with its encoding and segment count.
//
// Thread-safety: as CtlContext (one thread).
#ifndef CHECKIN_DAEMON_CTL_PREVIEW_H_
#define CHECKIN_DAEMON_CTL_PREVIEW_H_

#include <string>
#include <vector>

#include "checkin/config.h"
#include "checkin/status.h"
#include "ctl/ctl_context.h"
#include "text/segments.h"

namespace checkin {

struct PreviewText {
  std::string body;
  SegmentInfo segments;
  // Why checkind would not send it now, or other things worth knowing
  // ("Amy has opted out: she gets no texts").
  std::vector<std::string> notes;
};

// `member` is a member id, or a phone number (the member imported with it).
// `kind` is reminder, follow_up or cancelled; the text is rendered at
// ctx.now. NotFound for an unknown member or session.
Result<PreviewText> Preview(CtlContext& ctx, const std::string& member, const std::string& session_id,
                            TemplateKind kind);

}  // namespace checkin

#endif  // CHECKIN_DAEMON_CTL_PREVIEW_H_
