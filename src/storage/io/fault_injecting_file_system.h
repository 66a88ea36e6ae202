// FaultInjectingFileSystem: a FileSystem decorator for tests that fails chosen writes/syncs
// (ENOSPC, EIO) and simulates power loss: crash() drops every byte not yet synced, optionally
// keeping a prefix of each file's last unsynced write (a torn write). Thread-safe.
// Wraps (does not own) `base`, which must outlive it.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>

#include "storage/io/file_system.h"

namespace periscope::storage {

class FaultInjectingFileSystem : public FileSystem {
 public:
  explicit FaultInjectingFileSystem(FileSystem& base) : base_(base) {}

  // The nth write (or sync) from now fails with `error` (1 = the next one) and writes nothing.
  // With sticky, it and every later one fail until clearFaults().
  void failWrite(uint64_t nth, int error, bool sticky = false);
  void failSync(uint64_t nth, int error, bool sticky = false);
  // Every write to a path containing `fragment` fails with `error` until clearFaults() (e.g.
  // a store's segment files while its WAL keeps working).
  void failWritesTo(std::string fragment, int error);
  // The nth directory sync from now fails with `error` (after whatever rename preceded it).
  void failDirSync(uint64_t nth, int error);
  void clearFaults();

  struct CrashOptions {
    // Keep this many bytes of each file's last write if that write was not synced
    // (earlier unsynced writes of that file are kept whole: the disk wrote them in order).
    std::optional<uint64_t> tear_last_write_keep;
  };
  // Simulates power loss: every file written through this object is cut back to its synced
  // size (see CrashOptions). Files open at the time fail all further calls with EIO, like the
  // handles of a process that died; files opened afterwards work normally.
  Status crash(CrashOptions options);
  Status crash() { return crash(CrashOptions{}); }

  uint64_t writes() const;
  uint64_t syncs() const;

  Result<std::unique_ptr<WritableFile>> openAppend(const std::string& path) override;
  Result<std::unique_ptr<ReadableFile>> openRead(const std::string& path) override;
  Result<bool> exists(const std::string& path) override;
  Result<std::vector<std::string>> listDir(const std::string& dir) override;
  Status rename(const std::string& from, const std::string& to) override;
  Status remove(const std::string& path) override;
  Status truncate(const std::string& path, uint64_t size) override;
  Status createDir(const std::string& dir) override;
  Status syncDir(const std::string& dir) override;

 private:
  class File;
  struct Fault {
    uint64_t at = 0;  // absolute operation number that fails; 0 = none
    int error = 0;
    bool sticky = false;
  };
  struct Tracked {
    uint64_t size = 0;
    uint64_t synced = 0;
    uint64_t last_write_offset = 0;
    uint64_t last_write_len = 0;
  };
  // Under mu_: the errno to fail the current operation with, or 0.
  static int takeFault(Fault& fault, uint64_t op);
  Status fileAppend(const std::string& path, uint64_t generation, WritableFile& file,
                    std::string_view data);
  Status fileSync(const std::string& path, uint64_t generation, WritableFile& file);

  FileSystem& base_;
  mutable std::mutex mu_;
  uint64_t generation_ = 0;  // bumped by crash(); older handles are dead
  uint64_t writes_ = 0;
  uint64_t syncs_ = 0;
  Fault write_fault_;
  Fault sync_fault_;
  Fault dir_sync_fault_;
  uint64_t dir_syncs_ = 0;
  std::string path_fault_fragment_;
  int path_fault_error_ = 0;
  std::map<std::string, Tracked> files_;
};

}  // namespace periscope::storage
