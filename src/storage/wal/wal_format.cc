#include "storage/wal/wal_format.h"

#include <cstdio>

#include "storage/wal/crc32c.h"

namespace periscope::storage {

std::string segmentFileName(std::string_view prefix, uint64_t seq) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%016llu.log", static_cast<unsigned long long>(seq));
  return std::string(prefix) + buf;
}

std::optional<uint64_t> parseSegmentFileName(std::string_view prefix, std::string_view name) {
  constexpr std::string_view kSuffix = ".log";
  if (name.size() != prefix.size() + 16 + kSuffix.size() || !name.starts_with(prefix) ||
      !name.ends_with(kSuffix)) {
    return std::nullopt;
  }
  uint64_t seq = 0;
  for (char c : name.substr(prefix.size(), 16)) {
    if (c < '0' || c > '9') return std::nullopt;
    seq = seq * 10 + static_cast<uint64_t>(c - '0');
  }
  return seq;
}

std::string walSegmentName(uint64_t seq) {
  return segmentFileName("wal-", seq);
}

std::optional<uint64_t> parseWalSegmentName(std::string_view name) {
  return parseSegmentFileName("wal-", name);
}

void putU32(std::string& out, uint32_t v) {
  char b[4] = {static_cast<char>(v), static_cast<char>(v >> 8), static_cast<char>(v >> 16),
               static_cast<char>(v >> 24)};
  out.append(b, 4);
}

uint32_t getU32(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return uint32_t{u[0]} | uint32_t{u[1]} << 8 | uint32_t{u[2]} << 16 | uint32_t{u[3]} << 24;
}

std::string encodeWalSegmentHeader(uint32_t version) {
  std::string out(kWalMagic);
  putU32(out, version);
  return out;
}

void appendWalRecord(std::string& out, std::string_view payload) {
  putU32(out, static_cast<uint32_t>(payload.size()));
  putU32(out, crc32c(payload));
  out.append(payload);
}

}  // namespace periscope::storage
