// Concern cases as tests/data/*.tsv hold them (safeguarding/concern_cases.h):
// the file read once, a broken line failing the test. Shared by the case
// table (concern_classifier_test.cc) and the held-out measurement.
#ifndef CHECKIN_TESTS_CONCERN_CASES_H_
#define CHECKIN_TESTS_CONCERN_CASES_H_

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "safeguarding/concern_cases.h"

namespace checkin {

// `relative` to the source tree, e.g. "tests/data/concern_cases.tsv".
inline std::vector<ConcernCase> LoadConcernCases(const std::string& relative) {
  const std::string path = std::string(CHECKIN_SOURCE_DIR) + "/" + relative;
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  auto cases = ReadConcernCases(in, path);
  EXPECT_TRUE(cases.ok()) << cases.status().ToString();
  return cases.ok() ? *cases : std::vector<ConcernCase>{};
}

}  // namespace checkin

#endif  // CHECKIN_TESTS_CONCERN_CASES_H_
