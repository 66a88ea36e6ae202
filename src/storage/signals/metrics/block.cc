#include "storage/signals/metrics/block.h"

#include <zstd.h>

#include <cmath>

#include "storage/codec/byte_io.h"
#include "storage/signals/metrics/chunk.h"
#include "storage/signals/metrics/metrics_reader.h"
#include "storage/wal/crc32c.h"

namespace periscope::storage::metrics {
namespace {

constexpr std::string_view kMagic = "PSCMBLK1";
constexpr std::string_view kEndMagic = "PSCMBEND";
constexpr size_t kMaxIndexBytes = 1ull << 31;

Status damaged(std::string what) {
  return Status(StatusCode::kDataLoss, "metrics block damaged: " + what);
}

}  // namespace

std::string zstdCompress(std::string_view raw, int level) {
  std::string out(ZSTD_compressBound(raw.size()), '\0');
  size_t n = ZSTD_compress(out.data(), out.size(), raw.data(), raw.size(), level);
  out.resize(ZSTD_isError(n) ? 0 : n);
  return out;
}

Result<std::string> zstdDecompress(std::string_view z, size_t raw_size) {
  std::string out(raw_size, '\0');
  size_t n = ZSTD_decompress(out.data(), out.size(), z.data(), z.size());
  if (ZSTD_isError(n) || n != raw_size) return damaged("zstd frame does not decode");
  return out;
}

BlockBuilder::BlockBuilder(int zstd_level, size_t page_bytes)
    : level_(zstd_level), page_bytes_(page_bytes) {
  file_ = kMagic;
  index_.mint = INT64_MAX;
  index_.maxt = INT64_MIN;
}

void BlockBuilder::sealPage() {
  if (page_.empty()) return;
  std::string z = zstdCompress(page_, level_);
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
  std::string z = zstdCompress(raw, level_);
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
  if (f.index_offset < kMagic.size() || f.index_offset > file_size ||
      f.index_offset + f.index_compressed + kBlockFooterSize != file_size ||
      f.index_raw > kMaxIndexBytes)
    return damaged("footer points outside the file");
  return f;
}

Result<BlockIndex> decodeBlockIndex(std::string_view compressed, const BlockFooter& footer) {
  if (crc32c(compressed) != footer.index_crc) return damaged("index checksum mismatch");
  auto raw = zstdDecompress(compressed, footer.index_raw);
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
    if (p.offset > footer.index_offset || p.offset + 4 + p.compressed > footer.index_offset)
      return damaged("page outside data");
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
    s.maxt = static_cast<int64_t>(static_cast<uint64_t>(s.mint) + r.varint());
    if (s.maxt < s.mint) return damaged("series time range");
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
  return zstdDecompress(z, page.raw);
}

}  // namespace periscope::storage::metrics

namespace periscope::storage::metrics {
namespace {

constexpr uint8_t kStreamGorilla = 0;
constexpr uint8_t kStreamDecimal = 1;
constexpr int kMaxDecimalExponent = 9;
constexpr double kPow10[] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};

// The smallest e with v == m / 10^e for an integer m below 2^53, or -1.
int decimalExponent(double v) {
  if (!std::isfinite(v) || (v == 0 && std::signbit(v))) return -1;
  for (int e = 0; e <= kMaxDecimalExponent; ++e) {
    double m = std::round(v * kPow10[e]);
    if (std::fabs(m) >= 9007199254740992.0) return -1;
    if (m / kPow10[e] == v) return e;
  }
  return -1;
}

size_t varintSize(uint64_t v) {
  return v < 128 ? 1 : v < 16384 ? 2 : v < (1u << 21) ? 3 : 4;
}
uint64_t zigzag(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}

}  // namespace

void encodeSeriesStream(std::span<const Sample> samples, std::string& out) {
  int e = 0;
  for (const Sample& s : samples) {
    int se = decimalExponent(s.v);
    if (se < 0) {
      e = -1;
      break;
    }
    e = std::max(e, se);
  }
  std::vector<int64_t> m;
  if (e >= 0) {
    m.reserve(samples.size());
    for (const Sample& s : samples) {
      double x = std::round(s.v * kPow10[e]);
      if (x / kPow10[e] != s.v || std::fabs(x) >= 9007199254740992.0) {
        e = -1;
        break;
      }
      m.push_back(static_cast<int64_t>(x));
    }
  }
  if (e < 0) {
    ChunkEncoder enc;
    for (const Sample& s : samples) enc.append(s.t, s.v);
    out.push_back(static_cast<char>(kStreamGorilla));
    enc.appendTo(out);
    return;
  }
  // Deltas suit counters and random walks, raw values suit bounded noise: take the smaller.
  size_t raw_size = 0, delta_size = 0;
  for (size_t i = 0; i < m.size(); ++i) {
    raw_size += varintSize(zigzag(m[i]));
    delta_size += varintSize(zigzag(i == 0 ? m[i] : m[i] - m[i - 1]));
  }
  uint8_t mode = delta_size < raw_size ? 1 : 0;
  // Timestamps and values as two runs: a regular interval becomes a run of zero bytes that
  // zstd all but removes, instead of zeros interleaved with value bytes.
  std::string times;
  ByteWriter tw(times);
  int64_t prev_t = 0, prev_delta = 0;
  for (size_t i = 0; i < samples.size(); ++i) {
    int64_t delta = samples[i].t - prev_t;
    tw.svarint(i == 0 ? samples[i].t : delta - prev_delta);
    if (i > 0) prev_delta = delta;
    prev_t = samples[i].t;
  }
  ByteWriter w(out);
  w.u8(kStreamDecimal);
  w.u8(static_cast<uint8_t>(e));
  w.u8(mode);
  w.bytes(times);
  for (size_t i = 0; i < samples.size(); ++i) {
    w.svarint(mode == 1 && i > 0 ? m[i] - m[i - 1] : m[i]);
  }
}

bool decodeSeriesStream(std::string_view bytes, uint32_t count, int64_t mint, int64_t maxt,
                        std::vector<Sample>& out) {
  if (bytes.empty()) return count == 0;
  uint8_t format = static_cast<uint8_t>(bytes[0]);
  if (format == kStreamGorilla) {
    ChunkDecoder d(bytes.substr(1), count);
    int64_t t;
    double v;
    while (d.next(t, v)) {
      if (t > maxt) return true;
      if (t >= mint) out.push_back({t, v});
    }
    return !d.fail();
  }
  if (format != kStreamDecimal) return false;
  ByteReader r(bytes.substr(1));
  uint8_t e = r.u8();
  uint8_t mode = r.u8();
  ByteReader tr(r.bytes());
  if (r.fail() || e > kMaxDecimalExponent || mode > 1) return false;
  // Unsigned arithmetic: damaged input may overflow, which must not be undefined.
  auto add = [](int64_t a, int64_t b) {
    return static_cast<int64_t>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b));
  };
  int64_t t = 0, delta = 0, m = 0;
  for (uint32_t i = 0; i < count; ++i) {
    int64_t dt = tr.svarint();
    if (i == 0) {
      t = dt;
    } else {
      delta = add(delta, dt);
      t = add(t, delta);
    }
    int64_t dv = r.svarint();
    m = mode == 1 && i > 0 ? add(m, dv) : dv;
    if (r.fail() || tr.fail()) return false;
    if (t > maxt) return true;
    if (t >= mint) out.push_back({t, static_cast<double>(m) / kPow10[e]});
  }
  return true;
}

}  // namespace periscope::storage::metrics
