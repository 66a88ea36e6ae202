// Crash, corruption and I/O-failure behaviour of the WAL (see the policy in wal.h).
#include <gtest/gtest.h>

#include <cerrno>
#include <condition_variable>
#include <fstream>
#include <latch>
#include <mutex>
#include <set>
#include <thread>

#include "storage/wal/wal.h"
#include "storage/wal/wal_format.h"
#include "unit/storage/wal_test_util.h"

namespace periscope::storage {
namespace {

using namespace std::chrono_literals;

class WalRecoveryTest : public WalTestBase {
 protected:
  static WalOptions fast() {
    WalOptions o;
    o.group_commit_window = 0us;
    return o;
  }
  std::string readFile(const std::string& path) {
    auto r = posix_.readAll(path);
    EXPECT_TRUE(r.isOk()) << r.status().toString();
    return r.isOk() ? *r : "";
  }
  void writeFile(const std::string& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
  }
  void flipBit(const std::string& path, size_t offset) {
    std::string bytes = readFile(path);
    ASSERT_LT(offset, bytes.size());
    bytes[offset] ^= 0x10;
    writeFile(path, bytes);
  }
  // Writes records r0..r(n-1) into segment 1 of a fresh WAL and closes it.
  void writeRecords(int n) {
    auto opened = openCollect(posix_, walDir(), fast());
    ASSERT_TRUE(opened.wal);
    for (int i = 0; i < n; ++i) ASSERT_TRUE(opened.wal->appendSync(record(i)).isOk());
  }
  static std::string record(int i) { return "record-" + std::to_string(i) + "-payload"; }
  static size_t frameSize(int i) { return kWalRecordHeaderBytes + record(i).size(); }
};

TEST_F(WalRecoveryTest, CrashRecoversExactlyTheAckedRecords) {
  for (bool tear : {false, true}) {
    SCOPED_TRACE(tear ? "torn last write" : "unsynced bytes dropped");
    testing::TempDir tmp;
    const std::string dir = tmp.file("wal");
    FaultInjectingFileSystem fs(posix_);
    std::mutex mu;
    std::condition_variable cv;
    std::set<std::string> acked;
    {
      auto opened = openCollect(fs, dir, fast());
      ASSERT_TRUE(opened.wal);
      std::vector<std::thread> threads;
      for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
          for (int i = 0;; ++i) {
            std::string r = std::to_string(t) + ":" + std::to_string(i);
            Status s = opened.wal->appendSync(r);
            if (!s.isOk()) {
              EXPECT_EQ(s.code(), StatusCode::kUnavailable) << s.toString();
              return;
            }
            std::lock_guard lock(mu);
            acked.insert(r);
            cv.notify_all();
          }
        });
      }
      {
        std::unique_lock lock(mu);
        cv.wait(lock, [&] { return acked.size() >= 300; });
      }
      FaultInjectingFileSystem::CrashOptions crash;
      if (tear) crash.tear_last_write_keep = 5;
      ASSERT_TRUE(fs.crash(crash).isOk());
      for (auto& th : threads) th.join();
    }
    auto reopened = openCollect(fs, dir, fast());
    std::set<std::string> recovered(reopened.records.begin(), reopened.records.end());
    EXPECT_EQ(recovered.size(), reopened.records.size()) << "duplicates replayed";
    EXPECT_EQ(recovered, acked);
    EXPECT_TRUE(reopened.wal->recoveryStats().corruptions.empty());
  }
}

TEST_F(WalRecoveryTest, TornLastWriteIsTruncatedAndCounted) {
  {
    auto opened = openCollect(faulty_, walDir(), fast());
    ASSERT_TRUE(opened.wal);
    for (int i = 0; i < 10; ++i) ASSERT_TRUE(opened.wal->appendSync(record(i)).isOk());
    faulty_.failSync(1, EIO);
    Status s = opened.wal->appendSync("never acknowledged");
    EXPECT_EQ(s.code(), StatusCode::kUnavailable);
    EXPECT_TRUE(s.isRetryable());
    // The WAL stays failed until reopen(): nothing after the failure is acked either.
    EXPECT_EQ(opened.wal->appendSync("also refused").code(), StatusCode::kUnavailable);
  }
  ASSERT_TRUE(faulty_.crash({.tear_last_write_keep = 10}).isOk());
  {
    auto reopened = openCollect(faulty_, walDir(), fast());
    ASSERT_EQ(reopened.records.size(), 10u);
    EXPECT_EQ(reopened.records.back(), record(9));
    const RecoveryStats& stats = reopened.wal->recoveryStats();
    EXPECT_EQ(stats.truncated_bytes, 10u);
    EXPECT_TRUE(stats.corrupt_tail);
    EXPECT_TRUE(stats.corruptions.empty());
    ASSERT_TRUE(reopened.wal->appendSync("after recovery").isOk());
  }
  auto again = openCollect(faulty_, walDir(), fast());
  ASSERT_EQ(again.records.size(), 11u);
  EXPECT_EQ(again.records.back(), "after recovery");
  EXPECT_EQ(again.wal->recoveryStats().truncated_bytes, 0u);
  EXPECT_FALSE(again.wal->recoveryStats().corrupt_tail);
}

TEST_F(WalRecoveryTest, CrashWithoutTearLeavesACleanLog) {
  {
    auto opened = openCollect(faulty_, walDir(), fast());
    ASSERT_TRUE(opened.wal);
    for (int i = 0; i < 10; ++i) ASSERT_TRUE(opened.wal->appendSync(record(i)).isOk());
    faulty_.failSync(1, EIO);
    EXPECT_FALSE(opened.wal->appendSync("lost").isOk());
  }
  ASSERT_TRUE(faulty_.crash().isOk());
  auto reopened = openCollect(faulty_, walDir(), fast());
  EXPECT_EQ(reopened.records.size(), 10u);
  EXPECT_EQ(reopened.wal->recoveryStats().truncated_bytes, 0u);
  EXPECT_FALSE(reopened.wal->recoveryStats().corrupt_tail);
}

TEST_F(WalRecoveryTest, FlippedBitInLastRecordIsTruncatedAndCounted) {
  writeRecords(5);
  const std::string path = segment(1);
  const size_t size = readFile(path).size();
  flipBit(path, size - 3);
  auto reopened = openCollect(posix_, walDir(), fast());
  EXPECT_EQ(reopened.records,
            (std::vector<std::string>{record(0), record(1), record(2), record(3)}));
  const RecoveryStats& stats = reopened.wal->recoveryStats();
  EXPECT_EQ(stats.truncated_bytes, frameSize(4));
  EXPECT_TRUE(stats.corrupt_tail);
  EXPECT_TRUE(stats.corruptions.empty());
  EXPECT_EQ(readFile(path).size(), size - frameSize(4));
}

TEST_F(WalRecoveryTest, FlippedBitMidSegmentIsReportedWithFileAndOffset) {
  writeRecords(5);
  const std::string path = segment(1);
  const size_t bad_offset = kWalSegmentHeaderBytes + frameSize(0) + frameSize(1);
  flipBit(path, bad_offset + kWalRecordHeaderBytes + 2);  // inside record 2's payload
  const std::string before = readFile(path);
  {
    auto reopened = openCollect(posix_, walDir(), fast());
    EXPECT_EQ(reopened.records, (std::vector<std::string>{record(0), record(1)}));
    const RecoveryStats& stats = reopened.wal->recoveryStats();
    ASSERT_EQ(stats.corruptions.size(), 1u);
    EXPECT_EQ(stats.corruptions[0].file, path);
    EXPECT_EQ(stats.corruptions[0].offset, bad_offset);
    EXPECT_EQ(stats.corruptions[0].reason, "checksum mismatch");
    EXPECT_EQ(stats.truncated_bytes, 0u);
    EXPECT_FALSE(stats.corrupt_tail);
    EXPECT_EQ(readFile(path), before) << "a corrupt segment is left for inspection";
    ASSERT_TRUE(reopened.wal->appendSync("later").isOk());
  }
  // Later segments still replay; the damaged one is reported again.
  auto again = openCollect(posix_, walDir(), fast());
  EXPECT_EQ(again.records, (std::vector<std::string>{record(0), record(1), "later"}));
  EXPECT_EQ(again.wal->recoveryStats().corruptions.size(), 1u);
}

TEST_F(WalRecoveryTest, EnospcFailsTheAffectedAppendsUntilReopen) {
  auto opened = openCollect(faulty_, walDir(), fast());
  ASSERT_TRUE(opened.wal);
  ASSERT_TRUE(opened.wal->appendSync("a").isOk());
  ASSERT_TRUE(opened.wal->appendSync("b").isOk());
  faulty_.failWrite(1, ENOSPC, /*sticky=*/true);
  constexpr int kN = 20;
  std::latch all(kN);
  std::mutex mu;
  std::vector<Status> results;
  for (int i = 0; i < kN; ++i) {
    opened.wal->append("lost" + std::to_string(i), [&](Status s) {
      {
        std::lock_guard lock(mu);
        results.push_back(s);
      }
      all.count_down();
    });
  }
  all.wait();
  for (const Status& s : results) {
    EXPECT_EQ(s.code(), StatusCode::kUnavailable) << s.toString();
    EXPECT_TRUE(s.isRetryable());
  }
  EXPECT_NE(results[0].message().find("No space left"), std::string_view::npos)
      << results[0].toString();
  // Still full: reopen fails and appends keep failing.
  EXPECT_FALSE(opened.wal->reopen().isOk());
  EXPECT_EQ(opened.wal->appendSync("c").code(), StatusCode::kUnavailable);
  // Space is back.
  faulty_.clearFaults();
  ASSERT_TRUE(opened.wal->reopen().isOk());
  ASSERT_TRUE(opened.wal->appendSync("d").isOk());
  opened.wal.reset();
  auto reopened = openCollect(faulty_, walDir(), fast());
  EXPECT_EQ(reopened.records, (std::vector<std::string>{"a", "b", "d"}));
  EXPECT_TRUE(reopened.wal->recoveryStats().corruptions.empty());
}

TEST_F(WalRecoveryTest, FailedSyncIsCutAwayByReopenSoItNeverReplays) {
  auto opened = openCollect(faulty_, walDir(), fast());
  ASSERT_TRUE(opened.wal);
  ASSERT_TRUE(opened.wal->appendSync("a").isOk());
  faulty_.failSync(1, EIO);
  EXPECT_EQ(opened.wal->appendSync("b").code(), StatusCode::kUnavailable);
  ASSERT_TRUE(opened.wal->reopen().isOk());
  ASSERT_TRUE(opened.wal->appendSync("c").isOk());
  opened.wal.reset();
  auto reopened = openCollect(faulty_, walDir(), fast());
  EXPECT_EQ(reopened.records, (std::vector<std::string>{"a", "c"}));
  EXPECT_TRUE(reopened.wal->recoveryStats().corruptions.empty());
}

TEST_F(WalRecoveryTest, RefusesAForeignFile) {
  ASSERT_TRUE(posix_.createDir(walDir()).isOk());
  const std::string path = segment(1);
  std::string bytes = "NOTAWAL!";
  putU32(bytes, 1);
  bytes += "garbage";
  writeFile(path, bytes);
  auto wal =
      Wal::open(posix_, walDir(), fast(), [](uint64_t, std::string_view) { return Status::ok(); });
  ASSERT_FALSE(wal.isOk());
  EXPECT_EQ(wal.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(wal.status().message().find("bad magic"), std::string_view::npos);
  EXPECT_NE(wal.status().message().find(path), std::string_view::npos);
  EXPECT_EQ(readFile(path), bytes);
  auto names = posix_.listDir(walDir());
  ASSERT_TRUE(names.isOk());
  EXPECT_EQ(names->size(), 1u);
}

TEST_F(WalRecoveryTest, RefusesANewerFormatVersion) {
  ASSERT_TRUE(posix_.createDir(walDir()).isOk());
  const std::string path = segment(1);
  std::string bytes = encodeWalSegmentHeader(kWalFormatVersion + 1);
  appendWalRecord(bytes, "from the future");
  writeFile(path, bytes);
  auto wal =
      Wal::open(posix_, walDir(), fast(), [](uint64_t, std::string_view) { return Status::ok(); });
  ASSERT_FALSE(wal.isOk());
  EXPECT_NE(wal.status().message().find("newer"), std::string_view::npos)
      << wal.status().toString();
  EXPECT_EQ(readFile(path), bytes);
}

TEST_F(WalRecoveryTest, TornSegmentHeaderIsRemoved) {
  writeRecords(3);
  writeFile(segment(2), "PSCW");
  auto reopened = openCollect(posix_, walDir(), fast());
  EXPECT_EQ(reopened.records.size(), 3u);
  EXPECT_EQ(reopened.wal->recoveryStats().truncated_bytes, 4u);
  EXPECT_TRUE(reopened.wal->recoveryStats().corrupt_tail);
  EXPECT_EQ(reopened.wal->currentSegment(), 3u);
  EXPECT_FALSE(*posix_.exists(segment(2)));
}

}  // namespace
}  // namespace periscope::storage
