// What to write instead of a character that switches a text to UCS-2 (70
// characters per segment instead of 160): the GSM-7 replacements that
// `checkinctl lint` suggests. The table is gsm_replacements.cc.
//
// Thread-safety: a pure function over immutable static data.
#ifndef CHECKIN_DAEMON_CTL_GSM_REPLACEMENTS_H_
#define CHECKIN_DAEMON_CTL_GSM_REPLACEMENTS_H_

#include <optional>
#include <string>

namespace checkin {

// The GSM-7 text to write instead of `c` ("" = delete it, it is invisible),
// for the characters that slip into texts from word processors and phones;
// nullopt when there is none.
std::optional<std::string> GsmReplacement(char32_t c);

}  // namespace checkin

#endif  // CHECKIN_DAEMON_CTL_GSM_REPLACEMENTS_H_
