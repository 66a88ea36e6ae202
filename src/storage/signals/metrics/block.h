// Block files (`block-<seq>.pmb`): the immutable form of a cut head. Each series' samples are
// one stream (encodeSeriesStream below); streams are packed in series-id order into ~64 KiB pages,
// each zstd-compressed with a crc32c; an index (pages, and per series its labels, page, offset,
// length, sample count and time range) is zstd-compressed after them; a fixed footer locates it.
//
//   "PSCMBLK1" | page* = [u32 crc32c][zstd bytes] | index (zstd) | footer
//   footer = u64 index_offset | u32 index_zstd_len | u32 index_raw_len | u32 crc32c(index) |
//            "PSCMBEND"
//
// BlockBuilder is single-use; the decoders read untrusted bytes (DATA_LOSS on damage).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "model/prometheus/labels.h"

namespace periscope::storage::metrics {

inline constexpr size_t kBlockFooterSize = 28;

struct Sample;

// One series' samples in a block. Format byte, then either
//   0: a Gorilla stream (chunk.h) — any values, including NaN, ±Inf and stale markers;
//   1: decimal form when every value is m·10^-e exactly (counters, byte counts, 3-decimal
//      ratios): u8 e, u8 value mode (0: m as is, 1: deltas of m), the timestamps' zigzag
//      delta-of-delta varints (length-prefixed), then the values' zigzag varints — bytes that
//      zstd over the page squeezes to a fraction of Gorilla's bits.
// Input ascending by t.
void encodeSeriesStream(std::span<const Sample> samples, std::string& out);
// Appends the samples in [mint, maxt]; false if the bytes are damaged.
bool decodeSeriesStream(std::string_view bytes, uint32_t count, int64_t mint, int64_t maxt,
                        std::vector<Sample>& out);

struct BlockPage {
  uint64_t offset = 0;  // of the crc
  uint32_t compressed = 0;
  uint32_t raw = 0;
};

struct BlockSeriesEntry {
  model::prom::Labels labels;
  uint32_t page = 0;
  uint32_t offset = 0;  // in the decompressed page
  uint32_t length = 0;
  uint32_t count = 0;
  int64_t mint = 0, maxt = 0;
};

struct BlockIndex {
  std::vector<BlockPage> pages;
  std::vector<BlockSeriesEntry> series;
  int64_t mint = 0, maxt = 0;
  uint64_t samples = 0;
};

class BlockBuilder {
 public:
  explicit BlockBuilder(int zstd_level, size_t page_bytes = 64 << 10);
  // Series in any order; `stream` is an encodeSeriesStream() holding `count` samples.
  void add(const model::prom::Labels& labels, std::string_view stream, uint32_t count, int64_t mint,
           int64_t maxt);
  std::string finish();

 private:
  void sealPage();
  int level_;
  size_t page_bytes_;
  std::string file_, page_;
  BlockIndex index_;
};

// The footer → where the index lies.
struct BlockFooter {
  uint64_t index_offset = 0;
  uint32_t index_compressed = 0;
  uint32_t index_raw = 0;
  uint32_t index_crc = 0;
};
Result<BlockFooter> decodeBlockFooter(std::string_view footer, uint64_t file_size);
Result<BlockIndex> decodeBlockIndex(std::string_view compressed, const BlockFooter& footer);
// One zstd frame of `raw` (empty if zstd fails); its inverse checks the size it was told.
std::string zstdCompress(std::string_view raw, int level);
Result<std::string> zstdDecompress(std::string_view z, size_t raw_size);
// One page (`bytes` = crc + zstd) decompressed.
Result<std::string> decodeBlockPage(std::string_view bytes, const BlockPage& page);

}  // namespace periscope::storage::metrics
