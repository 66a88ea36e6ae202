// Log segment files: immutable, columnar, zstd-compressed log records of one hour partition,
// written by a head flush (or a retention rewrite). Layout:
//   "PSCLOG01" | u32 format version | row groups | footer (one zstd frame) | trailer
//   trailer = u64 footer offset | u32 footer size | u32 footer raw size | u32 crc32c(footer)
//             | "PSCLOGND"
// A row group holds up to row_group_rows records sorted by time (time_unix_nano, or the
// observed time when that is 0), as one zstd block per column (crc32c each, LogColumn):
// time deltas, observed time, severity, body, line (JSON of non-string bodies), attributes,
// resource+scope reference, the row group's resource/scope dictionary, trace id, span id,
// flags, event name. Every OTLP field round-trips exactly, AnyValue bodies of any type
// included (codec/any_value_codec.h).
// The footer is what the store keeps in memory per segment: time range, WAL position covered,
// the segments it replaces, the distinct resources (attributes, for `resource_matchers` and
// resourceValues), and per row group its time and severity ranges, resources, a trace-id Bloom
// filter, a trigram filter of its lines (model::logLine) for `line_contains`, and its blocks.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/arena.h"
#include "common/status.h"
#include "model/batch.h"
#include "storage/index/id_bloom_filter.h"
#include "storage/index/trigram_filter.h"

namespace periscope::storage::logs {

// 2: record attribute keys are indices into a per-row-group key dictionary (the dictionary
// column's last section) and top-level integer values are zig-zag varints. 1 is still read.
inline constexpr uint32_t kLogSegmentVersion = 2;
inline constexpr size_t kLogSegmentHeaderBytes = 12;
inline constexpr size_t kLogSegmentTrailerBytes = 28;

enum LogColumn : uint8_t {
  kColTime,        // varint delta of the record time from the previous row (the first: from min)
  kColObserved,    // u8 (1 = time_unix_nano is 0), svarint observed - time (wrapping)
  kColSeverity,    // svarint number, bytes text
  kColBody,        // bytes(AnyValue codec of the body), written in place
  kColLine,        // bytes(JSON line), for rows whose body is neither a string nor absent
  kColAttributes,  // bytes(varint dropped count, attributes), written in place (see version)
  kColResource,    // varint index into the dictionary's (resource, scope) pairs
  kColDictionary,  // resources, scopes, pairs, attribute keys (v2) of this row group
  kColTraceId,     // bytes
  kColSpanId,      // bytes
  kColFlags,       // varint
  kColEventName,   // bytes
  kColumnCount
};

struct LogBlockRef {
  uint64_t offset = 0;  // from the start of the file
  uint64_t size = 0, raw_size = 0;
  uint32_t crc = 0;  // crc32c of the compressed bytes
};

struct LogRowGroupMeta {
  uint32_t version = kLogSegmentVersion;  // the segment's format version
  uint64_t offset = 0, length = 0;
  uint32_t rows = 0;
  uint64_t min_time_ns = 0, max_time_ns = 0;
  int32_t min_severity = 0, max_severity = 0;
  std::vector<uint32_t> resources;  // indices into LogSegmentMeta::resources
  IdBloomFilter trace_ids;
  TrigramFilter lines;
  std::array<LogBlockRef, kColumnCount> blocks{};
};

struct LogSegmentMeta {
  uint32_t version = kLogSegmentVersion;
  uint64_t id = 0;
  uint64_t wal_lsn = 0;            // WAL records up to here are in segments
  std::vector<uint64_t> replaces;  // segments this one rewrote, deleted once it exists
  uint64_t partition_start_ns = 0;
  uint64_t records = 0;
  uint64_t min_time_ns = 0, max_time_ns = 0;
  uint64_t file_bytes = 0;
  // Distinct resources (attributes and dropped count) of the segment, in `arena`.
  std::shared_ptr<Arena> arena = std::make_shared<Arena>();
  std::vector<model::Resource> resources;
  std::vector<LogRowGroupMeta> row_groups;
};

// One record to encode, with what it belongs to; the time is the record's sort key.
struct RecordRef {
  const model::ResourceLogs* resource = nullptr;
  const model::ScopeLogs* scope = nullptr;
  const model::LogRecord* record = nullptr;
  uint64_t time_ns = 0;
};

inline uint64_t recordTime(const model::LogRecord& r) {
  return r.time_unix_nano != 0 ? r.time_unix_nano : r.observed_time_unix_nano;
}

struct LogSegmentEncodeOptions {
  int zstd_level = 3;
  size_t row_group_rows = 4096;
};

// Encodes `refs` (sorted by time_ns) as a segment file; fills the rest of `meta` (id, wal_lsn,
// replaces and partition_start_ns are the caller's).
std::string encodeLogSegment(std::span<const RecordRef> refs, LogSegmentMeta& meta,
                             const LogSegmentEncodeOptions& options);

// FAILED_PRECONDITION for a foreign file or a newer version (refuse to touch); DATA_LOSS for a
// short header.
Status checkLogSegmentHeader(std::string_view first_bytes);
// The format version of a header checkLogSegmentHeader accepts (its errors otherwise).
Result<uint32_t> logSegmentVersion(std::string_view first_bytes);
// From the file's last bytes (at least the trailer and footer; the whole file is fine), of a
// file whose header says `version`.
Result<LogSegmentMeta> decodeLogSegmentMeta(std::string_view tail, uint64_t file_size,
                                            uint32_t version);

// What a row-group read keeps; every criterion narrows (an empty one keeps all).
struct RowFilter {
  uint64_t start_ns = 0, end_ns = 0;  // 0 = unbounded
  int32_t min_severity = 0, max_severity = 0;
  std::string_view trace_id;
  std::span<const std::string> line_contains;
  // Decides per resource of the row group; empty = all resources pass.
  std::function<bool(const model::Resource&)> resource_passes;
};

// Reads one block's stored bytes (the caller's file access); the decoder checks and inflates.
using BlockReader = std::function<Result<std::string>(const LogBlockRef&)>;

// Decodes the rows of `rg` that pass `filter` into `out` (grouped by resource and scope,
// strings in out's arenas); columns the filter rejects every row by are read first and the
// others only if rows remain. Returns the number of records added; DATA_LOSS on a damaged block.
Result<size_t> decodeLogRowGroup(const LogRowGroupMeta& rg, const BlockReader& read,
                                 const RowFilter& filter, model::Logs& out);

// Builds `out` from refs, in order: consecutive refs of one (resource, scope) share a
// ResourceLogs/ScopeLogs. Headers go to out's arena; record and resource bytes are not copied
// (the caller keeps them alive as long as out).
void buildLogs(std::span<const RecordRef> refs, model::Logs& out);

}  // namespace periscope::storage::logs
