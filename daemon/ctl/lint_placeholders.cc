// Template lint, the placeholder check (see CheckPlaceholders in
// template_lint.h): every {placeholder} a kind does not know, with a "did
// you mean", and the first brace without its partner. Config::Load stops at
// the first problem of a text (config/templates.cc, CheckTemplate); lint
// lists them all, with the character each is at.
#include <algorithm>

#include "config/templates.h"
#include "ctl/lint_findings.h"
#include "ctl/template_lint.h"
#include "text/edit_distance.h"
#include "text/utf8.h"

namespace checkin {

namespace {

using Severity = LintFinding::Severity;

// Code point index of byte `pos`, 1-based.
int CharacterAt(const std::string& text, size_t pos) { return static_cast<int>(CodePointCount(text, pos)) + 1; }

LintFinding UnbalancedBrace(const TemplateSource& t, size_t pos) {
  LintFinding f = TemplateFinding(t, Severity::kError, "unbalanced_brace");
  f.position = CharacterAt(t.text, pos);
  f.character = std::string(1, t.text[pos]);
  f.message = "unbalanced '" + f.character + "' at character " + std::to_string(f.position) + " (write " +
              f.character + f.character + " for a literal brace)";
  return f;
}

LintFinding UnknownPlaceholder(const TemplateSource& t, size_t pos, const std::string& name) {
  LintFinding f = TemplateFinding(t, Severity::kError, "unknown_placeholder");
  f.position = CharacterAt(t.text, pos);
  f.character = "{" + name + "}";
  const auto near = NearestName(name, AllowedPlaceholders(t.kind));
  f.replacement = near ? std::optional<std::string>("{" + *near + "}") : std::nullopt;
  f.message = "unknown placeholder {" + name + "} at character " + std::to_string(f.position) +
              (near ? " (did you mean {" + *near + "}?)" : std::string()) + "; " + f.kind + " may use " +
              AllowedList(t.kind);
  return f;
}

}  // namespace

std::vector<LintFinding> CheckPlaceholders(const TemplateSource& t) {
  std::vector<LintFinding> out;
  const std::string& s = t.text;
  const auto& allowed = AllowedPlaceholders(t.kind);
  for (size_t i = 0; i < s.size(); ++i) {
    if ((s[i] == '{' || s[i] == '}') && i + 1 < s.size() && s[i + 1] == s[i]) {
      ++i;  // {{ or }}: a literal brace
      continue;
    }
    if (s[i] != '{' && s[i] != '}') continue;
    const size_t close = s[i] == '{' ? s.find_first_of("{}", i + 1) : std::string::npos;
    if (s[i] == '}' || close == std::string::npos || s[close] == '{') {
      out.push_back(UnbalancedBrace(t, i));
      return out;
    }
    const std::string name = s.substr(i + 1, close - i - 1);
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) out.push_back(UnknownPlaceholder(t, i, name));
    i = close;
  }
  return out;
}

}  // namespace checkin
