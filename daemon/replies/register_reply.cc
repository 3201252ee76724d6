#include "replies/register_reply.h"

#include <algorithm>
#include <set>

#include "text/normalize.h"

namespace checkin {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

std::string Trimmed(std::string_view s, std::string_view strip = " \t\r\n,;.:") {
  const size_t begin = s.find_first_not_of(strip);
  if (begin == std::string_view::npos) return "";
  return std::string(s.substr(begin, s.find_last_not_of(strip) - begin + 1));
}

// A "+" that starts a walk-in: followed, after spaces, by something other
// than a digit (a "+" before digits belongs to a number: "+447700900456").
bool StartsWalkIn(std::string_view body, size_t plus) {
  size_t i = plus + 1;
  while (i < body.size() && (body[i] == ' ' || body[i] == '\t')) ++i;
  return i < body.size() && !IsDigit(body[i]) && body[i] != '+' && body[i] != '\n' && body[i] != '\r';
}

// The first "+" at or after `from` that starts a walk-in, or npos.
size_t NextWalkIn(std::string_view body, size_t from) {
  size_t plus = body.find('+', from);
  while (plus != std::string_view::npos && !StartsWalkIn(body, plus)) plus = body.find('+', plus + 1);
  return plus;
}

// "Sarah Jones 07700 900123": the name, then a number of at least 7 digits
// written with nothing but digits, spaces, + - ( ) and dots.
std::optional<WalkIn> ParseWalkIn(std::string_view text) {
  const size_t digit = text.find_first_of("0123456789");
  if (digit == std::string_view::npos) return std::nullopt;
  size_t phone_start = digit;
  if (phone_start > 0 && text[phone_start - 1] == '+') --phone_start;
  if (phone_start > 0 && text[phone_start - 1] == '(') --phone_start;
  WalkIn w{Trimmed(text.substr(0, phone_start), " \t\r\n,;:-"), Trimmed(text.substr(phone_start))};
  int digits = 0;
  for (char c : w.phone) {
    if (IsDigit(c)) {
      ++digits;
    } else if (std::string_view(" +-().").find(c) == std::string_view::npos) {
      return std::nullopt;
    }
  }
  if (w.name.empty() || digits < 7) return std::nullopt;
  return w;
}

// The list part: "1-3" and "1–3" as "1 to 3", "&" as "and", so that the
// normaliser (punctuation as a word break) keeps what they mean.
std::string SpellOut(std::string_view list) {
  static constexpr std::string_view kEnDash = "\xE2\x80\x93";
  std::string out;
  char before = ' ';  // the last character that is not a space
  for (size_t i = 0; i < list.size(); ++i) {
    const bool dash = list[i] == '-' || list.substr(i, kEnDash.size()) == kEnDash;
    if (list[i] == '&') {
      out += " and ";
    } else if (dash && IsDigit(before)) {
      out += " to ";
      if (list[i] != '-') i += kEnDash.size() - 1;
    } else {
      out += list[i];
    }
    if (list[i] != ' ') before = list[i];
  }
  return out;
}

enum class Word { kNumber, kAll, kNone, kExcept, kTo, kFiller, kUnknown };

Word Classify(const std::string& w) {
  static const std::set<std::string> kAll = {"all", "everyone", "everybody"};
  static const std::set<std::string> kNone = {"none", "nobody", "noone", "0"};
  static const std::set<std::string> kExcept = {"but", "except", "apart", "bar", "minus", "exc", "excl"};
  static const std::set<std::string> kFiller = {
      "and", "only", "just", "of", "them", "the", "from", "came", "come", "were", "was", "there", "here", "today",
      "thanks", "thank", "you", "ta", "cheers", "please", "x", "xx", "xxx", "ok", "okay", "hi", "for"};
  if (kNone.count(w)) return Word::kNone;
  if (std::all_of(w.begin(), w.end(), IsDigit)) return Word::kNumber;
  if (kAll.count(w)) return Word::kAll;
  if (kExcept.count(w)) return Word::kExcept;
  if (w == "to") return Word::kTo;
  if (kFiller.count(w)) return Word::kFiller;
  return Word::kUnknown;
}

// A list number, or 0 when it is not one of 1..count (a long string of
// digits never overflows: more than 4 digits is out of range anyway).
int ListNumber(const std::string& digits, int count) {
  const size_t first = digits.find_first_not_of('0');
  if (first == std::string::npos || digits.size() - first > 4) return 0;
  const int n = std::stoi(digits.substr(first));
  return n <= count ? n : 0;
}

// The list part's words into `came`, left nullopt when the part says
// nothing (only walk-ins then); false when it is unclear.
bool ParseList(const std::string& list, int count, std::optional<std::vector<int>>& came) {
  // Split by hand, not with WordKeys: its repeated-letter rule would read
  // "11" as "1".
  std::vector<std::string> words;
  const std::string normalized = NormalizeReplyText(SpellOut(list));
  for (size_t at = 0; at < normalized.size();) {
    const size_t space = std::min(normalized.find(' ', at), normalized.size());
    if (space > at) words.push_back(normalized.substr(at, space - at));
    at = space + 1;
  }
  // "no one" is one word; "no" alone is not an answer.
  for (size_t i = 0; i + 1 < words.size(); ++i) {
    if (words[i] == "no" && words[i + 1] == "one") {
      words[i] = "noone";
      words.erase(words.begin() + static_cast<std::ptrdiff_t>(i) + 1);
    }
  }
  bool all = false, none = false, except = false;
  std::set<int> numbers;
  int range_from = 0;  // "1 to": the number before "to"; 0 outside a range
  int just_read = 0;   // the number the word before was, or 0
  for (const std::string& w : words) {
    const Word kind = Classify(w);
    const int before = just_read;
    just_read = 0;
    switch (kind) {
      case Word::kNumber: {
        const int n = ListNumber(w, count);
        if (n == 0 || (all && !except)) return false;
        if (range_from > 0) {
          if (n < range_from) return false;
          for (int i = range_from; i <= n; ++i) numbers.insert(i);
          range_from = 0;
        } else {
          numbers.insert(n);
        }
        just_read = n;
        break;
      }
      case Word::kTo:
        if (before == 0) return false;
        range_from = before;
        break;
      case Word::kAll:
        if (all || none || !numbers.empty()) return false;
        all = true;
        break;
      case Word::kNone:
        if (all || none || !numbers.empty()) return false;
        none = true;
        break;
      case Word::kExcept:
        if (!all || except) return false;
        except = true;
        break;
      case Word::kFiller: break;
      case Word::kUnknown: return false;
    }
  }
  if (range_from > 0 || (none && !numbers.empty()) || (except && numbers.empty())) return false;
  if (!all && !none && numbers.empty()) return true;
  came.emplace();
  for (int i = 1; i <= count; ++i) {
    const bool named = numbers.count(i) > 0;
    if (all ? !named : named) came->push_back(i);
  }
  return true;
}

}  // namespace

std::optional<RegisterAnswer> ParseRegisterAnswer(std::string_view body, int count) {
  RegisterAnswer answer;
  std::string list;
  size_t at = 0;
  while (at < body.size()) {
    const size_t plus = NextWalkIn(body, at);
    list.append(body.substr(at, plus - at));  // substr stops at the end when plus is npos
    if (plus == std::string_view::npos) break;
    // A walk-in runs to the end of its line or the next walk-in.
    const size_t end = std::min(body.find_first_of("\r\n", plus), NextWalkIn(body, plus + 1));
    auto walk_in = ParseWalkIn(body.substr(plus + 1, end - plus - 1));
    if (!walk_in) return std::nullopt;
    answer.walk_ins.push_back(std::move(*walk_in));
    at = std::min(end, body.size());
    list += ' ';
  }
  if (!ParseList(list, count, answer.came)) return std::nullopt;
  if (!answer.came && answer.walk_ins.empty()) return std::nullopt;
  return answer;
}

}  // namespace checkin
