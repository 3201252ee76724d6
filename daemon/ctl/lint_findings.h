// The start of a finding about one template, shared by the per-template
// checks of `checkinctl lint` (lint_placeholders.cc, lint_characters.cc).
//
// Thread-safety: a pure function.
#ifndef CHECKIN_DAEMON_CTL_LINT_FINDINGS_H_
#define CHECKIN_DAEMON_CTL_LINT_FINDINGS_H_

#include <string>

#include "ctl/template_lint.h"

namespace checkin {

// A finding with `t`'s language, kind and location; the check fills in the
// rest (position, character, message, ...).
inline LintFinding TemplateFinding(const TemplateSource& t, LintFinding::Severity severity, const std::string& code) {
  LintFinding f;
  f.severity = severity;
  f.code = code;
  f.language = t.language;
  f.kind = TemplateKindName(t.kind);
  f.location = t.location;
  return f;
}

}  // namespace checkin

#endif  // CHECKIN_DAEMON_CTL_LINT_FINDINGS_H_
