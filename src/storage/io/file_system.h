// FileSystem: the one door through which the storage engine touches disk (WAL, segments,
// catalog), so tests can swap in FaultInjectingFileSystem for crashes, torn writes and ENOSPC.
// Implementations are thread-safe; each WritableFile/ReadableFile is used by one thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace periscope::storage {

// A file opened for appending. Bytes are durable only after sync() returns OK.
class WritableFile {
 public:
  virtual ~WritableFile() = default;
  // Appends all of data or fails; on failure a prefix may have reached the file.
  virtual Status append(std::string_view data) = 0;
  virtual Status sync() = 0;
  // Idempotent. Does not sync.
  virtual Status close() = 0;
  // Bytes in the file, counting successful appends since open.
  virtual uint64_t size() const = 0;
};

class ReadableFile {
 public:
  virtual ~ReadableFile() = default;
  // Up to n bytes from offset; shorter only at end of file.
  virtual Result<std::string> read(uint64_t offset, size_t n) const = 0;
  virtual Result<uint64_t> size() const = 0;
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;

  // Creates the file if missing; appends go to its end.
  virtual Result<std::unique_ptr<WritableFile>> openAppend(const std::string& path) = 0;
  virtual Result<std::unique_ptr<ReadableFile>> openRead(const std::string& path) = 0;
  virtual Result<bool> exists(const std::string& path) = 0;
  // Entry names (not paths) in dir, sorted, without "." and "..".
  virtual Result<std::vector<std::string>> listDir(const std::string& dir) = 0;
  virtual Status rename(const std::string& from, const std::string& to) = 0;
  virtual Status remove(const std::string& path) = 0;
  // Cuts (or extends) the file to size bytes and makes the new size durable.
  virtual Status truncate(const std::string& path, uint64_t size) = 0;
  // Creates dir and missing parents; OK if it already exists.
  virtual Status createDir(const std::string& dir) = 0;
  // Makes creates, renames and removes of entries in dir durable.
  virtual Status syncDir(const std::string& dir) = 0;

  // Convenience over openRead.
  Result<std::string> readAll(const std::string& path);
};

}  // namespace periscope::storage
