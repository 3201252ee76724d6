// The phrase file read into groups with their lines (see phrase_file.h).
// yaml-cpp exceptions are caught here, at the edge.
#include "safeguarding/phrase_file.h"

#include <yaml-cpp/yaml.h>

#include <set>

namespace checkin::safeguarding {

namespace {

int LineOf(const YAML::Node& node) { return node.Mark().line + 1; }

const char* Describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: return "a map";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Scalar: return "a single value";
    default: return "nothing";
  }
}

class FileReader {
 public:
  explicit FileReader(std::string file_name) : file_(std::move(file_name)) {}

  Status Error(int line, const std::string& what) const {
    return Status::InvalidArgument(file_ + ":" + std::to_string(line) + ": " + what);
  }

  // A list of strings under `path`.
  Status ReadList(const YAML::Node& node, const std::string& path, std::vector<PhraseEntry>& out) const {
    if (!node.IsSequence()) return Error(LineOf(node), path + ": expected a list, got " + Describe(node));
    for (const YAML::Node& item : node) {
      if (!item.IsScalar() || item.Scalar().empty()) {
        return Error(LineOf(item), path + ": expected a phrase in quotes, got " +
                                       (item.IsScalar() ? std::string("an empty one") : Describe(item)));
      }
      out.push_back(PhraseEntry{item.Scalar(), LineOf(item)});
    }
    return Status::OK();
  }

  Status ReadGroups(const YAML::Node& node, const std::string& path, std::vector<PhraseGroup>& out) const {
    if (!node.IsMap()) return Error(LineOf(node), path + ": expected a map of lists, got " + Describe(node));
    std::set<std::string> seen;
    for (const auto& kv : node) {
      const std::string name = kv.first.Scalar();
      if (!seen.insert(name).second) return Error(LineOf(kv.first), path + "." + name + ": given twice");
      PhraseGroup group{name, LineOf(kv.first), {}};
      CHECKIN_RETURN_IF_ERROR(ReadList(kv.second, path + "." + name, group.entries));
      out.push_back(std::move(group));
    }
    return Status::OK();
  }

  Status ReadLanguage(const std::string& code, const YAML::Node& node, PhraseFileLanguage& out) const {
    if (!node.IsMap()) return Error(LineOf(node), code + ": expected a map of phrase groups, got " + Describe(node));
    std::set<std::string> seen;
    for (const auto& kv : node) {
      const std::string key = kv.first.Scalar();
      const std::string path = code + "." + key;
      if (!seen.insert(key).second) return Error(LineOf(kv.first), path + ": given twice");
      if (key == "stop_words") {
        CHECKIN_RETURN_IF_ERROR(ReadList(kv.second, path, out.stop_words));
      } else if (key == "word_sets") {
        CHECKIN_RETURN_IF_ERROR(ReadGroups(kv.second, path, out.word_sets));
      } else {
        PhraseGroup group{key, LineOf(kv.first), {}};
        CHECKIN_RETURN_IF_ERROR(ReadList(kv.second, path, group.entries));
        out.groups.push_back(std::move(group));
      }
    }
    return Status::OK();
  }

 private:
  std::string file_;
};

}  // namespace

Result<std::vector<PhraseFileLanguage>> ParsePhraseFile(std::string_view yaml, const std::string& file_name) {
  const FileReader reader(file_name);
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    return reader.Error(e.mark.line + 1, e.msg);
  }
  if (!root.IsMap()) return reader.Error(1, "expected a map of languages, got " + std::string(Describe(root)));
  std::vector<PhraseFileLanguage> languages;
  std::set<std::string> seen;
  for (const auto& kv : root) {
    const std::string code = kv.first.Scalar();
    if (!seen.insert(code).second) return reader.Error(LineOf(kv.first), code + ": given twice");
    PhraseFileLanguage language{code, LineOf(kv.first), {}, {}, {}};
    CHECKIN_RETURN_IF_ERROR(reader.ReadLanguage(code, kv.second, language));
    languages.push_back(std::move(language));
  }
  return languages;
}

}  // namespace checkin::safeguarding
