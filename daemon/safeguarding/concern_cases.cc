// Labelled concern cases (see concern_cases.h).
#include "safeguarding/concern_cases.h"

#include <cstdio>

namespace checkin {

Result<std::vector<ConcernCase>> ReadConcernCases(std::istream& in, const std::string& file_name) {
  std::vector<ConcernCase> cases;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    const size_t tab1 = line.find('\t');
    const size_t tab2 = tab1 == std::string::npos ? tab1 : line.find('\t', tab1 + 1);
    ConcernCase c;
    c.line = n;
    if (tab2 != std::string::npos) {
      const std::string label = line.substr(0, tab1);
      c.concern = label == "concern";
      c.language = line.substr(tab1 + 1, tab2 - tab1 - 1);
      c.text = line.substr(tab2 + 1);
      if ((c.concern || label == "ordinary") && !c.language.empty() && !c.text.empty()) {
        cases.push_back(std::move(c));
        continue;
      }
    }
    return Status::InvalidArgument(file_name + ":" + std::to_string(n) +
                                   ": expected concern|ordinary<TAB>language<TAB>text");
  }
  return cases;
}

void ConcernTally::Add(bool concern, bool was_flagged) {
  if (concern) {
    ++concerns;
    caught += was_flagged;
  } else {
    ++ordinary;
    flagged += was_flagged;
  }
}

std::string ConcernTally::Summary() const {
  char buf[160];
  std::snprintf(buf, sizeof buf, "recall %d/%d = %.1f %%, ordinary flagged %d/%d = %.1f %%", caught, concerns,
                100.0 * Recall(), flagged, ordinary, 100.0 * FlaggedShare());
  return buf;
}

}  // namespace checkin
