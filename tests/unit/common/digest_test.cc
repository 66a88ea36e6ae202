// Digests against the published test vectors for "abc" (RFC 1321, FIPS 180-2, FIPS 202).
#include "common/digest.h"

#include <gtest/gtest.h>

namespace periscope {
namespace {

TEST(DigestTest, KnownVectors) {
  EXPECT_EQ(hexDigest(DigestAlgorithm::kMd5, "abc"), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(hexDigest(DigestAlgorithm::kSha1, "abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(hexDigest(DigestAlgorithm::kSha256, "abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(hexDigest(DigestAlgorithm::kSha3_256, "abc"),
            "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532");
}

TEST(DigestTest, ParsesConfigNames) {
  EXPECT_EQ(parseDigestAlgorithm("md5"), DigestAlgorithm::kMd5);
  EXPECT_EQ(parseDigestAlgorithm("sha1"), DigestAlgorithm::kSha1);
  EXPECT_EQ(parseDigestAlgorithm("sha256"), DigestAlgorithm::kSha256);
  EXPECT_EQ(parseDigestAlgorithm("sha3"), DigestAlgorithm::kSha3_256);
  EXPECT_EQ(parseDigestAlgorithm("SHA1"), std::nullopt);
}

}  // namespace
}  // namespace periscope
