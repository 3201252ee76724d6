#include "text/csv.h"

namespace checkin {
namespace {

bool IsBlank(const CsvRecord& r) {
  for (const auto& f : r.fields) {
    if (f.find_first_not_of(" \t") != std::string::npos) return false;
  }
  return true;
}

// Reads records one character at a time; `line` counts physical lines so
// that a quoted field spanning lines still gives the next record its own
// line number.
class Reader {
 public:
  explicit Reader(const std::string& text) : s_(text) {
    if (s_.compare(0, 3, "\xEF\xBB\xBF") == 0) i_ = 3;
  }

  Result<std::vector<CsvRecord>> All() {
    std::vector<CsvRecord> out;
    while (i_ < s_.size()) {
      CsvRecord r;
      r.line = line_;
      Status s = ReadRecord(r.fields);
      if (!s.ok()) return s;
      if (!IsBlank(r)) out.push_back(std::move(r));
    }
    return out;
  }

 private:
  // Consumes a line break at i_ (CRLF, LF or CR); false when there is none.
  bool EatLineBreak() {
    if (s_[i_] == '\r') {
      ++i_;
      if (i_ < s_.size() && s_[i_] == '\n') ++i_;
    } else if (s_[i_] == '\n') {
      ++i_;
    } else {
      return false;
    }
    ++line_;
    return true;
  }

  Status ReadRecord(std::vector<std::string>& fields) {
    while (true) {
      std::string field;
      if (i_ < s_.size() && s_[i_] == '"') {
        CHECKIN_RETURN_IF_ERROR(ReadQuoted(field));
      } else {
        while (i_ < s_.size() && s_[i_] != ',' && s_[i_] != '\r' && s_[i_] != '\n') field += s_[i_++];
      }
      fields.push_back(std::move(field));
      if (i_ >= s_.size()) return Status::OK();
      if (s_[i_] == ',') {
        ++i_;
        continue;
      }
      EatLineBreak();
      return Status::OK();
    }
  }

  Status ReadQuoted(std::string& field) {
    const int opened_at = line_;
    ++i_;  // the opening quote
    while (true) {
      if (i_ >= s_.size()) {
        return Status::InvalidArgument("line " + std::to_string(opened_at) +
                                       ": a quoted field is never closed (a \" is missing)");
      }
      const char c = s_[i_];
      if (c == '"') {
        if (i_ + 1 < s_.size() && s_[i_ + 1] == '"') {
          field += '"';
          i_ += 2;
          continue;
        }
        ++i_;  // the closing quote
        if (i_ < s_.size() && s_[i_] != ',' && s_[i_] != '\r' && s_[i_] != '\n') {
          return Status::InvalidArgument("line " + std::to_string(line_) +
                                         ": text after a closing quote (write a quote inside a quoted field as \"\")");
        }
        return Status::OK();
      }
      if (c == '\r' || c == '\n') {
        const size_t start = i_;
        EatLineBreak();
        field += s_.substr(start, i_ - start);
        continue;
      }
      field += c;
      ++i_;
    }
  }

  const std::string& s_;
  size_t i_ = 0;
  int line_ = 1;
};

}  // namespace

Result<std::vector<CsvRecord>> ParseCsv(const std::string& text) { return Reader(text).All(); }

}  // namespace checkin
