// ParseRegisterAnswer (replies/register_reply.h): a coordinator's answer
// to the register text, as typed on a phone.
#include "replies/register_reply.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace checkin {
namespace {

struct Case {
  const char* body;
  std::vector<int> came;
};

TEST(RegisterReply, ReadsNumbersAllNoneAndExceptions) {
  const Case cases[] = {
      {"1 3 4", {1, 3, 4}},
      {"1,3 and 4", {1, 3, 4}},
      {"1, 3 & 4", {1, 3, 4}},
      {"1 3 4.", {1, 3, 4}},
      {"3 1 1", {1, 3}},
      {"1-3", {1, 2, 3}},
      {"1 - 3", {1, 2, 3}},
      {"1\xE2\x80\x93" "3", {1, 2, 3}},
      {"1 to 3", {1, 2, 3}},
      {"1 to 2, 4", {1, 2, 4}},
      {"only 1 and 3", {1, 3}},
      {"just 2", {2}},
      {"2 came, thanks x", {2}},
      {"Hi! 1 and 4 were there today xx", {1, 4}},
      {"all", {1, 2, 3, 4}},
      {"ALL", {1, 2, 3, 4}},
      {"All of them!", {1, 2, 3, 4}},
      {"everyone came", {1, 2, 3, 4}},
      {"Everybody", {1, 2, 3, 4}},
      {"none", {}},
      {"NONE", {}},
      {"nobody", {}},
      {"no one came", {}},
      {"noone", {}},
      {"0", {}},
      {"all but 2", {1, 3, 4}},
      {"All but 2, 3", {1, 4}},
      {"all except 2 and 4", {1, 3}},
      {"everyone except 3", {1, 2, 4}},
      {"all apart from 2", {1, 3, 4}},
      {"all but 1-3", {4}},
  };
  for (const Case& c : cases) {
    auto answer = ParseRegisterAnswer(c.body, 4);
    ASSERT_TRUE(answer.has_value()) << c.body;
    ASSERT_TRUE(answer->came.has_value()) << c.body;
    EXPECT_EQ(*answer->came, c.came) << c.body;
    EXPECT_TRUE(answer->walk_ins.empty()) << c.body;
  }
}

TEST(RegisterReply, LongListsKeepTheirTwoDigitNumbers) {
  auto answer = ParseRegisterAnswer("1, 11 and 12-14", 20);
  ASSERT_TRUE(answer && answer->came);
  EXPECT_EQ(*answer->came, (std::vector<int>{1, 11, 12, 13, 14}));
  auto all_but = ParseRegisterAnswer("all but 11", 12);
  ASSERT_TRUE(all_but && all_but->came);
  EXPECT_EQ(*all_but->came, (std::vector<int>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12}));
}

TEST(RegisterReply, UnclearAnswersChangeNothing) {
  for (const char* body : {"", "   ", "yes", "1 3 maybe 4", "7", "0 1", "1 0", "all but 9", "hello", "2 but not 3",
                           "all but none", "all 2", "none but 2", "all but", "to 3", "3 to 1", "1 to", "1 3 ?? huh",
                           "99999999999999999999999", "no", "+", "+ Sarah", "+ 07700 900123",
                           "+ Sarah 0770", "1 + Sarah 07700 900123 thanks"}) {
    EXPECT_FALSE(ParseRegisterAnswer(body, 4).has_value()) << "'" << body << "'";
  }
  EXPECT_FALSE(ParseRegisterAnswer("1", 0).has_value()) << "an empty list has no number 1";
  EXPECT_TRUE(ParseRegisterAnswer("none", 0).has_value());
}

TEST(RegisterReply, WalkInsAreNamedWithTheirNumbers) {
  auto both = ParseRegisterAnswer("1 3 + Sarah 07700 900123", 4);
  ASSERT_TRUE(both && both->came);
  EXPECT_EQ(*both->came, (std::vector<int>{1, 3}));
  ASSERT_EQ(both->walk_ins.size(), 1u);
  EXPECT_EQ(both->walk_ins[0].name, "Sarah");
  EXPECT_EQ(both->walk_ins[0].phone, "07700 900123");

  auto only = ParseRegisterAnswer("+ Sarah 07700 900123", 4);
  ASSERT_TRUE(only);
  EXPECT_FALSE(only->came.has_value()) << "only a walk-in: the list is left as it is";
  ASSERT_EQ(only->walk_ins.size(), 1u);

  auto several = ParseRegisterAnswer("1 3\n+ Sarah Jones 07700900123\n+Kim +447700900456\n+ Zofia (0131) 496-0000", 4);
  ASSERT_TRUE(several && several->came);
  EXPECT_EQ(*several->came, (std::vector<int>{1, 3}));
  ASSERT_EQ(several->walk_ins.size(), 3u);
  EXPECT_EQ(several->walk_ins[0].name, "Sarah Jones");
  EXPECT_EQ(several->walk_ins[0].phone, "07700900123");
  EXPECT_EQ(several->walk_ins[1].name, "Kim");
  EXPECT_EQ(several->walk_ins[1].phone, "+447700900456");
  EXPECT_EQ(several->walk_ins[2].name, "Zofia");
  EXPECT_EQ(several->walk_ins[2].phone, "(0131) 496-0000");

  auto same_line = ParseRegisterAnswer("all but 2 + Ania 07700 900111 + Bushra 07700 900222", 4);
  ASSERT_TRUE(same_line && same_line->came);
  EXPECT_EQ(*same_line->came, (std::vector<int>{1, 3, 4}));
  ASSERT_EQ(same_line->walk_ins.size(), 2u);
  EXPECT_EQ(same_line->walk_ins[1].name, "Bushra");
  EXPECT_EQ(same_line->walk_ins[1].phone, "07700 900222");

  auto urdu = ParseRegisterAnswer("+ \xD8\xB9\xD8\xA7\xD8\xA6\xD8\xB4\xDB\x81 07700 900333", 4);
  ASSERT_TRUE(urdu);
  EXPECT_EQ(urdu->walk_ins[0].name, "\xD8\xB9\xD8\xA7\xD8\xA6\xD8\xB4\xDB\x81");
}

TEST(RegisterReply, HugeAndBrokenInputIsUnclearNotACrash) {
  EXPECT_FALSE(ParseRegisterAnswer(std::string(100000, '1'), 4).has_value());
  EXPECT_FALSE(ParseRegisterAnswer(std::string(100000, '+'), 4).has_value());
  // Bytes that are not text are dropped, as the intent classifier drops them.
  auto garbled = ParseRegisterAnswer("\xFF\xFE 1 \xC3", 4);
  ASSERT_TRUE(garbled && garbled->came);
  EXPECT_EQ(*garbled->came, std::vector<int>{1});
  std::string many;
  for (int i = 0; i < 5000; ++i) many += "1 ";
  auto ones = ParseRegisterAnswer(many, 4);
  ASSERT_TRUE(ones && ones->came);
  EXPECT_EQ(*ones->came, std::vector<int>{1});
}

}  // namespace
}  // namespace checkin
