// Internals of config loading shared by config.cc and the sections parsed in
// their own file (config_replies.cc: replies). Not an interface for anything
// else: Config::Load / Config::Parse are.
//
// Everything reports through ParseState::Error as "file:line: key: what is
// allowed"; yaml-cpp exceptions are caught above these, in Config::Parse.
//
// Thread-safety: a ParseState belongs to one Config::Parse call.
#ifndef CHECKIN_DAEMON_CONFIG_PARSE_H_
#define CHECKIN_DAEMON_CONFIG_PARSE_H_

#include <yaml-cpp/yaml.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "checkin/config.h"
#include "config/config_table.h"
#include "text/edit_distance.h"

namespace checkin {
namespace config_internal {

// Words of one language as the file gives them; the rest come from en.
struct PartialWords {
  std::optional<std::string> today, tomorrow;
  std::optional<std::vector<std::string>> weekdays, months;
};

// One entry of a replies.<lang> list, and where it is written.
struct AddedReplyPhrase {
  enum class List { kYes, kNo, kMaybe };
  List list;
  std::string text;
  std::string key;  // "replies.pl.yes[0]", for errors
  YAML::Mark mark;
};

// replies.<lang> as the file gives it; merged with the shipped words later.
struct PartialReplies {
  bool replace = false;
  std::vector<AddedReplyPhrase> added;  // in file order
};

// One entry of safeguarding.contacts as written; normalised after the parse.
struct RawContact {
  std::string text;
  std::string key;  // "safeguarding.contacts[0]", for errors
  YAML::Mark mark;
};

// Everything one parse accumulates; errors are kept in file order.
struct ParseState {
  std::string source;
  // A group file (Config::WithGroupFile): `config` starts as the main
  // config, and only the keys the table marks group_file are allowed.
  bool group_file = false;
  Config config;
  std::vector<std::string> errors;
  std::map<std::string, YAML::Mark> marks;  // key path -> where the key is written
  std::map<std::string, PartialWords> words;
  std::map<std::string, PartialReplies> replies;
  std::vector<RawContact> contacts;

  void Error(const YAML::Mark& mark, const std::string& key, const std::string& what) {
    std::string where = source + (mark.is_null() ? "" : ":" + std::to_string(mark.line + 1));
    errors.push_back(where + ": " + key + ": " + what);
  }
  // Where `path` is written; else where its section is, if anywhere.
  YAML::Mark MarkOf(std::string path) const {
    for (;;) {
      auto it = marks.find(path);
      if (it != marks.end()) return it->second;
      const size_t dot = path.rfind('.');
      if (dot == std::string::npos) return YAML::Mark::null_mark();
      path.resize(dot);
    }
  }
};

// A node as an error message shows it: "nothing", "a list", "\"text\"".
inline std::string Describe(const YAML::Node& n) {
  if (n.IsNull()) return "nothing";
  if (n.IsSequence()) return n.size() == 0 ? "an empty list" : "a list";
  if (n.IsMap()) return "a map";
  return Quoted(n.Scalar());
}

inline std::string Join(const std::vector<std::string>& items, const std::string& sep) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : sep) + s;
  return out;
}

inline std::string UnknownKeyMessage(const std::string& name, const std::vector<std::string>& known) {
  if (auto near = NearestName(name, known)) return "unknown key (did you mean '" + *near + "'?)";
  return "unknown key (known here: " + Join(known, ", ") + ")";
}

// Calls `visit(name, full_path, key_mark, value)` for each entry of a map,
// refusing non-scalar and duplicate keys (yaml-cpp keeps both copies of a
// duplicate).
template <typename Visit>
void ForEachEntry(const YAML::Node& map, const std::string& path, ParseState& st, Visit visit) {
  std::map<std::string, int> seen;
  for (auto it = map.begin(); it != map.end(); ++it) {
    const YAML::Mark mark = it->first.Mark();
    if (!it->first.IsScalar()) {
      st.Error(mark, path, "a key must be a plain name, not " + Describe(it->first));
      continue;
    }
    const std::string name = it->first.Scalar();
    const std::string full = path.empty() ? name : path + "." + name;
    if (!seen.emplace(name, mark.line + 1).second) {
      st.Error(mark, full, "duplicate key (first written at line " + std::to_string(seen[name]) + ")");
      continue;
    }
    visit(name, full, mark, it->second);
  }
}

// config_replies.cc: reads the replies: section (written at `mark`) into
// st.replies ...
void ParseReplies(const YAML::Mark& mark, const YAML::Node& node, ParseState& st);
// ... and, once the file is read, sets st.config.reply_words: the shipped
// words with the file's added (or replacing them), refusing a phrase that
// would be in two lists of one language.
void MergeReplyWords(ParseState& st);

// config_safeguarding.cc: safeguarding.contacts (a list of numbers) and
// safeguarding.phrases (per language), and the contacts normalised to E.164
// once `region` is known.
void ParsePhoneList(const std::string& full, const YAML::Mark& mark, const YAML::Node& v, ParseState& st);
void ParseConcernPhrases(const YAML::Mark& mark, const YAML::Node& node, ParseState& st);
void NormalizeSafeguardingContacts(ParseState& st);

}  // namespace config_internal
}  // namespace checkin

#endif  // CHECKIN_DAEMON_CONFIG_PARSE_H_
