#include "storage/wal/wal_segment_scan.h"

#include <algorithm>

#include "storage/wal/crc32c.h"
#include "storage/wal/wal_format.h"

namespace periscope::storage {
namespace {

Status refuse(const std::string& path, const std::string& why) {
  return {StatusCode::kFailedPrecondition,
          "wal: refusing to open " + path + ": " + why + " (the file is left untouched)"};
}

bool allZero(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == 0; });
}

}  // namespace

Result<SegmentScan> scanSegment(std::string_view contents, const std::string& path,
                                const std::function<Status(std::string_view)>& visit) {
  SegmentScan scan;
  if (contents.size() < kWalSegmentHeaderBytes) {
    // A header cut short by a crash while the segment was being created.
    std::string_view want = kWalMagic.substr(0, std::min(contents.size(), kWalMagic.size()));
    if (contents.substr(0, want.size()) != want) return refuse(path, "not a Periscope WAL segment");
    scan.outcome = SegmentScan::Outcome::kTornTail;
    scan.reason = "incomplete segment header";
    return scan;
  }
  if (contents.substr(0, kWalMagic.size()) != kWalMagic) {
    return refuse(path, "not a Periscope WAL segment (bad magic)");
  }
  uint32_t version = getU32(contents.data() + kWalMagic.size());
  if (version > kWalFormatVersion) {
    return refuse(path, "WAL format version " + std::to_string(version) +
                            " is newer than this Periscope supports (" +
                            std::to_string(kWalFormatVersion) + ")");
  }
  if (version == 0) return refuse(path, "invalid WAL format version 0");

  size_t offset = kWalSegmentHeaderBytes;
  const size_t size = contents.size();
  auto damaged = [&](SegmentScan::Outcome outcome, std::string reason) {
    scan.outcome = outcome;
    scan.reason = std::move(reason);
    scan.valid_bytes = offset;
    return scan;
  };
  while (offset < size) {
    size_t remaining = size - offset;
    if (remaining < kWalRecordHeaderBytes) {
      return damaged(SegmentScan::Outcome::kTornTail, "incomplete record header");
    }
    uint32_t len = getU32(contents.data() + offset);
    uint32_t crc = getU32(contents.data() + offset + 4);
    if (len == 0) {
      // Records are never empty; zeros up to EOF are blocks a crash left unwritten.
      return allZero(contents.substr(offset))
                 ? damaged(SegmentScan::Outcome::kTornTail, "zero-filled tail")
                 : damaged(SegmentScan::Outcome::kCorrupt, "zero record length");
    }
    if (len > remaining - kWalRecordHeaderBytes) {
      return damaged(SegmentScan::Outcome::kTornTail, "record extends past end of file");
    }
    std::string_view payload = contents.substr(offset + kWalRecordHeaderBytes, len);
    if (crc32c(payload) != crc) {
      bool last = offset + kWalRecordHeaderBytes + len == size;
      return damaged(last ? SegmentScan::Outcome::kTornTail : SegmentScan::Outcome::kCorrupt,
                     "checksum mismatch");
    }
    PERISCOPE_RETURN_IF_ERROR(visit(payload));
    ++scan.records;
    offset += kWalRecordHeaderBytes + len;
  }
  scan.valid_bytes = offset;
  return scan;
}

}  // namespace periscope::storage
