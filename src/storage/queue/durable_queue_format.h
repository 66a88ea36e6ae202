// Records of DurableQueue segments, carried inside the WAL's frames (storage/wal/wal_format.h):
// item [u8 1][u64 id][u32 items][payload], ack [u8 2][u64 id], little-endian. Segment files are
// `q-<16-digit seq>.log`. Used by DurableQueue, its tests and the fuzz target; pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace periscope::storage {

inline constexpr uint8_t kQueueItemRecord = 1;
inline constexpr uint8_t kQueueAckRecord = 2;
inline constexpr size_t kQueueItemHeaderBytes = 13;  // type, id, items
inline constexpr size_t kQueueAckBytes = 9;
// Ids count up from 1; anything outside this range was never written by a queue.
inline constexpr uint64_t kQueueMaxId = uint64_t{1} << 62;

std::string queueSegmentName(uint64_t seq);
// The sequence number of a segment file name, or nullopt for any other name.
std::optional<uint64_t> parseQueueSegmentName(std::string_view name);

// Whole frames ([u32 length][u32 crc32c][record]), ready to append to a segment.
std::string encodeQueueItemFrame(uint64_t id, uint32_t items, std::string_view payload);
std::string encodeQueueAckFrame(uint64_t id);

struct QueueRecord {
  uint8_t type = 0;
  uint64_t id = 0;
  uint32_t items = 0;        // items only
  std::string_view payload;  // items only; points into the decoded record
};
// Decodes the record of an intact frame. DATA_LOSS for an unknown type, a wrong size or an id
// out of range: the frame's checksum held, so the writer (not the disk) produced it.
Result<QueueRecord> decodeQueueRecord(std::string_view record);

}  // namespace periscope::storage
