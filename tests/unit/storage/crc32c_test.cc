#include "storage/wal/crc32c.h"

#include <gtest/gtest.h>

#include <string>

namespace periscope::storage {
namespace {

TEST(Crc32cTest, MatchesStandardCheckValue) {
  EXPECT_EQ(crc32c("123456789"), 0xE3069283u);
  EXPECT_EQ(crc32c(""), 0u);
  EXPECT_EQ(crc32c(std::string(32, '\0')), 0x8A9136AAu);  // RFC 3720 B.4
}

TEST(Crc32cTest, IncrementalEqualsOneShot) {
  std::string data;
  for (int i = 0; i < 1000; ++i) data.push_back(static_cast<char>(i * 31));
  for (size_t split : {0, 1, 3, 4, 5, 500, 999, 1000}) {
    EXPECT_EQ(crc32c(data.substr(split), crc32c(data.substr(0, split))), crc32c(data)) << split;
  }
}

}  // namespace
}  // namespace periscope::storage
