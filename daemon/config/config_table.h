// The config table: every key of checkin.yaml, in one place.
//
// Each row names a key path ("reminders.quiet_hours"), its type, its default
// as YAML would write it, what is allowed, whether SIGHUP may change it, and
// a one-line doc. The same rows drive parsing and checking (config.cc),
// ConfigReferenceMarkdown() (config_reference.cc, docs/configuration.md), and
// the test that the annotated config/checkin.yaml shows every key, so none
// of them can drift. The rows are in config_table.cc.
//
// Scalar rows (string, integer, number) carry a `set` that checks a value and
// stores it (config_validators.cc), and a `get` that reads it back as YAML
// text (for docs, reload diffs and tests). Structured rows (send rules, quiet
// hours, templates, replies) are parsed by dedicated functions in config.cc
// and config_replies.cc; their `set` is null.
//
// Thread-safety: the table is immutable static data.
#ifndef CHECKIN_DAEMON_CONFIG_TABLE_H_
#define CHECKIN_DAEMON_CONFIG_TABLE_H_

#include <optional>
#include <string>
#include <vector>

#include "checkin/config.h"
#include "checkin/status.h"

namespace checkin {

enum class KeyType {
  kString,      // any YAML scalar, checked by the row's `set`
  kInteger,     // whole number in [min, max]
  kNumber,      // number in [min, max], fractions allowed
  kSendRules,   // reminders.send: list of {day_before_at | hours_before}
  kQuietHours,  // reminders.quiet_hours: {start, end} or null
  kTemplate,    // templates.<lang>.<kind>: text with placeholders
  kWord,        // templates.<lang>.words.today / tomorrow
  kWordList,    // templates.<lang>.words.weekdays / months
  kBoolean,     // replies.<lang>.replace: true or false
  kPhraseList,  // replies.<lang>.yes / no / maybe, safeguarding.phrases.<lang>: words or phrases
  kPhoneList,   // safeguarding.contacts: phone numbers, read in `region`
};
const char* KeyTypeName(KeyType type);  // "string", "integer", ...

// A scalar as the parser hands it to a row: the text as written, and its
// numeric value for kInteger/kNumber rows (already range-checked).
struct ScalarValue {
  std::string text;
  double number = 0;
};

struct ConfigKey {
  const char* path;           // "twilio.max_per_second"; <lang>/<kind> are patterns
  KeyType type;
  const char* default_value;  // as YAML text; nullptr: required, no default
  const char* allowed;        // what is allowed, for errors and docs
  double min = 0, max = 0;    // bounds of kInteger/kNumber rows, inclusive
  bool reloadable = true;     // false: SIGHUP keeps the running value
  const char* doc = "";       // one line
  // Scalar rows: check `value` and store it; InvalidArgument says what is
  // wrong (the caller adds file, line and key).
  Status (*set)(Config& config, const ScalarValue& value) = nullptr;
  // Scalar and reminder rows: the current value as YAML text.
  std::string (*get)(const Config& config) = nullptr;
  // Whether a group file (groups_dir/<group_id>.yaml) may set it too; its
  // value there wins for that group. Every other key is main-file only.
  bool group_file = false;
};

// Every row, in the order of the annotated example file.
const std::vector<ConfigKey>& ConfigTable();

// The row for `path`, or nullptr.
const ConfigKey* FindConfigKey(const std::string& path);

// Whether `path` is a section (a proper prefix of some row, e.g. "twilio");
// with group_file, a section of some row a group file may set.
bool IsConfigSection(const std::string& path, bool group_file = false);

// The known child names of section `path` ("" = top level), for "did you
// mean" hints (text/edit_distance.h): {"url", "prefix", "timeout_ms"} for
// "redis"; with group_file, only those a group file may set.
std::vector<std::string> ConfigChildren(const std::string& path, bool group_file = false);

// Shape checks shared with config.cc (in config_validators.cc).
bool IsLanguageCode(const std::string& s);          // "en", "pl", "pt-BR"
std::optional<int> ParseHhMm(const std::string& s);  // "18:00" -> 1080
std::string FormatHhMm(int minute_of_day);           // 1080 -> "18:00"
std::string Quoted(const std::string& s);             // abc -> "abc", for messages and YAML

}  // namespace checkin

#endif  // CHECKIN_DAEMON_CONFIG_TABLE_H_
