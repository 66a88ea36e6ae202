#include "storage/signals/metrics/block.h"

#include <zstd.h>

#include "storage/codec/byte_io.h"
#include "storage/wal/crc32c.h"

namespace periscope::storage::metrics {
namespace {

constexpr std::string_view kMagic = "PSCMBLK1";
constexpr std::string_view kEndMagic = "PSCMBEND";
constexpr size_t kMaxIndexBytes = 1ull << 31;

Status damaged(std::string what) {
  return Status(StatusCode::kDataLoss, "metrics block damaged: " + what);
}

std::string compress(std::string_view raw, int level) {
  std::string out(ZSTD_compressBound(raw.size()), '\0');
  size_t n = ZSTD_compress(out.data(), out.size(), raw.data(), raw.size(), level);
  out.resize(ZSTD_isError(n) ? 0 : n);
  return out;
}

Result<std::string> decompress(std::string_view z, uint32_t raw_size) {
  std::string out(raw_size, '\0');
  size_t n = ZSTD_decompress(out.data(), out.size(), z.data(), z.size());
  if (ZSTD_isError(n) || n != raw_size) return damaged("zstd frame does not decode");
  return out;
}

}  // namespace

BlockBuilder::BlockBuilder(int zstd_level, size_t page_bytes)
    : level_(zstd_level), page_bytes_(page_bytes) {
  file_ = kMagic;
  index_.mint = INT64_MAX;
  index_.maxt = INT64_MIN;
}

void BlockBuilder::sealPage() {
  if (page_.empty()) return;
  std::string z = compress(page_, level_);
  BlockPage p{file_.size(), static_cast<uint32_t>(z.size()), static_cast<uint32_t>(page_.size())};
  ByteWriter w(file_);
  w.u32(crc32c(z));
  w.raw(z);
  index_.pages.push_back(p);
  page_.clear();
}

void BlockBuilder::add(const model::prom::Labels& labels, std::string_view stream, uint32_t count,
                       int64_t mint, int64_t maxt) {
  if (page_.size() >= page_bytes_) sealPage();
  BlockSeriesEntry e{labels,
                     static_cast<uint32_t>(index_.pages.size()),
                     static_cast<uint32_t>(page_.size()),
                     static_cast<uint32_t>(stream.size()),
                     count,
                     mint,
                     maxt};
  page_.append(stream);
  index_.series.push_back(std::move(e));
  index_.mint = std::min(index_.mint, mint);
  index_.maxt = std::max(index_.maxt, maxt);
  index_.samples += count;
}

std::string BlockBuilder::finish() {
  sealPage();
  std::string raw;
  ByteWriter w(raw);
  w.varint(index_.pages.size());
  for (const BlockPage& p : index_.pages) {
    w.varint(p.offset);
    w.varint(p.compressed);
    w.varint(p.raw);
  }
  w.varint(index_.series.size());
  for (const BlockSeriesEntry& s : index_.series) {
    w.varint(s.labels.size());
    for (const auto& l : s.labels) {
      w.bytes(l.name);
      w.bytes(l.value);
    }
    w.varint(s.page);
    w.varint(s.offset);
    w.varint(s.length);
    w.varint(s.count);
    w.svarint(s.mint);
    w.varint(static_cast<uint64_t>(s.maxt - s.mint));
  }
  std::string z = compress(raw, level_);
  uint64_t index_offset = file_.size();
  file_ += z;
  ByteWriter f(file_);
  f.u64(index_offset);
  f.u32(static_cast<uint32_t>(z.size()));
  f.u32(static_cast<uint32_t>(raw.size()));
  f.u32(crc32c(z));
  f.raw(kEndMagic);
  return std::move(file_);
}

Result<BlockFooter> decodeBlockFooter(std::string_view footer, uint64_t file_size) {
  ByteReader r(footer);
  BlockFooter f;
  f.index_offset = r.u64();
  f.index_compressed = r.u32();
  f.index_raw = r.u32();
  f.index_crc = r.u32();
  if (r.fail() || r.raw(kEndMagic.size()) != kEndMagic) return damaged("bad footer");
  if (f.index_offset < kMagic.size() ||
      f.index_offset + f.index_compressed + kBlockFooterSize != file_size ||
      f.index_raw > kMaxIndexBytes)
    return damaged("footer points outside the file");
  return f;
}

Result<BlockIndex> decodeBlockIndex(std::string_view compressed, const BlockFooter& footer) {
  if (crc32c(compressed) != footer.index_crc) return damaged("index checksum mismatch");
  auto raw = decompress(compressed, footer.index_raw);
  if (!raw.isOk()) return raw.status();
  ByteReader r(*raw);
  BlockIndex idx;
  uint64_t n_pages = r.varint();
  if (n_pages > r.remaining()) return damaged("page count");
  for (uint64_t i = 0; i < n_pages && !r.fail(); ++i) {
    BlockPage p;
    p.offset = r.varint();
    p.compressed = static_cast<uint32_t>(r.varint());
    p.raw = static_cast<uint32_t>(r.varint());
    if (p.offset + 4 + p.compressed > footer.index_offset) return damaged("page outside data");
    idx.pages.push_back(p);
  }
  uint64_t n_series = r.varint();
  if (n_series > r.remaining()) return damaged("series count");
  idx.mint = INT64_MAX;
  idx.maxt = INT64_MIN;
  idx.series.reserve(n_series);
  for (uint64_t i = 0; i < n_series && !r.fail(); ++i) {
    BlockSeriesEntry s;
    uint64_t n_labels = r.varint();
    if (n_labels > r.remaining()) return damaged("label count");
    for (uint64_t j = 0; j < n_labels; ++j) {
      std::string_view name = r.bytes();
      std::string_view value = r.bytes();
      s.labels.push_back({std::string(name), std::string(value)});
    }
    s.page = static_cast<uint32_t>(r.varint());
    s.offset = static_cast<uint32_t>(r.varint());
    s.length = static_cast<uint32_t>(r.varint());
    s.count = static_cast<uint32_t>(r.varint());
    s.mint = r.svarint();
    s.maxt = s.mint + static_cast<int64_t>(r.varint());
    if (r.fail()) break;
    if (s.page >= idx.pages.size() ||
        static_cast<uint64_t>(s.offset) + s.length > idx.pages[s.page].raw)
      return damaged("series outside its page");
    idx.mint = std::min(idx.mint, s.mint);
    idx.maxt = std::max(idx.maxt, s.maxt);
    idx.samples += s.count;
    idx.series.push_back(std::move(s));
  }
  if (r.fail() || !r.done()) return damaged("index truncated or with trailing bytes");
  return idx;
}

Result<std::string> decodeBlockPage(std::string_view bytes, const BlockPage& page) {
  ByteReader r(bytes);
  uint32_t crc = r.u32();
  std::string_view z = r.raw(page.compressed);
  if (r.fail() || crc32c(z) != crc) return damaged("page checksum mismatch");
  return decompress(z, page.raw);
}

}  // namespace periscope::storage::metrics
