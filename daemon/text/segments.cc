// SMS segment counting (see segments.h).
//
// No Debian 12 library offers GSM 03.38 segment counting, so the tables are
// here; code points come from text/utf8.h (each invalid byte is U+FFFD).
#include "text/segments.h"

#include <cstdint>
#include <vector>

#include "text/utf8.h"

namespace checkin {
namespace {

constexpr int kGsmSingle = 160, kGsmPart = 153;
constexpr int kUcsSingle = 70, kUcsPart = 67;

std::vector<char32_t> DecodeUtf8(const std::string& s) {
  std::vector<char32_t> out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) out.push_back(NextCodePoint(s, i));
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
