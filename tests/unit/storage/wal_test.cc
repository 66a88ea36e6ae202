#include "storage/wal/wal.h"

#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <random>
#include <thread>

#include "unit/storage/wal_test_util.h"

namespace periscope::storage {
namespace {

using namespace std::chrono_literals;

class WalTest : public WalTestBase {};

std::string makeRecord(size_t i, size_t size) {
  std::string r = "r" + std::to_string(i) + ":";
  while (r.size() < size) r.push_back(static_cast<char>('a' + (i + r.size()) % 26));
  r.resize(std::max<size_t>(size, 1));
  return r;
}

TEST_F(WalTest, RoundTripAcrossSegmentRolls) {
  WalOptions options;
  options.segment_bytes = 64 << 10;
  options.group_commit_window = 0us;
  options.group_commit_bytes = 64 << 10;
  std::mt19937 rng(42);
  std::vector<std::string> written;
  for (size_t i = 0; i < 800; ++i) written.push_back(makeRecord(i, 1 + rng() % 3000));
  // A segment closes once it holds segment_bytes; the batch that crosses the line may add up to
  // group_commit_bytes plus one record (and framing), however appends happen to be grouped.
  size_t total = 0;
  for (const auto& r : written) total += r.size() + 8;
  const size_t min_segments =
      total / (options.segment_bytes + options.group_commit_bytes + 3000 + 64);
  ASSERT_GE(min_segments, 5u);
  {
    auto opened = openCollect(posix_, walDir(), options);
    ASSERT_TRUE(opened.wal);
    EXPECT_TRUE(opened.records.empty());
    std::latch all(static_cast<std::ptrdiff_t>(written.size()));
    std::atomic<int> failures{0};
    for (const auto& r : written) {
      opened.wal->append(r, [&](Status s) {
        if (!s.isOk()) ++failures;
        all.count_down();
      });
    }
    all.wait();
    EXPECT_EQ(failures.load(), 0);
    EXPECT_GE(opened.wal->currentSegment(), min_segments);
  }
  auto reopened = openCollect(posix_, walDir(), options);
  EXPECT_EQ(reopened.records, written);
  const RecoveryStats& stats = reopened.wal->recoveryStats();
  EXPECT_EQ(stats.records, written.size());
  EXPECT_GE(stats.segments, min_segments);
  EXPECT_EQ(stats.truncated_bytes, 0u);
  EXPECT_FALSE(stats.corrupt_tail);
  EXPECT_TRUE(stats.corruptions.empty());
}

TEST_F(WalTest, ConcurrentAppendsAreDurableAndInPerThreadOrder) {
  WalOptions options;
  options.group_commit_window = 0us;
  options.segment_bytes = 32 << 10;
  constexpr int kThreads = 8, kPerThread = 150;
  {
    auto opened = openCollect(posix_, walDir(), options);
    ASSERT_TRUE(opened.wal);
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kPerThread; ++i) {
          if (!opened.wal->appendSync(std::to_string(t) + ":" + std::to_string(i)).isOk()) {
            ++failures;
          }
        }
      });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(failures.load(), 0);
  }
  auto reopened = openCollect(posix_, walDir(), options);
  ASSERT_EQ(reopened.records.size(), static_cast<size_t>(kThreads * kPerThread));
  std::vector<int> next(kThreads, 0);
  for (const auto& r : reopened.records) {
    int t = std::stoi(r.substr(0, r.find(':')));
    int i = std::stoi(r.substr(r.find(':') + 1));
    EXPECT_EQ(i, next[t]) << "thread " << t;
    next[t] = i + 1;
  }
  EXPECT_EQ(next, std::vector<int>(kThreads, kPerThread));
}

TEST_F(WalTest, GroupCommitBatchesManyAppendsIntoFewSyncs) {
  auto opened = openCollect(faulty_, walDir());  // default: kAlways, 10 ms window
  ASSERT_TRUE(opened.wal);
  constexpr int kThreads = 8, kPerThread = 100, kTotal = kThreads * kPerThread;
  const uint64_t syncs_before = faulty_.syncs();
  std::latch all(kTotal);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        opened.wal->append(std::to_string(t) + ":" + std::to_string(i), [&](Status s) {
          if (!s.isOk()) ++failures;
          all.count_down();
        });
      }
    });
  }
  all.wait();
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  const uint64_t syncs = faulty_.syncs() - syncs_before;
  EXPECT_GE(syncs, 1u);
  EXPECT_LE(syncs, static_cast<uint64_t>(kTotal / 20)) << syncs << " fsyncs for " << kTotal;
}

TEST_F(WalTest, NeverPolicyAcksBeforeSyncAndLosesDataOnCrash) {
  WalOptions options;
  options.sync = WalSyncPolicy::kNever;
  {
    auto opened = openCollect(faulty_, walDir(), options);
    ASSERT_TRUE(opened.wal);
    const uint64_t syncs_before = faulty_.syncs();
    for (int i = 0; i < 20; ++i)
      ASSERT_TRUE(opened.wal->appendSync("x" + std::to_string(i)).isOk());
    EXPECT_EQ(faulty_.syncs(), syncs_before);
  }
  ASSERT_TRUE(faulty_.crash().isOk());
  auto reopened = openCollect(faulty_, walDir(), options);
  EXPECT_TRUE(reopened.records.empty());
}

TEST_F(WalTest, IntervalPolicySyncsOnCloseSoRecordsSurviveACrash) {
  WalOptions options;
  options.sync = WalSyncPolicy::kInterval;
  options.sync_interval = std::chrono::hours(1);
  {
    auto opened = openCollect(faulty_, walDir(), options);
    ASSERT_TRUE(opened.wal);
    for (int i = 0; i < 20; ++i)
      ASSERT_TRUE(opened.wal->appendSync("x" + std::to_string(i)).isOk());
  }
  ASSERT_TRUE(faulty_.crash().isOk());
  auto reopened = openCollect(faulty_, walDir(), options);
  EXPECT_EQ(reopened.records.size(), 20u);
}

TEST_F(WalTest, TruncateBeforeDeletesWholeOlderSegments) {
  WalOptions options;
  options.segment_bytes = 1 << 10;
  options.group_commit_window = 0us;
  auto opened = openCollect(posix_, walDir(), options);
  ASSERT_TRUE(opened.wal);
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(opened.wal->appendSync(makeRecord(i, 100)).isOk());
  uint64_t current = opened.wal->currentSegment();
  ASSERT_GT(current, 5u);
  ASSERT_TRUE(opened.wal->truncateBefore(current).isOk());
  auto names = posix_.listDir(walDir());
  ASSERT_TRUE(names.isOk());
  EXPECT_EQ(*names, std::vector<std::string>{walSegmentName(current)});
  ASSERT_TRUE(opened.wal->appendSync("after").isOk());
  opened.wal.reset();
  auto reopened = openCollect(posix_, walDir(), options);
  ASSERT_FALSE(reopened.records.empty());
  EXPECT_EQ(reopened.records.back(), "after");
  EXPECT_LT(reopened.records.size(), 20u);
}

TEST_F(WalTest, RotateStartsANewSegmentSoTruncateBeforeLeavesOnlyIt) {
  WalOptions options;
  options.group_commit_window = 0us;
  auto opened = openCollect(posix_, walDir(), options);
  ASSERT_TRUE(opened.wal);
  uint64_t first = opened.wal->currentSegment();
  ASSERT_TRUE(opened.wal->rotate().isOk());  // nothing written yet: stays
  EXPECT_EQ(opened.wal->currentSegment(), first);
  ASSERT_TRUE(opened.wal->appendSync("before").isOk());
  ASSERT_TRUE(opened.wal->rotate().isOk());
  uint64_t second = opened.wal->currentSegment();
  EXPECT_EQ(second, first + 1);
  ASSERT_TRUE(opened.wal->appendSync("after").isOk());
  ASSERT_TRUE(opened.wal->truncateBefore(second).isOk());
  auto names = posix_.listDir(walDir());
  ASSERT_TRUE(names.isOk());
  EXPECT_EQ(*names, std::vector<std::string>{walSegmentName(second)});
  opened.wal.reset();
  auto reopened = openCollect(posix_, walDir(), options);
  EXPECT_EQ(reopened.records, std::vector<std::string>{"after"});
}

TEST_F(WalTest, RejectsEmptyAndOversizedRecords) {
  WalOptions options;
  options.max_record_bytes = 10;
  auto opened = openCollect(posix_, walDir(), options);
  ASSERT_TRUE(opened.wal);
  EXPECT_EQ(opened.wal->appendSync("").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(opened.wal->appendSync(std::string(11, 'x')).code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(opened.wal->appendSync(std::string(10, 'x')).isOk());
}

}  // namespace
}  // namespace periscope::storage
