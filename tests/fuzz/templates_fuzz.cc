// Fuzz target: message templates as a reply renders them into TwiML
// (config/templates.h, replies/reply_handler.h TwimlMessage): the template
// is config text, the names, venue and title come from Redis records.
//
// Input: lines: template kind ("reminder", ...; unknown: reply_yes), the
// template, the member's name, her language, the group's name, the venue,
// the session's title. Missing lines are empty.
// Properties: the template's check is total; whatever the values hold,
// the TwiML is one <Response> whose <Message> text is well-formed XML 1.0
// character data (no markup, entities only &amp; &lt; &gt;, valid UTF-8,
// no characters XML forbids).
#include <cstdint>
#include <string>

#include "config/templates.h"
#include "fuzz_config.h"
#include "replies/reply_handler.h"
#include "schema/records.h"
#include "text/utf8.h"
#include "time/zone.h"

namespace checkin {
namespace {

// XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
bool XmlChar(char32_t c) {
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) ||
         (c >= 0x10000 && c <= 0x10FFFF);
}

void CheckTwiml(const std::string& twiml) {
  const std::string head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
  FUZZ_CHECK(twiml.compare(0, head.size(), head) == 0, "no XML declaration");
  const std::string rest = twiml.substr(head.size());
  if (rest == "<Response/>") return;
  const std::string open = "<Response><Message>", close = "</Message></Response>";
  FUZZ_CHECK(rest.size() >= open.size() + close.size() && rest.compare(0, open.size(), open) == 0 &&
                 rest.compare(rest.size() - close.size(), close.size(), close) == 0,
             "not one <Message> in a <Response>");
  const std::string text = rest.substr(open.size(), rest.size() - open.size() - close.size());
  FUZZ_CHECK(ValidUtf8(text), "message text is not UTF-8");
  for (size_t i = 0; i < text.size();) {
    if (text[i] == '<' || text[i] == '>') fuzz::Broken("markup in the message text");
    if (text[i] == '&') {
      const std::string_view at = std::string_view(text).substr(i);
      FUZZ_CHECK(at.substr(0, 5) == "&amp;" || at.substr(0, 4) == "&lt;" || at.substr(0, 4) == "&gt;",
                 "a bare '&'");
    }
    const char32_t c = NextCodePoint(text, i);
    FUZZ_CHECK(XmlChar(c), "U+" + std::to_string(static_cast<uint32_t>(c)) + " is not an XML character");
  }
}

}  // namespace
}  // namespace checkin

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace checkin;
  static const date::time_zone* const kZone = FindTimeZone("Europe/London");
  static const Instant kNow = *ParseRfc3339("2026-11-30T09:00:00Z");
  std::vector<std::string> lines = fuzz::Lines(fuzz::AsText(data, size));
  lines.resize(7);
  const TemplateKind kind = TemplateKindFromName(lines[0]).value_or(TemplateKind::kReplyYes);
  const std::string& text = lines[1];
  (void)CheckTemplate(text, kind);

  Member member;
  member.id = "m1";
  member.name = lines[2];
  member.language = lines[3];
  const Group group{"g1", lines[4], lines[5], "Europe/London", "", ""};
  Session session;
  session.id = "s1";
  session.group_id = "g1";
  session.title = lines[6];
  session.starts_at = *ParseRfc3339("2026-12-01T10:00:00Z");
  session.ends_at = session.starts_at + std::chrono::hours(2);
  ApplyGroupDefaults(session, group);
  std::map<std::string, std::string> vars = MessageVars(*fuzz::ShippedConfig(), member, session, group, kZone, kNow);
  for (const char* digest : {"coming", "maybe", "not_coming", "no_answer"}) vars[digest] = member.name;

  CheckTwiml(TwimlMessage(RenderTemplate(text, vars)));
  CheckTwiml(TwimlMessage(RenderTemplate(fuzz::ShippedConfig()->Template(member.language, kind), vars)));
  return 0;
}
