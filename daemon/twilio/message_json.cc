// Twilio's Message JSON and list rules (see message_json.h).
#include "twilio/message_json.h"

#include <nlohmann/json.hpp>

#include <cctype>
#include <cstdlib>

namespace checkin {
namespace {

// Twilio sends counts as strings ("1"); accept numbers too.
int JsonInt(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return 0;
  if (it->is_number_integer()) return it->get<int>();
  if (it->is_string()) {
    const std::string& s = it->get_ref<const std::string&>();
    char* end = nullptr;
    long v = std::strtol(s.c_str(), &end, 10);
    return end != s.c_str() ? static_cast<int>(v) : 0;
  }
  return 0;
}

std::string JsonString(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

SentMessage FromJson(const nlohmann::json& m) {
  return SentMessage{JsonString(m, "sid"),    JsonString(m, "to"),           JsonString(m, "body"),
                     JsonString(m, "status"), JsonInt(m, "num_segments"),    JsonString(m, "date_created"),
                     JsonString(m, "date_sent")};
}

// Days from 1970-01-01 to y-m-d (proleptic Gregorian; H. Hinnant's days_from_civil).
long DaysFromCivil(int y, int m, int d) {
  y -= m <= 2;
  const long era = (y >= 0 ? y : y - 399) / 400;
  const long yoe = y - era * 400;
  const long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// Reads up to `max` digits (at least one) at text[i]; -1 when none.
int Digits(const std::string& text, size_t& i, int max) {
  int v = 0, n = 0;
  while (n < max && i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
    v = v * 10 + (text[i++] - '0');
    ++n;
  }
  return n == 0 ? -1 : v;
}

bool Expect(const std::string& text, size_t& i, char c) {
  if (i >= text.size() || text[i] != c) return false;
  ++i;
  return true;
}

void SkipSpaces(const std::string& text, size_t& i) {
  while (i < text.size() && text[i] == ' ') ++i;
}

int MonthNumber(const std::string& name) {
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (int m = 0; m < 12; ++m) {
    if (name == kMonths[m]) return m + 1;
  }
  return 0;
}

// "+0000", "-0130", "GMT", "UT", "UTC", "Z": offset east of UTC in seconds.
std::optional<long> ZoneOffset(const std::string& zone) {
  if (zone == "GMT" || zone == "UT" || zone == "UTC" || zone == "Z") return 0;
  if (zone.size() != 5 || (zone[0] != '+' && zone[0] != '-')) return std::nullopt;
  for (size_t i = 1; i < 5; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(zone[i]))) return std::nullopt;
  }
  const long hh = (zone[1] - '0') * 10 + (zone[2] - '0');
  const long mm = (zone[3] - '0') * 10 + (zone[4] - '0');
  if (mm > 59) return std::nullopt;
  return (zone[0] == '-' ? -1 : 1) * (hh * 3600 + mm * 60);
}

}  // namespace

std::optional<SentMessage> ParseMessage(const std::string& json) {
  auto j = nlohmann::json::parse(json, nullptr, false);
  if (!j.is_object() || JsonString(j, "sid").empty()) return std::nullopt;
  return FromJson(j);
}

Result<MessagePage> ParseMessagePage(const std::string& json) {
  auto j = nlohmann::json::parse(json, nullptr, false);
  if (!j.is_object() || !j.contains("messages") || !j["messages"].is_array()) {
    return Status::Internal("twilio list: answer is not a message list");
  }
  MessagePage page;
  for (const auto& m : j["messages"]) {
    if (m.is_object()) page.messages.push_back(FromJson(m));
  }
  page.next_page_uri = JsonString(j, "next_page_uri");
  return page;
}

int ParseErrorCode(const std::string& json) {
  auto j = nlohmann::json::parse(json, nullptr, false);
  return j.is_object() ? JsonInt(j, "code") : 0;
}

std::optional<Instant> ParseRfc2822(const std::string& text) {
  size_t i = 0;
  SkipSpaces(text, i);
  const size_t comma = text.find(',', i);
  if (comma != std::string::npos) i = comma + 1;  // the day of the week is not checked
  SkipSpaces(text, i);
  const int day = Digits(text, i, 2);
  SkipSpaces(text, i);
  const int month = i + 3 <= text.size() ? MonthNumber(text.substr(i, 3)) : 0;
  if (month == 0) return std::nullopt;
  i += 3;
  SkipSpaces(text, i);
  const int year = Digits(text, i, 4);
  SkipSpaces(text, i);
  const int hour = Digits(text, i, 2);
  int minute = -1, second = 0;
  if (Expect(text, i, ':')) minute = Digits(text, i, 2);
  if (Expect(text, i, ':')) second = Digits(text, i, 2);
  SkipSpaces(text, i);
  const size_t zone_end = text.find(' ', i);
  const auto offset = ZoneOffset(text.substr(i, zone_end == std::string::npos ? std::string::npos : zone_end - i));
  if (day < 1 || day > 31 || year < 1970 || hour < 0 || hour > 23 || minute < 0 ||
      minute > 59 || second < 0 || second > 60 || !offset) {
    return std::nullopt;
  }
  const long secs = DaysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - *offset;
  return Instant(std::chrono::seconds(secs));
}

bool CreatedSince(const SentMessage& m, Instant cutoff) {
  const auto created = ParseRfc2822(m.date_created);
  return !created || *created >= cutoff;
}

bool ListingPassed(const SentMessage& last, Instant cutoff) {
  const auto created = ParseRfc2822(last.date_created);
  const auto sent = ParseRfc2822(last.date_sent);
  return created && sent && *created < cutoff && *sent < cutoff;
}

}  // namespace checkin
