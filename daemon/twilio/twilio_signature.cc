// Twilio request signatures: HMAC-SHA1 over the URL and sorted parameters,
// checked against the URL variants Twilio's helper libraries accept. See
// twilio_signature.h for the contract.
#include "twilio/twilio_signature.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cctype>
#include <optional>

#include "base/sha256.h"

namespace checkin {
namespace {

std::string Base64(const unsigned char* data, size_t size) {
  std::string out(4 * ((size + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(size));
  out.resize(n < 0 ? 0 : static_cast<size_t>(n));
  return out;
}

std::string HmacSha1Base64(std::string_view key, std::string_view data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_size = 0;
  if (HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac, &mac_size) == nullptr) {
    return "";
  }
  return Base64(mac, mac_size);
}

// Constant-time for equal lengths; the length itself is not secret.
bool SameBytes(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// Where the port sits in "scheme://[userinfo@]host[:port]/...".
struct Authority {
  std::string_view scheme;
  size_t host_end = 0;   // index just past the host (where ":port" starts)
  size_t port_end = 0;   // index just past the port; == host_end when none
};

std::optional<Authority> FindAuthority(std::string_view url) {
  const size_t sep = url.find("://");
  if (sep == std::string_view::npos || sep == 0) return std::nullopt;
  Authority a;
  a.scheme = url.substr(0, sep);
  const size_t start = sep + 3;
  const size_t end = std::min(url.find_first_of("/?#", start), url.size());
  const std::string_view authority = url.substr(start, end - start);
  const size_t at = authority.rfind('@');
  const size_t host_start = start + (at == std::string_view::npos ? 0 : at + 1);
  size_t colon = std::string_view::npos;
  if (host_start < end && url[host_start] == '[') {  // IPv6 literal
    const size_t close = url.find(']', host_start);
    if (close == std::string_view::npos || close >= end) return std::nullopt;
    if (close + 1 < end && url[close + 1] == ':') colon = close + 1;
  } else {
    colon = url.substr(0, end).find(':', host_start);
  }
  if (colon == std::string_view::npos) {
    a.host_end = a.port_end = end;
    return a;
  }
  for (size_t i = colon + 1; i < end; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(url[i]))) return std::nullopt;
  }
  a.host_end = colon;
  a.port_end = end;
  return a;
}

const char* DefaultPort(std::string_view scheme) {
  if (EqualsIgnoreCase(scheme, "https")) return "443";
  if (EqualsIgnoreCase(scheme, "http")) return "80";
  return nullptr;
}

// The URL as given, then with the default port added (no port given) or
// with the given port removed.
std::vector<std::string> UrlVariants(std::string_view url) {
  std::vector<std::string> variants{std::string(url)};
  const std::optional<Authority> a = FindAuthority(url);
  if (!a) return variants;
  std::string other(url.substr(0, a->host_end));
  if (a->port_end == a->host_end) {
    const char* port = DefaultPort(a->scheme);
    if (port == nullptr) return variants;
    other += ":";
    other += port;
  }
  other += url.substr(a->port_end);
  variants.push_back(std::move(other));
  return variants;
}

// The value of `name` in the query string of `url`, percent-decoded.
std::optional<std::string> QueryValue(std::string_view url, std::string_view name) {
  const size_t q = url.find('?');
  if (q == std::string_view::npos) return std::nullopt;
  std::string_view query = url.substr(q + 1);
  query = query.substr(0, std::min(query.find('#'), query.size()));
  Result<FormParams> params = ParseFormBody(query);
  if (!params.ok()) return std::nullopt;
  return FormValue(*params, name);
}

}  // namespace

std::string ComputeTwilioSignature(std::string_view auth_token, std::string_view url, const FormParams& params) {
  // Sorting whole pairs orders names first, then each name's values; equal
  // pairs count once, as in Twilio's helper libraries.
  FormParams sorted = params;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  std::string data(url);
  for (const auto& [name, value] : sorted) {
    data += name;
    data += value;
  }
  return HmacSha1Base64(auth_token, data);
}

bool ValidTwilioSignature(std::string_view auth_token, std::string_view url, const FormParams& params,
                          std::string_view signature) {
  if (auth_token.empty() || signature.empty()) return false;
  bool valid = false;
  for (const std::string& variant : UrlVariants(url)) {
    // No early exit: every variant is checked.
    valid |= SameBytes(ComputeTwilioSignature(auth_token, variant, params), signature);
  }
  return valid;
}

bool ValidTwilioJsonSignature(std::string_view auth_token, std::string_view url, std::string_view raw_body,
                              std::string_view signature) {
  const std::optional<std::string> claimed = QueryValue(url, "bodySHA256");
  if (!claimed) return false;
  std::string lower(*claimed);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const bool body_matches = SameBytes(Sha256Hex(raw_body), lower);
  const bool signature_valid = ValidTwilioSignature(auth_token, url, {}, signature);
  return body_matches && signature_valid;
}

}  // namespace checkin
