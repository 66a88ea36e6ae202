// writeFileDurably: how the stores put an immutable file (segment, block, checkpoint) in place —
// write `<path>.tmp`, fsync, rename over `path`, fsync the directory — so a crash leaves either
// the old state or the whole new file, never a torn one (a left-over `.tmp` is the caller's to
// delete at open). Kill points `<kill_prefix>.before_rename` and `<kill_prefix>.after_rename`
// let crash tests stop the process at either side of the rename.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "storage/io/file_system.h"

namespace periscope::storage {

// On failure the `.tmp` is removed (best effort) and `path` is untouched.
Status writeFileDurably(FileSystem& fs, const std::string& dir, const std::string& path,
                        std::string_view bytes, std::string_view kill_prefix);

}  // namespace periscope::storage
