// libFuzzer target: arbitrary bytes as a persistent-queue segment file. Recovery must accept
// or refuse it without a crash, and what it accepts must drain consistently: every recovered
// item is delivered once or counted lost, acks succeed, and after a restart exactly the
// unacknowledged items come back, plus one appended after recovery.
// Inputs of odd size are followed by an intact second segment (acks, a duplicate id), so the
// policy for damage in an earlier segment is reached too.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "storage/io/posix_file_system.h"
#include "storage/queue/durable_queue.h"
#include "storage/queue/durable_queue_format.h"
#include "storage/wal/wal_format.h"

namespace {

namespace storage = periscope::storage;

// One directory per process, emptied before every input and removed at exit. On tmpfs when
// there is one: recovery fsyncs after cutting a torn tail, and most mutants have one.
std::filesystem::path scratchRoot() {
  std::error_code ec;
  if (std::filesystem::is_directory("/dev/shm", ec)) return "/dev/shm";
  return std::filesystem::temp_directory_path();
}

struct Scratch {
  std::filesystem::path dir = scratchRoot() / ("queue_segment_fuzz." + std::to_string(::getpid()));
  ~Scratch() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
};

void check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "queue_segment_fuzz: %s\n", what);
  std::abort();
}

void writeFile(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Scratch scratch;
  static storage::PosixFileSystem fs;
  std::error_code ec;
  std::filesystem::remove_all(scratch.dir, ec);
  std::filesystem::create_directories(scratch.dir);
  const std::string dir = scratch.dir.string();
  writeFile(scratch.dir / storage::queueSegmentName(1),
            std::string(reinterpret_cast<const char*>(data), size));
  if (size % 2 == 1) {
    writeFile(scratch.dir / storage::queueSegmentName(2),
              storage::encodeWalSegmentHeader() + storage::encodeQueueAckFrame(1) +
                  storage::encodeQueueItemFrame(2, 1, "copy of 2") +
                  storage::encodeQueueAckFrame(3));
  }
  storage::DurableQueueOptions options;
  options.segment_bytes = 4096;  // small, so compaction and rotation are reachable

  auto opened = storage::DurableQueue::open(fs, dir, options);
  if (!opened.isOk()) {
    check(opened.status().code() == periscope::StatusCode::kFailedPrecondition,
          "open failed other than by refusing a foreign or newer file");
    return 0;
  }
  auto queue = std::move(opened).value();
  const uint64_t recovered = queue->recoveryStats().items;
  std::map<uint64_t, std::string> delivered;
  while (true) {
    auto item = queue->next();
    if (!item.isOk()) {
      check(item.status().code() == periscope::StatusCode::kDataLoss, "next() failed oddly");
      continue;
    }
    if (!item->has_value()) break;
    check(delivered.emplace((*item)->id, (*item)->payload).second, "an item was delivered twice");
  }
  check(delivered.size() + queue->stats().lost == recovered, "delivered + lost != recovered");
  // Ack every other item; the rest stay in flight and must come back after a restart.
  std::map<uint64_t, std::string> unacked;
  bool ack = true;
  for (const auto& [id, payload] : delivered) {
    if (ack) {
      check(queue->ack(id).isOk(), "ack of a delivered item failed");
    } else {
      unacked.emplace(id, payload);
    }
    ack = !ack;
  }
  const auto stats = queue->stats();
  check(stats.items == unacked.size() && stats.waiting == 0, "wrong count after acks");

  auto id = queue->append("after", 1);
  check(id.isOk(), "append after recovery failed");
  check(!delivered.contains(*id), "a new item reused a recovered id");
  unacked.emplace(*id, "after");
  queue.reset();
  auto again = storage::DurableQueue::open(fs, dir, options);
  check(again.isOk(), "reopen after recovery failed");
  std::map<uint64_t, std::string> back;
  while (true) {
    auto item = (*again)->next();
    check(item.isOk(), "next() failed after reopen");
    if (!item->has_value()) break;
    check(back.emplace((*item)->id, (*item)->payload).second, "delivered twice after reopen");
  }
  check(back == unacked, "after reopen: not exactly the unacknowledged items");
  return 0;
}
