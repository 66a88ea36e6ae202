#include "storage/queue/durable_queue_format.h"

#include "storage/codec/byte_io.h"
#include "storage/wal/wal_format.h"

namespace periscope::storage {
namespace {

Status malformed(std::string why) {
  return {StatusCode::kDataLoss, std::move(why)};
}

}  // namespace

std::string queueSegmentName(uint64_t seq) {
  return segmentFileName("q-", seq);
}

std::optional<uint64_t> parseQueueSegmentName(std::string_view name) {
  return parseSegmentFileName("q-", name);
}

std::string encodeQueueItemFrame(uint64_t id, uint32_t items, std::string_view payload) {
  std::string record;
  record.reserve(kQueueItemHeaderBytes + payload.size());
  ByteWriter w(record);
  w.u8(kQueueItemRecord);
  w.u64(id);
  w.u32(items);
  w.raw(payload);
  std::string frame;
  frame.reserve(kWalRecordHeaderBytes + record.size());
  appendWalRecord(frame, record);
  return frame;
}

std::string encodeQueueAckFrame(uint64_t id) {
  std::string record;
  ByteWriter w(record);
  w.u8(kQueueAckRecord);
  w.u64(id);
  std::string frame;
  appendWalRecord(frame, record);
  return frame;
}

Result<QueueRecord> decodeQueueRecord(std::string_view record) {
  ByteReader r(record);
  QueueRecord out;
  out.type = r.u8();
  switch (out.type) {
    case kQueueItemRecord:
      out.id = r.u64();
      out.items = r.u32();
      // An item is never empty (append() refuses that).
      if (r.fail() || r.done()) {
        return malformed("item record of " + std::to_string(record.size()) + " bytes");
      }
      out.payload = record.substr(kQueueItemHeaderBytes);
      break;
    case kQueueAckRecord:
      out.id = r.u64();
      if (r.fail() || !r.done()) {
        return malformed("ack record of " + std::to_string(record.size()) + " bytes");
      }
      break;
    default:
      return malformed("unknown record type " + std::to_string(out.type));
  }
  if (out.id == 0 || out.id > kQueueMaxId) {
    return malformed("record id " + std::to_string(out.id) + " out of range");
  }
  return out;
}

}  // namespace periscope::storage
