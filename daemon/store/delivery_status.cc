#include "store/delivery_status.h"

namespace checkin {

int DeliveryStatusRank(const std::string& s) {
  if (s == "accepted" || s == "scheduled" || s == "queued") return 1;
  if (s == "sending") return 2;
  if (s == "sent") return 3;
  if (s == "delivered" || s == "undelivered" || s == "failed" || s == "canceled") return 4;
  if (s == "read") return 5;
  return 0;
}

bool IsFinalDeliveryState(const std::string& s) { return DeliveryStatusRank(s) >= 4; }

}  // namespace checkin
