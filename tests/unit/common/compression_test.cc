#include "common/compression.h"

#include <gtest/gtest.h>

namespace periscope::compression {
namespace {

const Encoding kAll[] = {Encoding::kIdentity, Encoding::kGzip,   Encoding::kDeflate,
                         Encoding::kZstd,     Encoding::kSnappy, Encoding::kLz4};

TEST(Compression, RoundTripsEveryEncoding) {
  std::string input;
  for (int i = 0; i < 100000; ++i) input += static_cast<char>('a' + (i * 7) % 26);
  for (Encoding e : kAll) {
    auto c = compress(e, input);
    ASSERT_TRUE(c.isOk()) << encodingName(e);
    auto d = decompress(e, *c, input.size());
    ASSERT_TRUE(d.isOk()) << encodingName(e) << ": " << d.status().toString();
    EXPECT_EQ(*d, input) << encodingName(e);
  }
}

TEST(Compression, BombsStopAtTheLimit) {
  std::string zeros(64 << 20, '\0');  // 64 MiB of zeros compresses to a few KiB
  for (Encoding e : kAll) {
    if (e == Encoding::kIdentity) continue;
    auto c = compress(e, zeros);
    ASSERT_TRUE(c.isOk());
    EXPECT_LT(c->size(), zeros.size() / 20) << encodingName(e);
    auto d = decompress(e, *c, 1 << 20);
    ASSERT_FALSE(d.isOk()) << encodingName(e);
    EXPECT_EQ(d.status().code(), StatusCode::kResourceExhausted) << encodingName(e);
  }
}

TEST(Compression, MalformedInputIsInvalidArgument) {
  std::string garbage = "this is not compressed at all, not even a little";
  for (Encoding e : kAll) {
    if (e == Encoding::kIdentity) continue;
    auto d = decompress(e, garbage, 1 << 20);
    ASSERT_FALSE(d.isOk()) << encodingName(e);
    EXPECT_EQ(d.status().code(), StatusCode::kInvalidArgument) << encodingName(e);
  }
}

TEST(Compression, TruncatedInputIsRejected) {
  std::string input(10000, 'x');
  for (Encoding e : {Encoding::kGzip, Encoding::kZstd, Encoding::kLz4}) {
    auto c = compress(e, input);
    ASSERT_TRUE(c.isOk());
    auto d = decompress(e, c->substr(0, c->size() / 2), 1 << 20);
    EXPECT_FALSE(d.isOk()) << encodingName(e);
  }
}

TEST(Compression, ParsesHeaderNames) {
  Encoding e;
  EXPECT_TRUE(parseEncoding("", e));
  EXPECT_EQ(e, Encoding::kIdentity);
  EXPECT_TRUE(parseEncoding("gzip", e));
  EXPECT_EQ(e, Encoding::kGzip);
  EXPECT_TRUE(parseEncoding("zlib", e));
  EXPECT_EQ(e, Encoding::kDeflate);
  EXPECT_FALSE(parseEncoding("br", e));
}

}  // namespace
}  // namespace periscope::compression

namespace periscope::compression {
namespace {

TEST(Compression, GzipMembersBackToBackAreAllDecoded) {
  auto a = compress(Encoding::kGzip, "first member, ");
  auto b = compress(Encoding::kGzip, "second member");
  auto d = decompress(Encoding::kGzip, *a + *b, 1 << 20);
  ASSERT_TRUE(d.isOk()) << d.status().toString();
  EXPECT_EQ(*d, "first member, second member");
}

}  // namespace
}  // namespace periscope::compression
