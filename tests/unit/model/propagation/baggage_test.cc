// W3C Baggage: grammar, percent-encoding, properties, limits, both ways.
#include "model/propagation/baggage.h"

#include <gtest/gtest.h>

#include <string>

namespace periscope::model::propagation {
namespace {

TEST(Baggage, ParsesTheSpecExample) {
  auto b = Baggage::parse("userId=alice,serverNode=DF%2028,isProduction=false");
  ASSERT_TRUE(b.isOk());
  ASSERT_EQ(b->members().size(), 3u);
  EXPECT_EQ(b->get("userId"), "alice");
  EXPECT_EQ(b->get("serverNode"), "DF 28");
  EXPECT_EQ(b->get("isProduction"), "false");
}

struct Case {
  std::string header;
  bool valid;
  const char* formatted;  // when valid
};

TEST(Baggage, ParsesAndFormats) {
  const Case cases[] = {
      {"key1=value1;property1;property2, key2 = value2, key3=value3; propertyKey=propertyValue",
       true, "key1=value1;property1;property2,key2=value2,key3=value3;propertyKey=propertyValue"},
      {"k=%E6%97%A5%E6%9C%AC", true, "k=%E6%97%A5%E6%9C%AC"},  // UTF-8 stays encoded
      {"k=a%25b", true, "k=a%25b"},                            // '%' itself
      {"k=", true, "k="},                                      // empty value is allowed
      {"k=v%2Cw%3Bx%20y%22z%5C", true, "k=v%2Cw%3Bx%20y%22z%5C"},
      {"k=1,k=2", true, "k=2"},  // a repeated key: last value wins
      {"", true, ""},
      {"k=v,,j=w", false, nullptr},   // empty member
      {"k", false, nullptr},          // no '='
      {"=v", false, nullptr},         // empty key
      {"k y=v", false, nullptr},      // space inside a key
      {"k(=v", false, nullptr},       // separator in key
      {"k=v w", false, nullptr},      // space inside a value
      {"k=\"v\"", false, nullptr},    // DQUOTE
      {"k=v\\", false, nullptr},      // backslash
      {"k=%2", false, nullptr},       // truncated escape
      {"k=%zz", false, nullptr},      // non-hex escape
      {"k=v;", false, nullptr},       // empty property
      {"k=v;p=a b", false, nullptr},  // invalid property value
  };
  for (const Case& c : cases) {
    auto b = Baggage::parse(c.header);
    EXPECT_EQ(b.isOk(), c.valid) << c.header;
    if (b.isOk() && c.formatted) {
      EXPECT_EQ(b->format(), c.formatted) << c.header;
    }
  }
}

TEST(Baggage, PropertiesAreKeptVerbatimWithoutWhitespace) {
  auto b = Baggage::parse("k=v ; p1 ; p2 = x");
  ASSERT_TRUE(b.isOk());
  ASSERT_EQ(b->members().size(), 1u);
  EXPECT_EQ(b->members()[0], (BaggageMember{"k", "v", {"p1", "p2=x"}}));
}

TEST(Baggage, FormatPercentEncodesWhatIsNotABaggageOctet) {
  Baggage b;
  ASSERT_TRUE(b.put("user", "Zoë, \"admin\"; 100%\\").isOk());
  ASSERT_TRUE(b.put("tier", "gold", {"ttl=60", "internal"}).isOk());
  EXPECT_EQ(b.format(), "user=Zo%C3%AB%2C%20%22admin%22%3B%20100%25%5C,tier=gold;ttl=60;internal");
  auto back = Baggage::parse(b.format());
  ASSERT_TRUE(back.isOk());
  EXPECT_EQ(back->members(), b.members());
  EXPECT_FALSE(b.put("bad key", "v").isOk());
  EXPECT_FALSE(b.put("k", "v", {"a b"}).isOk());
  b.erase("user");
  EXPECT_EQ(b.format(), "tier=gold;ttl=60;internal");
}

TEST(Baggage, ParseLimits) {
  std::string at_limit;
  for (size_t i = 0; i < kBaggageMaxMembers; ++i) at_limit += "k" + std::to_string(i) + "=v,";
  at_limit.pop_back();
  EXPECT_TRUE(Baggage::parse(at_limit).isOk());
  auto over = Baggage::parse(at_limit + ",x=1");
  ASSERT_FALSE(over.isOk());
  EXPECT_EQ(over.status().message(), "baggage member 181 \"x=1\": more than 180 list-members");

  const std::string big_member = "k=" + std::string(kBaggageMaxMemberBytes - 2, 'v');
  EXPECT_TRUE(Baggage::parse(big_member).isOk());
  EXPECT_FALSE(Baggage::parse(big_member + "v").isOk());

  std::string too_long = big_member + "," + "j=" + std::string(kBaggageMaxMemberBytes - 2, 'v') +
                         ",i=v";  // 8197 bytes
  auto long_result = Baggage::parse(too_long);
  ASSERT_FALSE(long_result.isOk());
  EXPECT_EQ(long_result.status().message(), "baggage header is 8197 bytes, more than 8192");
}

TEST(Baggage, FormatDropsMembersBeyondTheLimits) {
  Baggage b;
  ASSERT_TRUE(b.put("huge", std::string(kBaggageMaxMemberBytes, 'v')).isOk());  // > 4096 encoded
  ASSERT_TRUE(b.put("a", std::string(4000, 'a')).isOk());
  ASSERT_TRUE(b.put("b", std::string(4000, 'b')).isOk());
  ASSERT_TRUE(b.put("c", std::string(200, 'c')).isOk());  // would pass 8192 bytes
  ASSERT_TRUE(b.put("d", "small").isOk());
  const std::string out = b.format();
  EXPECT_EQ(out, "a=" + std::string(4000, 'a') + ",b=" + std::string(4000, 'b') + ",d=small");

  Baggage many;
  for (size_t i = 0; i < kBaggageMaxMembers + 5; ++i) {
    ASSERT_TRUE(many.put("k" + std::to_string(i), "v").isOk());
  }
  auto back = Baggage::parse(many.format());
  ASSERT_TRUE(back.isOk());
  EXPECT_EQ(back->members().size(), kBaggageMaxMembers);
  EXPECT_EQ(back->members().back().key, "k179");
}

}  // namespace
}  // namespace periscope::model::propagation
