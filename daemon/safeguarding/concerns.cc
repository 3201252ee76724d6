// Raising, escalating and acknowledging concerns (see concerns.h).
#include "safeguarding/concerns.h"

#include "base/logging.h"
#include "base/phone.h"
#include "config/templates.h"
#include "plan/job_ids.h"
#include "safeguarding/concern_classifier.h"
#include "safeguarding/escalation.h"
#include "schema/records.h"
#include "text/utf8.h"

namespace checkin {

namespace {

// An alert is worth sending for a day; after that it is dropped (its
// concern stays open on the dashboard and in checkinctl concerns).
constexpr std::chrono::hours kAlertUsefulFor{24};
// Her words in the alert, cut so the alert stays within Twilio's 1600
// (checkinctl lint's LintSamples::body renders alerts at this length).
constexpr size_t kAlertBodyBytes = 600;

std::map<std::string, std::string> AlertVars(const Concern& c, const std::string& group_name) {
  const size_t cut = Utf8PrefixLength(c.body, kAlertBodyBytes);
  return {{"name", c.name.empty() ? "Someone" : c.name},
          {"phone", c.phone},
          {"group", group_name.empty() ? "no group known" : group_name},
          {"body", cut < c.body.size() ? c.body.substr(0, cut) + "..." : c.body}};
}

JobSpec FixedText(std::string id, const std::string& to, std::string body, Instant now) {
  JobSpec job;
  job.id = std::move(id);
  job.kind = JobKind::kAlert;
  job.to = to;
  job.body = std::move(body);
  job.planned_at = now;
  job.due_at = Instant{};  // the epoch: claimed ahead of every reminder
  job.session_starts_at = now + kAlertUsefulFor;
  return job;
}

}  // namespace

Concerns::Concerns(Store& store, ConcernStore& concerns, Options options)
    : store_(store), concerns_(concerns), options_(std::move(options)) {
  if (!options_.clock) options_.clock = Clock::Real();
  if (!options_.logger) options_.logger = NullLogger();
}

Result<Concern> Concerns::Raise(const Config& config, const ConcernSource& s) {
  const Instant now = options_.clock->NowSeconds();
  Concern c;
  c.id = ConcernIdFor(s.message_sid);
  c.member = s.member ? s.member->id : "";
  c.name = s.member ? s.member->name : "";
  c.phone = s.phone;
  c.group = s.group ? s.group->id : "";
  c.session = s.session ? s.session->id : "";
  c.body = s.body;
  c.language = s.language;
  c.received_at = FormatRfc3339(now);
  c.raised_at = UnixMillis(now);
  c.contacts = SafeguardingContacts(s.group ? s.group->safeguarding_phone : "", config.safeguarding.contacts,
                                    s.group ? s.group->coordinator_phone : "");
  auto fresh = concerns_.Raise(c);
  if (!fresh.ok()) return fresh.status();
  if (*fresh) {
    options_.logger->info("concern raised: {} from {} ({}), group {}, {} safeguarding contact(s)", c.id,
                          MaskPhone(c.phone), s.category, c.group.empty() ? "unknown" : c.group, c.contacts.size());
    if (c.contacts.empty()) {
      options_.logger->warn("concern {} has no safeguarding contact to alert: it is on the dashboard and in "
                            "`checkinctl concerns` only (set safeguarding.contacts)", c.id);
    }
  } else {
    auto stored = concerns_.Get(c.id);
    if (!stored.ok()) return stored.status();
    if (*stored) c = std::move(**stored);
  }
  auto alerted = AlertDueSteps(config, c, now);
  if (!alerted.ok()) return alerted.status();
  return c;
}

Result<int> Concerns::AlertDueSteps(const Config& config, const Concern& c, Instant now) {
  const Instant raised{std::chrono::seconds(c.raised_at / 1000)};
  const auto interval = config.safeguarding.acknowledge_within;
  const std::vector<AlertStep> steps = DueAlertSteps(raised, c.contacts, interval, now);
  std::string group_name = c.group;
  if (!c.group.empty()) {
    auto g = store_.GroupFields(c.group);
    if (g.ok() && g->count("name")) group_name = g->at("name");
  }
  const std::string text = RenderTemplate(config.Template(config.default_language, TemplateKind::kConcernAlert),
                                          AlertVars(c, group_name));
  std::vector<JobSpec> jobs;
  for (const AlertStep& step : steps) jobs.push_back(FixedText(AlertJobId(c.id, step.step), step.contact, text, now));
  auto created = store_.CreateJobs(jobs, UnixMillis(options_.clock->Now()));
  if (!created.ok()) return created.status();
  for (const AlertStep& step : steps) CHECKIN_RETURN_IF_ERROR(concerns_.NoteAlerted(c.id, step.contact, UnixMillis(step.due)));
  const auto next = NextAlertAt(raised, c.contacts.size(), interval, now);
  CHECKIN_RETURN_IF_ERROR(concerns_.SetNextAlert(c.id, next ? std::optional<Millis>(UnixMillis(*next)) : std::nullopt));
  if (*created > 0 && !steps.empty()) {
    options_.logger->info("concern alerted: {} step {} to {}", c.id, steps.back().step, MaskPhone(steps.back().contact));
  }
  return *created;
}

Result<int> Concerns::EscalateDue(const Config& config, Instant now) {
  auto due = concerns_.DueForEscalation(UnixMillis(now), 100);
  if (!due.ok()) return due.status();
  int alerts = 0;
  for (const std::string& id : *due) {
    auto c = concerns_.Get(id);
    if (!c.ok()) return c.status();
    if (!*c || !(*c)->open()) continue;
    auto n = AlertDueSteps(config, **c, now);
    if (!n.ok()) return n.status();
    alerts += *n;
  }
  return alerts;
}

Result<AcknowledgeResult> Concerns::Acknowledge(const Config& config, const std::string& id, const std::string& by,
                                                Instant now) {
  auto won = concerns_.Acknowledge(id, by, FormatRfc3339(now));
  if (!won.ok()) return won.status();
  auto c = concerns_.Get(id);
  if (!c.ok()) return c.status();
  if (!*c) return Status::NotFound("no concern " + id + " (checkinctl concerns lists them)");
  AcknowledgeResult result{*won, std::move(**c)};
  if (result.concern.open()) return result;
  const std::string& taker = result.concern.acknowledged_by;
  if (*won) options_.logger->info("concern acknowledged: {} by {}", id, taker[0] == '+' ? MaskPhone(taker) : taker);
  // The others are told who took it on; made again (same job ids, nothing
  // twice) when an acknowledgement is repeated, so a failure here is mended.
  auto vars = AlertVars(result.concern, "");
  vars["taken_by"] = taker;
  const std::string text =
      RenderTemplate(config.Template(config.default_language, TemplateKind::kConcernTaken), vars);
  std::vector<JobSpec> jobs;
  for (const std::string& contact : result.concern.alerted) {
    if (contact != taker) jobs.push_back(FixedText(ConcernTakenJobId(id, contact), contact, text, now));
  }
  if (!jobs.empty()) {
    auto created = store_.CreateJobs(jobs, UnixMillis(options_.clock->Now()));
    if (!created.ok()) return created.status();
  }
  return result;
}

Result<std::optional<std::string>> Concerns::OpenConcernAlertedTo(const std::string& phone) {
  return concerns_.LatestOpenAlertedTo(phone);
}

Result<std::vector<std::string>> GroupsWithoutSafeguardingContact(RedisStore& store, const Config& config) {
  std::vector<std::string> out;
  if (!config.safeguarding.contacts.empty()) return out;  // everyone falls back to them
  auto keys = ScanKeys(store.client(), KeyGlob(store.keys().Group(kAnyId)));
  if (!keys.ok()) return keys.status();
  const std::string prefix = store.keys().Group("");
  for (const std::string& key : *keys) {
    const std::string id = key.substr(prefix.size());
    if (id.find(':') != std::string::npos) continue;  // group:<id>:members
    auto fields = store.GroupFields(id);
    if (!fields.ok()) {
      if (fields.status().IsUnavailable()) return fields.status();
      continue;  // not a hash: reported where it is read
    }
    auto has = [&](const char* f) { return fields->count(f) && !fields->at(f).empty(); };
    if (!has("safeguarding_phone") && !has("coordinator_phone")) out.push_back(id);
  }
  return out;
}

Status CheckConcernPhrases(const Config& config) {
  auto classifier = ConcernClassifier::Create(config.safeguarding.phrases);
  return classifier.ok() ? Status::OK() : classifier.status();
}

}  // namespace checkin
