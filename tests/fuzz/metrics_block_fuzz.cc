// libFuzzer target: arbitrary bytes as a metrics block file (storage/signals/metrics/block.h),
// and as a lone series stream and head chunk. Decoding must accept or refuse without a crash
// or undefined behaviour; what it accepts must be self-consistent (every indexed series decodes
// to at most its sample count, in ascending time within its range).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "storage/signals/metrics/block.h"
#include "storage/signals/metrics/chunk.h"
#include "storage/signals/metrics/metrics_reader.h"

namespace metrics = periscope::storage::metrics;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::vector<metrics::Sample> out;

  // As one series stream and as a head chunk, with a count taken from the input.
  uint32_t count = size > 0 ? static_cast<uint8_t>(in[0]) : 0;
  (void)metrics::decodeSeriesStream(in, count, INT64_MIN, INT64_MAX, out);
  if (out.size() > count) std::abort();
  metrics::ChunkDecoder chunk(in, count);
  int64_t t;
  double v;
  uint32_t n = 0;
  while (chunk.next(t, v)) ++n;
  if (n > count) std::abort();

  // As a block file.
  if (size < metrics::kBlockFooterSize) return 0;
  auto footer = metrics::decodeBlockFooter(in.substr(size - metrics::kBlockFooterSize), size);
  if (!footer.isOk()) return 0;
  auto index =
      metrics::decodeBlockIndex(in.substr(footer->index_offset, footer->index_compressed), *footer);
  if (!index.isOk()) return 0;
  for (const metrics::BlockSeriesEntry& s : index->series) {
    const metrics::BlockPage& p = index->pages[s.page];
    auto page = metrics::decodeBlockPage(in.substr(p.offset, 4 + size_t{p.compressed}), p);
    if (!page.isOk()) continue;
    if (s.offset + size_t{s.length} > page->size()) std::abort();
    out.clear();
    if (!metrics::decodeSeriesStream(std::string_view(*page).substr(s.offset, s.length), s.count,
                                     s.mint, s.maxt, out))
      continue;
    if (out.size() > s.count) std::abort();
    for (size_t i = 0; i < out.size(); ++i) {
      if (out[i].t < s.mint || out[i].t > s.maxt) std::abort();
    }
  }
  return 0;
}
