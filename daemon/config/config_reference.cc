// The Markdown reference of every config key, and of the keys a group file
// may set, generated from the config table's rows: the tables between the
// GENERATED markers of docs/configuration.md (the ConfigDocs.ReferenceIsUpToDate test compares
// them; CHECKIN_UPDATE_DOCS=1 ./config_test rewrites it).
#include <sstream>
#include <string>

#include "checkin/config.h"
#include "config/config_table.h"

namespace checkin {

namespace {

std::string MarkdownCell(const std::string& s) {
  std::string out;
  for (char c : s) out += (c == '|') ? std::string("\\|") : std::string(1, c);
  return out;
}

}  // namespace

std::string ConfigReferenceMarkdown() {
  std::ostringstream out;
  out << "| key | type | default | allowed | SIGHUP | description |\n";
  out << "|---|---|---|---|---|---|\n";
  for (const ConfigKey& k : ConfigTable()) {
    const std::string def = k.default_value ? "`" + std::string(k.default_value) + "`" : "**required**";
    out << "| `" << k.path << "` | " << KeyTypeName(k.type) << " | " << MarkdownCell(def) << " | "
        << MarkdownCell(k.allowed) << " | " << (k.reloadable ? "reloads" : "restart") << " | "
        << MarkdownCell(k.doc) << " |\n";
  }
  return out.str();
}

std::string GroupFileReferenceMarkdown() {
  std::ostringstream out;
  out << "| key | type | allowed | description |\n";
  out << "|---|---|---|---|\n";
  for (const ConfigKey& k : ConfigTable()) {
    if (!k.group_file) continue;
    out << "| `" << k.path << "` | " << KeyTypeName(k.type) << " | " << MarkdownCell(k.allowed) << " | "
        << MarkdownCell(k.doc) << " |\n";
  }
  return out.str();
}

}  // namespace checkin
