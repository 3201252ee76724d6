// SMS segment counting (see segments.h).
//
// UTF-8 is decoded by hand here on purpose: no Debian 12 library offers
// GSM 03.38 segment counting, and pulling in ICU or iconv only to walk code
// points would be a heavy dependency for forty lines. The decoder is strict
// (overlong forms, surrogates and truncated sequences are invalid) and never
// reads past the end; each invalid byte becomes U+FFFD.
#include "text/segments.h"

#include <cstdint>
#include <vector>

namespace checkin {
namespace {

constexpr char32_t kReplacement = 0xFFFD;
constexpr int kGsmSingle = 160, kGsmPart = 153;
constexpr int kUcsSingle = 70, kUcsPart = 67;

// Decodes one code point at s[i], advancing i; invalid input consumes one
// byte and yields U+FFFD.
char32_t DecodeOne(const std::string& s, size_t& i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(i);
  int len = 0;
  char32_t cp = 0, min = 0;
  if (b0 < 0x80) { ++i; return b0; }
  if ((b0 & 0xE0) == 0xC0) { len = 2; cp = b0 & 0x1F; min = 0x80; }
  else if ((b0 & 0xF0) == 0xE0) { len = 3; cp = b0 & 0x0F; min = 0x800; }
  else if ((b0 & 0xF8) == 0xF0) { len = 4; cp = b0 & 0x07; min = 0x10000; }
  else { ++i; return kReplacement; }
  if (i + len > s.size()) { ++i; return kReplacement; }
  for (int k = 1; k < len; ++k) {
    const unsigned char b = byte(i + k);
    if ((b & 0xC0) != 0x80) { ++i; return kReplacement; }
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) { ++i; return kReplacement; }
  i += len;
  return cp;
}

std::vector<char32_t> DecodeUtf8(const std::string& s) {
  std::vector<char32_t> out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) out.push_back(DecodeOne(s, i));
  return out;
}

// GSM 03.38 basic character set, as Unicode code points (ESC excluded).
bool IsGsmBasic(char32_t c) {
  if (c >= 'A' && c <= 'Z') return true;
  if (c >= 'a' && c <= 'z') return true;
  if (c >= '0' && c <= '9') return true;
  static const char32_t kOthers[] = {
      U'@', U'£', U'$', U'¥', U'è', U'é', U'ù', U'ì', U'ò', U'Ç', U'\n', U'Ø', U'ø', U'\r',
      U'Å', U'å', U'Δ', U'_', U'Φ', U'Γ', U'Λ', U'Ω', U'Π', U'Ψ', U'Σ', U'Θ', U'Ξ', U'Æ',
      U'æ', U'ß', U'É', U' ', U'!', U'"', U'#', U'¤', U'%', U'&', U'\'', U'(', U')', U'*',
      U'+', U',', U'-', U'.', U'/', U':', U';', U'<', U'=', U'>', U'?', U'¡', U'Ä', U'Ö',
      U'Ñ', U'Ü', U'§', U'¿', U'ä', U'ö', U'ñ', U'ü', U'à'};
  for (char32_t o : kOthers) {
    if (o == c) return true;
  }
  return false;
}

// GSM 03.38 extension table: sent as ESC + character, two septets.
bool IsGsmExtension(char32_t c) {
  switch (c) {
    case U'\f': case U'^': case U'{': case U'}': case U'\\':
    case U'[': case U'~': case U']': case U'|': case U'€':
      return true;
    default:
      return false;
  }
}

// Parts needed for `widths` (units per character) with `single` units in a
// lone part and `part` units per part otherwise; no character is split.
int PackParts(const std::vector<int>& widths, int total, int single, int part) {
  if (total == 0) return 0;
  if (total <= single) return 1;
  int parts = 1, used = 0;
  for (int w : widths) {
    if (used + w > part) { ++parts; used = 0; }
    used += w;
  }
  return parts;
}

}  // namespace

SegmentInfo CountSegments(const std::string& utf8) {
  const std::vector<char32_t> cps = DecodeUtf8(utf8);
  SegmentInfo info;
  info.characters = static_cast<int>(cps.size());
  bool gsm = true;
  for (char32_t c : cps) {
    if (!IsGsmBasic(c) && !IsGsmExtension(c)) { gsm = false; break; }
  }
  std::vector<int> widths;
  widths.reserve(cps.size());
  for (char32_t c : cps) {
    if (gsm) widths.push_back(IsGsmExtension(c) ? 2 : 1);
    else widths.push_back(c > 0xFFFF ? 2 : 1);
  }
  for (int w : widths) info.units += w;
  info.encoding = gsm ? SegmentInfo::kGsm7 : SegmentInfo::kUcs2;
  info.segments = gsm ? PackParts(widths, info.units, kGsmSingle, kGsmPart)
                      : PackParts(widths, info.units, kUcsSingle, kUcsPart);
  return info;
}

bool IsGsm7Character(char32_t c) { return IsGsmBasic(c) || IsGsmExtension(c); }

bool IsGsm7Extension(char32_t c) { return IsGsmExtension(c); }

const char* EncodingName(SegmentInfo::Encoding encoding) {
  return encoding == SegmentInfo::kGsm7 ? "GSM-7" : "UCS-2";
}

}  // namespace checkin
