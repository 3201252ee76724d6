// Fuzz target: the CSV reader behind `checkinctl import` (text/csv.h).
//
// Input: the file.
// Properties: records come in file order, each on a line of the file, none
// blank (blank records are skipped).
#include <cstdint>
#include <string>

#include "fuzz_input.h"
#include "text/csv.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace checkin;
  const std::string text(fuzz::AsText(data, size));
  const Result<std::vector<CsvRecord>> records = ParseCsv(text);
  if (!records.ok()) return 0;
  int previous_line = 0;
  for (const CsvRecord& r : *records) {
    FUZZ_CHECK(r.line > previous_line, "records out of file order");
    FUZZ_CHECK(static_cast<size_t>(r.line) <= size + 1, "line past the end of the file");
    FUZZ_CHECK(!r.fields.empty(), "a record without fields");
    previous_line = r.line;
  }
  return 0;
}
