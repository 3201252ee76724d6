// The checks of the config table's scalar rows (config_table.cc): each
// `Set...` checks one value and stores it in the Config, or says in an
// InvalidArgument what is allowed (the caller adds file, line and key).
// Internal to config loading, as config_parse.h is.
//
// Thread-safety: pure functions of their arguments.
#ifndef CHECKIN_DAEMON_CONFIG_VALIDATORS_H_
#define CHECKIN_DAEMON_CONFIG_VALIDATORS_H_

#include <string>

#include "checkin/config.h"
#include "checkin/status.h"
#include "config/config_table.h"

namespace checkin {
namespace config_internal {

// Checks of a shape, storing into the field the row's lambda names; `out`
// is set only when `v` is valid.
// http(s)://host[...]; a trailing '/' is dropped so paths can be appended.
Status SetUrl(std::string& out, const std::string& v, bool allow_empty);
Status SetHostPort(std::string& out, const std::string& v);  // "127.0.0.1:8080"
Status SetEnvName(std::string& out, const std::string& v);   // "TWILIO_AUTH_TOKEN"

// One key each; the table row names which.
Status SetRegion(Config& c, const ScalarValue& v);
Status SetDefaultLanguage(Config& c, const ScalarValue& v);
Status SetLogLevel(Config& c, const ScalarValue& v);
Status SetRedisUrl(Config& c, const ScalarValue& v);
Status SetRedisPrefix(Config& c, const ScalarValue& v);
Status SetAccountSid(Config& c, const ScalarValue& v);
Status SetAuthTokenEnv(Config& c, const ScalarValue& v);
Status SetMessagingServiceSid(Config& c, const ScalarValue& v);
Status SetTimeZone(Config& c, const ScalarValue& v);
Status SetCurrency(Config& c, const ScalarValue& v);
Status SetDashboardUser(Config& c, const ScalarValue& v);

}  // namespace config_internal
}  // namespace checkin

#endif  // CHECKIN_DAEMON_CONFIG_VALIDATORS_H_
