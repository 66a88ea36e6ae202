// PosixFileSystem: FileSystem over open/pwrite/fdatasync/ftruncate/rename. Created by the store
// at startup and shared by all storage components; stateless, so thread-safe.
// Errors are UNAVAILABLE (disk full, I/O) or NOT_FOUND, naming the path and strerror(errno).
#pragma once

#include "storage/io/file_system.h"

namespace periscope::storage {

class PosixFileSystem : public FileSystem {
 public:
  Result<std::unique_ptr<WritableFile>> openAppend(const std::string& path) override;
  Result<std::unique_ptr<ReadableFile>> openRead(const std::string& path) override;
  Result<bool> exists(const std::string& path) override;
  Result<std::vector<std::string>> listDir(const std::string& dir) override;
  Status rename(const std::string& from, const std::string& to) override;
  Status remove(const std::string& path) override;
  Status truncate(const std::string& path, uint64_t size) override;
  Status createDir(const std::string& dir) override;
  Status syncDir(const std::string& dir) override;
};

// Maps an errno from operation `op` on `path` onto a Status (used by the fault injector too).
Status ioError(std::string_view op, const std::string& path, int error);

}  // namespace periscope::storage
