// DurableQueue recovery from damaged segment files, as a table: each case writes the same 20
// items into three segments, damages one file, reopens, and checks exactly which items come
// back and what recovery reported; then appends 5 more and reopens once more (the queue must
// carry on after any damage it accepted).
#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <functional>
#include <map>

#include "storage/queue/durable_queue.h"
#include "storage/wal/wal_format.h"
#include "unit/storage/queue/queue_test_util.h"

namespace periscope::storage {
namespace {

// Layout of what every case starts from. Items are 1,500-byte payloads, so a frame is
// 8 (frame header) + 13 (item header) + 1,500 = 1,521 bytes, and a segment that reaches
// 7 frames (12 + 7 * 1,521 = 10,659 >= segment_bytes) is full:
//   q-1: items 1..7    10,659 bytes
//   q-2: items 8..14   10,659 bytes
//   q-3: items 15..20   9,138 bytes  (item k at 12 + (k - 15) * 1,521: 15@12, 16@1533,
//                                     17@3054, 18@4575, 19@6096, 20@7617)
constexpr size_t kPayload = 1500;
constexpr uint64_t kFrame = kWalRecordHeaderBytes + kQueueItemHeaderBytes + kPayload;
constexpr uint64_t kItems = 20;
constexpr uint64_t kPerSegment = 7;
constexpr uint64_t kFullSegment = kWalSegmentHeaderBytes + kPerSegment * kFrame;
constexpr uint64_t kLastSegment = kWalSegmentHeaderBytes + 6 * kFrame;
static_assert(kFrame == 1521 && kFullSegment == 10659 && kLastSegment == 9138);

// Offset of item `id`'s frame in its segment.
constexpr uint64_t frameOffset(uint64_t id) {
  return kWalSegmentHeaderBytes + (id - 1) % kPerSegment * kFrame;
}

std::vector<uint64_t> range(uint64_t first, uint64_t last) {
  std::vector<uint64_t> ids;
  for (uint64_t id = first; id <= last; ++id) ids.push_back(id);
  return ids;
}

std::vector<uint64_t> concat(std::vector<uint64_t> a, const std::vector<uint64_t>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

DurableQueueOptions layoutOptions() {
  DurableQueueOptions options;
  options.segment_bytes = kPerSegment * kFrame;
  return options;
}

struct Corruption {
  uint64_t segment;
  uint64_t offset;
  std::string reason;
};

struct Case {
  std::string name;
  std::function<void(const std::string& dir)> damage;
  std::vector<uint64_t> delivered;  // ids, in order
  uint64_t segments_scanned = 3;
  uint64_t truncated_bytes = 0;
  bool corrupt_tail = false;
  uint64_t tail_kept = 0;  // size of q-3 after the cut (0: removed); for corrupt_tail only
  std::vector<Corruption> corruptions;  // the damaged file is then left as it was
};

void PrintTo(const Case& c, std::ostream* os) {
  *os << c.name;
}

std::string seg(const std::string& dir, uint64_t seq) {
  return dir + "/" + queueSegmentName(seq);
}

std::string readAll(const std::string& path) {
  PosixFileSystem fs;
  auto r = fs.readAll(path);
  EXPECT_TRUE(r.isOk()) << r.status().toString();
  return r.isOk() ? *r : "";
}

void rewrite(const std::string& path, const std::function<void(std::string&)>& edit) {
  std::string bytes = readAll(path);
  edit(bytes);
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

void truncateTo(const std::string& path, uint64_t size) {
  std::filesystem::resize_file(path, size);
}

void zero(const std::string& path, uint64_t from, uint64_t to) {
  rewrite(path, [&](std::string& b) {
    ASSERT_LE(to, b.size());
    for (uint64_t i = from; i < to; ++i) b[i] = 0;
  });
}

void flipBit(const std::string& path, uint64_t at) {
  rewrite(path, [&](std::string& b) {
    ASSERT_LT(at, b.size());
    b[at] ^= 0x04;
  });
}

void appendBytes(const std::string& path, const std::string& bytes) {
  rewrite(path, [&](std::string& b) { b += bytes; });
}

std::vector<Case> cases() {
  // A byte in the middle of item k's payload.
  auto mid_payload = [](uint64_t id) {
    return frameOffset(id) + kWalRecordHeaderBytes + kQueueItemHeaderBytes + kPayload / 2;
  };
  return {
      // -- damage reaching the end of the last segment: an interrupted write, cut away --
      {"torn last record",  // 100 bytes of item 20 missing
       [](const std::string& d) { truncateTo(seg(d, 3), kLastSegment - 100); },
       range(1, 19),
       3,
       kFrame - 100,
       true,
       frameOffset(20),
       {}},
      {"torn record header in the last segment",  // 5 of item 20's 8 frame-header bytes
       [](const std::string& d) { truncateTo(seg(d, 3), frameOffset(20) + 5); },
       range(1, 19),
       3,
       5,
       true,
       frameOffset(20),
       {}},
      {"torn segment header of the last segment",  // 7 of 12 bytes: the file goes
       [](const std::string& d) { truncateTo(seg(d, 3), 7); },
       range(1, 14),
       3,
       7,
       true,
       0,
       {}},
      {"last segment truncated to 0 bytes",
       [](const std::string& d) { truncateTo(seg(d, 3), 0); },
       range(1, 14),
       3,
       0,
       true,
       0,
       {}},
      {"zero-filled 4 KiB page appended to the last segment",  // size grew, data never came
       [](const std::string& d) { appendBytes(seg(d, 3), std::string(4096, '\0')); },
       range(1, 20),
       3,
       4096,
       true,
       kLastSegment,
       {}},
      {"last 4 KiB page of the last segment zeroed",  // [8192, 9138): the end of item 20
       [](const std::string& d) { zero(seg(d, 3), 8192, kLastSegment); },
       range(1, 19),
       3,
       kFrame,
       true,
       frameOffset(20),
       {}},
      // -- damage with intact data after it: reported, the rest of that segment is lost --
      {"zero-filled 4 KiB page in the middle of the last segment",  // [4096, 8192): from item 17
       [](const std::string& d) { zero(seg(d, 3), 4096, 8192); },
       range(1, 16),
       3,
       0,
       false,
       0,
       {{3, frameOffset(17), "checksum mismatch"}}},
      {"flipped bit in the middle of the last segment",
       [=](const std::string& d) { flipBit(seg(d, 3), mid_payload(17)); },
       range(1, 16),
       3,
       0,
       false,
       0,
       {{3, frameOffset(17), "checksum mismatch"}}},
      {"flipped bit in the middle of a middle segment",
       [=](const std::string& d) { flipBit(seg(d, 2), mid_payload(10)); },
       concat(range(1, 9), range(15, 20)),
       3,
       0,
       false,
       0,
       {{2, frameOffset(10), "checksum mismatch"}}},
      {"middle segment cut short in a record",
       [](const std::string& d) { truncateTo(seg(d, 2), frameOffset(10) + 100); },
       concat(range(1, 9), range(15, 20)),
       3,
       0,
       false,
       0,
       {{2, frameOffset(10), "record extends past end of file"}}},
      {"middle segment truncated to 0 bytes",
       [](const std::string& d) { truncateTo(seg(d, 2), 0); },
       concat(range(1, 7), range(15, 20)),
       3,
       0,
       false,
       0,
       {{2, 0, "incomplete segment header"}}},
      {"missing middle segment",  // not detectable as damage: sequence numbers may have gaps
       [](const std::string& d) { std::filesystem::remove(seg(d, 2)); },
       concat(range(1, 7), range(15, 20)),
       2,
       0,
       false,
       0,
       {}},
      {"unknown record type in an intact frame",  // written by something that is not a queue
       [](const std::string& d) {
         std::string frame;
         appendWalRecord(frame, std::string("\x07unknown", 8));
         appendBytes(seg(d, 3), frame);
       },
       range(1, 20),
       3,
       0,
       false,
       0,
       {{3, kLastSegment, "unknown record type 7"}}},
      {"ack record of the wrong size in an intact frame",
       [](const std::string& d) {
         std::string frame;
         appendWalRecord(frame, std::string("\x02\x01\x00\x00\x00", 5));
         appendBytes(seg(d, 2), frame);
       },
       range(1, 20),
       3,
       0,
       false,
       0,
       {{2, kFullSegment, "ack record of 5 bytes"}}},
  };
}

class DurableQueueCorruptionTest : public ::testing::TestWithParam<Case> {};

TEST_P(DurableQueueCorruptionTest, DeliversExactlyTheIntactItemsAndCarriesOn) {
  const Case& c = GetParam();
  testing::TempDir tmp;
  const std::string dir = tmp.file("queue");
  PosixFileSystem fs;
  {
    auto queue = DurableQueue::open(fs, dir, layoutOptions());
    ASSERT_TRUE(queue.isOk()) << queue.status().toString();
    for (uint64_t i = 1; i <= kItems; ++i) {
      auto id = (*queue)->append(payloadFor(i, kPayload), static_cast<uint32_t>(i));
      ASSERT_TRUE(id.isOk()) << id.status().toString();
      ASSERT_EQ(*id, i);
    }
  }
  // The derivations above hold only for this exact layout.
  ASSERT_EQ(std::filesystem::file_size(seg(dir, 1)), kFullSegment);
  ASSERT_EQ(std::filesystem::file_size(seg(dir, 2)), kFullSegment);
  ASSERT_EQ(std::filesystem::file_size(seg(dir, 3)), kLastSegment);
  ASSERT_FALSE(std::filesystem::exists(seg(dir, 4)));

  c.damage(dir);
  std::map<uint64_t, std::string> damaged_before;  // files reported as corrupt stay as they are
  for (const auto& want : c.corruptions)
    damaged_before[want.segment] = readAll(seg(dir, want.segment));

  std::vector<uint64_t> appended;
  {
    auto opened = DurableQueue::open(fs, dir, layoutOptions());
    ASSERT_TRUE(opened.isOk()) << opened.status().toString();
    auto& queue = *opened;
    const QueueRecoveryStats& r = queue->recoveryStats();
    EXPECT_EQ(r.segments, c.segments_scanned);
    EXPECT_EQ(r.items, c.delivered.size());
    EXPECT_EQ(r.acked, 0u);
    EXPECT_EQ(r.truncated_bytes, c.truncated_bytes);
    EXPECT_EQ(r.corrupt_tail, c.corrupt_tail);
    ASSERT_EQ(r.corruptions.size(), c.corruptions.size());
    for (size_t i = 0; i < c.corruptions.size(); ++i) {
      EXPECT_EQ(r.corruptions[i].file, seg(dir, c.corruptions[i].segment));
      EXPECT_EQ(r.corruptions[i].offset, c.corruptions[i].offset);
      EXPECT_EQ(r.corruptions[i].reason, c.corruptions[i].reason);
    }
    for (const auto& [segment, bytes] : damaged_before) {
      EXPECT_EQ(readAll(seg(dir, segment)), bytes) << "a corrupt segment is left for inspection";
    }
    if (c.corrupt_tail) {
      // The torn tail is cut; a segment without an intact header is removed.
      if (c.tail_kept == 0) {
        EXPECT_FALSE(std::filesystem::exists(seg(dir, 3)));
      } else {
        EXPECT_EQ(std::filesystem::file_size(seg(dir, 3)), c.tail_kept);
      }
    }

    std::vector<QueueItem> items = drainQueue(*queue);
    EXPECT_EQ(idsOf(items), c.delivered);
    for (const auto& item : items) {
      EXPECT_EQ(item.payload, payloadFor(item.id, kPayload)) << "item " << item.id;
      EXPECT_EQ(item.items, item.id);
    }
    EXPECT_EQ(queue->stats().lost, 0u);

    for (int i = 0; i < 5; ++i) {
      auto id = queue->append(payloadFor(1000 + i, kPayload), 1);
      ASSERT_TRUE(id.isOk()) << id.status().toString();
      appended.push_back(*id);
    }
  }
  EXPECT_TRUE(std::filesystem::exists(seg(dir, 4))) << "appends after recovery go to a new file";

  auto opened = DurableQueue::open(fs, dir, layoutOptions());
  ASSERT_TRUE(opened.isOk()) << opened.status().toString();
  auto& queue = *opened;
  const QueueRecoveryStats& r = queue->recoveryStats();
  EXPECT_EQ(r.truncated_bytes, 0u) << "the tail was cut for good";
  EXPECT_FALSE(r.corrupt_tail);
  EXPECT_EQ(r.corruptions.size(), c.corruptions.size()) << "left files are reported again";
  std::vector<QueueItem> items = drainQueue(*queue);
  ASSERT_EQ(items.size(), c.delivered.size() + 5);
  for (size_t i = 0; i < c.delivered.size(); ++i) {
    EXPECT_EQ(items[i].id, c.delivered[i]);
    EXPECT_EQ(items[i].payload, payloadFor(c.delivered[i], kPayload));
  }
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(items[c.delivered.size() + i].id, appended[i]);
    EXPECT_EQ(items[c.delivered.size() + i].payload, payloadFor(1000 + i, kPayload));
  }
}

INSTANTIATE_TEST_SUITE_P(Damage, DurableQueueCorruptionTest, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           std::string name;
                           for (char ch : info.param.name) {
                             if (std::isalnum(static_cast<unsigned char>(ch))) name += ch;
                           }
                           return name;
                         });

}  // namespace
}  // namespace periscope::storage
