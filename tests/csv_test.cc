// The CSV reader (daemon/text/csv.h) on what spreadsheets actually write.
#include "text/csv.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_util.h"

namespace checkin {
namespace {

using Rows = std::vector<std::vector<std::string>>;

struct Case {
  const char* name;
  std::string text;
  Rows rows;
  std::vector<int> lines;  // where each record starts
};

Rows Fields(const std::vector<CsvRecord>& records) {
  Rows out;
  for (const auto& r : records) out.push_back(r.fields);
  return out;
}

std::vector<int> Lines(const std::vector<CsvRecord>& records) {
  std::vector<int> out;
  for (const auto& r : records) out.push_back(r.line);
  return out;
}

TEST(Csv, ReadsWhatSpreadsheetsWrite) {
  const std::vector<Case> cases = {
      {"plain", "name,phone\nAmy,07700900123\n", {{"name", "phone"}, {"Amy", "07700900123"}}, {1, 2}},
      {"no final line break", "a,b\n1,2", {{"a", "b"}, {"1", "2"}}, {1, 2}},
      {"CRLF", "a,b\r\n1,2\r\n", {{"a", "b"}, {"1", "2"}}, {1, 2}},
      {"lone CR (old Mac)", "a,b\r1,2\r", {{"a", "b"}, {"1", "2"}}, {1, 2}},
      {"UTF-8 BOM", "\xEF\xBB\xBFname\nAmy\n", {{"name"}, {"Amy"}}, {1, 2}},
      {"quoted comma", "a,b\n\"Hall, Walkerburn\",x\n", {{"a", "b"}, {"Hall, Walkerburn", "x"}}, {1, 2}},
      {"doubled quotes", "a\n\"she said \"\"hi\"\"\"\n", {{"a"}, {"she said \"hi\""}}, {1, 2}},
      {"empty quoted field", "a,b\n\"\",x\n", {{"a", "b"}, {"", "x"}}, {1, 2}},
      {"empty fields", "a,b,c\n,,x\n", {{"a", "b", "c"}, {"", "", "x"}}, {1, 2}},
      {"line break inside quotes", "a,b\n\"two\nlines\",x\ny,z\n", {{"a", "b"}, {"two\nlines", "x"}, {"y", "z"}}, {1, 2, 4}},
      {"CRLF inside quotes", "a\r\n\"x\r\ny\"\r\nz\r\n", {{"a"}, {"x\r\ny"}, {"z"}}, {1, 2, 4}},
      {"blank trailing lines", "a\n1\n\n\n", {{"a"}, {"1"}}, {1, 2}},
      {"blank trailing CRLF lines", "a\r\n1\r\n\r\n\r\n", {{"a"}, {"1"}}, {1, 2}},
      {"rows of empty cells", "a,b\n1,2\n,\n , \n", {{"a", "b"}, {"1", "2"}}, {1, 2}},
      {"blank line in the middle keeps numbering", "a\n1\n\n2\n", {{"a"}, {"1"}, {"2"}}, {1, 2, 4}},
      {"quote inside an unquoted field is kept", "a\n5\" screen\n", {{"a"}, {"5\" screen"}}, {1, 2}},
      {"spaces are kept", "a\n  Amy \n", {{"a"}, {"  Amy "}}, {1, 2}},
      {"UTF-8 text", "a\nZo\xC5\xBC\xC4\x99\n", {{"a"}, {"Zo\xC5\xBC\xC4\x99"}}, {1, 2}},
      {"empty file", "", {}, {}},
      {"only a BOM", "\xEF\xBB\xBF", {}, {}},
  };
  for (const auto& c : cases) {
    auto records = ParseCsv(c.text);
    ASSERT_OK(records) << c.name;
    EXPECT_EQ(Fields(*records), c.rows) << c.name;
    EXPECT_EQ(Lines(*records), c.lines) << c.name;
  }
}

TEST(Csv, RefusesMalformedFilesNamingTheLine) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"a\n1\n\"never closed,x\n2\n", "line 3: a quoted field is never closed"},
      {"a\n\"ab\"c\n", "line 2: text after a closing quote"},
      {"a\n\"x\ny\"z\n", "line 3: text after a closing quote"},
  };
  for (const auto& [text, want] : cases) {
    auto records = ParseCsv(text);
    ASSERT_FALSE(records.ok()) << text;
    EXPECT_TRUE(records.status().IsInvalidArgument());
    EXPECT_NE(records.status().message().find(want), std::string::npos)
        << "input: " << text << "\nmessage: " << records.status().message();
  }
}

}  // namespace
}  // namespace checkin
