// The limits of what a config file may hold, in one place: config loading
// refuses a file past any of them with "FILE:LINE: key: ...", as every other
// config error; ConfigLimitsMarkdown() documents them in
// docs/configuration.md (the ConfigDocs tests keep it up to date) and
// ConfigLimitsSummary() is in `checkind --help`.
//
// They keep loading quick and bounded (a file is read, checked and parsed in
// time and memory linear in its size) and keep what is texted within what
// Twilio sends.
//
// Thread-safety: constants and pure functions.
#ifndef CHECKIN_DAEMON_CONFIG_LIMITS_H_
#define CHECKIN_DAEMON_CONFIG_LIMITS_H_

#include <cstddef>
#include <string>

namespace checkin {

// A config file, in bytes (1 MiB): the annotated example (config/checkin.yaml) is about 18 KB.
constexpr size_t kMaxConfigFileBytes = 1024 * 1024;
// A template, in characters (code points) with each placeholder counted at
// the width reserved for it (PlaceholderWidth, templates.h): Twilio sends
// at most 1600 characters in one message (error 21617).
constexpr size_t kMaxMessageChars = 1600;
// Entries of one phrase list (replies.<lang>.yes/no/maybe,
// safeguarding.phrases.<lang>): a shipped reply list holds up to about 70,
// a language's shipped concern phrases a few hundred.
constexpr size_t kMaxPhrasesPerList = 1000;
// One reply phrase (replies.<lang>.*), in characters: the longest shipped
// one has 21.
constexpr size_t kMaxReplyPhraseChars = 100;
// One concern phrase (safeguarding.phrases.<lang>), in bytes: a pattern
// with alternatives (the longest shipped one has about 690); the same bound
// as the pattern compiler's own (daemon/safeguarding/concern_pattern.cc),
// checked here so that the error names the phrase's line.
constexpr size_t kMaxConcernPhraseBytes = 1024;
// One word of templates.<lang>.words (today, tomorrow, weekdays, months),
// in characters: {day} and {date} are made of them.
constexpr size_t kMaxWordChars = 30;

// Group files in groups_dir (one per group): each is read and checked at
// start-up and on every SIGHUP, and each group's settings are held in memory.
constexpr size_t kMaxGroupFiles = 1000;

// The limits as a Markdown table (docs/configuration.md).
std::string ConfigLimitsMarkdown();
// One paragraph for `checkind --help`.
std::string ConfigLimitsSummary();

}  // namespace checkin

#endif  // CHECKIN_DAEMON_CONFIG_LIMITS_H_
