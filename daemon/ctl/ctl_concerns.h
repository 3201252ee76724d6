// checkinctl concerns: the safeguarding concerns (docs/safeguarding.md).
//   concerns [--limit N] [--json]   open ones first, then the latest; the
//                                   table masks numbers and shows the words
//                                   (the coordinator must read them); JSON
//                                   has everything
//   concerns ack ID [--by NAME]     takes one on, as a contact's OK does: the
//                                   others already alerted are told
//
// Thread-safety: one thread (a command).
#ifndef CHECKIN_DAEMON_CTL_CONCERNS_H_
#define CHECKIN_DAEMON_CTL_CONCERNS_H_

#include <ostream>
#include <string>

#include "checkin/clock.h"
#include "checkin/config.h"
#include "checkin/status.h"
#include "safeguarding/concerns.h"
#include "store/concern_store.h"

namespace checkin {

Status ReportConcerns(ConcernStore& concerns, const Config& config, int limit, bool json, std::ostream& out);

// NotFound for an unknown id; OK (saying so) when it was taken on before.
Status AcknowledgeConcern(Concerns& concerns, const Config& config, const std::string& id, const std::string& by,
                          Instant now, std::ostream& out);

}  // namespace checkin

#endif  // CHECKIN_DAEMON_CTL_CONCERNS_H_
