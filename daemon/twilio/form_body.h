// application/x-www-form-urlencoded bodies, parsed strictly.
//
// cpp-httplib's own parser is lenient (it skips what it cannot read); a
// webhook needs to refuse a malformed body with 400 and change nothing, and
// the signature needs the parameters exactly as sent, repeats included.
// Rules: pairs separated by '&', name and value by the first '='; '+' is a
// space; %XX escapes must have two hex digits; the decoded text must be
// valid UTF-8; a pair without '=' is a name with an empty value; empty pairs
// ("a=1&&b=2") are skipped, as browsers do.
//
// Thread-safety: pure functions.
#ifndef CHECKIN_DAEMON_FORM_BODY_H_
#define CHECKIN_DAEMON_FORM_BODY_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "checkin/status.h"

namespace checkin {

// Form parameters in the order they were sent; repeated names kept.
using FormParams = std::vector<std::pair<std::string, std::string>>;

// InvalidArgument naming the offending pair's position and the reason.
Result<FormParams> ParseFormBody(std::string_view body);

// The first value of `name`, if any.
std::optional<std::string> FormValue(const FormParams& params, std::string_view name);

// Percent-encodes for a form body (RFC 3986 unreserved kept, space as %20).
std::string FormEncode(const FormParams& params);

}  // namespace checkin

#endif  // CHECKIN_DAEMON_FORM_BODY_H_
