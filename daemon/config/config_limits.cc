// The documentation of config_limits.h's limits: a Markdown table for
// docs/configuration.md and a paragraph for `checkind --help`.
#include "config/config_limits.h"

#include <sstream>

#include "config/templates.h"

namespace checkin {

std::string ConfigLimitsMarkdown() {
  std::ostringstream out;
  out << "| what | limit | why |\n|---|---|---|\n";
  out << "| a config file | " << kMaxConfigFileBytes / 1024 << " KiB (" << kMaxConfigFileBytes
      << " bytes), UTF-8 | the annotated example (config/checkin.yaml) is about 18 KB; a bigger file is a mistake, and reading it must stay "
         "quick (the error names the line where the limit is crossed, or the line and character of the first byte "
         "that is not UTF-8) |\n";
  out << "| group files (`groups_dir`) | " << kMaxGroupFiles
      << " files, each within the limits of a config file | each is read and checked at start-up and on every "
         "SIGHUP, and each group's settings are held in memory |\n";
  out << "| a template (`templates.<lang>.<kind>`) | " << kMaxMessageChars
      << " characters, each placeholder counted at its longest: " << PlaceholderWidthList()
      << " | every kind is texted, and Twilio sends at most 1600 characters in one message (error 21617) |\n";
  out << "| a phrase list (`replies.<lang>.yes`/`no`/`maybe`, `safeguarding.phrases.<lang>`) | " << kMaxPhrasesPerList
      << " entries | the shipped reply lists hold up to about 70 entries, a language's shipped concern phrases a few hundred |\n";
  out << "| a reply phrase (`replies.<lang>.*`) | " << kMaxReplyPhraseChars
      << " characters | a reply is a few words; the longest shipped phrase has 21 characters |\n";
  out << "| a concern phrase (`safeguarding.phrases.<lang>`) | " << kMaxConcernPhraseBytes
      << " bytes of UTF-8 | a pattern with alternatives; the longest shipped one has about 690; the pattern compiler's "
         "own bound |\n";
  out << "| a word (`templates.<lang>.words.*`) | " << kMaxWordChars
      << " characters | `{day}` and `{date}` are made of them |\n";
  return out.str();
}

std::string ConfigLimitsSummary() {
  return "Limits (docs/configuration.md): a config file at most " + std::to_string(kMaxConfigFileBytes / 1024) +
         " KiB of UTF-8 (each group file too, at most " + std::to_string(kMaxGroupFiles) +
         " of them); a template at most " + std::to_string(kMaxMessageChars) +
         " characters (Twilio's limit for one message), each placeholder counted at its longest; at most " +
         std::to_string(kMaxPhrasesPerList) + " entries in a phrase list, a reply phrase at most " +
         std::to_string(kMaxReplyPhraseChars) + " characters, a concern phrase " +
         std::to_string(kMaxConcernPhraseBytes) + " bytes, a word of templates.<lang>.words " +
         std::to_string(kMaxWordChars) + ".";
}

}  // namespace checkin
