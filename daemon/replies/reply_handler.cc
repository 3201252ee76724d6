#include "replies/reply_handler.h"

#include "replies/intent.h"
#include "base/logging.h"
#include "base/phone.h"
#include "plan/job_ids.h"
#include "schema/records.h"
#include "schema/recurrence.h"
#include "twilio/errors.h"
#include "config/templates.h"
#include "text/normalize.h"
#include "text/utf8.h"

namespace checkin {
namespace {

constexpr const char* kXmlHead = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";

// A number as Twilio writes it ("whatsapp:+44...") in E.164, or "".
std::string SenderPhone(const std::string& from, const std::string& region) {
  std::string raw = from;
  const auto colon = raw.find(':');
  if (colon != std::string::npos) raw = raw.substr(colon + 1);
  auto phone = NormalizePhone(raw, region);
  return phone.ok() ? *phone : std::string();
}

// A safeguarding contact taking a concern on: "OK", "ok thanks", "Okay, calling her now".
bool IsAcknowledgement(const std::string& body) {
  const std::vector<std::string> words = WordKeys(NormalizeReplyText(body));
  return !words.empty() && (words[0] == "ok" || words[0] == "okay") && words.size() <= 8;
}

std::string Truncated(const std::string& text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  return text.substr(0, Utf8PrefixLength(text, max_bytes)) + "...";
}

// A read of the index of members by number (P phone:<e164>) that failed
// for a reason other than Redis being down, as reported: the key names her
// number, so the report masks it.
Status PhoneIndexError(const Status& error, const std::string& phone) {
  std::string message = error.message();
  for (size_t at = message.find(phone); at != std::string::npos; at = message.find(phone, at)) {
    message.replace(at, phone.size(), MaskPhone(phone));
  }
  return Status::InvalidArgument(message);
}

// Whether XML 1.0 allows `c` in a document (its Char production); a
// control character or U+FFFE makes Twilio refuse the whole answer.
bool IsXmlChar(char32_t c) {
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) ||
         (c >= 0x10000 && c <= 0x10FFFF);
}

}  // namespace

// Text content needs only &, < and > escaped; quotes stay as written so the
// TwiML reads naturally in logs and tests. The text comes partly from Redis
// (names, titles, venues written by other systems): an invalid UTF-8 byte
// becomes U+FFFD and characters XML cannot hold are dropped, so the answer
// is always a document Twilio can read (found by tests/fuzz/templates_fuzz.cc).
std::string TwimlMessage(const std::string& message) {
  if (message.empty()) return std::string(kXmlHead) + "<Response/>";
  std::string escaped;
  escaped.reserve(message.size() + 16);
  for (size_t i = 0; i < message.size();) {
    const size_t start = i;
    const char32_t c = NextCodePoint(message, i);
    switch (c) {
      case '&': escaped += "&amp;"; break;
      case '<': escaped += "&lt;"; break;
      case '>': escaped += "&gt;"; break;
      default:
        if (!IsXmlChar(c)) break;
        if (c == kReplacementCharacter) {
          escaped += "\xEF\xBF\xBD";
        } else {
          escaped.append(message, start, i - start);
        }
    }
  }
  return std::string(kXmlHead) + "<Response><Message>" + escaped + "</Message></Response>";
}

struct ReplyHandler::Context {
  std::string phone;                        // E.164, "" when From is not a number
  std::vector<Member> members;              // reminded at that number
  std::optional<Member> member;             // the one the reply is from
  std::optional<PlannableSession> session;  // in context: reminded, not ended
  std::optional<PlannableSession> last;     // latest reminded, even if ended
  Instant now;
};

ReplyHandler::ReplyHandler(Store& store, ReplyStore& replies, SessionSource& sessions, Concerns& concerns,
                           ReplyHandlerOptions options)
    : store_(store), replies_(replies), sessions_(sessions), options_(std::move(options)), concerns_(concerns) {
  if (!options_.clock) options_.clock = Clock::Real();
  log_ = options_.logger ? options_.logger : NullLogger();
}

void ReplyHandler::Prepare(const std::shared_ptr<const Config>& config) {
  ClassifierFor(config);
  ConcernClassifierFor(config);
}

std::shared_ptr<const IntentClassifier> ReplyHandler::ClassifierFor(const std::shared_ptr<const Config>& config) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!classifier_ || classifier_->config() != config) classifier_ = std::make_shared<IntentClassifier>(config);
  return classifier_;
}

std::shared_ptr<const ConcernClassifier> ReplyHandler::ConcernClassifierFor(
    const std::shared_ptr<const Config>& config) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (concern_classifier_ && concern_config_ == config) return concern_classifier_;
  }
  // Compiled outside the lock: replies for the config in use are not held up.
  auto made = ConcernClassifier::Create(config->safeguarding.phrases);
  if (!made.ok()) {
    // The daemon checks the phrases before it applies a config; should one
    // slip through, the shipped lists still guard every text.
    log_->error("safeguarding.phrases not used: {}", made.status().ToString());
    made = ConcernClassifier::Create({});
  }
  if (!made.ok()) {
    log_->critical("the shipped concern phrases do not compile: {}", made.status().ToString());
    return nullptr;
  }
  auto classifier = std::make_shared<const ConcernClassifier>(std::move(*made));
  std::lock_guard<std::mutex> lock(mu_);
  concern_config_ = config;
  concern_classifier_ = classifier;
  return classifier;
}

Result<std::optional<ReplyResult>> ReplyHandler::Safeguarding(const Config& config, const ConcernClassifier& classifier,
                                                              const InboundSms& sms, const Context& ctx) {
  const std::string phone = ctx.phone.empty() ? sms.from : ctx.phone;
  const std::string language = ctx.member ? ctx.member->language : "";
  if (const auto match = classifier.Check(sms.body, language)) {
    const PlannableSession* about = ctx.session ? &*ctx.session : ctx.last ? &*ctx.last : nullptr;
    ConcernSource source{sms.message_sid, phone, sms.body, language.empty() ? config.default_language : language,
                         ctx.member ? &*ctx.member : nullptr, about ? &about->group : nullptr,
                         ctx.session ? &ctx.session->session : nullptr, ConcernCategoryName(match->category)};
    auto concern = concerns_.Raise(config, source);
    if (!concern.ok()) return concern.status();
    if (options_.on_alert) options_.on_alert();
    std::map<std::string, std::string> vars = {{"name", ctx.member ? ctx.member->name : ""}, {"phone", phone},
                                               {"body", ""}, {"group", about ? about->group.name : ""}};
    // The text of the group she is in touch about, when one is known.
    const Config& settings = about ? config.ForGroup(about->group.id) : config;
    const std::string text = RenderTemplate(settings.Template(source.language, TemplateKind::kConcern), vars);
    return std::optional<ReplyResult>(
        ReplyResult{TwimlMessage(text), "concern", ctx.member ? ctx.member->id : "", ctx.session ? ctx.session->session.id : ""});
  }
  if (ctx.phone.empty() || !IsAcknowledgement(sms.body)) return std::optional<ReplyResult>();
  auto open = concerns_.OpenConcernAlertedTo(ctx.phone);
  if (!open.ok()) return open.status();
  if (!*open) return std::optional<ReplyResult>();
  auto ack = concerns_.Acknowledge(config, **open, ctx.phone, ctx.now);
  if (!ack.ok()) return ack.status();
  if (options_.on_alert) options_.on_alert();  // the "taken on" notices
  const std::string text = RenderTemplate(config.Template(config.default_language, TemplateKind::kConcernAcknowledged),
                                          {{"name", ack->concern.name.empty() ? "her" : ack->concern.name}});
  return std::optional<ReplyResult>(ReplyResult{TwimlMessage(text), "concern_ack", "", ack->concern.session});
}

Result<ReplyResult> ReplyHandler::HandleSms(std::shared_ptr<const Config> config, const InboundSms& sms) {
  auto claim = replies_.ClaimMessage(sms.message_sid);
  if (!claim.ok()) return claim.status();
  if (claim->kind != MessageClaim::Kind::kNew) {
    log_->info("reply {}: duplicate webhook, answered as before", sms.message_sid);
    const std::string answer = claim->kind == MessageClaim::Kind::kDone ? claim->answer : TwimlMessage("");
    return ReplyResult{answer, "duplicate", "", ""};
  }
  auto result = Process(config, sms);
  if (!result.ok()) {
    (void)replies_.ReleaseMessage(sms.message_sid);  // best effort; the claim also expires
    return result.status();
  }
  Status kept = replies_.FinishMessage(sms.message_sid, result->twiml);
  if (!kept.ok()) log_->warn("reply {}: answer not kept for duplicates: {}", sms.message_sid, kept.ToString());
  return result;
}

Result<ReplyHandler::Context> ReplyHandler::FindContext(const Config& config, const std::string& phone) {
  Context ctx;
  ctx.phone = phone;
  ctx.now = std::chrono::time_point_cast<std::chrono::seconds>(options_.clock->Now());
  if (phone.empty()) return ctx;
  // A key of the wrong type is reported once and left out: the reply is
  // still answered, as from whoever else the number finds.
  BadRecordReporter& bad = sessions_.reporter();
  auto ids = replies_.MembersAtPhone(phone);
  if (!ids.ok() && ids.status().IsUnavailable()) return ids.status();
  if (!ids.ok()) bad.Report(sessions_.key_prefix() + "phone:" + MaskPhone(phone), PhoneIndexError(ids.status(), phone));
  auto fields = store_.MembersFields(ids.ok() ? *ids : std::vector<std::string>{});
  if (!fields.ok()) return fields.status();
  const RecordDefaults defaults = RecordDefaultsOf(config);
  for (const auto& [id, record] : *fields) {
    if (!record.ok()) {
      bad.Report(sessions_.key_prefix() + "member:" + id, record.status());
      continue;
    }
    auto member = ParseMember(id, *record, defaults);
    if (!member.ok() || member->phone != phone) {
      (void)replies_.ForgetMemberAtPhone(phone, id);  // gone, broken or another number now
      continue;
    }
    ctx.members.push_back(*member);
  }
  Instant best_at = Instant::min();
  Instant last_at = Instant::min();
  for (const Member& m : ctx.members) {
    auto reminded = replies_.RemindedSessions(m.id, options_.sessions_considered);
    if (!reminded.ok() && reminded.status().IsUnavailable()) return reminded.status();
    if (!reminded.ok()) {
      bad.Report(sessions_.key_prefix() + "reminded:" + m.id, reminded.status());
      continue;
    }
    for (const auto& [session_id, at] : *reminded) {
      if (at <= best_at) break;  // latest first: nothing later for this member
      // An occurrence is looked up around the start its id carries.
      auto ps = sessions_.LoadSession(session_id, ApproximateOccurrenceStart(session_id).value_or(at));
      if (!ps.ok()) {
        if (ps.status().IsUnavailable()) return ps.status();
        continue;  // deleted or broken since: not a context
      }
      if (at > last_at) {
        last_at = at;
        ctx.last = *ps;
        if (!ctx.member) ctx.member = m;
      }
      if (ps->session.cancelled || ctx.now >= ps->session.ends_at) continue;
      best_at = at;
      ctx.session = std::move(*ps);
      ctx.member = m;
      break;
    }
  }
  if (!ctx.member && !ctx.members.empty()) ctx.member = ctx.members.front();
  return ctx;
}

Result<ReplyResult> ReplyHandler::Process(const std::shared_ptr<const Config>& config, const InboundSms& sms) {
  auto ctx = FindContext(*config, SenderPhone(sms.from, config->region));
  if (!ctx.ok()) return ctx.status();
  const std::string masked = ctx->phone.empty() ? "(not a phone number)" : MaskPhone(ctx->phone);
  log_->debug("reply {} from {}: {}", sms.message_sid, ctx->phone, sms.body);
  if (auto concerns = ConcernClassifierFor(config)) {
    auto safeguarding = Safeguarding(*config, *concerns, sms, *ctx);
    if (!safeguarding.ok()) return safeguarding.status();
    if (*safeguarding) return std::move(**safeguarding);
  }
  const ReplyKeyword keyword = ClassifyKeyword(sms.body);

  if (keyword == ReplyKeyword::kOptOut || keyword == ReplyKeyword::kOptIn) {
    const bool out = keyword == ReplyKeyword::kOptOut;
    const Millis now_ms = UnixMillis(options_.clock->Now());
    for (const Member& m : ctx->members) {
      CHECKIN_RETURN_IF_ERROR(store_.SetOptedOut(m.id, out));
      if (out) {
        auto cancelled = replies_.CancelMemberJobs(m.id, "member opted out (replied STOP)", now_ms);
        if (!cancelled.ok()) return cancelled.status();
        log_->info("reply {}: member {} at {} opted out; {} waiting job(s) cancelled", sms.message_sid, m.id,
                   masked, *cancelled);
      } else {
        log_->info("reply {}: member {} at {} opted back in", sms.message_sid, m.id, masked);
      }
    }
    if (ctx->members.empty()) log_->info("reply {}: {} from unknown number {}", sms.message_sid,
                                         ReplyKeywordName(keyword), masked);
    // Twilio answers these keywords itself (Advanced Opt-Out); a second
    // answer would be refused with 21610 anyway.
    const std::string member_id = ctx->member ? ctx->member->id : "";
    return ReplyResult{TwimlMessage(""), out ? "opt_out" : "opt_in", member_id, ""};
  }
  return Answer(*config, *ClassifierFor(config), sms, keyword, *ctx);
}

Result<ReplyResult> ReplyHandler::Answer(const Config& config, const IntentClassifier& intents, const InboundSms& sms,
                                         ReplyKeyword keyword, Context& ctx) {
  const std::string masked = ctx.phone.empty() ? "(not a phone number)" : MaskPhone(ctx.phone);
  if (!ctx.member) {
    CHECKIN_RETURN_IF_ERROR(ToInbox(sms, ctx, "unknown_sender"));
    log_->info("reply {}: from unknown number {}; to the inbox", sms.message_sid, masked);
    return ReplyResult{TwimlMessage(""), "unknown_sender", "", ""};
  }
  const Member& member = *ctx.member;
  std::map<std::string, std::string> vars = {{"name", member.name}, {"title", ""}, {"group", ""}, {"venue", ""},
                                             {"day", ""},           {"time", ""},  {"date", ""}};
  // The answers of the session's group (its group file over the main file).
  const Config& settings = ctx.session ? config.ForGroup(ctx.session->session.group_id) : config;
  if (ctx.session) {
    vars = MessageVars(settings, member, ctx.session->session, ctx.session->group, ctx.session->zone, ctx.now);
  }
  const std::string session_id = ctx.session ? ctx.session->session.id : "";
  auto answer = [&](TemplateKind kind) { return TwimlMessage(RenderTemplate(settings.Template(member.language, kind), vars)); };

  if (keyword == ReplyKeyword::kHelp) {
    log_->info("reply {}: help asked by member {} at {}", sms.message_sid, member.id, masked);
    return ReplyResult{answer(TemplateKind::kHelp), "help", member.id, session_id};
  }
  if (!ctx.session) {
    CHECKIN_RETURN_IF_ERROR(ToInbox(sms, ctx, "no_session"));
    log_->info("reply {}: member {} at {} has no session in context; to the inbox", sms.message_sid, member.id,
               masked);
    return ReplyResult{TwimlMessage(""), "no_session", member.id, ""};
  }
  const Intent intent = intents.Classify(sms.body, member.language);
  if (intent == Intent::kUnclear) {
    CHECKIN_RETURN_IF_ERROR(ToInbox(sms, ctx, "unclear"));
    log_->info("reply {}: member {} about {}: unclear; to the inbox", sms.message_sid, member.id, session_id);
    return ReplyResult{answer(TemplateKind::kReplyUnclear), "unclear", member.id, session_id};
  }
  Status kept = replies_.SetRsvp(session_id, member.id, IntentName(intent), ctx.session->session.ends_at + config.retention);
  if (kept.IsUnavailable()) return kept;
  // The session's rsvp key of the wrong type: said once; she is still answered.
  if (!kept.ok()) sessions_.reporter().Report(sessions_.key_prefix() + "session:" + session_id + ":rsvp", kept);
  log_->info("reply {}: member {} about {}: {}", sms.message_sid, member.id, session_id, IntentName(intent));
  const TemplateKind kind = intent == Intent::kYes  ? TemplateKind::kReplyYes
                            : intent == Intent::kNo ? TemplateKind::kReplyNo
                                                    : TemplateKind::kReplyMaybe;
  return ReplyResult{answer(kind), IntentName(intent), member.id, session_id};
}

Status ReplyHandler::ToInbox(const InboundSms& sms, const Context& ctx, const std::string& reason) {
  const PlannableSession* about = ctx.session ? &*ctx.session : ctx.last ? &*ctx.last : nullptr;
  InboxEntry entry;
  entry.member = ctx.member ? ctx.member->id : "";
  entry.group = about ? about->group.id : "";
  entry.session = ctx.session ? ctx.session->session.id : "";
  entry.body = sms.body;
  entry.from = ctx.phone.empty() ? sms.from : ctx.phone;
  entry.reason = reason;
  entry.received_at = FormatRfc3339(ctx.now);
  Status appended = replies_.AppendInbox(entry);
  if (appended.IsUnavailable()) return appended;
  // The inbox of the wrong type: said once; the coordinator is still told.
  if (!appended.ok()) sessions_.reporter().Report(sessions_.key_prefix() + "inbox", appended);
  if (!about || about->group.coordinator_phone.empty() || !ctx.member) return Status::OK();

  // Forward to the coordinator, sent like a reminder (exactly once: the job
  // id comes from the MessageSid).
  const std::string what = ctx.session ? about->session.title : "no session in context";
  JobSpec job;
  job.id = ForwardJobId(sms.message_sid);
  job.kind = JobKind::kForward;
  job.session_id = entry.session;
  job.member_id = entry.member;
  job.to = about->group.coordinator_phone;
  job.body = "checkin: " + ctx.member->name + " (" + MaskPhone(ctx.phone) + ") about " + what + ": \"" +
             Truncated(sms.body, 300) + "\"";
  job.planned_at = ctx.now;
  job.due_at = ctx.now;
  job.session_starts_at = ctx.now + options_.forward_useful_for;
  auto created = store_.CreateJobs({job}, UnixMillis(options_.clock->Now()));
  return created.ok() ? Status::OK() : created.status();
}

Result<int> ReplyHandler::HandleStatus(const std::string& message_sid, const std::string& status, int error_code) {
  const std::string meaning = error_code != 0 ? TwilioErrorMeaning(error_code) : "";
  auto r = replies_.RecordDeliveryStatus(message_sid, status, error_code,
                                         meaning.empty() && error_code != 0
                                             ? std::to_string(error_code) + " (see Twilio's error dictionary)"
                                             : meaning,
                                         UnixMillis(options_.clock->Now()));
  if (!r.ok()) return r.status();
  if (error_code != 0) {
    log_->warn("message {}: {}{}", message_sid, status, meaning.empty() ? "" : ", " + meaning);
  } else {
    log_->debug("message {}: {}", message_sid, status);
  }
  return r;
}

}  // namespace checkin
