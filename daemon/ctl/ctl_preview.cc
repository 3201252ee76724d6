#include "ctl/ctl_preview.h"

#include <algorithm>

#include "ctl/ctl_import.h"
#include "base/phone.h"
#include "config/templates.h"
#include "plan/send_rules.h"

namespace checkin {
namespace {

// The member's record by id, else by the phone number she was imported with.
Result<Member> FindMember(CtlContext& ctx, const std::string& ref) {
  std::string id = ref;
  auto fields = ctx.store.MemberFields(id);
  if (!fields.ok()) return fields.status();
  if (fields->empty()) {
    auto phone = NormalizePhone(ref, ctx.config.region);
    if (phone.ok()) {
      id = MemberIdForPhone(*phone);
      fields = ctx.store.MemberFields(id);
      if (!fields.ok()) return fields.status();
    }
  }
  if (fields->empty()) return Status::NotFound("no member " + ref + " (give a member id or her phone number)");
  auto member = ParseMember(id, *fields, ctx.defaults);
  if (!member.ok()) return Status::InvalidArgument("member " + id + " cannot be read: " + member.status().message());
  return member;
}

// What the coordinator is told about one send-time rule (plan/send_rules.h).
std::string BlockNote(SendBlock block, const Member& m, TemplateKind kind, const std::optional<std::string>& rsvp) {
  switch (block) {
    case SendBlock::kOptedOut: return m.name + " has opted out (STOP): checkind sends her no texts";
    case SendBlock::kSessionCancelled:
      return "the session is cancelled: no " + std::string(TemplateKindName(kind)) + " goes out for it";
    case SendBlock::kSessionNotCancelled: return "the session is not cancelled: this is what she would get if it were";
    case SendBlock::kSessionMoved: return "the session has moved: checkind plans it anew";
    case SendBlock::kSessionStarted: return "the session has already started: nothing more is sent";
    case SendBlock::kAnsweredNo:
      return m.name + " has already answered no: checkind sends her no more reminders for it";
    case SendBlock::kAnswered: return m.name + " has already answered " + rsvp.value_or("");
  }
  return SendBlockReason(block);
}

std::optional<JobKind> JobKindOf(TemplateKind kind) {
  switch (kind) {
    case TemplateKind::kReminder: return JobKind::kReminder;
    case TemplateKind::kFollowUp: return JobKind::kFollowUp;
    case TemplateKind::kCancelled: return JobKind::kCancelled;
    default: return std::nullopt;
  }
}

Result<std::vector<std::string>> Notes(CtlContext& ctx, const Member& m, const PlannableSession& ps,
                                       TemplateKind kind) {
  std::vector<std::string> notes;
  auto ids = ctx.store.GroupMemberIds(ps.group.id);
  if (!ids.ok() && ids.status().IsUnavailable()) return ids.status();
  if (!ids.ok()) {
    notes.push_back("the group's member list cannot be read (" + ids.status().message() +
                    "): checkind sends nobody of group " + ps.group.id + " anything until it is fixed");
  } else if (std::find(ids->begin(), ids->end(), m.id) == ids->end()) {
    notes.push_back(m.name + " is not a member of group " + ps.group.id + ": checkind sends her nothing for it");
  }
  auto answer = ctx.store.Rsvp(ps.session.id, m.id);
  if (!answer.ok() && answer.status().IsUnavailable()) return answer.status();
  if (!answer.ok()) {
    // As at send time: an unreadable answer is no answer.
    notes.push_back("her answers cannot be read (" + answer.status().message() + "): checkind counts no answer");
    answer = std::optional<std::string>();
  }
  // The rules checkind applies when it sends (plan/send_rules.h).
  const SendCheck check{JobKindOf(kind).value_or(JobKind::kReminder), &ps.session, ps.session.starts_at, &m,
                        *answer, ctx.now};
  const std::vector<SendBlock> blocks = SendBlocks(check);
  for (SendBlock block : blocks) notes.push_back(BlockNote(block, m, kind, *answer));
  const bool answer_told = std::count(blocks.begin(), blocks.end(), SendBlock::kAnsweredNo) +
                               std::count(blocks.begin(), blocks.end(), SendBlock::kAnswered) > 0;
  if (kind != TemplateKind::kCancelled && *answer && !answer_told) {
    notes.push_back(m.name + " has already answered " + **answer);
  }
  const auto& langs = ctx.config.ForGroup(ps.session.group_id).templates;
  auto lang = langs.find(m.language);
  if (lang == langs.end() || !lang->second.count(kind)) {
    notes.push_back("no " + std::string(TemplateKindName(kind)) + " template for language " + m.language +
                    ": the English one is used");
  }
  return notes;
}

}  // namespace

Result<PreviewText> Preview(CtlContext& ctx, const std::string& member_ref, const std::string& session_id,
                            TemplateKind kind) {
  auto member = FindMember(ctx, member_ref);
  if (!member.ok()) return member.status();
  auto ps = ctx.FindSession(session_id);
  if (!ps.ok()) return ps.status();
  PreviewText p;
  // As checkind does when it sends (job_runner.cc, Run::MemberMessage):
  // the session's group's texts, its group file over the main file.
  const Config& settings = ctx.config.ForGroup(ps->session.group_id);
  const std::string& text = settings.Template(member->language, kind);
  p.body = RenderTemplate(text, MessageVars(settings, *member, ps->session, ps->group, ps->zone, ctx.now));
  p.segments = CountSegments(p.body);
  auto notes = Notes(ctx, *member, *ps, kind);
  if (!notes.ok()) return notes.status();
  p.notes = std::move(*notes);
  return p;
}

}  // namespace checkin
