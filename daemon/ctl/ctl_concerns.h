// checkinctl concerns: the safeguarding concerns (docs/safeguarding.md).
//   concerns [--limit N] [--json]   open ones first, then the latest; the
//                                   table masks numbers and shows the words
//                                   (the coordinator must read them); JSON
//                                   has everything
//   concerns ack ID [--by NAME]     takes one on, as a contact's OK does: the
//                                   others already alerted are told
//   concerns test TEXT | --file F   would a text raise a concern, with the
//                                   shipped phrases and the config's own?
//                                   A file of labelled cases is scored
//
// Thread-safety: one thread (a command).
#ifndef CHECKIN_DAEMON_CTL_CONCERNS_H_
#define CHECKIN_DAEMON_CTL_CONCERNS_H_

#include <ostream>
#include <string>
#include <vector>

#include "checkin/clock.h"
#include "checkin/config.h"
#include "checkin/status.h"
#include "safeguarding/concern_classifier.h"
#include "safeguarding/concerns.h"
#include "store/concern_store.h"

namespace checkin {

Status ReportConcerns(ConcernStore& concerns, const Config& config, int limit, bool json, std::ostream& out);

// NotFound for an unknown id; OK (saying so) when it was taken on before.
Status AcknowledgeConcern(Concerns& concerns, const Config& config, const std::string& id, const std::string& by,
                          Instant now, std::ostream& out);

// What `classifier` makes of `text` from a member of `language` ("" when
// unknown): "concern (suicide), phrase \"...\" of the en list" or "no
// concern".
void TestConcernText(const ConcernClassifier& classifier, const std::string& text, const std::string& language,
                     std::ostream& out);

// Scores the labelled cases of `files` (concern_cases.h): each wrong one
// with its file and line (unless `summary_only`: then the texts are not
// shown, for a held-out set nobody may tune on), then recall and false
// alarms per language. *all_right is false when any case was wrong.
Status TestConcernFiles(const ConcernClassifier& classifier, const std::vector<std::string>& files, bool summary_only,
                        std::ostream& out, bool* all_right);

}  // namespace checkin

#endif  // CHECKIN_DAEMON_CTL_CONCERNS_H_
