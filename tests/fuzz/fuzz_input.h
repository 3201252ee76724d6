// Shared by the fuzz targets (tests/fuzz/*_fuzz.cc): turning libFuzzer's
// bytes into the pieces a parser takes, and stopping on a broken property.
//
// The inputs are text so that the seed corpora (tests/fuzz/corpus/<target>/)
// stay readable and can be written by hand: pieces are separated by lines.
//
// Thread-safety: pure functions.
#ifndef CHECKIN_TESTS_FUZZ_FUZZ_INPUT_H_
#define CHECKIN_TESTS_FUZZ_FUZZ_INPUT_H_

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace checkin {
namespace fuzz {

inline std::string_view AsText(const uint8_t* data, size_t size) {
  return std::string_view(reinterpret_cast<const char*>(data), size);
}

// `text` cut at each '\n' (the '\n' dropped); a final empty line is kept.
inline std::vector<std::string> Lines(std::string_view text) {
  std::vector<std::string> lines;
  size_t start = 0;
  for (;;) {
    const size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) {
      lines.emplace_back(text.substr(start));
      return lines;
    }
    lines.emplace_back(text.substr(start, nl - start));
    start = nl + 1;
  }
}

// The first line of `text` and the rest after its '\n' ("" when none).
inline std::pair<std::string, std::string> FirstLineAndRest(std::string_view text) {
  const size_t nl = text.find('\n');
  if (nl == std::string_view::npos) return {std::string(text), ""};
  return {std::string(text.substr(0, nl)), std::string(text.substr(nl + 1))};
}

// A property the parser promises is broken: say which and abort, so that
// libFuzzer keeps the input as a crash.
[[noreturn]] inline void Broken(const char* property, const std::string& detail = "") {
  std::fprintf(stderr, "fuzz property broken: %s%s%s\n", property, detail.empty() ? "" : ": ", detail.c_str());
  std::abort();
}

#define FUZZ_CHECK(cond, ...)                                                  \
  do {                                                                         \
    if (!(cond)) ::checkin::fuzz::Broken(#cond, ##__VA_ARGS__);                 \
  } while (0)

}  // namespace fuzz
}  // namespace checkin

#endif  // CHECKIN_TESTS_FUZZ_FUZZ_INPUT_H_
