// X-Twilio-Signature: the vectors Twilio publishes, the URL variants its
// helper libraries accept, JSON bodies (bodySHA256), and what must fail.
//
// Only the data below (URLs, parameters, expected signatures) comes from
// Twilio; each table row names where:
//   [docs]   twilio.com/docs/usage/webhooks/webhooks-security, the worked
//            example (auth token 12345).
//   [python] twilio/twilio-python tests/unit/test_request_validator.py
//            (commit 30368b08) and tests/test_validation.py (052c2902).
//   [node]   twilio/twilio-node spec/validation.spec.js (commit 005ea9cd).
//   [java]   twilio/twilio-java src/test/java/com/twilio/security/
//            RequestValidatorTest.java (commit 030d3bb1).
//   [csharp] twilio/twilio-csharp test/Twilio.Test/Security/
//            RequestValidatorTest.cs (commit 709f8b86).
//   [go]     twilio/twilio-go client/request_validator_test.go (2f0eb52a).
//   [ours]   no official library publishes a UTF-8 vector; these were
//            computed with Python's hmac/hashlib modules (an implementation
//            independent of ours) over the documented string.
#include "twilio/twilio_signature.h"

#include <gtest/gtest.h>

#include <string>

#include "twilio/form_body.h"

namespace checkin {
namespace {

constexpr const char* kToken = "12345";
constexpr const char* kUrl = "https://mycompany.com/myapp.php?foo=1&bar=2";

// [python] [node] [java] [csharp] [go]: their shared parameter set.
const FormParams kLibraryParams = {{"CallSid", "CA1234567890ABCDE"}, {"Caller", "+14158675309"},
                                   {"Digits", "1234"},                {"From", "+14158675309"},
                                   {"To", "+18005551212"}};
constexpr const char* kLibrarySignature = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";

// [docs]: the same shape with the caller the guide uses.
const FormParams kDocsParams = {{"CallSid", "CA1234567890ABCDE"}, {"Caller", "+12349013030"},
                                {"Digits", "1234"},                {"From", "+12349013030"},
                                {"To", "+18005551212"}};

// [node] [java] [csharp] [go]: the JSON body and its SHA-256.
constexpr const char* kJsonBody = "{\"property\": \"value\", \"boolean\": true}";
constexpr const char* kJsonBodyHash = "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";

TEST(TwilioSignature, DocsWorkedExampleComputes) {
  EXPECT_EQ(ComputeTwilioSignature(kToken, kUrl, kDocsParams), "0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
  EXPECT_TRUE(ValidTwilioSignature(kToken, kUrl, kDocsParams, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
}

TEST(TwilioSignature, LibraryVectorComputesWhateverTheParameterOrder) {
  FormParams shuffled = {kLibraryParams[4], kLibraryParams[2], kLibraryParams[0], kLibraryParams[3],
                         kLibraryParams[1]};  // [csharp] adds them out of order on purpose
  EXPECT_EQ(ComputeTwilioSignature(kToken, kUrl, kLibraryParams), kLibrarySignature);
  EXPECT_EQ(ComputeTwilioSignature(kToken, kUrl, shuffled), kLibrarySignature);
}

TEST(TwilioSignature, RealInboundCallVectorComputes) {
  // [python] tests/test_validation.py: a voice webhook with 26 parameters.
  const FormParams params = {
      {"AccountSid", "AC9a9f9392lad99kla0sklakjs90j092j3"}, {"ApiVersion", "2010-04-01"},
      {"CallSid", "CAd800bb12c0426a7ea4230e492fef2a4f"}, {"CallStatus", "ringing"},
      {"Called", "+15306384866"}, {"CalledCity", "OAKLAND"}, {"CalledCountry", "US"}, {"CalledState", "CA"},
      {"CalledZip", "94612"}, {"Caller", "+15306666666"}, {"CallerCity", "SOUTH LAKE TAHOE"},
      {"CallerCountry", "US"}, {"CallerName", "CA Wireless Call"}, {"CallerState", "CA"},
      {"CallerZip", "89449"}, {"Direction", "inbound"}, {"From", "+15306666666"},
      {"FromCity", "SOUTH LAKE TAHOE"}, {"FromCountry", "US"}, {"FromState", "CA"}, {"FromZip", "89449"},
      {"To", "+15306384866"}, {"ToCity", "OAKLAND"}, {"ToCountry", "US"}, {"ToState", "CA"},
      {"ToZip", "94612"}};
  EXPECT_EQ(ComputeTwilioSignature("1c892n40nd03kdnc0112slzkl3091j20", "http://www.postbin.org/1ed898x", params),
            "fF+xx6dTinOaCdZ0aIeNkHr/ZAA=");
}

struct Case {
  const char* source;
  const char* url;
  FormParams params;
  const char* signature;
};

TEST(TwilioSignature, PublishedVectorsValidate) {
  const FormParams repeated = {{"Sid", "CA123"}, {"SidAccount", "AC123"}, {"Digits", "5678"}, {"Digits", "1234"}};
  const FormParams repeated_twice = {
      {"Sid", "CA123"}, {"SidAccount", "AC123"}, {"Digits", "5678"}, {"Digits", "1234"}, {"Digits", "1234"}};
  const FormParams array_ab = {{"MessagingBinding.Address", "+1325xxxxxxx"},
                               {"MessagingBinding.Address", "+1415xxxxxxx"}};
  const FormParams array_ba = {array_ab[1], array_ab[0]};
  const Case cases[] = {
      {"[python] base URL", kUrl, kLibraryParams, kLibrarySignature},
      {"[python] https :1234 removed", "https://mycompany.com:1234/myapp.php?foo=1&bar=2", kLibraryParams,
       kLibrarySignature},
      {"[python] http :1234 as given", "http://mycompany.com:1234/myapp.php?foo=1&bar=2", kLibraryParams,
       "Zmvh+3yNM1Phv2jhDCwEM3q5ebU="},
      {"[python] https :443 added", kUrl, kLibraryParams, "kvajT1Ptam85bY51eRf/AJRuM3w="},
      {"[python] http :80 added", "http://mycompany.com/myapp.php?foo=1&bar=2", kLibraryParams,
       "0ZXoZLH/DfblKGATFgpif+LLRf4="},
      {"[python] repeated name", kUrl, repeated, "IK+Dwps556ElfBT0I3Rgjkr1wJU="},
      {"[node] repeated identical value counts once", kUrl, repeated_twice, "IK+Dwps556ElfBT0I3Rgjkr1wJU="},
      {"[node] array parameter", kUrl, array_ab, "83O6e2vORAoJHUNzJjDWN1jz+BA="},
      {"[node] array parameter, values reversed", kUrl, array_ba, "83O6e2vORAoJHUNzJjDWN1jz+BA="},
      {"[node] user:pass@", "https://user:pass@mycompany.com/myapp.php?foo=1&bar=2", kLibraryParams,
       "CukzLTc1tT5dXEDIHm/tKBanW10="},
      {"[node] user@", "https://user@mycompany.com/myapp.php?foo=1&bar=2", kLibraryParams,
       "2YRLlVAflCqxaNicjMpJcSTgzSs="},
      {"[node] user:pass@ with :443 added", "https://user:pass@mycompany.com/myapp.php?foo=1&bar=2",
       kLibraryParams, "ZQFR1PTIZXF2MXB8ZnKCvnnA+rI="},
      {"[node] quote in query", "https://mycompany.com/myapp.php?foo=1&bar=2&Body=It's+amazing", kLibraryParams,
       "dsq4Ehbj6cs+KdTkpF5sSSplOWw="},
      {"[csharp] mixed-case host", "https://MyCompany.com/myapp.php?foo=1&bar=2", kLibraryParams,
       "g9IN/x4Cft2g517EjYvEvM/W7LU="},
      {"[csharp] mixed-case host :1234", "https://MyCompany.com:1234/myapp.php?foo=1&bar=2", kLibraryParams,
       "PCqOZm8cnu/L6+u5i5fuEd+Iac4="},
      {"[csharp] mixed-case host http", "http://MyCompany.com/myapp.php?foo=1&bar=2", kLibraryParams,
       "XY7AlKOKL6im4yWyX84gldUrtis="},
      {"[csharp] credentials kept", "http://username:password@MyCompany.com/myapp.php?foo=1&bar=2",
       kLibraryParams, "PJ08CxXr7KLPjEQCTc8LkUSMwSM="},
      {"[csharp] upper-case scheme", "HTTP://username:password@MyCompany.com/myapp.php?foo=1&bar=2",
       kLibraryParams, "hy/l8pca+LFms4cvRdv8uiP6NGc="},
      {"[csharp] mixed-case credentials", "http://Username:Password@MyCompany.com/myapp.php?foo=1&bar=2",
       kLibraryParams, "SkTSKyDJH9kUlhItI0slbgZ1UsI="},
      {"[csharp] https :1234 as given", "https://mycompany.com:1234/myapp.php?foo=1&bar=2", kLibraryParams,
       "CYn1h0gLBdNxDGkKJg6hYohgeD8="},
  };
  for (const Case& c : cases) {
    EXPECT_TRUE(ValidTwilioSignature(kToken, c.url, c.params, c.signature)) << c.source << ": " << c.url;
  }
}

TEST(TwilioSignature, Utf8ValuesAreSignedAsUtf8Bytes) {
  constexpr const char* kStandInToken = "standin-auth-token";
  constexpr const char* kPublicUrl = "https://reminders.example.org/twilio/sms";
  const struct {
    const char* name;
    const char* body;
    const char* signature;  // [ours]
  } cases[] = {
      {"Polish", "Tak, będę! Dziękuję 🙂", "diNVwZC6bxp20RanNUUUFJ2ig5s="},
      {"French", "Café at 10? Oui, j'arrive", "QBAgVBl2EKZxusF9BP5iFZsQ2dI="},
      {"Urdu", "جی ہاں، میں آؤں گی", "ucjxGSfKAlfzVm2yuvXRAE6uTKM="},
  };
  for (const auto& c : cases) {
    const FormParams params = {{"AccountSid", "AC00000000000000000000000000000001"}, {"Body", c.body},
                               {"From", "+447700900123"}, {"MessageSid", "SM0123456789abcdef0123456789abcdef"},
                               {"To", "+447700900000"}};
    EXPECT_EQ(ComputeTwilioSignature(kStandInToken, kPublicUrl, params), c.signature) << c.name;
    // The same request as the wire carries it: encoded, then parsed back.
    Result<FormParams> parsed = ParseFormBody(FormEncode(params));
    ASSERT_TRUE(parsed.ok()) << c.name << ": " << parsed.status().ToString();
    EXPECT_TRUE(ValidTwilioSignature(kStandInToken, kPublicUrl, *parsed, c.signature)) << c.name;
  }
}

TEST(TwilioSignature, JsonBodiesValidateThroughBodySha256) {
  const std::string with_hash = std::string(kUrl) + "&bodySHA256=" + kJsonBodyHash;
  // [python] [java] [csharp] [go]
  EXPECT_TRUE(ValidTwilioJsonSignature(kToken, with_hash, kJsonBody, "a9nBmqA0ju/hNViExpshrM61xv4="));
  // [java] [csharp] [go]: bodySHA256 the only query parameter.
  EXPECT_TRUE(ValidTwilioJsonSignature(kToken, std::string("https://mycompany.com/myapp.php?bodySHA256=") +
                                                   kJsonBodyHash,
                                       kJsonBody, "y77kIzt2vzLz71DgmJGsen2scGs="));
  // [node]: an empty JSON object.
  const std::string empty_hash =
      std::string(kUrl) + "&bodySHA256=44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";
  EXPECT_TRUE(ValidTwilioJsonSignature(kToken, empty_hash, "{}", "Ldidvp12m26NI7eqEvxnEpkd9Hc="));

  // [java] [csharp] [go]: no bodySHA256 in the URL fails, whatever the signature.
  EXPECT_FALSE(ValidTwilioJsonSignature(kToken, kUrl, kJsonBody, kLibrarySignature));
  // A body that is not the one hashed fails even with a valid URL signature.
  EXPECT_FALSE(ValidTwilioJsonSignature(kToken, with_hash, "{\"property\": \"other\"}",
                                        "a9nBmqA0ju/hNViExpshrM61xv4="));
  // [node] "wrong hash": the URL's hash one character short.
  EXPECT_FALSE(ValidTwilioJsonSignature(kToken, with_hash.substr(0, with_hash.size() - 1), kJsonBody,
                                        "a9nBmqA0ju/hNViExpshrM61xv4="));
}

TEST(TwilioSignature, TamperedRequestsFail) {
  FormParams tampered_value = kLibraryParams;
  tampered_value[2].second = "9999";
  FormParams extra_param = kLibraryParams;
  extra_param.emplace_back("Body", "hello");
  FormParams missing_param(kLibraryParams.begin(), kLibraryParams.end() - 1);
  const struct {
    const char* name;
    const char* token;
    std::string url;
    FormParams params;
    std::string signature;
  } cases[] = {
      {"tampered parameter value", kToken, kUrl, tampered_value, kLibrarySignature},
      {"extra parameter", kToken, kUrl, extra_param, kLibrarySignature},
      {"missing parameter", kToken, kUrl, missing_param, kLibrarySignature},
      {"tampered query", kToken, std::string(kUrl) + "&somethingUnexpected=true", kLibraryParams,
       kLibrarySignature},
      {"other host", kToken, "https://evil.example/myapp.php?foo=1&bar=2", kLibraryParams, kLibrarySignature},
      {"other path", kToken, "https://mycompany.com/other.php?foo=1&bar=2", kLibraryParams, kLibrarySignature},
      {"http instead of https", kToken, "http://mycompany.com/myapp.php?foo=1&bar=2", kLibraryParams,
       kLibrarySignature},
      {"[csharp] mixed-case host, lower-case signature", kToken, "https://MyCompany.com/myapp.php?foo=1&bar=2",
       kLibraryParams, kLibrarySignature},
      {"wrong token", "54321", kUrl, kLibraryParams, kLibrarySignature},
      {"empty token", "", kUrl, kLibraryParams, kLibrarySignature},
      {"empty signature", kToken, kUrl, kLibraryParams, ""},
      {"[java] NOT-prefixed signature", kToken, kUrl, kLibraryParams, "NOTRSOYDt4T1cUTdK1PDd93/VVr8B8="},
      {"signature one byte short", kToken, kUrl, kLibraryParams, "RSOYDt4T1cUTdK1PDd93/VVr8B8"},
      {"signature in other case", kToken, kUrl, kLibraryParams, "rsoydt4t1cutdk1pdd93/vvr8b8="},
  };
  for (const auto& c : cases) {
    EXPECT_FALSE(ValidTwilioSignature(c.token, c.url, c.params, c.signature)) << c.name;
  }
}

TEST(TwilioSignature, PortVariantsNeedAParseableAuthority) {
  // A non-numeric "port" is not a port: only the URL as given is tried.
  const std::string odd = "https://mycompany.com:abc/myapp.php";
  EXPECT_TRUE(ValidTwilioSignature(kToken, odd, {}, ComputeTwilioSignature(kToken, odd, {})));
  EXPECT_FALSE(ValidTwilioSignature(kToken, odd, {},
                                    ComputeTwilioSignature(kToken, "https://mycompany.com/myapp.php", {})));
  // IPv6 literals: the colons inside the brackets are not the port.
  EXPECT_TRUE(ValidTwilioSignature(kToken, "http://[::1]:8080/twilio/sms", {},
                                   ComputeTwilioSignature(kToken, "http://[::1]/twilio/sms", {})));
  EXPECT_TRUE(ValidTwilioSignature(kToken, "http://[::1]/twilio/sms", {},
                                   ComputeTwilioSignature(kToken, "http://[::1]:80/twilio/sms", {})));
}

}  // namespace
}  // namespace checkin
