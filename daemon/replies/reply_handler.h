// ReplyHandler: what checkind does with one inbound text and one status
// callback, once their signatures have been checked (webhook_server.h).
//
// An inbound text, in this order (docs/replies.md):
//   1. its MessageSid is claimed: a duplicate (Twilio retrying) gets the
//      answer the first one got and changes nothing;
//   2. the sender: members reminded at that number (From, normalised to
//      E.164), whose record still has that number;
//   S. safeguarding, before anything else is read (docs/safeguarding.md):
//      a text that raises a concern (safeguarding/concern_classifier.h),
//      from anyone, is recorded and alerted (safeguarding/concerns.h) and
//      answered with the `concern` text; nothing else happens to it (no
//      rsvp, no inbox). An "OK" from a contact with an open concern alerted
//      to her acknowledges it;
//   3. a whole-message keyword: STOP & co set opted_out=1 and cancel her
//      waiting jobs; START/UNSTOP set it back to 0 (Twilio answers those
//      itself, so we answer nothing); HELP/INFO get the help template;
//   4. the session: the one she was last reminded of that has not ended and
//      is not cancelled;
//   5. yes/no/maybe (intent.h) -> session rsvp, and the reply_<intent>
//      template; anything unclear, or with no session or no known sender,
//      goes to the inbox and is forwarded to the group's coordinator (a
//      kForward job, sent like reminders), with reply_unclear when a session
//      was in context.
// Every answer is TwiML. Bodies and numbers are logged only at debug level.
//
// Thread-safety: Handle* may be called from many threads at once.
#ifndef CHECKIN_DAEMON_REPLY_HANDLER_H_
#define CHECKIN_DAEMON_REPLY_HANDLER_H_

#include <spdlog/logger.h>

#include <memory>
#include <functional>
#include <mutex>
#include <string>

#include "checkin/clock.h"
#include "checkin/config.h"
#include "checkin/reply_store.h"
#include "checkin/store.h"
#include "replies/intent.h"
#include "safeguarding/concern_classifier.h"
#include "safeguarding/concerns.h"
#include "schema/session_source.h"

namespace checkin {

struct InboundSms {
  std::string message_sid;
  std::string from;  // as Twilio sent it (E.164, maybe "whatsapp:+44...")
  std::string to;
  std::string body;
};

struct ReplyResult {
  std::string twiml;  // the whole answer, <?xml ...?><Response>...</Response>
  // What happened, for metrics and tests: yes, no, maybe, unclear, opt_out,
  // opt_in, help, unknown_sender, no_session, duplicate.
  std::string label;
  std::string member_id;   // "" when the sender is unknown
  std::string session_id;  // "" when no session was in context
};

struct ReplyHandlerOptions {
  std::shared_ptr<Clock> clock;            // Default: Clock::Real()
  std::shared_ptr<spdlog::logger> logger;  // Default: NullLogger()
  int sessions_considered = 5;             // latest reminders looked at per member
  std::chrono::hours forward_useful_for{24};  // a forward not sent by then is dropped
  std::function<void()> on_alert;  // a safeguarding alert was queued (wakes the loop); may be empty
};

class ReplyHandler {
 public:
  ReplyHandler(Store& store, ReplyStore& replies, SessionSource& sessions, Concerns& concerns,
               ReplyHandlerOptions options);

  // Builds the classifiers for `config` now (the concern check compiles its
  // phrases, concepts and model in about 150 ms), so that the first text
  // after a start or a reload does not wait for them. Call it before the
  // new config is used: replies handled meanwhile keep the classifiers
  // they have.
  void Prepare(const std::shared_ptr<const Config>& config);

  // Unavailable when Redis cannot be reached: nothing was recorded, and the
  // MessageSid is free again so Twilio's retry is processed.
  Result<ReplyResult> HandleSms(std::shared_ptr<const Config> config, const InboundSms& sms);

  // A status callback: 1 recorded, 2 kept until the sid is recorded, 0
  // ignored (older than what is recorded, or an unknown status).
  Result<int> HandleStatus(const std::string& message_sid, const std::string& status, int error_code);

 private:
  struct Context;
  Result<ReplyResult> Process(const std::shared_ptr<const Config>& config, const InboundSms& sms);
  Result<Context> FindContext(const Config& config, const std::string& phone);
  // `keyword` is ClassifyKeyword(sms.body): not an opt-out or opt-in here.
  Result<ReplyResult> Answer(const Config& config, const IntentClassifier& intents, const InboundSms& sms,
                             ReplyKeyword keyword, Context& ctx);
  // The classifiers for `config`, made again when the config is reloaded.
  std::shared_ptr<const IntentClassifier> ClassifierFor(const std::shared_ptr<const Config>& config);
  std::shared_ptr<const ConcernClassifier> ConcernClassifierFor(const std::shared_ptr<const Config>& config);
  // Step S above; nullopt when the text is neither a concern nor an OK.
  Result<std::optional<ReplyResult>> Safeguarding(const Config& config, const ConcernClassifier& concerns,
                                                  const InboundSms& sms, const Context& ctx);
  Status ToInbox(const InboundSms& sms, const Context& ctx, const std::string& reason);

  Store& store_;
  ReplyStore& replies_;
  SessionSource& sessions_;
  ReplyHandlerOptions options_;
  std::shared_ptr<spdlog::logger> log_;
  std::mutex mu_;
  std::shared_ptr<const IntentClassifier> classifier_;
  Concerns& concerns_;
  std::shared_ptr<const Config> concern_config_;  // what concern_classifier_ was made from
  std::shared_ptr<const ConcernClassifier> concern_classifier_;
};

// TwiML: <Response/> when `message` is empty, else one <Message>, escaped.
std::string TwimlMessage(const std::string& message);

}  // namespace checkin

#endif  // CHECKIN_DAEMON_REPLY_HANDLER_H_
