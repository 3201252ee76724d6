// Fuzz target: a coordinator's answer to the register text
// (replies/register_reply.h).
//
// Input: the first line is the register's length (digits; "4" if not a
// number), the rest is the answer's body, any bytes.
// Properties: the numbers marked are on the list, sorted and unique; every
// walk-in has a name and a number of at least 7 digits.
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_input.h"
#include "replies/register_reply.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace checkin;
  const std::string_view text = fuzz::AsText(data, size);
  const size_t nl = text.find('\n');
  const std::string_view head = text.substr(0, nl);
  int count = 4;
  const auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  if (!head.empty() && head.size() <= 3 && std::all_of(head.begin(), head.end(), is_digit)) {
    count = std::stoi(std::string(head));
  }
  const std::string_view body = nl == std::string_view::npos ? text : text.substr(nl + 1);
  const auto answer = ParseRegisterAnswer(body, count);
  if (!answer) return 0;
  FUZZ_CHECK(answer->came || !answer->walk_ins.empty(), "an answer that says nothing is not unclear");
  if (answer->came) {
    const auto& came = *answer->came;
    FUZZ_CHECK(std::is_sorted(came.begin(), came.end()), "numbers not sorted");
    FUZZ_CHECK(std::adjacent_find(came.begin(), came.end()) == came.end(), "a number twice");
    for (int n : came) FUZZ_CHECK(n >= 1 && n <= count, "a number not on the list");
  }
  for (const WalkIn& w : answer->walk_ins) {
    FUZZ_CHECK(!w.name.empty(), "a walk-in without a name");
    FUZZ_CHECK(std::count_if(w.phone.begin(), w.phone.end(), is_digit) >= 7, "a walk-in number with fewer than 7 digits");
  }
  return 0;
}
