// checkinctl concerns (see ctl_concerns.h).
#include "ctl/ctl_concerns.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "base/phone.h"
#include "safeguarding/concern_cases.h"
#include "schema/records.h"
#include "time/zone.h"

namespace checkin {

using json = nlohmann::json;

Status ReportConcerns(ConcernStore& store, const Config& config, int limit, bool json_out, std::ostream& out) {
  auto list = store.List(limit);
  if (!list.ok()) return list.status();
  if (json_out) {
    json rows = json::array();
    for (const Concern& c : *list) {
      rows.push_back({{"concern", c.id}, {"state", c.state}, {"member", c.member}, {"name", c.name},
                      {"phone", c.phone}, {"group", c.group}, {"session", c.session}, {"body", c.body},
                      {"language", c.language}, {"received_at", c.received_at}, {"contacts", c.contacts},
                      {"alerted", c.alerted}, {"acknowledged_by", c.acknowledged_by},
                      {"acknowledged_at", c.acknowledged_at}});
    }
    out << rows.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
    return Status::OK();
  }
  if (list->empty()) {
    out << "No concerns.\n";
    return Status::OK();
  }
  const date::time_zone* zone = FindTimeZone(config.reminders.timezone);
  for (const Concern& c : *list) {
    auto when = ParseRfc3339(c.received_at);
    out << (c.open() ? "OPEN  " : "taken ") << c.id << "  " << (when.ok() ? ShortLocalTime(*when, zone) : c.received_at)
        << "  " << (c.name.empty() ? "unknown number" : c.name) << " " << MaskPhone(c.phone)
        << (c.group.empty() ? "" : "  group " + c.group) << "\n"
        << "    " << json(c.body).dump(-1, ' ', false, json::error_handler_t::replace) << "\n";
    if (c.open()) {
      out << "    alerted: " << (c.alerted.empty() ? "nobody (no safeguarding contact)" : std::to_string(c.alerted.size()) + " contact(s)")
          << "; take it on: checkinctl concerns ack " << c.id << "\n";
    } else {
      out << "    taken on by " << (c.acknowledged_by[0] == '+' ? MaskPhone(c.acknowledged_by) : c.acknowledged_by)
          << " at " << c.acknowledged_at << "\n";
    }
  }
  return Status::OK();
}

Status AcknowledgeConcern(Concerns& concerns, const Config& config, const std::string& id, const std::string& by,
                          Instant now, std::ostream& out) {
  auto r = concerns.Acknowledge(config, id, by, now);
  if (!r.ok()) return r.status();
  if (!r->acknowledged) {
    out << "Concern " << id << " was already taken on by " << r->concern.acknowledged_by << " at "
        << r->concern.acknowledged_at << ".\n";
    return Status::OK();
  }
  out << "Concern " << id << " is yours; nobody else will be alerted about it";
  out << (r->concern.alerted.empty() ? ".\n" : ", and the contacts already alerted are told.\n");
  return Status::OK();
}

namespace {

std::string Quoted(const std::string& text) { return json(text).dump(-1, ' ', false, json::error_handler_t::replace); }

std::string Describe(const ConcernMatch& m) {
  if (m.category == ConcernCategory::kWords) {
    char score[32];
    std::snprintf(score, sizeof score, "%.2f", m.score);
    return std::string("words: no phrase matched; the word model scores it ") + score;
  }
  return std::string(ConcernCategoryName(m.category)) + ", phrase " + Quoted(m.phrase) + " of the " + m.language +
         (m.added ? " list in the config" : " list");
}

}  // namespace

void TestConcernText(const ConcernClassifier& classifier, const std::string& text, const std::string& language,
                     std::ostream& out) {
  const auto match = classifier.Check(text, language);
  out << (match ? "concern (" + Describe(*match) + ")" : std::string("no concern")) << "\n";
}

Status TestConcernFiles(const ConcernClassifier& classifier, const std::vector<std::string>& files, bool summary_only,
                        std::ostream& out, bool* all_right) {
  std::map<std::string, ConcernTally> by_language;
  ConcernTally all;
  for (const std::string& file : files) {
    std::ifstream in(file);
    if (!in) return Status::InvalidArgument("cannot read " + file + ": " + std::strerror(errno));
    auto cases = ReadConcernCases(in, file);
    if (!cases.ok()) return cases.status();
    for (const ConcernCase& c : *cases) {
      const auto match = classifier.Check(c.text, c.language);
      by_language[c.language].Add(c.concern, match.has_value());
      all.Add(c.concern, match.has_value());
      if (summary_only || c.concern == match.has_value()) continue;
      out << file << ":" << c.line << ": " << (c.concern ? "missed" : "false alarm") << " (" << c.language
          << (match ? ", " + Describe(*match) : std::string()) << "): " << c.text << "\n";
    }
  }
  for (const auto& [language, tally] : by_language) out << language << ": " << tally.Summary() << "\n";
  out << "all: " << all.Summary() << "\n";
  *all_right = all.caught == all.concerns && all.flagged == 0;
  return Status::OK();
}

}  // namespace checkin
