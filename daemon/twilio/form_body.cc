// Strict application/x-www-form-urlencoded parsing and encoding; see
// form_body.h for the rules. Error messages name the pair's position and
// what is wrong with it, never its text (a body is a member's message).
#include "twilio/form_body.h"

#include <algorithm>

#include "text/utf8.h"

namespace checkin {
namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes one name or value; `what` and `pair` only feed the error.
Result<std::string> DecodeComponent(std::string_view text, const char* what, size_t pair) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+') {
      out += ' ';
    } else if (c != '%') {
      out += c;
    } else if (i + 2 < text.size() && HexDigit(text[i + 1]) >= 0 && HexDigit(text[i + 2]) >= 0) {
      out += static_cast<char>(HexDigit(text[i + 1]) * 16 + HexDigit(text[i + 2]));
      i += 2;
    } else {
      return Status::InvalidArgument("form body: pair " + std::to_string(pair) + ": " + what + " has '%' at offset " +
                                     std::to_string(i) + " not followed by two hex digits");
    }
  }
  if (!ValidUtf8(out)) {
    return Status::InvalidArgument("form body: pair " + std::to_string(pair) + ": " + what +
                                   " is not valid UTF-8 once decoded");
  }
  return out;
}

bool Unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

std::string Encode(std::string_view s) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size() * 3);
  for (unsigned char c : s) {
    if (Unreserved(c)) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0x0F];
    }
  }
  return out;
}

}  // namespace

Result<FormParams> ParseFormBody(std::string_view body) {
  FormParams params;
  size_t pair = 0;  // 1-based position, empty pairs included
  size_t start = 0;
  while (start <= body.size()) {
    const size_t amp = std::min(body.find('&', start), body.size());
    const std::string_view item = body.substr(start, amp - start);
    start = amp + 1;
    ++pair;
    if (item.empty()) continue;
    const size_t eq = item.find('=');
    const std::string_view raw_name = item.substr(0, eq);
    const std::string_view raw_value = eq == std::string_view::npos ? std::string_view() : item.substr(eq + 1);
    Result<std::string> name = DecodeComponent(raw_name, "name", pair);
    if (!name.ok()) return name.status();
    Result<std::string> value = DecodeComponent(raw_value, "value", pair);
    if (!value.ok()) return value.status();
    params.emplace_back(std::move(*name), std::move(*value));
  }
  return params;
}

std::optional<std::string> FormValue(const FormParams& params, std::string_view name) {
  for (const auto& [n, v] : params) {
    if (n == name) return v;
  }
  return std::nullopt;
}

std::string FormEncode(const FormParams& params) {
  std::string out;
  for (const auto& [name, value] : params) {
    if (!out.empty()) out += '&';
    out += Encode(name);
    out += '=';
    out += Encode(value);
  }
  return out;
}

}  // namespace checkin
