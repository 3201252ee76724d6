// Fuzz target: the config loader on YAML text (Config::Parse, the same code
// Config::Load runs on a file's contents): yaml-cpp, the config table and
// every section's checks, templates, reply words, safeguarding phrases.
//
// Input: the YAML file. Secrets come from a fake environment holding
// TWILIO_AUTH_TOKEN; token files are never found.
// Properties: a refused file says why and where (an error message naming
// "fuzz.yaml").
#include <cstdint>
#include <optional>
#include <string>

#include "checkin/config.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace checkin;
  static const Config::SecretSource kSecrets = [] {
    Config::SecretSource s;
    s.getenv = [](const std::string& name) -> std::optional<std::string> {
      if (name == "TWILIO_AUTH_TOKEN") return std::string("fuzz-auth-token");
      return std::nullopt;
    };
    s.read_file = [](const std::string& path) -> Result<std::string> {
      return Status::NotFound(path + ": no files while fuzzing");
    };
    return s;
  }();
  const std::string yaml(fuzz::AsText(data, size));
  const Result<Config> config = Config::Parse(yaml, "fuzz.yaml", kSecrets);
  if (!config.ok()) {
    FUZZ_CHECK(config.status().message().find("fuzz.yaml") != std::string::npos, config.status().ToString());
  }
  return 0;
}
