#include "common/compression.h"

#include <lz4frame.h>
#include <snappy.h>
#include <zlib.h>
#include <zstd.h>

#include <memory>

namespace periscope::compression {
namespace {

Status tooLarge(size_t max_out) {
  return resourceExhausted("decompressed body exceeds the limit of " + std::to_string(max_out) +
                           " bytes");
}

Result<std::string> inflateZlib(std::string_view input, size_t max_out, int window_bits) {
  z_stream zs{};
  if (inflateInit2(&zs, window_bits) != Z_OK) return internalError("zlib init failed");
  std::unique_ptr<z_stream, int (*)(z_stream*)> guard(&zs, inflateEnd);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
  zs.avail_in = static_cast<uInt>(input.size());
  std::string out;
  size_t chunk = std::min<size_t>(std::max<size_t>(input.size() * 4, 4096), max_out + 1);
  int ret = Z_OK;
  while (ret != Z_STREAM_END) {
    if (out.size() > max_out) return tooLarge(max_out);
    size_t old = out.size();
    size_t grow = std::min(chunk, max_out + 1 - old);
    if (grow == 0) return tooLarge(max_out);
    out.resize(old + grow);
    zs.next_out = reinterpret_cast<Bytef*>(out.data() + old);
    zs.avail_out = static_cast<uInt>(grow);
    ret = inflate(&zs, Z_NO_FLUSH);
    out.resize(old + grow - zs.avail_out);
    if (ret == Z_STREAM_END) {
      // gzip allows several members back to back (e.g. concatenated files): decode them all.
      if (window_bits > 15 && zs.avail_in > 0 && inflateReset(&zs) == Z_OK) {
        ret = Z_OK;
        continue;
      }
      break;
    }
    if (ret != Z_OK && ret != Z_BUF_ERROR) {
      return invalidArgument(std::string("malformed compressed body: ") +
                             (zs.msg ? zs.msg : "zlib error"));
    }
    if (ret == Z_BUF_ERROR && zs.avail_in == 0) return invalidArgument("truncated compressed body");
    chunk = std::min(chunk * 2, size_t{8} << 20);
  }
  if (out.size() > max_out) return tooLarge(max_out);
  return out;
}

Result<std::string> zstdDecompress(std::string_view input, size_t max_out) {
  std::unique_ptr<ZSTD_DCtx, size_t (*)(ZSTD_DCtx*)> ctx(ZSTD_createDCtx(), ZSTD_freeDCtx);
  // Bound the window too, so a frame cannot make the decoder allocate a huge window buffer.
  ZSTD_DCtx_setParameter(ctx.get(), ZSTD_d_windowLogMax, 27);
  ZSTD_inBuffer in{input.data(), input.size(), 0};
  std::string out;
  size_t chunk = std::min<size_t>(std::max<size_t>(input.size() * 4, 4096), max_out + 1);
  size_t ret = 1;
  while (true) {
    size_t old = out.size();
    size_t grow = std::min(chunk, max_out + 1 - old);
    if (grow == 0) return tooLarge(max_out);
    out.resize(old + grow);
    ZSTD_outBuffer ob{out.data() + old, grow, 0};
    ret = ZSTD_decompressStream(ctx.get(), &ob, &in);
    out.resize(old + ob.pos);
    if (ZSTD_isError(ret)) {
      return invalidArgument(std::string("malformed zstd body: ") + ZSTD_getErrorName(ret));
    }
    if (out.size() > max_out) return tooLarge(max_out);
    if (ret == 0 && in.pos == in.size) break;
    if (in.pos == in.size && ob.pos < grow) return invalidArgument("truncated zstd body");
    chunk = std::min(chunk * 2, size_t{8} << 20);
  }
  return out;
}

Result<std::string> lz4Decompress(std::string_view input, size_t max_out) {
  LZ4F_dctx* raw = nullptr;
  if (LZ4F_isError(LZ4F_createDecompressionContext(&raw, LZ4F_VERSION)))
    return internalError("lz4 init failed");
  std::unique_ptr<LZ4F_dctx, LZ4F_errorCode_t (*)(LZ4F_dctx*)> ctx(raw,
                                                                   LZ4F_freeDecompressionContext);
  std::string out;
  const char* src = input.data();
  size_t remaining = input.size();
  size_t ret = 1;
  while (remaining > 0 && ret != 0) {
    size_t old = out.size();
    size_t grow = std::min<size_t>(64 << 10, max_out + 1 - old);
    if (grow == 0) return tooLarge(max_out);
    out.resize(old + grow);
    size_t dst_size = grow;
    size_t src_size = remaining;
    ret = LZ4F_decompress(ctx.get(), out.data() + old, &dst_size, src, &src_size, nullptr);
    out.resize(old + dst_size);
    if (LZ4F_isError(ret))
      return invalidArgument(std::string("malformed lz4 body: ") + LZ4F_getErrorName(ret));
    if (out.size() > max_out) return tooLarge(max_out);
    src += src_size;
    remaining -= src_size;
    if (src_size == 0 && dst_size == 0) break;
  }
  if (ret != 0) return invalidArgument("truncated lz4 body");
  return out;
}

}  // namespace

bool parseEncoding(std::string_view name, Encoding& out) {
  if (name.empty() || name == "none" || name == "identity")
    out = Encoding::kIdentity;
  else if (name == "gzip" || name == "x-gzip")
    out = Encoding::kGzip;
  else if (name == "deflate" || name == "zlib")
    out = Encoding::kDeflate;
  else if (name == "zstd")
    out = Encoding::kZstd;
  else if (name == "snappy")
    out = Encoding::kSnappy;
  else if (name == "lz4")
    out = Encoding::kLz4;
  else
    return false;
  return true;
}

std::string_view encodingName(Encoding e) {
  switch (e) {
    case Encoding::kIdentity:
      return "identity";
    case Encoding::kGzip:
      return "gzip";
    case Encoding::kDeflate:
      return "deflate";
    case Encoding::kZstd:
      return "zstd";
    case Encoding::kSnappy:
      return "snappy";
    case Encoding::kLz4:
      return "lz4";
  }
  return "?";
}

Result<std::string> decompress(Encoding encoding, std::string_view input, size_t max_out) {
  switch (encoding) {
    case Encoding::kIdentity:
      if (input.size() > max_out) return tooLarge(max_out);
      return std::string(input);
    case Encoding::kGzip:
      return inflateZlib(input, max_out, 15 + 16);
    case Encoding::kDeflate: {
      // RFC 9110 "deflate" is zlib-wrapped, but raw deflate is common in the wild.
      auto r = inflateZlib(input, max_out, 15);
      if (!r.isOk() && r.status().code() == StatusCode::kInvalidArgument)
        return inflateZlib(input, max_out, -15);
      return r;
    }
    case Encoding::kZstd:
      return zstdDecompress(input, max_out);
    case Encoding::kSnappy: {
      size_t len = 0;
      if (!snappy::GetUncompressedLength(input.data(), input.size(), &len)) {
        return invalidArgument("malformed snappy body");
      }
      if (len > max_out) return tooLarge(max_out);  // checked before allocating
      std::string out;
      if (!snappy::Uncompress(input.data(), input.size(), &out))
        return invalidArgument("malformed snappy body");
      return out;
    }
    case Encoding::kLz4:
      return lz4Decompress(input, max_out);
  }
  return invalidArgument("unsupported encoding");
}

Result<std::string> compress(Encoding encoding, std::string_view input, int zstd_level) {
  switch (encoding) {
    case Encoding::kIdentity:
      return std::string(input);
    case Encoding::kGzip:
    case Encoding::kDeflate: {
      z_stream zs{};
      int bits = encoding == Encoding::kGzip ? 15 + 16 : 15;
      if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, bits, 8, Z_DEFAULT_STRATEGY) !=
          Z_OK) {
        return internalError("zlib init failed");
      }
      std::string out(deflateBound(&zs, static_cast<uLong>(input.size())), '\0');
      zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
      zs.avail_in = static_cast<uInt>(input.size());
      zs.next_out = reinterpret_cast<Bytef*>(out.data());
      zs.avail_out = static_cast<uInt>(out.size());
      int ret = deflate(&zs, Z_FINISH);
      out.resize(zs.total_out);
      deflateEnd(&zs);
      if (ret != Z_STREAM_END) return internalError("zlib compress failed");
      return out;
    }
    case Encoding::kZstd: {
      std::string out(ZSTD_compressBound(input.size()), '\0');
      size_t n = ZSTD_compress(out.data(), out.size(), input.data(), input.size(), zstd_level);
      if (ZSTD_isError(n)) return internalError("zstd compress failed");
      out.resize(n);
      return out;
    }
    case Encoding::kSnappy: {
      std::string out;
      snappy::Compress(input.data(), input.size(), &out);
      return out;
    }
    case Encoding::kLz4: {
      std::string out(LZ4F_compressFrameBound(input.size(), nullptr), '\0');
      size_t n = LZ4F_compressFrame(out.data(), out.size(), input.data(), input.size(), nullptr);
      if (LZ4F_isError(n)) return internalError("lz4 compress failed");
      out.resize(n);
      return out;
    }
  }
  return internalError("unsupported encoding");
}

Status zstdDecompressExact(std::string_view input, char* out, size_t out_size) {
  struct Free {
    void operator()(ZSTD_DCtx* c) const { ZSTD_freeDCtx(c); }
  };
  thread_local std::unique_ptr<ZSTD_DCtx, Free> ctx(ZSTD_createDCtx());
  if (!ctx) return internalError("zstd context");
  size_t n = ZSTD_decompressDCtx(ctx.get(), out, out_size, input.data(), input.size());
  if (ZSTD_isError(n) || n != out_size) return invalidArgument("malformed zstd block");
  return Status::ok();
}

}  // namespace periscope::compression
