// Twilio message statuses, ranked, for status callbacks that arrive out of
// order: a status is recorded only when it ranks above the one recorded.
//
//   accepted, scheduled, queued  1   (at Twilio)
//   sending                      2
//   sent                         3   (handed to the carrier)
//   delivered, undelivered,
//   failed, canceled             4   final: never moved back
//   read                         5   (WhatsApp: after delivered)
//
// Thread-safety: pure functions.
#ifndef CHECKIN_DAEMON_DELIVERY_STATUS_H_
#define CHECKIN_DAEMON_DELIVERY_STATUS_H_

#include <string>

namespace checkin {

// 0 for a status we do not know (ignored).
int DeliveryStatusRank(const std::string& status);
bool IsFinalDeliveryState(const std::string& status);

}  // namespace checkin

#endif  // CHECKIN_DAEMON_DELIVERY_STATUS_H_
