// libFuzzer target: arbitrary *column contents* inside a well-formed row group. segment_fuzz
// mostly stops at the per-block crc32c and the zstd frames; here the harness builds valid
// frames and checksums around fuzzed payloads, so the column parsers themselves (varints,
// counts, dictionary ids, parent offsets, attribute pools, the inverted index) see hostile
// data. Input: u16 rows, u16 traces, then per column a u16 length and that many bytes.
#include <zstd.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "row_group_reads.h"
#include "storage/signals/traces/segment.h"
#include "storage/signals/traces/segment_format.h"
#include "storage/wal/crc32c.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace storage = periscope::storage;
  size_t pos = 0;
  auto u16 = [&]() -> uint32_t {
    if (pos + 2 > size) return 0;
    uint32_t v = data[pos] | (static_cast<uint32_t>(data[pos + 1]) << 8);
    pos += 2;
    return v;
  };
  storage::RowGroupMeta rg;
  rg.rows = u16() % 1024;
  rg.traces = u16() % 1024;
  std::string bytes;
  for (int c = 0; c < storage::segment_format::kColumnCount; ++c) {
    // Two statements: u16() moves pos, and the order in which function arguments are
    // evaluated is unspecified (gcc read 2 bytes past the input here; ASan found it).
    size_t want = u16();
    size_t n = std::min<size_t>(want, size - pos);
    std::string raw(reinterpret_cast<const char*>(data + pos), n);
    pos += n;
    std::string z(ZSTD_compressBound(raw.size()), '\0');
    size_t zn = ZSTD_compress(z.data(), z.size(), raw.data(), raw.size(), 1);
    if (ZSTD_isError(zn)) return 0;
    z.resize(zn);
    storage::SegmentBlock b;
    b.offset = bytes.size();
    b.size = z.size();
    b.raw_size = raw.size();
    b.crc = storage::crc32c(z);
    rg.blocks.push_back(b);
    bytes += z;
  }
  rg.length = bytes.size();
  auto group = storage::decodeRowGroup(bytes, rg);
  if (group.isOk()) periscope::fuzz::readWholeRowGroup(**group);
  return 0;
}
