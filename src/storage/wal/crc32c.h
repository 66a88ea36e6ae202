// CRC32C (Castagnoli): the checksum on every WAL record and, later, on every store block.
// Pure function, thread-safe. Table-driven (~1 GB/s); hardware CRC can replace it behind this API.
#pragma once

#include <cstdint>
#include <string_view>

namespace periscope::storage {

// Extends `crc` (0 to start) over data. crc32c("123456789") == 0xE3069283.
uint32_t crc32c(std::string_view data, uint32_t crc = 0);

}  // namespace periscope::storage
