// Fuzz target: a webhook's form body, the checks on what Twilio always
// sends, and its signature (twilio/form_body.h, webhook_params.h,
// twilio_signature.h).
//
// Input: the URL Twilio called on the first line, the body after it. The
// signature given is the body's last pair reused, so both valid-looking and
// garbage signatures are tried.
// Properties: a parsed body re-encodes to one that parses back the same;
// the signature computed for a request validates against it.
#include <cstdint>
#include <string>

#include "fuzz_input.h"
#include "twilio/form_body.h"
#include "twilio/twilio_signature.h"
#include "twilio/webhook_params.h"

namespace checkin {
namespace {

constexpr char kToken[] = "fuzz-auth-token";

void CheckParsed(const std::string& url, const FormParams& params) {
  const Result<FormParams> again = ParseFormBody(FormEncode(params));
  FUZZ_CHECK(again.ok(), again.status().ToString());
  FUZZ_CHECK(*again == params, "FormEncode does not round-trip");

  (void)FormValue(params, "Body");
  (void)CheckInboundMessageParams(params);
  (void)CheckStatusCallbackParams(params);
  if (!params.empty()) (void)IsTwilioSid(params.back().second, "SM");

  const std::string signature = ComputeTwilioSignature(kToken, url, params);
  FUZZ_CHECK(ValidTwilioSignature(kToken, url, params, signature), "own signature refused");
  if (!params.empty()) (void)ValidTwilioSignature(kToken, url, params, params.back().second);
}

}  // namespace
}  // namespace checkin

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace checkin;
  const auto [url, body] = fuzz::FirstLineAndRest(fuzz::AsText(data, size));
  const Result<FormParams> params = ParseFormBody(body);
  if (params.ok()) CheckParsed(url, *params);
  (void)ValidTwilioJsonSignature(kToken, url, body, ComputeTwilioSignature(kToken, url, {}));
  return 0;
}
