// The safeguarding: section of checkin.yaml (docs/safeguarding.md):
//
//   safeguarding:
//     contacts: ["07700 900555", "+447700900556"]   # alerted in order
//     acknowledge_within_minutes: 15
//     phrases:
//       en: ["feel like disappearing"]
//       pl: ["nie mam siły"]
//
// contacts and phrases are parsed here (the minutes are a plain table row).
// Numbers are normalised once the whole file is read, so a `region` written
// after them still applies. A phrase must hold a word here; its pattern
// syntax is the concern classifier's to check (ConcernClassifier::Create,
// run by --check-config and before a reload is applied). Errors name the
// line of the entry.
#include <algorithm>
#include <cctype>

#include "base/phone.h"
#include "config/config_limits.h"
#include "config/config_parse.h"

namespace checkin {
namespace config_internal {

void ParsePhoneList(const std::string& full, const YAML::Mark& mark, const YAML::Node& v, ParseState& st) {
  if (v.IsNull()) return;
  if (!v.IsSequence()) {
    return st.Error(mark, full, "expected a list of phone numbers, e.g. [\"07700 900555\"], got " + Describe(v));
  }
  for (size_t i = 0; i < v.size(); ++i) {
    if (!v[i].IsScalar() || v[i].Scalar().empty()) {
      st.Error(v[i].Mark(), full + "[" + std::to_string(i) + "]", "expected a phone number, got " + Describe(v[i]));
      continue;
    }
    st.contacts.push_back(RawContact{v[i].Scalar(), full + "[" + std::to_string(i) + "]", v[i].Mark()});
  }
}

void ParseConcernPhrases(const YAML::Mark& mark, const YAML::Node& node, ParseState& st) {
  const std::string path = "safeguarding.phrases";
  if (node.IsNull()) return;
  if (!node.IsMap()) return st.Error(mark, path, "expected a map of languages (en, pl, ...), got " + Describe(node));
  ForEachEntry(node, path, st, [&](const std::string& lang, const std::string& full, const YAML::Mark& m,
                                   const YAML::Node& list) {
    if (!IsLanguageCode(lang)) return st.Error(m, full, "not a language code; expected e.g. en, pl, ur, pt-BR");
    if (list.IsNull()) return;
    if (!list.IsSequence()) return st.Error(m, full, "expected a list of phrases, got " + Describe(list));
    if (list.size() > kMaxPhrasesPerList) {
      return st.Error(list[kMaxPhrasesPerList].Mark(), full + "[" + std::to_string(kMaxPhrasesPerList) + "]",
                      "too many entries: " + std::to_string(list.size()) + "; a list may hold at most " +
                          std::to_string(kMaxPhrasesPerList));
    }
    for (size_t i = 0; i < list.size(); ++i) {
      const std::string key = full + "[" + std::to_string(i) + "]";
      const std::string& text = list[i].IsScalar() ? list[i].Scalar() : std::string();
      const bool has_word = std::any_of(text.begin(), text.end(), [](unsigned char c) { return c >= 0x80 || std::isalnum(c); });
      if (!has_word) {
        st.Error(list[i].Mark(), key, "expected a phrase (words, \"...\" for words in between), got " + Describe(list[i]));
        continue;
      }
      if (text.size() > kMaxConcernPhraseBytes) {
        st.Error(list[i].Mark(), key, "too long: " + std::to_string(text.size()) + " bytes; a concern phrase may be at most " +
                                          std::to_string(kMaxConcernPhraseBytes) + " (UTF-8)");
        continue;
      }
      st.config.safeguarding.phrases[lang].push_back(list[i].Scalar());
    }
  });
}

void NormalizeSafeguardingContacts(ParseState& st) {
  for (const RawContact& c : st.contacts) {
    auto phone = NormalizePhone(c.text, st.config.region);
    if (!phone.ok()) {
      st.Error(c.mark, c.key, phone.status().message() + " (national numbers are read in region " + st.config.region + ")");
      continue;
    }
    auto& list = st.config.safeguarding.contacts;
    if (std::find(list.begin(), list.end(), *phone) == list.end()) list.push_back(*phone);
  }
}

}  // namespace config_internal
}  // namespace checkin
