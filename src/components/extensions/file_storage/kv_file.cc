#include "components/extensions/file_storage/kv_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "common/logging.h"
#include "storage/wal/crc32c.h"

namespace periscope::components::file_storage {
namespace {

constexpr std::string_view kMagic = "PKV1";

void putU32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
bool getU32(std::string_view& in, uint32_t& v) {
  if (in.size() < 4) return false;
  v = 0;
  for (int i = 0; i < 4; ++i) v |= uint32_t(static_cast<unsigned char>(in[i])) << (8 * i);
  in.remove_prefix(4);
  return true;
}
bool getBytes(std::string_view& in, std::string& out) {
  uint32_t n;
  if (!getU32(in, n) || in.size() < n) return false;
  out.assign(in.substr(0, n));
  in.remove_prefix(n);
  return true;
}

Status errnoStatus(const std::string& what, const std::string& path) {
  return unavailable(what + " " + path + ": " + std::strerror(errno));
}

Status writeAll(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return errnoStatus("cannot write", path);
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Status::ok();
}

Status fsyncDirOf(const std::string& path) {
  std::string dir =
      path.substr(0, path.find_last_of('/') == std::string::npos ? 0 : path.find_last_of('/'));
  if (dir.empty()) dir = ".";
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return errnoStatus("cannot open", dir);
  int rc = ::fsync(fd);
  ::close(fd);
  return rc == 0 ? Status::ok() : errnoStatus("cannot fsync", dir);
}

}  // namespace

std::string KvFile::encode(const std::map<std::string, std::string, std::less<>>& pairs) {
  std::string payload;
  for (const auto& [k, v] : pairs) {
    putU32(payload, static_cast<uint32_t>(k.size()));
    payload += k;
    putU32(payload, static_cast<uint32_t>(v.size()));
    payload += v;
  }
  std::string out(kMagic);
  putU32(out, static_cast<uint32_t>(payload.size()));
  putU32(out, storage::crc32c(payload));
  return out + payload;
}

Status KvFile::decode(std::string_view file, std::map<std::string, std::string, std::less<>>& out) {
  if (file.substr(0, kMagic.size()) != kMagic) return Status(StatusCode::kDataLoss, "bad magic");
  file.remove_prefix(kMagic.size());
  uint32_t len, crc;
  if (!getU32(file, len) || !getU32(file, crc) || file.size() != len)
    return Status(StatusCode::kDataLoss, "bad length");
  if (storage::crc32c(file) != crc) return Status(StatusCode::kDataLoss, "checksum mismatch");
  out.clear();
  while (!file.empty()) {
    std::string k, v;
    if (!getBytes(file, k) || !getBytes(file, v))
      return Status(StatusCode::kDataLoss, "bad record");
    out[std::move(k)] = std::move(v);
  }
  return Status::ok();
}

Result<std::unique_ptr<KvFile>> KvFile::open(const std::string& path, bool fsync) {
  std::unique_ptr<KvFile> kv(new KvFile(path, fsync));
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    if (errno == ENOENT) return kv;
    return errnoStatus("cannot open", path);
  }
  std::string data;
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) data.append(buf, n);
  bool read_error = std::ferror(f) != 0;
  std::fclose(f);
  if (read_error) return errnoStatus("cannot read", path);
  Status st = decode(data, kv->pairs_);
  if (!st.isOk()) {
    kv->pairs_.clear();
    std::string aside = path + ".corrupt";
    std::rename(path.c_str(), aside.c_str());
    log::error("file_storage", "damaged storage file set aside; starting empty",
               {{"file", path}, {"moved_to", aside}, {"reason", std::string(st.message())}});
  }
  return kv;
}

Status KvFile::persist(const std::map<std::string, std::string, std::less<>>& pairs) {
  std::string tmp = path_ + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return errnoStatus("cannot create", tmp);
  Status st = writeAll(fd, encode(pairs), tmp);
  if (st.isOk() && fsync_ && ::fsync(fd) != 0) st = errnoStatus("cannot fsync", tmp);
  if (::close(fd) != 0 && st.isOk()) st = errnoStatus("cannot close", tmp);
  if (!st.isOk()) {
    ::unlink(tmp.c_str());
    return st;
  }
  if (std::rename(tmp.c_str(), path_.c_str()) != 0) return errnoStatus("cannot rename", tmp);
  if (fsync_) return fsyncDirOf(path_);
  return Status::ok();
}

Result<std::optional<std::string>> KvFile::get(std::string_view key) {
  std::lock_guard lock(mu_);
  auto it = pairs_.find(key);
  if (it == pairs_.end()) return std::optional<std::string>();
  return std::optional<std::string>(it->second);
}

Status KvFile::set(std::string_view key, std::string_view value) {
  std::lock_guard lock(mu_);
  auto next = pairs_;
  next[std::string(key)] = std::string(value);
  PERISCOPE_RETURN_IF_ERROR(persist(next));
  pairs_.swap(next);
  return Status::ok();
}

Status KvFile::remove(std::string_view key) {
  std::lock_guard lock(mu_);
  auto it = pairs_.find(key);
  if (it == pairs_.end()) return Status::ok();
  auto next = pairs_;
  next.erase(std::string(key));
  PERISCOPE_RETURN_IF_ERROR(persist(next));
  pairs_.swap(next);
  return Status::ok();
}

}  // namespace periscope::components::file_storage
