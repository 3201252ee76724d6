// Concern cases as tests/data/*.tsv hold them: label<TAB>lang<TAB>text per
// line, label concern or ordinary, "#" comments. Shared by the case table
// (concern_classifier_test.cc) and the held-out measurement.
#ifndef CHECKIN_TESTS_CONCERN_CASES_H_
#define CHECKIN_TESTS_CONCERN_CASES_H_

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace checkin {

struct TableCase {
  int line;
  bool concern;
  std::string language, text;
};

// `relative` to the source tree, e.g. "tests/data/concern_cases.tsv".
inline std::vector<TableCase> LoadConcernCases(const std::string& relative) {
  const std::string path = std::string(CHECKIN_SOURCE_DIR) + "/" + relative;
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::vector<TableCase> cases;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string label, language, text;
    std::getline(fields, label, '\t');
    std::getline(fields, language, '\t');
    std::getline(fields, text);
    EXPECT_TRUE((label == "concern" || label == "ordinary") && !language.empty() && !text.empty())
        << path << ":" << n << ": expected label<TAB>lang<TAB>text, got \"" << line << "\"";
    cases.push_back(TableCase{n, label == "concern", language, text});
  }
  return cases;
}

}  // namespace checkin

#endif  // CHECKIN_TESTS_CONCERN_CASES_H_
