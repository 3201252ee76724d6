#include "base/phone.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace checkin {
namespace {

struct NormalizeCase {
  const char* raw;
  const char* region;
  const char* want;  // nullptr: must be refused
};

TEST(Phone, NormalizesToE164OrRefuses) {
  const NormalizeCase cases[] = {
      {"07700 900123", "GB", "+447700900123"},
      {"+44 7700 900123", "GB", "+447700900123"},
      {"+447700900123", "PL", "+447700900123"},
      {"0044 7700 900123", "GB", "+447700900123"},
      {"(415) 555-2671", "US", "+14155552671"},
      {"512 345 678", "PL", "+48512345678"},
      {"0300 1234567", "PK", "+923001234567"},
      {"hello", "GB", nullptr},
      {"123", "GB", nullptr},
      {"07700 900123", "US", nullptr},
      {"+44 7700 900", "GB", nullptr},
      {"+44 7700 901123", "GB", nullptr},
      {"", "GB", nullptr},
  };
  for (const auto& c : cases) {
    auto got = NormalizePhone(c.raw, c.region);
    if (c.want) {
      ASSERT_TRUE(got.ok()) << c.raw << " in " << c.region << ": " << got.status().ToString();
      EXPECT_EQ(*got, c.want) << c.raw << " in " << c.region;
    } else {
      EXPECT_FALSE(got.ok()) << c.raw << " in " << c.region << " gave " << (got.ok() ? *got : "");
    }
  }
}

TEST(Phone, RefusalNeverQuotesTheNumber) {
  auto got = NormalizePhone("07700 90012", "US");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().message().find("90012"), std::string::npos) << got.status().ToString();
}

TEST(Phone, MaskKeepsCountryPrefixAndLastFour) {
  EXPECT_EQ(MaskPhone("+447700900123"), "+44******0123");
  EXPECT_EQ(MaskPhone("+15005550006"), "+15*****0006");
  EXPECT_EQ(MaskPhone("whatsapp:+447700900123"), "whatsapp:+44******0123");
  EXPECT_EQ(MaskPhone("+4412"), "*****");
  EXPECT_EQ(MaskPhone(""), "");
}

}  // namespace
}  // namespace checkin
