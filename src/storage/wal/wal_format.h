// On-disk format of WAL segments, shared by Wal (writer) and scanSegment (recovery).
// Segment file `wal-<16-digit seq>.log` = header [magic "PSCWAL01"][u32 version], then records
// [u32 length][u32 crc32c(payload)][payload], all little-endian. Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace periscope::storage {

inline constexpr std::string_view kWalMagic = "PSCWAL01";
inline constexpr uint32_t kWalFormatVersion = 1;
inline constexpr size_t kWalSegmentHeaderBytes = 12;
inline constexpr size_t kWalRecordHeaderBytes = 8;

// `<prefix><16-digit seq>.log`: fixed width, so names sort by sequence (WAL and queue segments).
std::string segmentFileName(std::string_view prefix, uint64_t seq);
std::optional<uint64_t> parseSegmentFileName(std::string_view prefix, std::string_view name);

std::string walSegmentName(uint64_t seq);
// The sequence number of a segment file name, or nullopt for any other name.
std::optional<uint64_t> parseWalSegmentName(std::string_view name);

std::string encodeWalSegmentHeader(uint32_t version = kWalFormatVersion);
// Appends one framed record to out.
void appendWalRecord(std::string& out, std::string_view payload);

void putU32(std::string& out, uint32_t v);
uint32_t getU32(const char* p);

}  // namespace periscope::storage
