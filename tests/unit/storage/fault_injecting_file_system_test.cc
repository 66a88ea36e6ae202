#include "storage/io/fault_injecting_file_system.h"

#include <gtest/gtest.h>

#include <cerrno>

#include "storage/io/posix_file_system.h"
#include "support/temp_dir.h"

namespace periscope::storage {
namespace {

class FaultInjectingFileSystemTest : public ::testing::Test {
 protected:
  std::string read(const std::string& path) {
    auto r = fs_.readAll(path);
    EXPECT_TRUE(r.isOk()) << r.status().toString();
    return r.isOk() ? *r : "";
  }
  testing::TempDir tmp_;
  PosixFileSystem posix_;
  FaultInjectingFileSystem fs_{posix_};
};

TEST_F(FaultInjectingFileSystemTest, CrashDropsUnsyncedBytes) {
  std::string path = tmp_.file("f");
  auto f = fs_.openAppend(path);
  ASSERT_TRUE(f.isOk());
  ASSERT_TRUE((*f)->append("synced").isOk());
  ASSERT_TRUE((*f)->sync().isOk());
  ASSERT_TRUE((*f)->append("-lost").isOk());
  EXPECT_EQ(read(path), "synced-lost");
  ASSERT_TRUE(fs_.crash().isOk());
  EXPECT_EQ(read(path), "synced");
  // The handle belonged to the "dead process".
  EXPECT_EQ((*f)->append("x").code(), StatusCode::kUnavailable);
  EXPECT_EQ((*f)->sync().code(), StatusCode::kUnavailable);
  // New handles work.
  auto g = fs_.openAppend(path);
  ASSERT_TRUE(g.isOk());
  ASSERT_TRUE((*g)->append("!").isOk());
  EXPECT_EQ(read(path), "synced!");
}

TEST_F(FaultInjectingFileSystemTest, CrashCanTearTheLastWrite) {
  std::string path = tmp_.file("f");
  auto f = fs_.openAppend(path);
  ASSERT_TRUE(f.isOk());
  ASSERT_TRUE((*f)->append("aaa").isOk());
  ASSERT_TRUE((*f)->sync().isOk());
  ASSERT_TRUE((*f)->append("bbb").isOk());
  ASSERT_TRUE((*f)->append("cccc").isOk());
  ASSERT_TRUE(fs_.crash({.tear_last_write_keep = 2}).isOk());
  EXPECT_EQ(read(path), "aaabbbcc");
}

TEST_F(FaultInjectingFileSystemTest, FailsTheNthWriteAndSyncAndCounts) {
  std::string path = tmp_.file("f");
  auto f = fs_.openAppend(path);
  ASSERT_TRUE(f.isOk());
  fs_.failWrite(2, ENOSPC);
  fs_.failSync(1, EIO, /*sticky=*/true);
  EXPECT_TRUE((*f)->append("1").isOk());
  Status s = (*f)->append("2");
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_NE(s.message().find("No space left"), std::string_view::npos) << s.toString();
  EXPECT_NE(s.message().find(path), std::string_view::npos);
  EXPECT_TRUE((*f)->append("3").isOk());
  EXPECT_FALSE((*f)->sync().isOk());
  EXPECT_FALSE((*f)->sync().isOk());
  fs_.clearFaults();
  EXPECT_TRUE((*f)->sync().isOk());
  EXPECT_EQ(fs_.writes(), 3u);
  EXPECT_EQ(fs_.syncs(), 3u);
  EXPECT_EQ(read(path), "13");
}

TEST_F(FaultInjectingFileSystemTest, RenameCarriesSyncedSize) {
  std::string a = tmp_.file("a"), b = tmp_.file("b");
  auto f = fs_.openAppend(a);
  ASSERT_TRUE(f.isOk());
  ASSERT_TRUE((*f)->append("keep").isOk());
  ASSERT_TRUE((*f)->sync().isOk());
  ASSERT_TRUE((*f)->append("drop").isOk());
  ASSERT_TRUE((*f)->close().isOk());
  ASSERT_TRUE(fs_.rename(a, b).isOk());
  ASSERT_TRUE(fs_.crash().isOk());
  EXPECT_EQ(read(b), "keep");
  auto names = fs_.listDir(tmp_.path().string());
  ASSERT_TRUE(names.isOk());
  EXPECT_EQ(*names, std::vector<std::string>{"b"});
}

}  // namespace
}  // namespace periscope::storage
