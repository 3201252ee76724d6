// The checks of the config table's scalar keys (see config_validators.h),
// and the shapes shared with the rest of config loading (config_table.h):
// language codes, "HH:MM", quoting for messages.
#include "config/config_validators.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <vector>

#include "base/listen_address.h"
#include "base/redis_url.h"
#include "time/zone.h"

namespace checkin {

namespace {

bool AllOf(const std::string& s, int (*pred)(int)) {
  return std::all_of(s.begin(), s.end(), [pred](unsigned char c) { return pred(c) != 0; });
}

// "AC" + 32 hex digits, and the like.
bool IsSid(const std::string& s, const char* prefix) {
  return s.size() == 34 && s.compare(0, 2, prefix) == 0 && AllOf(s.substr(2), isxdigit);
}

Status Invalid(const std::string& what, const std::string& got) {
  return Status::InvalidArgument("expected " + what + ", got " + Quoted(got));
}

}  // namespace

namespace config_internal {

Status SetUrl(std::string& out, const std::string& v, bool allow_empty) {
  if (v.empty() && allow_empty) {
    out.clear();
    return Status::OK();
  }
  const bool http = v.rfind("http://", 0) == 0, https = v.rfind("https://", 0) == 0;
  const size_t host = http ? 7 : 8;
  if ((!http && !https) || v.size() <= host || v.find_first_of(" \t") != std::string::npos) {
    return Invalid("an http:// or https:// URL such as \"https://reminders.example.org\"", v);
  }
  out = v;
  while (out.size() > host + 1 && out.back() == '/') out.pop_back();
  return Status::OK();
}

Status SetHostPort(std::string& out, const std::string& v) {
  auto address = ParseListenAddress(v);  // the listener's own parser
  if (!address.ok()) return address.status();
  if (address->second == 0) return Invalid("a port from 1 to 65535 (0 would be any free port)", v);
  out = v;
  return Status::OK();
}

Status SetRegion(Config& c, const ScalarValue& v) {
  if (v.text.size() != 2 || !AllOf(v.text, isupper)) return Invalid("a two-letter ISO 3166 region such as \"GB\"", v.text);
  c.region = v.text;
  return Status::OK();
}

Status SetDefaultLanguage(Config& c, const ScalarValue& v) {
  if (!IsLanguageCode(v.text)) return Invalid("a language code such as \"en\", \"pl\" or \"pt-BR\"", v.text);
  c.default_language = v.text;
  return Status::OK();
}

Status SetLogLevel(Config& c, const ScalarValue& v) {
  static const std::vector<std::string> kLevels = {"trace", "debug", "info", "warn", "error"};
  if (std::find(kLevels.begin(), kLevels.end(), v.text) == kLevels.end()) {
    return Invalid("one of trace, debug, info, warn, error", v.text);
  }
  c.log_level = v.text;
  return Status::OK();
}

Status SetRedisUrl(Config& c, const ScalarValue& v) {
  // The parser RedisClient connects with: host, port, db and every sentinel
  // are checked here, not first at start-up. No rediss://: hiredis 0.14
  // (Debian 12) has no TLS; use a local stunnel or a unix socket for Redis
  // on another machine over an untrusted network.
  auto endpoint = ParseRedisUrl(v.text);
  if (!endpoint.ok()) return endpoint.status();
  c.redis.url = v.text;
  return Status::OK();
}

Status SetRedisPrefix(Config& c, const ScalarValue& v) {
  if (v.text.empty() || v.text.find_first_of(" \t\r\n") != std::string::npos) {
    return Invalid("a non-empty prefix without spaces such as \"checkin:\"", v.text);
  }
  c.redis.prefix = v.text;
  return Status::OK();
}

Status SetAccountSid(Config& c, const ScalarValue& v) {
  if (!IsSid(v.text, "AC")) return Invalid("\"AC\" followed by 32 hex digits", v.text);
  c.twilio.account_sid = v.text;
  return Status::OK();
}

Status SetEnvName(std::string& out, const std::string& v) {
  const bool ok = !v.empty() && !std::isdigit(static_cast<unsigned char>(v[0])) &&
                  std::all_of(v.begin(), v.end(), [](unsigned char ch) { return std::isalnum(ch) || ch == '_'; });
  if (!ok) return Invalid("an environment variable name such as \"TWILIO_AUTH_TOKEN\"", v);
  out = v;
  return Status::OK();
}

Status SetAuthTokenEnv(Config& c, const ScalarValue& v) { return SetEnvName(c.twilio.auth_token_env, v.text); }

Status SetCurrency(Config& c, const ScalarValue& v) {
  if (v.text.size() != 3 || !AllOf(v.text, isupper)) return Invalid("three capital letters such as \"GBP\"", v.text);
  c.pricing.currency = v.text;
  return Status::OK();
}

Status SetDashboardUser(Config& c, const ScalarValue& v) {
  if (v.text.find(':') != std::string::npos || v.text.find_first_of(" \t\r\n") != std::string::npos) {
    return Invalid("a user name without ':' or spaces, or \"\"", v.text);
  }
  c.dashboard.user = v.text;
  return Status::OK();
}

Status SetMessagingServiceSid(Config& c, const ScalarValue& v) {
  if (!v.text.empty() && !IsSid(v.text, "MG")) return Invalid("\"MG\" followed by 32 hex digits, or \"\"", v.text);
  c.twilio.messaging_service_sid = v.text;
  return Status::OK();
}

Status SetTimeZone(Config& c, const ScalarValue& v) {
  if (!IsKnownTimeZone(v.text)) return Invalid("an IANA time zone such as \"Europe/London\"", v.text);
  c.reminders.timezone = v.text;
  return Status::OK();
}

}  // namespace config_internal

bool IsLanguageCode(const std::string& s) {
  const size_t dash = s.find('-');
  const std::string base = s.substr(0, dash);
  if (base.size() < 2 || base.size() > 3 || !AllOf(base, islower)) return false;
  if (dash == std::string::npos) return true;
  const std::string sub = s.substr(dash + 1);
  return sub.size() >= 2 && sub.size() <= 8 && AllOf(sub, isalnum);
}

std::optional<int> ParseHhMm(const std::string& s) {
  const size_t colon = s.find(':');
  if (colon == std::string::npos || colon < 1 || colon > 2 || s.size() != colon + 3) return std::nullopt;
  const std::string h = s.substr(0, colon), m = s.substr(colon + 1);
  if (!AllOf(h, isdigit) || !AllOf(m, isdigit)) return std::nullopt;
  const int hours = std::stoi(h), minutes = std::stoi(m);
  if (hours > 23 || minutes > 59) return std::nullopt;
  return hours * 60 + minutes;
}

std::string FormatHhMm(int minute_of_day) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", (minute_of_day / 60) % 24, minute_of_day % 60);
  return buf;
}

std::string Quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace checkin
