// Labelled texts for the concern check: what `checkinctl concerns test
// --file` scores and the test tables hold (tests/data/*.tsv). One case per
// line, label<TAB>language<TAB>text, label "concern" or "ordinary"; lines
// starting with # and empty lines are skipped.
//
// Thread-safety: plain functions and values.
#ifndef CHECKIN_DAEMON_SAFEGUARDING_CONCERN_CASES_H_
#define CHECKIN_DAEMON_SAFEGUARDING_CONCERN_CASES_H_

#include <istream>
#include <map>
#include <string>
#include <vector>

#include "checkin/status.h"

namespace checkin {

struct ConcernCase {
  int line = 0;  // in its file, for messages
  bool concern = false;
  std::string language, text;
};

// InvalidArgument names `file_name`, the line and what was expected.
Result<std::vector<ConcernCase>> ReadConcernCases(std::istream& in, const std::string& file_name);

// How a classifier did on some cases.
struct ConcernTally {
  int concerns = 0, caught = 0;   // concern cases, and those it flagged
  int ordinary = 0, flagged = 0;  // ordinary cases, and those it flagged

  void Add(bool concern, bool was_flagged);
  double Recall() const { return concerns == 0 ? 1.0 : static_cast<double>(caught) / concerns; }
  double FlaggedShare() const { return ordinary == 0 ? 0.0 : static_cast<double>(flagged) / ordinary; }
  // "recall 95/100 = 95.0 %, ordinary flagged 2/80 = 2.5 %"
  std::string Summary() const;
};

}  // namespace checkin

#endif  // CHECKIN_DAEMON_SAFEGUARDING_CONCERN_CASES_H_
