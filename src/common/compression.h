// Request-body compression: gzip, deflate (zlib or raw), zstd, snappy (block) and lz4 (frame).
// decompress() streams into a bounded output, so a compression bomb costs at most `max_out`
// bytes: past it, RESOURCE_EXHAUSTED (HTTP 413); malformed input is INVALID_ARGUMENT (400).
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace periscope::compression {

enum class Encoding { kIdentity, kGzip, kDeflate, kZstd, kSnappy, kLz4 };

// From a Content-Encoding / compression config value ("", "none", "identity", "gzip",
// "deflate", "zlib", "zstd", "snappy", "lz4"); false if unsupported.
bool parseEncoding(std::string_view name, Encoding& out);
std::string_view encodingName(Encoding e);

Result<std::string> decompress(Encoding encoding, std::string_view input, size_t max_out);
// zstd_level applies to kZstd only (the stores compress blocks harder than requests).
Result<std::string> compress(Encoding encoding, std::string_view input, int zstd_level = 1);

// A whole zstd frame into exactly `out_size` bytes at `out` (storage blocks, whose raw size is
// known): no allocation, a per-thread reused context. INVALID_ARGUMENT when the frame is
// malformed or does not inflate to exactly out_size bytes.
Status zstdDecompressExact(std::string_view input, char* out, size_t out_size);

}  // namespace periscope::compression
