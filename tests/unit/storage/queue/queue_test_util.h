// Helpers shared by the DurableQueue tests: a queue directory in a temp dir, open, drain, and
// raw access to the segment files.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "storage/io/posix_file_system.h"
#include "storage/queue/durable_queue.h"
#include "storage/queue/durable_queue_format.h"
#include "support/temp_dir.h"

namespace periscope::storage {

// next() until the queue is empty; every call must succeed.
inline std::vector<QueueItem> drainQueue(DurableQueue& queue) {
  std::vector<QueueItem> out;
  while (true) {
    auto item = queue.next();
    EXPECT_TRUE(item.isOk()) << item.status().toString();
    if (!item.isOk() || !item->has_value()) return out;
    out.push_back(std::move(**item));
  }
}

inline std::vector<uint64_t> idsOf(const std::vector<QueueItem>& items) {
  std::vector<uint64_t> ids;
  for (const auto& item : items) ids.push_back(item.id);
  return ids;
}

// A recognisable payload of `size` bytes for item number i.
inline std::string payloadFor(uint64_t i, size_t size = 64) {
  std::string p = "item-" + std::to_string(i) + "-";
  while (p.size() < size) p.push_back(static_cast<char>('a' + (p.size() + i) % 26));
  p.resize(size);
  return p;
}

class QueueTestBase : public ::testing::Test {
 protected:
  std::string dir() const { return tmp_.file("queue"); }
  std::string segment(uint64_t seq) const { return dir() + "/" + queueSegmentName(seq); }

  std::unique_ptr<DurableQueue> openOn(FileSystem& fs, DurableQueueOptions options = {}) {
    auto queue = DurableQueue::open(fs, dir(), options);
    EXPECT_TRUE(queue.isOk()) << queue.status().toString();
    return queue.isOk() ? std::move(queue).value() : nullptr;
  }
  std::unique_ptr<DurableQueue> open(DurableQueueOptions options = {}) {
    return openOn(posix_, options);
  }

  // Names of the files in the queue directory, sorted.
  std::vector<std::string> files() {
    auto names = posix_.listDir(dir());
    EXPECT_TRUE(names.isOk()) << names.status().toString();
    return names.isOk() ? *names : std::vector<std::string>{};
  }
  std::vector<std::string> segmentNames(std::initializer_list<uint64_t> seqs) const {
    std::vector<std::string> names;
    for (uint64_t seq : seqs) names.push_back(queueSegmentName(seq));
    return names;
  }
  std::string readFile(const std::string& path) {
    auto r = posix_.readAll(path);
    EXPECT_TRUE(r.isOk()) << r.status().toString();
    return r.isOk() ? *r : "";
  }
  static void writeFile(const std::string& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
  }

  testing::TempDir tmp_;
  PosixFileSystem posix_;
};

}  // namespace periscope::storage
