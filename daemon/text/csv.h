// CSV: an RFC 4180 reader for the files coordinators export from a
// spreadsheet (`checkinctl import ...`).
//
// Why hand-written: no CSV library is among the Debian packages checkin
// already links, and adding one (libcsv) would add a runtime package to the
// Dockerfile and the install instructions for ~100 lines of code that are
// fully covered by tests/csv_test.cc.
//
// What it accepts, as spreadsheets write it:
//   - fields separated by commas, records by CRLF or LF (a lone CR too);
//   - quoted fields holding commas, line breaks and doubled quotes ("");
//   - a UTF-8 byte order mark at the start (Excel's "CSV UTF-8");
//   - blank lines (empty, or only commas and spaces) anywhere, notably at
//     the end: they are skipped.
// What it refuses, naming the line: a quote left open at the end of the
// file, and text after a closing quote ("ab"c). A quote inside an unquoted
// field (5" screen) is kept as written, as spreadsheets do.
//
// Thread-safety: pure functions.
#ifndef CHECKIN_DAEMON_CSV_H_
#define CHECKIN_DAEMON_CSV_H_

#include <string>
#include <vector>

#include "checkin/status.h"

namespace checkin {

struct CsvRecord {
  int line = 0;  // 1-based line of the file where the record starts
  std::vector<std::string> fields;
};

// Every non-blank record of `text`, header included, in file order.
// InvalidArgument "line N: ..." for a malformed file.
Result<std::vector<CsvRecord>> ParseCsv(const std::string& text);

}  // namespace checkin

#endif  // CHECKIN_DAEMON_CSV_H_
