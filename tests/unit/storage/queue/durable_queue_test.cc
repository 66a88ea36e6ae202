// DurableQueue: delivery, restart, rotation, compaction, write failures and group commit.
// Damaged files are covered in durable_queue_corruption_test.cc.
#include "storage/queue/durable_queue.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <set>
#include <thread>

#include "storage/io/fault_injecting_file_system.h"
#include "storage/wal/wal_format.h"
#include "unit/storage/queue/queue_test_util.h"

namespace periscope::storage {
namespace {

class DurableQueueTest : public QueueTestBase {};

// Item frames of 100-byte payloads: 8 (frame) + 13 (record header) + 100.
constexpr uint64_t kFrame100 = kWalRecordHeaderBytes + kQueueItemHeaderBytes + 100;

TEST_F(DurableQueueTest, AppendNextAckRoundTrip) {
  auto queue = open();
  ASSERT_TRUE(queue);
  auto id = queue->append("hello", 3);
  ASSERT_TRUE(id.isOk()) << id.status().toString();
  EXPECT_EQ(*id, 1u);
  DurableQueue::Stats s = queue->stats();
  EXPECT_EQ(s.items, 1u);
  EXPECT_EQ(s.item_count, 3u);
  EXPECT_EQ(s.bytes, 5u);
  EXPECT_EQ(s.waiting, 1u);
  EXPECT_EQ(s.segments, 1u);

  auto item = queue->next();
  ASSERT_TRUE(item.isOk()) << item.status().toString();
  ASSERT_TRUE(item->has_value());
  EXPECT_EQ((*item)->id, 1u);
  EXPECT_EQ((*item)->items, 3u);
  EXPECT_EQ((*item)->payload, "hello");
  EXPECT_EQ(queue->stats().waiting, 0u);
  EXPECT_EQ(queue->stats().items, 1u) << "handed out is still unacknowledged";

  ASSERT_TRUE(queue->ack(1).isOk());
  s = queue->stats();
  EXPECT_EQ(s.items, 0u);
  EXPECT_EQ(s.item_count, 0u);
  EXPECT_EQ(s.bytes, 0u);
  auto none = queue->next();
  ASSERT_TRUE(none.isOk());
  EXPECT_FALSE(none->has_value());
  EXPECT_EQ(queue->ack(1).code(), StatusCode::kNotFound);
  EXPECT_EQ(queue->ack(99).code(), StatusCode::kNotFound);
}

TEST_F(DurableQueueTest, DeliversInFifoOrderAndRequeuedItemsFirst) {
  auto queue = open();
  ASSERT_TRUE(queue);
  for (uint64_t i = 1; i <= 50; ++i) {
    auto id = queue->append(payloadFor(i), static_cast<uint32_t>(i));
    ASSERT_TRUE(id.isOk()) << id.status().toString();
    EXPECT_EQ(*id, i);
  }
  for (uint64_t i = 1; i <= 3; ++i) ASSERT_EQ((*queue->next())->id, i);
  queue->requeue(2);
  queue->requeue(77);  // unknown: ignored
  std::vector<QueueItem> rest = drainQueue(*queue);
  ASSERT_EQ(rest.size(), 48u);
  EXPECT_EQ(rest[0].id, 2u);
  for (uint64_t i = 4; i <= 50; ++i) {
    EXPECT_EQ(rest[i - 3].id, i);
    EXPECT_EQ(rest[i - 3].payload, payloadFor(i));
    EXPECT_EQ(rest[i - 3].items, i);
  }
}

TEST_F(DurableQueueTest, RestartRedeliversExactlyTheUnackedItemsInIdOrder) {
  {
    auto queue = open();
    ASSERT_TRUE(queue);
    for (uint64_t i = 1; i <= 10; ++i) ASSERT_TRUE(queue->append(payloadFor(i), 1).isOk());
    for (uint64_t i = 1; i <= 6; ++i) ASSERT_EQ((*queue->next())->id, i);
    for (uint64_t id : {2, 4, 6}) ASSERT_TRUE(queue->ack(id).isOk());
    // 1, 3, 5 are handed out but not acked; 7..10 were never handed out.
  }
  {
    auto queue = open();
    ASSERT_TRUE(queue);
    EXPECT_EQ(queue->recoveryStats().items, 7u);
    EXPECT_EQ(queue->recoveryStats().acked, 3u);
    EXPECT_EQ(queue->stats().waiting, 7u);
    std::vector<QueueItem> items = drainQueue(*queue);
    EXPECT_EQ(idsOf(items), (std::vector<uint64_t>{1, 3, 5, 7, 8, 9, 10}));
    for (const auto& item : items) EXPECT_EQ(item.payload, payloadFor(item.id));
    for (const auto& item : items) ASSERT_TRUE(queue->ack(item.id).isOk());
    auto id = queue->append("after restart", 1);
    ASSERT_TRUE(id.isOk());
    EXPECT_EQ(*id, 11u) << "ids continue after the highest one on disk";
  }
  auto queue = open();
  ASSERT_TRUE(queue);
  EXPECT_EQ(queue->recoveryStats().items, 1u);
  std::vector<QueueItem> items = drainQueue(*queue);
  ASSERT_EQ(items.size(), 1u) << "acks survive the restart";
  EXPECT_EQ(items[0].id, 11u);
  EXPECT_EQ(items[0].payload, "after restart");
}

TEST_F(DurableQueueTest, RotatesSegmentsAndDeletesTheAckedPrefix) {
  DurableQueueOptions options;
  options.segment_bytes = 3 * kFrame100;  // three items fill a segment
  options.compact_on_rebound = false;
  auto queue = open(options);
  ASSERT_TRUE(queue);
  for (uint64_t i = 1; i <= 9; ++i) ASSERT_TRUE(queue->append(payloadFor(i, 100), 1).isOk());
  EXPECT_EQ(files(), segmentNames({1, 2, 3}));
  EXPECT_EQ(queue->stats().segments, 3u);
  for (uint64_t i = 1; i <= 9; ++i) ASSERT_EQ((*queue->next())->id, i);

  // The first ack finds segment 3 full and starts segment 4 for it.
  ASSERT_TRUE(queue->ack(1).isOk());
  ASSERT_TRUE(queue->ack(2).isOk());
  EXPECT_EQ(files(), segmentNames({1, 2, 3, 4})) << "segment 1 still holds item 3";
  ASSERT_TRUE(queue->ack(3).isOk());
  EXPECT_EQ(files(), segmentNames({2, 3, 4}));
  // Acked out of order: segment 3 empties first but must wait behind segment 2.
  for (uint64_t id : {7, 8, 9, 4, 5}) ASSERT_TRUE(queue->ack(id).isOk());
  EXPECT_EQ(files(), segmentNames({2, 3, 4}));
  uint64_t disk = 0;
  for (const auto& name : files()) disk += std::filesystem::file_size(dir() + "/" + name);
  EXPECT_EQ(queue->stats().disk_bytes, disk);
  EXPECT_EQ(queue->stats().segments, 3u);

  // The last ack empties the queue: segment 4 (9 acks, over segment_bytes/8) is rotated away.
  ASSERT_TRUE(queue->ack(6).isOk());
  EXPECT_EQ(files(), segmentNames({5}));
  EXPECT_EQ(queue->stats().segments, 1u);
  EXPECT_EQ(queue->stats().disk_bytes, kWalSegmentHeaderBytes);

  queue.reset();
  queue = open(options);
  ASSERT_TRUE(queue);
  EXPECT_EQ(queue->recoveryStats().items, 0u);
  EXPECT_EQ(files(), segmentNames({6})) << "the empty segment 5 is an acked prefix too";
}

TEST_F(DurableQueueTest, RestartKeepsSegmentsThatStillHoldItems) {
  DurableQueueOptions options;
  options.segment_bytes = 3 * kFrame100;
  {
    auto queue = open(options);
    ASSERT_TRUE(queue);
    for (uint64_t i = 1; i <= 7; ++i) ASSERT_TRUE(queue->append(payloadFor(i, 100), 1).isOk());
    for (uint64_t i = 1; i <= 4; ++i) ASSERT_TRUE(queue->ack((*queue->next())->id).isOk());
  }
  EXPECT_EQ(files(), segmentNames({2, 3}));
  auto queue = open(options);
  ASSERT_TRUE(queue);
  EXPECT_EQ(files(), segmentNames({2, 3, 4})) << "appends go to a new segment";
  EXPECT_EQ(idsOf(drainQueue(*queue)), (std::vector<uint64_t>{5, 6, 7}));
}

TEST_F(DurableQueueTest, CompactionMovesAStuckItemAndDeletesItsSegment) {
  DurableQueueOptions options;
  options.segment_bytes = 5 * kFrame100;  // one live item of five: 121/617 < 0.25
  {
    auto queue = open(options);
    ASSERT_TRUE(queue);
    for (uint64_t i = 1; i <= 15; ++i) ASSERT_TRUE(queue->append(payloadFor(i, 100), 1).isOk());
    EXPECT_EQ(files(), segmentNames({1, 2, 3}));
    EXPECT_EQ(drainQueue(*queue).size(), 15u);
    // Item 1 stays in flight (say its export keeps failing); the rest of segment 1 is acked.
    for (uint64_t id : {2, 3, 4}) ASSERT_TRUE(queue->ack(id).isOk());
    EXPECT_EQ(queue->stats().compactions, 0u) << "two of five still live: not worth copying";
    ASSERT_TRUE(queue->ack(5).isOk());
    EXPECT_EQ(queue->stats().compactions, 1u);
    EXPECT_EQ(files(), segmentNames({2, 3, 4})) << "segment 1 is gone, item 1 lives in 4";
    EXPECT_EQ(queue->stats().items, 11u);
    // Still deliverable from its new place, with the same id.
    queue->requeue(1);
    auto again = queue->next();
    ASSERT_TRUE(again.isOk()) << again.status().toString();
    ASSERT_TRUE(again->has_value());
    EXPECT_EQ((*again)->id, 1u);
    EXPECT_EQ((*again)->payload, payloadFor(1, 100));
  }
  auto queue = open(options);
  ASSERT_TRUE(queue);
  EXPECT_EQ(queue->recoveryStats().items, 11u);
  std::vector<QueueItem> items = drainQueue(*queue);
  EXPECT_EQ(idsOf(items), (std::vector<uint64_t>{1, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}))
      << "the moved item comes back exactly once";
  EXPECT_EQ(items[0].payload, payloadFor(1, 100));
}

TEST_F(DurableQueueTest, CompactionOnStartFreesSegmentsPinnedByOneItem) {
  DurableQueueOptions no_compaction;
  no_compaction.segment_bytes = 5 * kFrame100;
  no_compaction.compact_on_start = false;
  no_compaction.compact_on_rebound = false;
  {
    auto queue = open(no_compaction);
    ASSERT_TRUE(queue);
    for (uint64_t i = 1; i <= 15; ++i) ASSERT_TRUE(queue->append(payloadFor(i, 100), 1).isOk());
    for (uint64_t i = 1; i <= 15; ++i) ASSERT_TRUE(queue->next().isOk());
    for (uint64_t id = 2; id <= 10; ++id) ASSERT_TRUE(queue->ack(id).isOk());
  }
  EXPECT_EQ(files(), segmentNames({1, 2, 3, 4})) << "item 1 pins segments 1 and 2";
  DurableQueueOptions options = no_compaction;
  options.compact_on_start = true;
  auto queue = open(options);
  ASSERT_TRUE(queue);
  EXPECT_EQ(queue->stats().compactions, 1u);
  EXPECT_EQ(files(), segmentNames({3, 4, 5}));
  EXPECT_EQ(idsOf(drainQueue(*queue)), (std::vector<uint64_t>{1, 11, 12, 13, 14, 15}));
}

TEST_F(DurableQueueTest, RecoveryKeepsTheLaterCopyOfAnIdUnlessAcked) {
  // What a crash between a compaction's copy and its delete leaves, plus an ack that comes
  // before a stray copy of its item.
  ASSERT_TRUE(posix_.createDir(dir()).isOk());
  writeFile(segment(1), encodeWalSegmentHeader() + encodeQueueItemFrame(1, 1, "old copy") +
                            encodeQueueItemFrame(2, 1, "two") + encodeQueueItemFrame(3, 1, "3"));
  writeFile(segment(2), encodeWalSegmentHeader() + encodeQueueAckFrame(2) +
                            encodeQueueItemFrame(1, 1, "new copy") + encodeQueueAckFrame(3) +
                            encodeQueueItemFrame(3, 1, "stray copy of an acked item"));
  auto queue = open();
  ASSERT_TRUE(queue);
  EXPECT_EQ(queue->recoveryStats().items, 1u);
  EXPECT_EQ(queue->recoveryStats().acked, 2u);
  std::vector<QueueItem> items = drainQueue(*queue);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].id, 1u);
  EXPECT_EQ(items[0].payload, "new copy");
  EXPECT_EQ(files(), segmentNames({2, 3})) << "segment 1 holds nothing live any more";
  EXPECT_EQ(*queue->append("next", 1), 4u);
}

TEST_F(DurableQueueTest, PayloadWithEveryByteValueRoundTrips) {
  std::string bytes;
  for (int rep = 0; rep < 3; ++rep) {
    for (int b = 0; b < 256; ++b) bytes.push_back(static_cast<char>(b));
  }
  {
    auto queue = open();
    ASSERT_TRUE(queue);
    ASSERT_TRUE(queue->append(bytes, 7).isOk());
    auto item = queue->next();
    ASSERT_TRUE(item.isOk() && item->has_value());
    EXPECT_EQ((*item)->payload, bytes);
  }
  auto queue = open();
  ASSERT_TRUE(queue);
  std::vector<QueueItem> items = drainQueue(*queue);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].payload, bytes);
  EXPECT_EQ(items[0].items, 7u);
}

TEST_F(DurableQueueTest, RefusesBadArguments) {
  DurableQueueOptions options;
  options.max_record_bytes = 100;
  auto queue = open(options);
  ASSERT_TRUE(queue);
  EXPECT_EQ(queue->append("", 1).status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(queue->append(std::string(100 - kQueueItemHeaderBytes, 'x'), 1).isOk());
  EXPECT_EQ(queue->append(std::string(101 - kQueueItemHeaderBytes, 'x'), 1).status().code(),
            StatusCode::kInvalidArgument);
  DurableQueueOptions zero;
  zero.segment_bytes = 0;
  EXPECT_EQ(DurableQueue::open(posix_, tmp_.file("other"), zero).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(DurableQueueTest, RefusesForeignFilesAndNewerVersionsUntouched) {
  struct Case {
    const char* name;
    std::string bytes;
  };
  const std::string item = encodeQueueItemFrame(1, 1, "x");
  for (const Case& c :
       {Case{"foreign", "NOTAQUEUE-FILE" + item},
        Case{"newer version", encodeWalSegmentHeader(kWalFormatVersion + 1) + item}}) {
    SCOPED_TRACE(c.name);
    testing::TempDir tmp;
    const std::string qdir = tmp.file("queue");
    ASSERT_TRUE(posix_.createDir(qdir).isOk());
    const std::string path = qdir + "/" + queueSegmentName(1);
    writeFile(path, c.bytes);
    // A torn last segment would be cut, but the refusal comes first.
    const std::string torn = encodeWalSegmentHeader() + item.substr(0, 5);
    writeFile(qdir + "/" + queueSegmentName(2), torn);
    auto queue = DurableQueue::open(posix_, qdir, {});
    ASSERT_FALSE(queue.isOk());
    EXPECT_EQ(queue.status().code(), StatusCode::kFailedPrecondition);
    EXPECT_NE(queue.status().message().find(path), std::string::npos) << queue.status().toString();
    EXPECT_EQ(readFile(path), c.bytes);
    auto names = posix_.listDir(qdir);
    ASSERT_TRUE(names.isOk());
    EXPECT_EQ(*names, (std::vector<std::string>{queueSegmentName(1), queueSegmentName(2)}));
    EXPECT_EQ(readFile(qdir + "/" + queueSegmentName(2)), torn);
  }
}

TEST_F(DurableQueueTest, ItemThatNoLongerReadsBackIsReportedAndSkipped) {
  auto queue = open();
  ASSERT_TRUE(queue);
  for (uint64_t i = 1; i <= 3; ++i) ASSERT_TRUE(queue->append(payloadFor(i), 10 * i).isOk());
  const uint64_t frame = kWalRecordHeaderBytes + kQueueItemHeaderBytes + 64;
  const uint64_t offset2 = kWalSegmentHeaderBytes + frame;
  std::string bytes = readFile(segment(1));
  bytes[offset2 + frame - 3] ^= 0x01;
  writeFile(segment(1), bytes);

  EXPECT_EQ((*queue->next())->id, 1u);
  uint32_t lost_items = 0;
  auto lost = queue->next(&lost_items);
  ASSERT_FALSE(lost.isOk());
  EXPECT_EQ(lost_items, 20u) << "the caller can count what was lost";
  EXPECT_EQ(lost.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(lost.status().message().find(segment(1)), std::string::npos);
  EXPECT_NE(lost.status().message().find("offset " + std::to_string(offset2)), std::string::npos)
      << lost.status().toString();
  EXPECT_EQ(queue->stats().lost, 1u);
  EXPECT_EQ(queue->stats().items, 2u);
  auto third = queue->next();
  ASSERT_TRUE(third.isOk() && third->has_value());
  EXPECT_EQ((*third)->id, 3u);
  EXPECT_EQ(queue->ack(2).code(), StatusCode::kNotFound);
}

// A FileSystem decorator for two failures FaultInjectingFileSystem does not model: a write
// that fails halfway (ENOSPC in the middle of write(2) leaves a partial frame), and a process
// that is gone (after die(), nothing it does reaches the disk, so a test can crash() the disk
// without the dying queue repairing it afterwards).
class TestFileSystem : public FileSystem {
 public:
  explicit TestFileSystem(FileSystem& base) : base_(base) {}
  void failNextWriteHalfway() { half_ = true; }
  void die() { dead_ = true; }
  void failNextOpenRead() { fail_open_read_ = true; }

  Result<std::unique_ptr<WritableFile>> openAppend(const std::string& path) override {
    PERISCOPE_RETURN_IF_ERROR(alive(path));
    auto file = base_.openAppend(path);
    if (!file.isOk()) return file.status();
    return std::unique_ptr<WritableFile>(
        std::make_unique<File>(*this, path, std::move(file).value()));
  }
  Result<std::unique_ptr<ReadableFile>> openRead(const std::string& path) override {
    if (fail_open_read_.exchange(false)) return ioError("open", path, EMFILE);
    return base_.openRead(path);
  }
  Result<bool> exists(const std::string& path) override { return base_.exists(path); }
  Result<std::vector<std::string>> listDir(const std::string& dir) override {
    return base_.listDir(dir);
  }
  Status rename(const std::string& from, const std::string& to) override {
    PERISCOPE_RETURN_IF_ERROR(alive(from));
    return base_.rename(from, to);
  }
  Status remove(const std::string& path) override {
    PERISCOPE_RETURN_IF_ERROR(alive(path));
    return base_.remove(path);
  }
  Status truncate(const std::string& path, uint64_t size) override {
    PERISCOPE_RETURN_IF_ERROR(alive(path));
    return base_.truncate(path, size);
  }
  Status createDir(const std::string& dir) override { return base_.createDir(dir); }
  Status syncDir(const std::string& dir) override {
    PERISCOPE_RETURN_IF_ERROR(alive(dir));
    return base_.syncDir(dir);
  }

 private:
  Status alive(const std::string& path) const {
    return dead_ ? unavailable(path + ": Input/output error (process is gone)") : Status::ok();
  }
  class File : public WritableFile {
   public:
    File(TestFileSystem& fs, std::string path, std::unique_ptr<WritableFile> base)
        : fs_(fs), path_(std::move(path)), base_(std::move(base)) {}
    Status append(std::string_view data) override {
      PERISCOPE_RETURN_IF_ERROR(fs_.alive(path_));
      if (!fs_.half_.exchange(false)) return base_->append(data);
      PERISCOPE_RETURN_IF_ERROR(base_->append(data.substr(0, data.size() / 2)));
      return unavailable("write " + path_ + ": No space left on device");
    }
    Status sync() override {
      PERISCOPE_RETURN_IF_ERROR(fs_.alive(path_));
      return base_->sync();
    }
    Status close() override { return base_->close(); }
    uint64_t size() const override { return base_->size(); }

   private:
    TestFileSystem& fs_;
    std::string path_;
    std::unique_ptr<WritableFile> base_;
  };
  FileSystem& base_;
  std::atomic<bool> half_{false};
  std::atomic<bool> dead_{false};
  std::atomic<bool> fail_open_read_{false};
};

TEST_F(DurableQueueTest, FailedWriteIsCutAwayAndTheNextAppendUsesAFreshSegment) {
  TestFileSystem fs(posix_);
  {
    auto queue = openOn(fs);
    ASSERT_TRUE(queue);
    for (uint64_t i = 1; i <= 3; ++i) ASSERT_TRUE(queue->append(payloadFor(i), 1).isOk());
    const uint64_t good = readFile(segment(1)).size();
    fs.failNextWriteHalfway();
    auto failed = queue->append(payloadFor(4), 1);
    ASSERT_FALSE(failed.isOk());
    EXPECT_EQ(failed.status().code(), StatusCode::kUnavailable);
    EXPECT_NE(failed.status().message().find("write to " + segment(1)), std::string::npos)
        << failed.status().toString();
    EXPECT_GT(readFile(segment(1)).size(), good) << "half a frame reached the file";
    EXPECT_EQ(queue->stats().items, 3u);

    auto ok = queue->append(payloadFor(5), 1);
    ASSERT_TRUE(ok.isOk()) << ok.status().toString();
    EXPECT_EQ(readFile(segment(1)).size(), good) << "the half frame is cut away";
    EXPECT_EQ(files(), segmentNames({1, 2}));
  }
  auto queue = open();
  ASSERT_TRUE(queue);
  EXPECT_TRUE(queue->recoveryStats().corruptions.empty());
  EXPECT_FALSE(queue->recoveryStats().corrupt_tail);
  std::vector<QueueItem> items = drainQueue(*queue);
  EXPECT_EQ(idsOf(items), (std::vector<uint64_t>{1, 2, 3, 5}));
  for (const auto& item : items) EXPECT_EQ(item.payload, payloadFor(item.id));
}

TEST_F(DurableQueueTest, EnospcFailsOneAppendThenAppendsWorkAgain) {
  FaultInjectingFileSystem fs(posix_);
  {
    auto queue = openOn(fs);
    ASSERT_TRUE(queue);
    for (uint64_t i = 1; i <= 5; ++i) ASSERT_TRUE(queue->append(payloadFor(i), 1).isOk());
    fs.failWrite(1, ENOSPC);
    auto failed = queue->append(payloadFor(6), 1);
    ASSERT_FALSE(failed.isOk());
    EXPECT_EQ(failed.status().code(), StatusCode::kUnavailable);
    const std::string message(failed.status().message());
    EXPECT_NE(message.find("persistent queue " + dir()), std::string::npos) << message;
    EXPECT_NE(message.find(segment(1)), std::string::npos) << message;
    EXPECT_NE(message.find("No space left on device"), std::string::npos) << message;
    fs.clearFaults();
    auto ok = queue->append(payloadFor(7), 1);
    ASSERT_TRUE(ok.isOk()) << ok.status().toString();
    EXPECT_EQ(*ok, 7u);
    EXPECT_EQ(queue->stats().items, 6u);
  }
  auto queue = openOn(fs);
  ASSERT_TRUE(queue);
  EXPECT_TRUE(queue->recoveryStats().corruptions.empty());
  std::vector<QueueItem> items = drainQueue(*queue);
  EXPECT_EQ(idsOf(items), (std::vector<uint64_t>{1, 2, 3, 4, 5, 7}));
  for (const auto& item : items) EXPECT_EQ(item.payload, payloadFor(item.id));
}

TEST_F(DurableQueueTest, OpensOnAFullDiskAndDeliveringTheBacklogFreesIt) {
  // The backlog is what fills a queue's disk during an outage; delivering it is the only thing
  // that frees space. So a full disk must neither stop the queue from opening nor keep
  // delivered items on disk because their acks cannot be written.
  DurableQueueOptions small;
  small.segment_bytes = 512;
  {
    auto queue = open(small);
    ASSERT_TRUE(queue);
    for (uint64_t i = 1; i <= 12; ++i) ASSERT_TRUE(queue->append(payloadFor(i, 100), 1).isOk());
  }
  ASSERT_GE(files().size(), 3u) << "the backlog spans several segments";
  FaultInjectingFileSystem fs(posix_);
  fs.failWrite(1, ENOSPC, /*sticky=*/true);
  {
    auto queue = openOn(fs, small);
    ASSERT_TRUE(queue) << "opens although no new segment can be created";
    EXPECT_EQ(queue->recoveryStats().items, 12u);
    auto refused = queue->append(payloadFor(13), 1);
    ASSERT_FALSE(refused.isOk());
    EXPECT_EQ(refused.status().code(), StatusCode::kUnavailable);
    std::vector<QueueItem> items = drainQueue(*queue);
    ASSERT_EQ(items.size(), 12u);
    for (const auto& item : items) EXPECT_TRUE(queue->ack(item.id).isOk());
    EXPECT_EQ(queue->stats().items, 0u);
    EXPECT_EQ(files(), std::vector<std::string>{}) << "every delivered segment was deleted";
    fs.clearFaults();  // space is back
    ASSERT_TRUE(queue->append(payloadFor(14), 1).isOk());
  }
  auto queue = open(small);
  ASSERT_TRUE(queue);
  EXPECT_EQ(idsOf(drainQueue(*queue)), std::vector<uint64_t>{14})
      << "the deleted segments were the durable acks: nothing delivered comes back";
}

TEST_F(DurableQueueTest, ATransientReadErrorKeepsTheItem) {
  // EMFILE or EIO is the process's or the disk's trouble, not the record's: the item must stay
  // (and be handed out again), not be dropped as lost.
  TestFileSystem fs(posix_);
  auto queue = openOn(fs);
  ASSERT_TRUE(queue);
  ASSERT_TRUE(queue->append(payloadFor(1), 1).isOk());
  ASSERT_TRUE(queue->append(payloadFor(2), 1).isOk());
  fs.failNextOpenRead();
  auto failed = queue->next();
  ASSERT_FALSE(failed.isOk());
  EXPECT_EQ(failed.status().code(), StatusCode::kUnavailable) << failed.status().toString();
  EXPECT_EQ(queue->stats().lost, 0u);
  EXPECT_EQ(queue->stats().items, 2u);
  std::vector<QueueItem> items = drainQueue(*queue);
  EXPECT_EQ(idsOf(items), (std::vector<uint64_t>{1, 2}));
}

TEST_F(DurableQueueTest, StickyEnospcKeepsFailingUntilSpaceReturns) {
  FaultInjectingFileSystem fs(posix_);
  {
    auto queue = openOn(fs);
    ASSERT_TRUE(queue);
    for (uint64_t i = 1; i <= 3; ++i) ASSERT_TRUE(queue->append(payloadFor(i), 1).isOk());
    fs.failWrite(1, ENOSPC, /*sticky=*/true);
    for (int i = 0; i < 5; ++i) {
      auto failed = queue->append("refused", 1);
      ASSERT_FALSE(failed.isOk());
      EXPECT_EQ(failed.status().code(), StatusCode::kUnavailable);
      EXPECT_NE(failed.status().message().find("No space left on device"), std::string::npos)
          << failed.status().toString();
    }
    // Reading still works; an ack that cannot be written is applied in memory (the item is
    // not handed out again by this process) and may come back after a restart.
    EXPECT_EQ((*queue->next())->id, 1u);
    EXPECT_TRUE(queue->ack(1).isOk());
    EXPECT_EQ(queue->stats().items, 2u);
    EXPECT_EQ(files(), segmentNames({1})) << "no half-made segments left behind";

    fs.clearFaults();
    auto ok = queue->append("space is back", 1);
    ASSERT_TRUE(ok.isOk()) << ok.status().toString();
  }
  auto queue = openOn(fs);
  ASSERT_TRUE(queue);
  EXPECT_TRUE(queue->recoveryStats().corruptions.empty());
  std::vector<QueueItem> items = drainQueue(*queue);
  ASSERT_EQ(items.size(), 4u);
  EXPECT_EQ(items[0].id, 1u) << "its ack was never written: delivered again (at-least-once)";
  EXPECT_EQ(items[1].id, 2u);
  EXPECT_EQ(items[2].id, 3u);
  EXPECT_EQ(items[3].payload, "space is back");
}

TEST_F(DurableQueueTest, GroupCommitSharesFsyncsAmongConcurrentAppenders) {
  FaultInjectingFileSystem fs(posix_);
  DurableQueueOptions options;
  options.fsync = true;
  constexpr int kThreads = 4;
  constexpr int kPerThread = 500;
  std::set<std::string> written;
  {
    auto queue = openOn(fs, options);
    ASSERT_TRUE(queue);
    const uint64_t syncs_before = fs.syncs();
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kPerThread; ++i) {
          if (!queue->append(std::to_string(t) + ":" + std::to_string(i), 1).isOk()) ++failures;
        }
      });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(failures.load(), 0);
    const uint64_t syncs = fs.syncs() - syncs_before;
    EXPECT_LT(syncs, uint64_t{kThreads * kPerThread}) << "every append paid its own fsync";
    EXPECT_GT(syncs, 0u);
    EXPECT_EQ(queue->stats().waiting, uint64_t{kThreads * kPerThread});
  }
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kPerThread; ++i)
      written.insert(std::to_string(t) + ":" + std::to_string(i));
  }
  auto queue = openOn(fs, options);
  ASSERT_TRUE(queue);
  std::set<std::string> recovered;
  for (const auto& item : drainQueue(*queue)) recovered.insert(item.payload);
  EXPECT_EQ(recovered, written);
}

TEST_F(DurableQueueTest, PowerLossWithFsyncLosesNothingThatAppendAcknowledged) {
  for (bool tear : {false, true}) {
    SCOPED_TRACE(tear ? "torn last write" : "unsynced bytes dropped");
    testing::TempDir tmp;
    const std::string qdir = tmp.file("queue");
    FaultInjectingFileSystem fs(posix_);
    TestFileSystem process(fs);  // the queue's process; the disk is `fs`
    DurableQueueOptions options;
    options.fsync = true;
    options.segment_bytes = 16 << 10;  // some rotations happen during the run
    std::mutex mu;
    std::condition_variable cv;
    std::set<std::string> acked;
    std::set<std::string> attempted;
    std::atomic<bool> stop{false};
    {
      auto opened = DurableQueue::open(process, qdir, options);
      ASSERT_TRUE(opened.isOk()) << opened.status().toString();
      auto queue = std::move(opened).value();
      std::vector<std::thread> threads;
      for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
          for (int i = 0; !stop; ++i) {
            std::string payload =
                std::to_string(t) + ":" + std::to_string(i) + std::string(200, 'p');
            {
              std::lock_guard lock(mu);
              attempted.insert(payload);
            }
            if (!queue->append(payload, 1).isOk()) continue;
            std::lock_guard lock(mu);
            acked.insert(payload);
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
      process.die();
      ASSERT_TRUE(fs.crash(crash).isOk());
      stop = true;
      for (auto& th : threads) th.join();
    }
    // A new process on the same disk.
    auto opened = DurableQueue::open(fs, qdir, options);
    ASSERT_TRUE(opened.isOk()) << opened.status().toString();
    auto queue = std::move(opened).value();
    EXPECT_TRUE(queue->recoveryStats().corruptions.empty());
    if (!tear) {
      EXPECT_FALSE(queue->recoveryStats().corrupt_tail) << "crash() cuts at synced sizes";
    }
    std::vector<QueueItem> items = drainQueue(*queue);
    std::set<std::string> recovered;
    for (const auto& item : items) recovered.insert(item.payload);
    EXPECT_EQ(recovered.size(), items.size()) << "an item came back twice";
    for (const auto& p : acked) EXPECT_TRUE(recovered.contains(p)) << "lost " << p.substr(0, 8);
    for (const auto& p : recovered) EXPECT_TRUE(attempted.contains(p));
  }
}

}  // namespace
}  // namespace periscope::storage
