// DataDir: claims `storage.path` for Periscope. A new or empty directory gets a marker file
// (PERISCOPE_DATA: format version); an existing one must carry our marker with a version this
// build understands. Anything else is refused untouched — pointing Periscope at the wrong
// folder must never delete someone's files.
#pragma once

#include <string>

#include "common/status.h"
#include "storage/io/file_system.h"

namespace periscope::storage {

inline constexpr int kDataDirFormatVersion = 1;

// OK when `path` is (now) a Periscope data directory.
Status claimDataDir(FileSystem& fs, const std::string& path);

}  // namespace periscope::storage
