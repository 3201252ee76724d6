// Strict application/x-www-form-urlencoded parsing: what Twilio sends
// (spaces as '+', UTF-8 percent-escaped), repeats kept in order, and the
// malformed bodies a webhook must refuse with 400.
#include "twilio/form_body.h"

#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace checkin {
namespace {

TEST(FormBody, DecodesWhatTwilioSends) {
  const struct {
    const char* name;
    const char* body;
    FormParams want;
  } cases[] = {
      {"plus is a space", "Body=see+you+there", {{"Body", "see you there"}}},
      {"%20 is a space", "Body=see%20you", {{"Body", "see you"}}},
      {"%2B is a plus", "From=%2B447700900123", {{"From", "+447700900123"}}},
      {"lower-case hex", "Body=a%2bb%2fc", {{"Body", "a+b/c"}}},
      {"'=' inside a value", "Body=1%2B1=2", {{"Body", "1+1=2"}}},
      {"French é", "Body=Caf%C3%A9", {{"Body", "Café"}}},
      {"Polish ł", "Body=By%C5%82am+tam", {{"Body", "Byłam tam"}}},
      {"Urdu", "Body=%D8%AC%DB%8C+%DB%81%D8%A7%DA%BA", {{"Body", "جی ہاں"}}},
      {"emoji", "Body=Yes%F0%9F%91%8D", {{"Body", "Yes👍"}}},
      {"raw UTF-8 left unescaped", "Body=Tak+będę", {{"Body", "Tak będę"}}},
      {"escaped name", "Messaging%2EAddress=x", {{"Messaging.Address", "x"}}},
      {"no '=': empty value", "Body", {{"Body", ""}}},
      {"empty value", "Body=&To=%2B1", {{"Body", ""}, {"To", "+1"}}},
      {"empty name", "=x", {{"", "x"}}},
      {"empty pairs skipped", "&a=1&&b=2&", {{"a", "1"}, {"b", "2"}}},
      {"repeated names kept in order", "Digits=5678&Sid=CA1&Digits=1234",
       {{"Digits", "5678"}, {"Sid", "CA1"}, {"Digits", "1234"}}},
      {"empty body", "", {}},
  };
  for (const auto& c : cases) {
    Result<FormParams> got = ParseFormBody(c.body);
    ASSERT_TRUE(got.ok()) << c.name << ": " << got.status().ToString();
    EXPECT_EQ(*got, c.want) << c.name;
  }
}

TEST(FormBody, RefusesMalformedBodies) {
  const struct {
    const char* name;
    const char* body;
    const char* message_part;  // the error names the pair and the reason
  } cases[] = {
      {"non-hex escape", "Body=%G1", "pair 1: value has '%'"},
      {"escape cut short at the end", "From=x&Body=abc%4", "pair 2: value has '%'"},
      {"lone percent", "Body=100%", "pair 1: value has '%'"},
      {"bad escape in a name", "B%zzody=x", "pair 1: name has '%'"},
      {"invalid UTF-8 (%C3%28)", "Body=%C3%28", "pair 1: value is not valid UTF-8"},
      {"truncated UTF-8", "a=1&Body=%E2%82", "pair 2: value is not valid UTF-8"},
      {"overlong encoding", "Body=%C0%AF", "not valid UTF-8"},
      {"UTF-16 surrogate", "Body=%ED%A0%80", "not valid UTF-8"},
      {"beyond U+10FFFF", "Body=%F4%90%80%80", "not valid UTF-8"},
      {"stray continuation byte", "Body=%80", "not valid UTF-8"},
  };
  for (const auto& c : cases) {
    Result<FormParams> got = ParseFormBody(c.body);
    ASSERT_FALSE(got.ok()) << c.name;
    EXPECT_TRUE(got.status().IsInvalidArgument()) << c.name << ": " << got.status().ToString();
    EXPECT_NE(got.status().message().find(c.message_part), std::string::npos)
        << c.name << ": " << got.status().message();
  }
}

TEST(FormBody, ErrorsNeverQuoteTheBody) {
  Result<FormParams> got = ParseFormBody("Body=my+secret+reply%ZZ");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().message().find("secret"), std::string::npos) << got.status().message();
}

TEST(FormBody, FormValueFindsTheFirstValue) {
  const FormParams params = {{"Digits", "5678"}, {"Body", ""}, {"Digits", "1234"}};
  EXPECT_EQ(FormValue(params, "Digits"), "5678");
  EXPECT_EQ(FormValue(params, "Body"), "");
  EXPECT_EQ(FormValue(params, "To"), std::nullopt);
  EXPECT_EQ(FormValue(params, "digits"), std::nullopt) << "names are case-sensitive";
}

TEST(FormBody, FormEncodeKeepsUnreservedAndEscapesTheRest) {
  EXPECT_EQ(FormEncode({{"Body", "a b+c&d=e/é~._-"}}), "Body=a%20b%2Bc%26d%3De%2F%C3%A9~._-");
  EXPECT_EQ(FormEncode({{"To", "+447700900123"}, {"Body", ""}}), "To=%2B447700900123&Body=");
  EXPECT_EQ(FormEncode({}), "");
}

TEST(FormBody, FormEncodeRoundTripsThroughParse) {
  const FormParams cases[] = {
      {{"Body", "Hi Amy, see you at 10:00? Y/N"}, {"From", "+447700900123"}},
      {{"Body", "Café, łódź, جی ہاں, 👍🏽"}},
      {{"Body", "100% sure & happy = yes + more"}},
      {{"Digits", "1"}, {"Digits", "2"}, {"Digits", "1"}},
      {{"", ""}, {"Empty", ""}},
      {{"Body", std::string("tab\tnewline\nquote\"")}},
  };
  for (const FormParams& params : cases) {
    const std::string encoded = FormEncode(params);
    Result<FormParams> parsed = ParseFormBody(encoded);
    ASSERT_OK(parsed);
    EXPECT_EQ(*parsed, params) << encoded;
  }
}

}  // namespace
}  // namespace checkin
