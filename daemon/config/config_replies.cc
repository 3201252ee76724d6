// The replies: section of checkin.yaml: words and phrases that answer a
// reminder, per language, added to the shipped ones (reply_words.cc).
//
//   replies:
//     pl:
//       replace: false          # true: only the lists below count for pl
//       yes: [jasne, "będę na pewno"]
//       no: ["nie dam rady"]
//       maybe: [zobaczę]
//
// Each list is optional; each entry a non-empty word or phrase (an emoji is a
// word). Unknown keys, a list written as one word, and a phrase that would be
// in two lists of one language are errors naming the line.
#include <algorithm>
#include <cctype>
#include <unordered_map>
#include <unordered_set>

#include "config/config_limits.h"
#include "config/config_parse.h"
#include "config/reply_words.h"
#include "text/utf8.h"

namespace checkin {
namespace config_internal {

namespace {

using List = AddedReplyPhrase::List;

const char* ListName(List list) {
  switch (list) {
    case List::kYes: return "yes";
    case List::kNo: return "no";
    case List::kMaybe: return "maybe";
  }
  return "?";
}

std::vector<std::string>& ListOf(ReplyWords& w, List list) {
  return list == List::kYes ? w.yes : list == List::kNo ? w.no : w.maybe;
}

// Something besides spaces and ASCII punctuation: a letter, a digit, or any
// non-ASCII character (Polish and Urdu letters, emoji).
bool HasWord(const std::string& text) {
  return std::any_of(text.begin(), text.end(), [](unsigned char c) { return c >= 0x80 || std::isalnum(c); });
}

// For the two-lists check: ASCII case and runs of spaces ignored. The
// classifier also ignores accents and punctuation; it keeps the first list a
// phrase was found in (yes, then no, then maybe) should one slip through.
std::string Folded(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isspace(c)) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += static_cast<char>(std::tolower(c));
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

void ParsePhraseList(List list, const std::string& full, const YAML::Mark& mark, const YAML::Node& v,
                     PartialReplies& replies, ParseState& st) {
  if (v.IsNull()) return;
  if (!v.IsSequence()) {
    return st.Error(mark, full, "expected a list of words or phrases, e.g. [deffo, \"see you there\"], got " + Describe(v));
  }
  if (v.size() > kMaxPhrasesPerList) {
    return st.Error(v[kMaxPhrasesPerList].Mark(), full + "[" + std::to_string(kMaxPhrasesPerList) + "]",
                    "too many entries: " + std::to_string(v.size()) + "; a list may hold at most " +
                        std::to_string(kMaxPhrasesPerList));
  }
  for (size_t i = 0; i < v.size(); ++i) {
    const std::string key = full + "[" + std::to_string(i) + "]";
    if (!v[i].IsScalar() || !HasWord(v[i].Scalar())) {
      st.Error(v[i].Mark(), key, "expected a word or phrase (letters, digits or an emoji), got " + Describe(v[i]));
      continue;
    }
    if (const size_t chars = CodePointCount(v[i].Scalar()); chars > kMaxReplyPhraseChars) {
      st.Error(v[i].Mark(), key, "too long: " + std::to_string(chars) + " characters; a reply phrase may be at most " +
                                     std::to_string(kMaxReplyPhraseChars));
      continue;
    }
    replies.added.push_back(AddedReplyPhrase{list, v[i].Scalar(), key, v[i].Mark()});
  }
}

void ParseReplyLanguage(const std::string& lang, const std::string& path, const YAML::Node& node, ParseState& st) {
  if (node.IsNull()) return;
  if (!node.IsMap()) return st.Error(st.MarkOf(path), path, "expected a map of replace, yes, no, maybe, got " + Describe(node));
  PartialReplies& replies = st.replies[lang];
  ForEachEntry(node, path, st, [&](const std::string& name, const std::string& full, const YAML::Mark& mark,
                                   const YAML::Node& v) {
    for (List list : {List::kYes, List::kNo, List::kMaybe}) {
      if (name == ListName(list)) return ParsePhraseList(list, full, mark, v, replies, st);
    }
    if (name != "replace") return st.Error(mark, full, UnknownKeyMessage(name, {"replace", "yes", "no", "maybe"}));
    if (!v.IsScalar() || !YAML::convert<bool>::decode(v, replies.replace)) {
      st.Error(mark, full, "expected true or false, got " + Describe(v));
    }
  });
}

}  // namespace

void ParseReplies(const YAML::Mark& mark, const YAML::Node& node, ParseState& st) {
  if (node.IsNull()) return;
  if (!node.IsMap()) return st.Error(mark, "replies", "expected a map of languages (en, pl, ...), got " + Describe(node));
  ForEachEntry(node, "replies", st, [&](const std::string& lang, const std::string& full, const YAML::Mark& m,
                                        const YAML::Node& v) {
    if (!IsLanguageCode(lang)) return st.Error(m, full, "not a language code; expected e.g. en, pl, ur, pt-BR");
    st.marks[full] = m;
    ParseReplyLanguage(lang, full, v, st);
  });
}

void MergeReplyWords(ParseState& st) {
  std::map<std::string, ReplyWords>& merged = st.config.reply_words;
  merged = DefaultReplyWords();
  for (const auto& [lang, partial] : st.replies) {
    ReplyWords& words = merged[lang];
    if (partial.replace) words = ReplyWords{};
    // Hashed once each, so merging is linear in the number of phrases (a
    // search of the lists per phrase made a long list quadratic).
    std::unordered_set<std::string> listed[3];
    for (List list : {List::kYes, List::kNo, List::kMaybe}) {
      for (const std::string& s : ListOf(words, list)) listed[static_cast<int>(list)].insert(s);
    }
    for (const AddedReplyPhrase& phrase : partial.added) {
      if (listed[static_cast<int>(phrase.list)].insert(phrase.text).second) {
        ListOf(words, phrase.list).push_back(phrase.text);
      }
    }
    // Folded phrase -> the lists it is in (a bit per list).
    std::unordered_map<std::string, unsigned> folded;
    for (List list : {List::kYes, List::kNo, List::kMaybe}) {
      for (const std::string& s : ListOf(words, list)) folded[Folded(s)] |= 1u << static_cast<int>(list);
    }
    for (const AddedReplyPhrase& phrase : partial.added) {
      const unsigned in = folded[Folded(phrase.text)];
      for (List other : {List::kYes, List::kNo, List::kMaybe}) {
        if (other != phrase.list && (in & (1u << static_cast<int>(other))) != 0) {
          st.Error(phrase.mark, phrase.key, Quoted(phrase.text) + " is already a " + ListName(other) + " phrase of " +
                                                lang + "; a phrase can be in one list only");
        }
      }
    }
  }
}

}  // namespace config_internal
}  // namespace checkin
