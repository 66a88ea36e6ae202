#include "storage/catalog/lsn_checkpoint.h"

#include "storage/codec/byte_io.h"
#include "storage/io/durable_file.h"

namespace periscope::storage {
namespace {

constexpr std::string_view kMagic = "PSCCKPT1";

uint32_t checkOf(uint64_t lsn) {
  return static_cast<uint32_t>(lsn ^ (lsn >> 32) ^ 0x5a5a5a5a);
}

}  // namespace

Result<uint64_t> readLsnCheckpoint(FileSystem& fs, const std::string& path) {
  auto exists = fs.exists(path);
  if (!exists.isOk()) return exists.status();
  if (!*exists) return uint64_t{0};
  auto bytes = fs.readAll(path);
  if (!bytes.isOk()) return bytes.status();
  ByteReader r(*bytes);
  std::string_view magic = r.raw(kMagic.size());
  uint64_t lsn = r.u64();
  uint32_t check = r.u32();
  if (r.fail() || magic != kMagic || check != checkOf(lsn))
    return Status(StatusCode::kDataLoss,
                  path + " is damaged; refusing to guess which WAL records are already flushed");
  return lsn;
}

Status writeLsnCheckpoint(FileSystem& fs, const std::string& dir, const std::string& path,
                          uint64_t lsn, std::string_view kill_prefix) {
  std::string bytes;
  ByteWriter w(bytes);
  w.raw(kMagic);
  w.u64(lsn);
  w.u32(checkOf(lsn));
  return writeFileDurably(fs, dir, path, bytes, kill_prefix);
}

}  // namespace periscope::storage
