// Reading Twilio's answers: a Message resource (a send's 201), a page of
// the Messages list (GET .../Messages.json, newest first), an error's code,
// Twilio's RFC 2822 dates, and when a listing has gone back far enough to
// stop. TwilioClient does the HTTP; this is the JSON and the rules.
//
// Why the list is read without Twilio's DateSent filter: DateSent filters by
// the message's date_sent, which stays null until Twilio sends the message
// (the OpenAPI file's DateSent parameter and date_sent property), so a
// message Twilio took but still holds as queued or accepted is not in a
// DateSent>= list. Checking an in-doubt send against that list texted the
// member a second time. docs/twilio.md has the sources.
//
// Thread-safety: pure functions.
#ifndef CHECKIN_DAEMON_TWILIO_MESSAGE_JSON_H_
#define CHECKIN_DAEMON_TWILIO_MESSAGE_JSON_H_

#include <optional>
#include <string>
#include <vector>

#include "checkin/clock.h"
#include "checkin/sms_sender.h"
#include "checkin/status.h"

namespace checkin {

struct MessagePage {
  std::vector<SentMessage> messages;  // in the order Twilio listed them
  std::string next_page_uri;          // empty on the last page
};

// A Message resource; nullopt when `json` is not one or has no sid.
// num_segments comes as a string ("1"); numbers are taken too.
std::optional<SentMessage> ParseMessage(const std::string& json);

// Internal when `json` is not a page of Twilio's Messages list.
Result<MessagePage> ParseMessagePage(const std::string& json);

// The "code" of Twilio's error JSON ({code, message, more_info, status}), or 0.
int ParseErrorCode(const std::string& json);

// "Fri, 04 Dec 2026 10:00:00 +0000" (any numeric zone); nullopt otherwise.
std::optional<Instant> ParseRfc2822(const std::string& text);

// Whether `m` can be the message of an attempt made at or after `cutoff`:
// created then or later, or of unknown creation (kept: a message wrongly
// kept is only compared, one wrongly dropped is texted again).
bool CreatedSince(const SentMessage& m, Instant cutoff);

// Whether a newest-first listing that reached `last` holds nothing further
// created at or after `cutoff`. Twilio documents the list as sorted by
// date_sent, newest first, without saying where unsent messages (date_sent
// null) go; this holds whether the order is by date_created or by date_sent
// with unsent messages first: `last` must have been both created and sent
// before `cutoff`. A last message that is unsent, or undated, never stops
// the listing (the page limit still does).
bool ListingPassed(const SentMessage& last, Instant cutoff);

}  // namespace checkin

#endif  // CHECKIN_DAEMON_TWILIO_MESSAGE_JSON_H_
