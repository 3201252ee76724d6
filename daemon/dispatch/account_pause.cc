// What one daemon says about the shared Twilio account pause (see
// account_pause.h).
#include "dispatch/account_pause.h"

#include "base/logging.h"
#include "schema/records.h"  // FormatRfc3339

namespace checkin {
namespace {

std::string At(Millis ms) { return FormatRfc3339(Instant(std::chrono::seconds(ms / 1000))); }

}  // namespace

std::string AccountPauseMessage(const AccountPause& p, Millis now) {
  std::string next;
  if (!p.probe_job.empty() && p.probe_until > now) {
    next = "a probe text is being sent now";
  } else if (p.until > now) {
    next = "next probe at " + At(p.until) + " (in " + std::to_string((p.until - now + 999) / 1000) + " s)";
  } else {
    next = "the next text claimed is the probe";
  }
  const std::string what = p.reason.empty() ? "Twilio error " + std::to_string(p.error_code) : p.reason;
  return "sending paused for every instance: Twilio refused the account, not the members: " + what + "; " +
         std::to_string(p.errors) + (p.errors == 1 ? " refusal" : " refusals") + " since " + At(p.since) +
         "; texts wait, none is lost; " + next +
         "; fix twilio.* (auth token, account_sid, from or messaging_service_sid) or the account at Twilio, "
         "then reload (SIGHUP) to resume at once";
}

AccountPauseWatch::AccountPauseWatch(Store& store, AccountPauseWatchOptions options)
    : store_(store), options_(std::move(options)) {
  if (!options_.logger) options_.logger = NullLogger();
}

void AccountPauseWatch::Check(Millis now) {
  auto pause = store_.CurrentAccountPause();
  if (!pause.ok()) return;
  const bool paused = pause->has_value();
  if (options_.on_state) options_.on_state(paused);
  if (!paused) {
    if (paused_) options_.logger->info("Twilio account pause lifted: sending again");
    paused_ = false;
    last_warn_.reset();
    return;
  }
  paused_ = true;
  if (last_warn_ && now - *last_warn_ < options_.warn_every.count()) return;
  last_warn_ = now;
  options_.logger->warn("{}", AccountPauseMessage(**pause, now));
}

}  // namespace checkin
