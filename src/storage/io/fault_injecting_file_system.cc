#include "storage/io/fault_injecting_file_system.h"

#include <algorithm>
#include <cerrno>

#include "storage/io/posix_file_system.h"

namespace periscope::storage {

class FaultInjectingFileSystem::File : public WritableFile {
 public:
  File(FaultInjectingFileSystem& fs, std::string path, uint64_t generation,
       std::unique_ptr<WritableFile> base)
      : fs_(fs), path_(std::move(path)), generation_(generation), base_(std::move(base)) {}

  Status append(std::string_view data) override {
    return fs_.fileAppend(path_, generation_, *base_, data);
  }
  Status sync() override { return fs_.fileSync(path_, generation_, *base_); }
  Status close() override { return base_->close(); }
  uint64_t size() const override { return base_->size(); }

 private:
  FaultInjectingFileSystem& fs_;
  std::string path_;
  uint64_t generation_;
  std::unique_ptr<WritableFile> base_;
};

void FaultInjectingFileSystem::failWrite(uint64_t nth, int error, bool sticky) {
  std::lock_guard lock(mu_);
  write_fault_ = Fault{writes_ + nth, error, sticky};
}

void FaultInjectingFileSystem::failSync(uint64_t nth, int error, bool sticky) {
  std::lock_guard lock(mu_);
  sync_fault_ = Fault{syncs_ + nth, error, sticky};
}

void FaultInjectingFileSystem::failWritesTo(std::string fragment, int error) {
  std::lock_guard lock(mu_);
  path_fault_fragment_ = std::move(fragment);
  path_fault_error_ = error;
}

void FaultInjectingFileSystem::failDirSync(uint64_t nth, int error) {
  std::lock_guard lock(mu_);
  dir_sync_fault_ = Fault{dir_syncs_ + nth, error, false};
}

void FaultInjectingFileSystem::clearFaults() {
  std::lock_guard lock(mu_);
  write_fault_ = {};
  sync_fault_ = {};
  dir_sync_fault_ = {};
  path_fault_fragment_.clear();
  path_fault_error_ = 0;
}

uint64_t FaultInjectingFileSystem::writes() const {
  std::lock_guard lock(mu_);
  return writes_;
}

uint64_t FaultInjectingFileSystem::syncs() const {
  std::lock_guard lock(mu_);
  return syncs_;
}

int FaultInjectingFileSystem::takeFault(Fault& fault, uint64_t op) {
  if (fault.at == 0 || op < fault.at) return 0;
  if (op == fault.at || fault.sticky) return fault.error;
  return 0;
}

Status FaultInjectingFileSystem::fileAppend(const std::string& path, uint64_t generation,
                                            WritableFile& file, std::string_view data) {
  std::lock_guard lock(mu_);
  if (generation != generation_) return ioError("write (after crash)", path, EIO);
  uint64_t op = ++writes_;
  if (int err = takeFault(write_fault_, op)) return ioError("write", path, err);
  if (path_fault_error_ != 0 && path.find(path_fault_fragment_) != std::string::npos)
    return ioError("write", path, path_fault_error_);
  Tracked& t = files_[path];
  uint64_t offset = file.size();
  Status s = file.append(data);
  t.size = file.size();
  t.last_write_offset = offset;
  t.last_write_len = t.size - offset;
  return s;
}

Status FaultInjectingFileSystem::fileSync(const std::string& path, uint64_t generation,
                                          WritableFile& file) {
  std::lock_guard lock(mu_);
  if (generation != generation_) return ioError("fdatasync (after crash)", path, EIO);
  uint64_t op = ++syncs_;
  if (int err = takeFault(sync_fault_, op)) return ioError("fdatasync", path, err);
  Status s = file.sync();
  if (s.isOk()) files_[path].synced = file.size();
  return s;
}

Status FaultInjectingFileSystem::crash(CrashOptions options) {
  std::lock_guard lock(mu_);
  ++generation_;
  for (auto& [path, t] : files_) {
    uint64_t keep = t.synced;
    bool last_unsynced = t.last_write_len > 0 && t.last_write_offset + t.last_write_len > t.synced;
    if (options.tear_last_write_keep && last_unsynced) {
      keep = std::max(t.synced, t.last_write_offset +
                                    std::min(*options.tear_last_write_keep, t.last_write_len));
    }
    if (keep < t.size) {
      PERISCOPE_RETURN_IF_ERROR(base_.truncate(path, keep));
    }
    t = Tracked{keep, keep, 0, 0};
  }
  return Status::ok();
}

Result<std::unique_ptr<WritableFile>> FaultInjectingFileSystem::openAppend(
    const std::string& path) {
  auto base = base_.openAppend(path);
  if (!base.isOk()) return base.status();
  std::lock_guard lock(mu_);
  auto [it, inserted] = files_.try_emplace(path);
  if (inserted) {
    // What was on disk before we saw the file is taken as durable.
    uint64_t size = (*base)->size();
    it->second = Tracked{size, size, 0, 0};
  }
  return std::unique_ptr<WritableFile>(
      std::make_unique<File>(*this, path, generation_, std::move(base).value()));
}

Result<std::unique_ptr<ReadableFile>> FaultInjectingFileSystem::openRead(const std::string& path) {
  return base_.openRead(path);
}

Result<bool> FaultInjectingFileSystem::exists(const std::string& path) {
  return base_.exists(path);
}

Result<std::vector<std::string>> FaultInjectingFileSystem::listDir(const std::string& dir) {
  return base_.listDir(dir);
}

Status FaultInjectingFileSystem::rename(const std::string& from, const std::string& to) {
  PERISCOPE_RETURN_IF_ERROR(base_.rename(from, to));
  std::lock_guard lock(mu_);
  files_.erase(to);
  if (auto node = files_.extract(from)) {
    node.key() = to;
    files_.insert(std::move(node));
  }
  return Status::ok();
}

Status FaultInjectingFileSystem::remove(const std::string& path) {
  PERISCOPE_RETURN_IF_ERROR(base_.remove(path));
  std::lock_guard lock(mu_);
  files_.erase(path);
  return Status::ok();
}

Status FaultInjectingFileSystem::truncate(const std::string& path, uint64_t size) {
  PERISCOPE_RETURN_IF_ERROR(base_.truncate(path, size));
  std::lock_guard lock(mu_);
  if (auto it = files_.find(path); it != files_.end()) it->second = Tracked{size, size, 0, 0};
  return Status::ok();
}

Status FaultInjectingFileSystem::createDir(const std::string& dir) {
  return base_.createDir(dir);
}

Status FaultInjectingFileSystem::syncDir(const std::string& dir) {
  {
    std::lock_guard lock(mu_);
    if (int err = takeFault(dir_sync_fault_, ++dir_syncs_)) return ioError("fsync", dir, err);
  }
  return base_.syncDir(dir);
}

}  // namespace periscope::storage
