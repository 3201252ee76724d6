#include "dispatch/job_runner.h"

#include <algorithm>
#include <cstdio>

#include "schema/attendance.h"
#include "base/sha256.h"
#include "base/logging.h"
#include "twilio/errors.h"
#include "base/phone.h"
#include "plan/planner.h"
#include "plan/send_rules.h"
#include "schema/records.h"
#include "text/segments.h"
#include "config/templates.h"
#include "time/zone.h"

namespace checkin {

DispatchStats& DispatchStats::operator+=(const DispatchStats& o) {
  claimed += o.claimed;
  sent += o.sent;
  reconciled += o.reconciled;
  skipped += o.skipped;
  failed += o.failed;
  retried += o.retried;
  lost += o.lost;
  twilio_429 += o.twilio_429;
  twilio_5xx += o.twilio_5xx;
  twilio_network += o.twilio_network;
  twilio_permanent += o.twilio_permanent;
  twilio_account += o.twilio_account;
  deferred += o.deferred;
  paused += o.paused;
  return *this;
}

namespace {

// One job's journey; every exit goes through Finish so stats and logs agree.
class Run {
 public:
  Run(const ClaimedJob& job, JobContext& ctx)
      : job_(job),
        ctx_(ctx),
        log_(ctx.options.logger ? ctx.options.logger : NullLogger()),
        now_(ctx.options.clock->Now()),
        now_ms_(UnixMillis(now_)),
        now_s_(std::chrono::time_point_cast<std::chrono::seconds>(now_)),
        short_id_(job.spec.id.substr(0, 8)) {}

  DispatchStats Go();

 private:
  // Steps 1 and 2 for each kind, and the text to send; false when the job
  // was finished (skipped or put back).
  bool Prepare(OutgoingMessage& msg);
  // A reminder, follow-up or cancellation to the job's member.
  bool MemberTextWanted();
  bool DigestWanted(OutgoingMessage& msg);
  // A fixed text (kForward, kAlert): only its deadline, and quiet hours for
  // forwards (a safeguarding alert goes at any hour).
  bool FixedTextStillWanted();

  // The checks the kinds share; each finishes the job when it says false.
  // The member (exists and is valid), the session (exists and is readable)
  // and her answer, read together: a one-off session's hash and the answer
  // come in the member's round trip, then only the group is read.
  bool LoadMemberAndSession();
  // The send-time rules (plan/send_rules.h); `member` is null for the digest.
  bool StillWanted(const Session& s, const Member* member);
  bool NotSuperseded();  // no later text of the same session due too
  // `quiet`: the quiet hours of the text's group (Config::ForGroup), or the
  // main file's for a text to a coordinator.
  bool OutsideQuietHours(const std::optional<QuietHours>& quiet, const date::time_zone* zone, Instant starts_at);
  RecordDefaults Defaults() const { return RecordDefaultsOf(ctx_.config); }
  OutgoingMessage MemberMessage(TemplateKind kind) const;
  // Step 3; true when the job was settled from Twilio's list (or put back).
  bool SettledFromTwilio(const OutgoingMessage& msg);
  // The shared send rate (Redis token bucket); false when the job was put back.
  bool RateAllows(const OutgoingMessage& msg);
  void SendNow(const OutgoingMessage& msg);
  void OnRetryable(const SendResult& r);
  void OnPermanent(const SendResult& r, const OutgoingMessage& msg);
  // Twilio refused the account, the sender or the service: pause everyone,
  // put the job back unattempted.
  void OnAccountError(const SendResult& r);
  // Back in the queue, unattempted, at the job's own due time (alerts are
  // due at the epoch, so they stay first in the queue).
  void PutBackPaused(const std::string& reason, int error_code, bool not_attempted);

  void Finish(const JobOutcome& outcome);
  void Skip(const std::string& reason) {
    JobOutcome o;
    o.kind = JobOutcome::Kind::kSkipped;
    o.reason = reason;
    Finish(o);
  }
  void Retry(Millis next_due, const std::string& reason, bool in_doubt, int error_code = 0) {
    JobOutcome o;
    o.kind = JobOutcome::Kind::kRetry;
    o.next_due = next_due;
    o.reason = reason;
    o.in_doubt = in_doubt;
    o.error_code = error_code;
    Finish(o);
  }
  void RetryUnavailable(const Status& s) {
    log_->warn("job {}: {}; retrying in {}s", short_id_, s.ToString(), ctx_.config.twilio.unavailable_retry.count());
    Retry(now_ms_ + std::chrono::milliseconds(ctx_.config.twilio.unavailable_retry).count(), s.message(), job_.in_doubt);
  }

  const ClaimedJob& job_;
  JobContext& ctx_;
  std::shared_ptr<spdlog::logger> log_;
  const Clock::WallTime now_;
  const Millis now_ms_;
  const Instant now_s_;
  const std::string short_id_;
  Member member_;
  PlannableSession ps_;
  std::optional<std::string> rsvp_;  // her answer to the session, read with her record
  DispatchStats stats_;
  bool deferred_ = false;  // put back by the rate limit, not by a failure
  bool paused_ = false;    // put back by the account pause
};

void Run::Finish(const JobOutcome& outcome) {
  auto done = ctx_.store.FinishJob(job_.spec.id, ctx_.options.owner, outcome, now_ms_);
  if (!done.ok() || !*done) {
    // Redis down or lease lost: the lease ends and the job comes back.
    log_->warn("job {}: outcome not recorded ({}); its lease will bring it back", short_id_,
               done.ok() ? "lease lost" : done.status().ToString());
    stats_.lost++;
    return;
  }
  switch (outcome.kind) {
    case JobOutcome::Kind::kSent: (outcome.reconciled ? stats_.reconciled : stats_.sent)++; break;
    case JobOutcome::Kind::kFailed: stats_.failed++; break;
    case JobOutcome::Kind::kSkipped:
      stats_.skipped++;
      log_->info("job {}: skipped, {}", short_id_, outcome.reason);
      break;
    case JobOutcome::Kind::kRetry: (paused_ ? stats_.paused : deferred_ ? stats_.deferred : stats_.retried)++; break;
  }
}

bool Run::LoadMemberAndSession() {
  auto reads = ctx_.store.ReadForSend(job_.spec.member_id, job_.spec.session_id);
  if (!reads.ok()) return RetryUnavailable(reads.status()), false;
  // A key of the wrong type is reported once (under its own name) and this
  // job skipped, except her answer's: unreadable, it is no answer.
  BadRecordReporter& bad = ctx_.sessions.reporter();
  if (!reads->member_error.ok()) {
    bad.Report(ctx_.sessions.key_prefix() + "member:" + job_.spec.member_id, reads->member_error);
    return Skip("member record is unreadable (wrong type)"), false;
  }
  if (!reads->session_error.ok()) {
    bad.Report(ctx_.sessions.key_prefix() + "session:" + job_.spec.session_id, reads->session_error);
    return Skip("session record is unreadable (wrong type)"), false;
  }
  if (!reads->rsvp_error.ok()) {
    bad.Report(ctx_.sessions.key_prefix() + "session:" + job_.spec.session_id + ":rsvp", reads->rsvp_error);
  }
  if (reads->member.empty()) return Skip("member no longer exists"), false;
  auto member = ParseMember(job_.spec.member_id, reads->member, Defaults());
  if (!member.ok()) return Skip("member record is invalid: " + member.status().message()), false;
  member_ = std::move(*member);
  rsvp_ = reads->rsvp;
  // An occurrence of a schedule is generated, not read: SessionSource does it.
  auto ps = SessionSource::IsOccurrenceId(job_.spec.session_id)
                ? ctx_.sessions.LoadSession(job_.spec.session_id, job_.spec.session_starts_at)
                : ctx_.sessions.SessionFromFields(job_.spec.session_id, reads->session);
  if (!ps.ok() && ps.status().IsUnavailable()) return RetryUnavailable(ps.status()), false;
  if (!ps.ok()) return Skip("session unusable: " + ps.status().message()), false;
  ps_ = std::move(*ps);
  return true;
}

bool Run::StillWanted(const Session& s, const Member* member) {
  const SendCheck check{job_.spec.kind, &s, job_.spec.session_starts_at, member, rsvp_, now_s_};
  const std::vector<SendBlock> blocks = SendBlocks(check);
  if (blocks.empty()) return true;
  return Skip(SendBlockReason(blocks.front())), false;
}

bool Run::NotSuperseded() {
  if (job_.spec.superseded_at && *job_.spec.superseded_at <= now_s_) {
    return Skip("a later text for this session is due too"), false;
  }
  return true;
}

bool Run::OutsideQuietHours(const std::optional<QuietHours>& quiet, const date::time_zone* zone, Instant starts_at) {
  if (quiet && InQuietHours(now_s_, zone, *quiet)) {
    const Instant later = ApplyQuietHours(now_s_, starts_at, zone, *quiet);
    if (later > now_s_) return Retry(UnixMillis(later), "quiet hours", job_.in_doubt), false;
  }
  return true;
}

bool Run::MemberTextWanted() {
  if (!LoadMemberAndSession() || !StillWanted(ps_.session, &member_) || !NotSuperseded()) return false;
  return OutsideQuietHours(ctx_.config.ForGroup(ps_.session.group_id).reminders.quiet_hours, ps_.zone,
                           ps_.session.starts_at);
}

bool Run::DigestWanted(OutgoingMessage& msg) {
  // The counts are read now, so the coordinator gets the latest answers.
  AttendanceReader reader(ctx_.store, ctx_.sessions, Defaults());
  auto a = reader.ForSession(job_.spec.session_id, job_.spec.session_starts_at);
  if (!a.ok() && a.status().IsUnavailable()) return RetryUnavailable(a.status()), false;
  if (!a.ok()) return Skip("session unusable: " + a.status().message()), false;
  if (!StillWanted(a->session, nullptr)) return false;
  if (a->group.coordinator_phone.empty()) return Skip("group has no coordinator phone"), false;
  const Config& settings = ctx_.config.ForGroup(a->group.id);
  if (!OutsideQuietHours(settings.reminders.quiet_hours, a->zone, a->session.starts_at)) return false;
  Member coordinator;  // {name} is empty: the group has no coordinator name
  coordinator.language = ctx_.config.default_language;
  auto vars = MessageVars(settings, coordinator, a->session, a->group, a->zone, now_s_);
  vars["coming"] = std::to_string(a->count.coming);
  vars["maybe"] = std::to_string(a->count.maybe);
  vars["not_coming"] = std::to_string(a->count.not_coming);
  vars["no_answer"] = std::to_string(a->count.no_answer);
  msg.to = a->group.coordinator_phone;
  msg.body = RenderTemplate(settings.Template(ctx_.config.default_language, TemplateKind::kDigest), vars);
  return true;
}

bool Run::SettledFromTwilio(const OutgoingMessage& msg) {
  if (!job_.in_doubt) return false;
  // Wait from the latest attempt: Twilio's list may lag behind that one too.
  const Millis check_at = std::max(job_.first_sending_at, job_.last_sending_at) + std::chrono::milliseconds(ctx_.config.twilio.reconcile_after).count();
  if (now_ms_ < check_at) return Retry(check_at, "in doubt: waiting for Twilio's list", true), true;
  auto sent = ctx_.sender.ListSentTo(msg.to, msg.channel, Instant(std::chrono::seconds(job_.first_sending_at / 1000)));
  if (!sent.ok()) return RetryUnavailable(sent.status()), true;
  for (const auto& m : *sent) {
    const std::string sha = Sha256Hex(m.body);
    if (std::find(job_.doubt_bodies.begin(), job_.doubt_bodies.end(), sha) == job_.doubt_bodies.end()) continue;
    JobOutcome o;
    o.kind = JobOutcome::Kind::kSent;
    o.sid = m.sid;
    o.twilio_status = m.status;
    o.segments = m.segments;
    o.reconciled = true;
    // Any status counts: a "queued" or "accepted" one will still go out.
    log_->info("job {}: in doubt, found at Twilio as {} ({}); not sent again", short_id_, m.sid, m.status);
    Finish(o);
    return true;
  }
  log_->info("job {}: in doubt, not found at Twilio; sending", short_id_);
  return false;
}

bool Run::RateAllows(const OutgoingMessage& msg) {
  const auto& tw = ctx_.config.twilio;
  const double cost = std::max(1, CountSegments(msg.body).segments);
  if (job_.spec.kind == JobKind::kAlert) {  // never behind reminders: borrowed
    Status borrowed = ctx_.store.BorrowSendTokens(cost, tw.max_per_second, now_ms_);
    if (!borrowed.ok()) return RetryUnavailable(borrowed), false;
    return true;
  }
  auto wait = ctx_.store.TakeSendTokens(cost, tw.max_per_second, now_ms_);
  if (!wait.ok()) return RetryUnavailable(wait.status()), false;
  if (*wait == 0) return true;
  // Back in the queue until the shared bucket has tokens again; not an
  // attempt, so it counts against nothing.
  JobOutcome o;
  o.kind = JobOutcome::Kind::kRetry;
  o.next_due = now_ms_ + *wait;
  o.reason = "send rate limit (twilio.max_per_second)";
  o.in_doubt = job_.in_doubt;
  deferred_ = true;
  Finish(o);
  return false;
}

void Run::SendNow(const OutgoingMessage& msg) {
  if (!RateAllows(msg)) return;
  const auto& tw = ctx_.config.twilio;
  // The lease is extended to cover the whole request, so nobody else can
  // take the job while it may still reach Twilio.
  const Millis request_window = (tw.connect_timeout + tw.request_timeout).count() + 5000;
  // A reminder or follow-up also records that replies from her number are
  // about this session (reply_store.h), in the same round trip.
  std::optional<ReminderNote> note;
  if (job_.spec.kind == JobKind::kReminder || job_.spec.kind == JobKind::kFollowUp) {
    note = ReminderNote{member_.id, member_.phone, ps_.session.id, now_s_};
  }
  auto marked = ctx_.store.MarkSending(job_.spec.id, ctx_.options.owner, now_ms_, request_window, Sha256Hex(msg.body), note);
  if (marked.ok() && *marked == MarkSendingResult::kPaused) {
    log_->debug("job {}: sending is paused for the Twilio account; back in the queue", short_id_);
    return PutBackPaused("sending paused for the Twilio account", 0, false);
  }
  if (!marked.ok() || *marked != MarkSendingResult::kMarked) {
    log_->warn("job {}: not sent, {}", short_id_, marked.ok() ? "lease lost" : marked.status().ToString());
    stats_.lost++;
    return;
  }

  const SendResult r = ctx_.sender.Send(msg);
  if (!r.accepted()) {
    if (r.kind == SendResult::Kind::kPermanent) stats_.twilio_permanent++;
    else if (r.kind == SendResult::Kind::kAccountError) stats_.twilio_account++;
    else if (r.http_status == 429) stats_.twilio_429++;
    else if (r.http_status >= 500) stats_.twilio_5xx++;
    else if (r.http_status == 0) stats_.twilio_network++;
  }
  if (r.accepted()) {
    JobOutcome o;
    o.kind = JobOutcome::Kind::kSent;
    o.sid = r.sid;
    o.twilio_status = r.status;
    o.segments = r.segments;
    log_->info("job {}: {} for {} sent to {} as {} ({} segment{})", short_id_, JobKindName(job_.spec.kind),
               job_.spec.session_id.empty() ? "-" : job_.spec.session_id, MaskPhone(msg.to), r.sid, r.segments,
               r.segments == 1 ? "" : "s");
    log_->debug("job {}: body: {}", short_id_, msg.body);
    Finish(o);
  } else if (r.kind == SendResult::Kind::kAccountError) {
    OnAccountError(r);
  } else if (r.kind == SendResult::Kind::kPermanent) {
    OnPermanent(r, msg);
  } else {
    OnRetryable(r);
  }
}

void Run::OnPermanent(const SendResult& r, const OutgoingMessage& msg) {
  JobOutcome o;
  o.kind = JobOutcome::Kind::kFailed;
  o.error_code = r.error_code;
  const std::string meaning = TwilioErrorMeaning(r.error_code);
  o.reason = meaning.empty() ? r.error_message : meaning;
  log_->warn("job {}: Twilio refused the {} to {} for good: {} (HTTP {})", short_id_, JobKindName(job_.spec.kind),
             MaskPhone(msg.to), o.reason, r.http_status);
  if (IsOptOutError(r.error_code) && IsMemberJob(job_.spec.kind)) {
    Status s = ctx_.store.SetOptedOut(member_.id, true);
    if (!s.ok()) log_->warn("job {}: could not record opt-out: {}", short_id_, s.ToString());
  }
  Finish(o);
}

void Run::OnAccountError(const SendResult& r) {
  const auto& tw = ctx_.config.twilio;
  const std::string meaning = TwilioErrorMeaning(r.error_code);
  const std::string reason = meaning.empty() ? r.error_message : meaning;
  auto pause = ctx_.store.PauseForAccountError(job_.spec.id, r.error_code, reason,
                                               std::chrono::milliseconds(tw.account_pause).count(),
                                               std::chrono::milliseconds(tw.account_pause_max).count(), now_ms_,
                                               ctx_.options.owner);
  // Info, not warn: the pause says why once a minute for every daemon (account_pause.h).
  if (pause.ok() && pause->until == 0) {
    log_->info("job {}: Twilio refused it for the account ({}, HTTP {}), but it began before a reload lifted the "
               "pause: back in the queue unattempted, for the new credentials", short_id_, reason, r.http_status);
  } else if (pause.ok()) {
    log_->info("job {}: Twilio refused it for the account, not the member ({}, HTTP {}); back in the queue "
               "unattempted, sending paused for {} s", short_id_, reason, r.http_status, (pause->until - now_ms_) / 1000);
  } else {
    log_->warn("job {}: Twilio refused it for the account ({}); back in the queue, but the pause was not recorded: {}",
               short_id_, reason, pause.status().ToString());
  }
  PutBackPaused("paused: Twilio refused the account: " + reason, r.error_code, true);
}

void Run::PutBackPaused(const std::string& reason, int error_code, bool not_attempted) {
  JobOutcome o;
  o.kind = JobOutcome::Kind::kRetry;
  o.next_due = std::min(now_ms_, UnixMillis(job_.spec.due_at));
  o.reason = reason;
  o.error_code = error_code;
  o.in_doubt = job_.in_doubt;  // Twilio refused this request: no new doubt
  o.not_attempted = not_attempted;
  paused_ = true;
  Finish(o);
}

void Run::OnRetryable(const SendResult& r) {
  const int attempts = job_.attempts + 1;
  // No answer may mean Twilio took it; a refused connection never sent it.
  const bool in_doubt = (r.http_status == 0 && !r.never_sent) || r.http_status >= 500;
  if (r.http_status == 429) {
    // Too fast for Twilio: every daemon pauses, not only this one.
    const auto& tw = ctx_.config.twilio;
    const Millis pause = r.retry_after ? std::chrono::milliseconds(*r.retry_after).count() : 1000;
    Status paused = ctx_.store.PauseSending(pause, tw.max_per_second, now_ms_);
    if (!paused.ok()) log_->warn("job {}: could not slow the others down: {}", short_id_, paused.ToString());
  }
  const std::string why = r.error_message.empty() ? "HTTP " + std::to_string(r.http_status) : r.error_message;
  if (attempts >= ctx_.config.twilio.max_attempts) {
    JobOutcome o;
    o.kind = JobOutcome::Kind::kFailed;
    o.error_code = r.error_code;
    o.reason = "gave up after " + std::to_string(attempts) + " attempts: " + why;
    log_->error("job {}: {}", short_id_, o.reason);
    return Finish(o);
  }
  const auto delay = BackoffDelay(attempts, r.retry_after, ctx_.options.backoff, ctx_.rng);
  const Millis next = now_ms_ + delay.count();
  if (next >= UnixMillis(job_.spec.session_starts_at)) {
    JobOutcome o;
    o.kind = JobOutcome::Kind::kFailed;
    o.error_code = r.error_code;
    o.reason = "session starts before the next attempt: " + why;
    log_->error("job {}: {}", short_id_, o.reason);
    return Finish(o);
  }
  log_->warn("job {}: attempt {} failed ({}); next in {} ms{}", short_id_, attempts, why, delay.count(),
             in_doubt ? ", in doubt" : "");
  Retry(next, why, in_doubt || job_.in_doubt, r.error_code);
}

bool Run::FixedTextStillWanted() {
  if (now_s_ >= job_.spec.session_starts_at) return Skip("no longer useful"), false;
  if (job_.spec.kind == JobKind::kAlert) return true;
  // The coordinator's quiet hours: the config's default zone.
  const date::time_zone* zone = FindTimeZone(ctx_.config.reminders.timezone);
  return !zone || OutsideQuietHours(ctx_.config.reminders.quiet_hours, zone, job_.spec.session_starts_at);
}

OutgoingMessage Run::MemberMessage(TemplateKind kind) const {
  OutgoingMessage msg;
  msg.to = member_.phone;
  msg.channel = member_.channel;
  // Her group's texts: its group file's, else the main file's.
  const Config& settings = ctx_.config.ForGroup(ps_.session.group_id);
  const std::string& text = settings.Template(member_.language, kind);
  msg.body = RenderTemplate(text, MessageVars(settings, member_, ps_.session, ps_.group, ps_.zone, now_s_));
  return msg;
}

bool Run::Prepare(OutgoingMessage& msg) {
  switch (job_.spec.kind) {
    case JobKind::kReminder:
      if (!MemberTextWanted()) return false;
      msg = MemberMessage(TemplateKind::kReminder);
      return true;
    case JobKind::kFollowUp:
      if (!MemberTextWanted()) return false;
      msg = MemberMessage(TemplateKind::kFollowUp);
      return true;
    case JobKind::kCancelled:
      if (!MemberTextWanted()) return false;
      msg = MemberMessage(TemplateKind::kCancelled);
      return true;
    case JobKind::kDigest:
      return DigestWanted(msg);
    case JobKind::kForward:
    case JobKind::kAlert:
      if (!FixedTextStillWanted()) return false;
      msg.to = job_.spec.to;
      msg.body = job_.spec.body;
      return true;
  }
  return false;
}

DispatchStats Run::Go() {
  const bool readable = IsFixedTextJob(job_.spec.kind) ? !job_.spec.to.empty() : !job_.spec.session_id.empty();
  if (!readable) {
    JobOutcome o;
    o.kind = JobOutcome::Kind::kFailed;
    o.reason = "unreadable job record";
    Finish(o);
    return stats_;
  }
  OutgoingMessage msg;
  if (!Prepare(msg)) return stats_;
  if (!ctx_.config.http.public_url.empty()) msg.status_callback = ctx_.config.http.public_url + "/twilio/status";
  if (SettledFromTwilio(msg)) return stats_;
  SendNow(msg);
  return stats_;
}

}  // namespace

DispatchStats RunJob(const ClaimedJob& job, JobContext& ctx) { return Run(job, ctx).Go(); }

}  // namespace checkin
