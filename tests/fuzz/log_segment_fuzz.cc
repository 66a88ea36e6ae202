// libFuzzer target: arbitrary bytes as a log segment file (storage/signals/logs/log_segment.h):
// header check, footer, then every row group decoded with no filter and with each pushdown
// (time, severity, trace id, resources, line_contains). Decoding must accept or refuse without
// a crash or undefined behaviour; what it accepts must be self-consistent (no more records
// than the row group has, each with a time inside the row group's range, and a filtered read
// never returning more than the unfiltered one). The input is also cut into raw column
// contents, compressed and checksummed here, so the column parsers see arbitrary bytes past
// the checksums.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "common/compression.h"
#include "storage/signals/logs/log_segment.h"
#include "storage/wal/crc32c.h"

namespace logs = periscope::storage::logs;

namespace {

size_t check(const logs::LogRowGroupMeta& rg, const logs::BlockReader& read,
             const logs::RowFilter& f) {
  periscope::model::Logs out;
  auto n = logs::decodeLogRowGroup(rg, read, f, out);
  if (!n.isOk()) return 0;
  if (*n > rg.rows || out.itemCount() != *n) std::abort();
  for (const auto& rl : out.resources())
    for (const auto& sl : rl.scope_logs)
      for (const auto& r : sl.log_records) {
        uint64_t t = logs::recordTime(r);
        if (t < rg.min_time_ns || t > rg.max_time_ns) std::abort();
      }
  return *n;
}

// Input = u8 rows, then per column a u16 length and that many raw bytes.
void fuzzColumns(std::string_view in) {
  if (in.empty()) return;
  logs::LogRowGroupMeta rg;
  rg.rows = static_cast<uint8_t>(in[0]);
  rg.version = 1 + (rg.rows & 1);  // both formats' column parsers
  rg.min_time_ns = 100;
  rg.max_time_ns = 1ull << 62;
  size_t at = 1;
  std::string file(16, '\0');
  for (auto& b : rg.blocks) {
    size_t len = 0;
    if (at + 2 <= in.size()) {
      len = static_cast<uint8_t>(in[at]) | static_cast<size_t>(static_cast<uint8_t>(in[at + 1]))
                                               << 8;
      at += 2;
    }
    len = std::min(len, in.size() - std::min(at, in.size()));
    std::string_view raw = in.substr(std::min(at, in.size()), len);
    at += len;
    auto z = periscope::compression::compress(periscope::compression::Encoding::kZstd, raw);
    if (!z.isOk()) return;
    b.offset = file.size();
    b.size = z->size();
    b.raw_size = raw.size();
    b.crc = periscope::storage::crc32c(*z);
    file += *z;
  }
  logs::BlockReader read = [&file](const logs::LogBlockRef& b) -> periscope::Result<std::string> {
    return file.substr(b.offset, b.size);
  };
  size_t all = check(rg, read, {});
  logs::RowFilter g;
  const std::vector<std::string> needles = {"ab"};
  g.line_contains = needles;
  g.min_severity = 5;
  if (check(rg, read, g) > all && all > 0) std::abort();
}

void decodeSegment(std::string_view in, size_t size, uint32_t version) {
  auto meta = logs::decodeLogSegmentMeta(in, size, version);
  if (!meta.isOk()) return;
  logs::BlockReader read = [in](const logs::LogBlockRef& b) -> periscope::Result<std::string> {
    if (b.offset > in.size() || b.size > in.size() - b.offset)
      return periscope::Status(periscope::StatusCode::kDataLoss, "block past the end");
    return std::string(in.substr(b.offset, b.size));
  };
  const std::vector<std::string> needles = {"timeout", "a"};
  for (const logs::LogRowGroupMeta& rg : meta->row_groups) {
    size_t all = check(rg, read, {});
    logs::RowFilter f;
    f.start_ns = rg.min_time_ns + 1;
    f.end_ns = rg.max_time_ns;
    f.min_severity = 9;
    f.max_severity = 20;
    if (check(rg, read, f) > all && all > 0) std::abort();
    logs::RowFilter g;
    static const std::string kTrace(16, 'x');  // RowFilter holds a view
    g.trace_id = kTrace;
    g.line_contains = needles;
    g.resource_passes = [](const periscope::model::Resource& r) {
      return r.attributes.size() % 2 == 0;
    };
    if (check(rg, read, g) > all && all > 0) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  fuzzColumns(in);
  // Both formats' decoders: the header's version when it has one, else each in turn.
  auto version = logs::logSegmentVersion(in);
  for (uint32_t v = 1; v <= logs::kLogSegmentVersion; ++v)
    if (!version.isOk() || *version == v) decodeSegment(in, size, v);
  return 0;
}
