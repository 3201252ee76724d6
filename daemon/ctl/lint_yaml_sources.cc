// Template lint, where each template is written (see ReadTemplateFile in
// template_lint.h): a small reader of the templates: section of the raw
// YAML, for the file:line of each finding and the words keys a language
// gives.
//
// Why not reuse Config::Parse, which walks the same tree: it records where
// keys are written only while it parses (config_internal::ParseState::marks)
// and returns no Config at all for a file with an error, while lint must
// still point at the lines of a file that does not load; and the Config
// holds a language's words already merged with the English ones, so which
// words keys the file itself gives is lost. Anything malformed is skipped
// here: Config::Load reports it.
#include <yaml-cpp/yaml.h>

#include "ctl/template_lint.h"

namespace checkin {

TemplateFile ReadTemplateFile(const std::string& yaml, const std::string& source) {
  TemplateFile file;
  YAML::Node root;
  try {  // a syntax error: Config::Load names it
    root = YAML::Load(yaml);
  } catch (const YAML::Exception&) {
    return file;
  }
  const YAML::Node templates = root.IsMap() ? root["templates"] : YAML::Node();
  if (!templates.IsMap()) return file;
  for (auto lang = templates.begin(); lang != templates.end(); ++lang) {
    if (!lang->first.IsScalar() || !lang->second.IsMap()) continue;
    const std::string language = lang->first.Scalar();
    for (auto entry = lang->second.begin(); entry != lang->second.end(); ++entry) {
      if (!entry->first.IsScalar()) continue;
      const std::string key = entry->first.Scalar();
      if (key == "words" && entry->second.IsMap()) {
        for (auto w = entry->second.begin(); w != entry->second.end(); ++w) {
          if (w->first.IsScalar()) file.words_given[language].push_back(w->first.Scalar());
        }
        continue;
      }
      const auto kind = TemplateKindFromName(key);
      if (!kind || !entry->second.IsScalar()) continue;
      file.templates.push_back({language, *kind, entry->second.Scalar(),
                                source + ":" + std::to_string(entry->first.Mark().line + 1)});
    }
  }
  return file;
}

}  // namespace checkin
