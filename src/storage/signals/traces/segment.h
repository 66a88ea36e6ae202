// Segment files: immutable, columnar, zstd-compressed span tables, one per flush of the head
// per hour partition (or per compaction). Layout:
//   "PSCSEG01" | u32 format version | row groups | footer | trailer
//   row group = its column blocks (each a zstd frame), with its own dictionary
//   trailer = u64 footer offset | u32 footer length | u32 crc32c(footer) | "PSCSEGND"
// Rows are sorted by (time slice of the trace's first span, trace id, start time), slices of
// kSegmentSliceNs: a trace is one contiguous run (never split across row groups), its parent
// links become small in-trace offsets and its start times small deltas; a row group holds
// whole traces of one or a few consecutive slices. So get-trace reads and decodes the one row
// group whose Bloom filter admits the id (~8k spans), and a newest-first search decodes row
// groups newest slice first and stops once it has enough traces.
// Flush segments are written from head chunks (encodeRowGroups): each row group is in this
// order, but row groups follow arrival, so a trace may span several; compaction rewrites them
// with encodeSegment into the full layout.
// The footer holds what the store keeps in memory for every segment (SegmentMeta: time and
// duration ranges, services and operations, a trace-id Bloom filter, the WAL position it
// covers, the segments it replaces) and the row-group directory (trace-id range, time and
// duration ranges, block offsets with a crc32c per block).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "storage/index/id_bloom_filter.h"
#include "storage/signals/traces/span_table.h"
#include "storage/signals/traces/trace_reader.h"

namespace periscope::storage {

inline constexpr uint32_t kSegmentFormatVersion = 1;
inline constexpr size_t kSegmentTrailerBytes = 24;
inline constexpr uint64_t kSegmentSliceNs = 60'000'000'000ull;

// The shared id filter (storage/index/id_bloom_filter.h) over TraceIds.
class BloomFilter : public IdBloomFilter {
 public:
  void add(const TraceId& id) { IdBloomFilter::add(traceIdBytes(id)); }
  bool mayContain(const TraceId& id) const { return IdBloomFilter::mayContain(traceIdBytes(id)); }
};

struct ServiceOperation {
  std::string service;
  OperationInfo op;
};

struct SegmentBlock {
  uint64_t offset = 0;  // from the start of its row group
  uint64_t size = 0, raw_size = 0;
  uint32_t crc = 0;
};

struct RowGroupMeta {
  uint64_t offset = 0, length = 0;  // in the file
  uint32_t rows = 0, traces = 0;
  TraceId first_trace{}, last_trace{};  // smallest and largest trace id in the row group
  BloomFilter bloom;                    // its trace ids
  uint64_t min_start_ns = 0, max_start_ns = 0;
  uint64_t min_duration_ns = 0, max_duration_ns = 0;
  std::vector<SegmentBlock> blocks;
};

struct SegmentMeta {
  uint64_t id = 0;
  uint64_t min_start_ns = 0, max_start_ns = 0;
  uint64_t min_duration_ns = 0, max_duration_ns = 0;
  uint64_t spans = 0, traces = 0;
  uint64_t wal_lsn = 0;            // WAL records up to here are in this segment
  std::vector<uint64_t> replaces;  // compaction inputs, deleted once this exists
  std::vector<ServiceOperation> operations;
  BloomFilter bloom;
  uint64_t file_bytes = 0;
  uint64_t partition_start_ns = 0;  // hour bucket of min_start_ns
  std::vector<RowGroupMeta> row_groups;
};

// A row group's columns decoded into memory, with its trace and attribute indexes.
struct LoadedRowGroup {
  SpanTable table;                                        // sorted by (trace id, start)
  std::vector<TraceId> trace_ids;                         // sorted, unique
  std::vector<std::pair<uint32_t, uint32_t>> trace_rows;  // rows of trace_ids[k]: [first, second)
  // (key id << 32 | value-text id) → rows, for keys whose distinct values stay under the cap.
  std::unordered_map<uint64_t, std::vector<uint32_t>> attr_index;
  std::vector<uint32_t> indexed_keys;  // sorted key ids present in attr_index
  bool keyIndexed(uint32_t key) const;
  // Row range of a trace, or {0,0}.
  std::pair<uint32_t, uint32_t> traceRows(const TraceId& id) const;
  size_t memoryBytes() const;
};

struct SegmentEncodeOptions {
  int zstd_level = 3;
  size_t row_group_rows = 8192;  // a row group closes at the first trace boundary past this
  size_t attribute_cardinality_cap = 10'000;  // distinct values per key indexed per segment
};

// The row order of a segment for `rows` of `table` (see the layout above).
std::vector<uint32_t> segmentOrder(const SpanTable& table, std::vector<uint32_t> rows);
// `table` reordered by segmentOrder into a new table (with its own dictionary).
SpanTable sortedByTrace(const SpanTable& table);

// Encodes a table already in segment order (see segmentOrder). Fills meta's derived fields
// (ranges, counts, services, bloom, file_bytes); id, wal_lsn and replaces are taken as given.
std::string encodeSegment(SpanTable& sorted, SegmentMeta& meta,
                          const SegmentEncodeOptions& options);

// The first 12 bytes: magic and a format version this build reads (FAILED_PRECONDITION for a
// newer one, DATA_LOSS for anything else).
Status checkSegmentHeader(std::string_view head);
// Encodes row groups as given: each table is one row group, already in segment order (trace
// runs contiguous), with its own dictionary — how a flush writes head chunks without
// re-interning. A key is indexed in a group while it has at most min(cap, rows / 4) distinct
// values there. Fills meta like encodeSegment.
std::string encodeRowGroups(std::vector<SpanTable>& groups, SegmentMeta& meta,
                            const SegmentEncodeOptions& options);

// From the whole file (or its tail of at least footer + trailer bytes, with file_size).
Result<SegmentMeta> decodeSegmentMeta(std::string_view tail, uint64_t file_size);
// One row group from its bytes (file[offset, offset + length)); DATA_LOSS naming the damage.
Result<std::unique_ptr<LoadedRowGroup>> decodeRowGroup(std::string_view bytes,
                                                       const RowGroupMeta& meta);
// Whole file → every row group (tests, tools).
Result<std::vector<std::unique_ptr<LoadedRowGroup>>> decodeSegment(std::string_view file);

// Hour partition of a timestamp.
inline uint64_t partitionOf(uint64_t ns) {
  constexpr uint64_t kHour = 3'600'000'000'000ull;
  return ns - ns % kHour;
}

}  // namespace periscope::storage
