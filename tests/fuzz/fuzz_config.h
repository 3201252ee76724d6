// Shared by the fuzz targets that need a Config: the shipped defaults (every
// template, reply word and language), made once per process.
#ifndef CHECKIN_TESTS_FUZZ_FUZZ_CONFIG_H_
#define CHECKIN_TESTS_FUZZ_FUZZ_CONFIG_H_

#include <memory>
#include <string>

#include "checkin/config.h"
#include "fuzz_input.h"

namespace checkin {
namespace fuzz {

inline const std::shared_ptr<const Config>& ShippedConfig() {
  static const std::shared_ptr<const Config> config = [] {
    const std::string yaml =
        "twilio:\n"
        "  account_sid: \"AC0123456789abcdef0123456789abcdef\"\n"
        "  from: \"+447700900000\"\n";
    Result<Config> c = Config::Parse(yaml, "fuzz.yaml", Config::SecretSource{}, /*resolve_secrets=*/false);
    if (!c.ok()) Broken("the shipped config loads", c.status().ToString());
    return std::make_shared<const Config>(std::move(*c));
  }();
  return config;
}

}  // namespace fuzz
}  // namespace checkin

#endif  // CHECKIN_TESTS_FUZZ_FUZZ_CONFIG_H_
