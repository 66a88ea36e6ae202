// The `checkpoint` file of the trace and log stores: the highest WAL record (LSN) whose data is
// in segment files, so recovery replays only newer records. Format: "PSCCKPT1" | u64 lsn |
// u32 check (lsn ^ lsn>>32 ^ 0x5a5a5a5a), written with writeFileDurably.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "storage/io/file_system.h"

namespace periscope::storage {

// 0 when the file does not exist; DATA_LOSS naming the file when it does not verify.
Result<uint64_t> readLsnCheckpoint(FileSystem& fs, const std::string& path);
Status writeLsnCheckpoint(FileSystem& fs, const std::string& dir, const std::string& path,
                          uint64_t lsn, std::string_view kill_prefix);

}  // namespace periscope::storage
