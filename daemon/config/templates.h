// Message templates: placeholder checking at config load, rendering at send.
//
// Placeholders are {name} {title} {group} {venue} {day} {time} {date}; the
// digest kind also has {coming} {maybe} {not_coming} {no_answer}. "{{" and
// "}}" are literal braces. An unknown placeholder is a config error.
//
// {day} is "today", "tomorrow", a weekday name within the coming week, else
// "<weekday> <date>"; {time} is "HH:MM" and {date} "1 December", all in the
// session's zone, in the member's language (words per language in the
// config's `templates.<lang>.words`, English by default).
//
// Thread-safety: pure functions.
#ifndef CHECKIN_DAEMON_TEMPLATES_H_
#define CHECKIN_DAEMON_TEMPLATES_H_

#include <map>
#include <string>
#include <vector>

#include "checkin/clock.h"
#include "checkin/config.h"
#include "checkin/model.h"
#include "checkin/status.h"

namespace date {
class time_zone;
}

namespace checkin {

// The placeholders `kind` may use.
const std::vector<std::string>& AllowedPlaceholders(TemplateKind kind);
// The same as text for messages: "{name} {title} ...".
std::string AllowedList(TemplateKind kind);

// OK, or InvalidArgument naming the first unknown placeholder or unbalanced
// brace and its character offset, or saying the text is longer than
// kMaxMessageChars (config_limits.h) as CountedLength counts it. Linear in
// the length of `text`.
Status CheckTemplate(const std::string& text, TemplateKind kind);

// The characters `{placeholder}` is counted at: the most a realistic value
// takes ({name} 40, {body} 603: the cut alert body). 0 for an unknown name.
size_t PlaceholderWidth(const std::string& placeholder);
// The placeholders and their widths as text: "{name} 40, {title} 80, ...".
std::string PlaceholderWidthList();

// How long a template renders at most: its literal characters (code
// points; "{{" is one) plus PlaceholderWidth of each placeholder.
size_t CountedLength(const std::string& text);

// Substitutes {key} from `vars`; unknown keys are left as written (CheckTemplate
// refuses them at load time).
std::string RenderTemplate(const std::string& text, const std::map<std::string, std::string>& vars);

// The variables for a message about `session` to `member`, seen at `now`.
std::map<std::string, std::string> MessageVars(const Config& config, const Member& member, const Session& session,
                                               const Group& group, const date::time_zone* zone, Instant now);

// Texts to a coordinator or safeguarding contact (digest, concern_alert,
// concern_acknowledged, concern_taken): rendered in default_language only.
bool ForCoordinators(TemplateKind kind);

// The shipped English templates (every kind).
const std::map<TemplateKind, std::string>& DefaultEnglishTemplates();
// The shipped `concern` text per language (en, pl, ur): a member must be
// able to read the helplines, so these do not fall back to English.
const std::map<std::string, std::string>& DefaultConcernTexts();

}  // namespace checkin

#endif  // CHECKIN_DAEMON_TEMPLATES_H_
