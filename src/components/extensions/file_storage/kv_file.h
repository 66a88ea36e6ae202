// KvFile: the key-value store behind a storage client (pipeline/helpers/storage_client.h).
// All pairs live in memory; every change rewrites one small checksummed file atomically:
// write `<path>.tmp`, (fsync), rename over `<path>`, (fsync the directory). A crash leaves
// either the old or the new file, never a mix. Meant for small state (checkpoints), not bulk.
// File: "PKV1" [u32 length][u32 crc32c(payload)][payload], payload = repeated
// [u32 key length][key][u32 value length][value]; integers little-endian.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "pipeline/helpers/storage_client.h"

namespace periscope::components::file_storage {

class KvFile final : public pipeline::StorageClient {
 public:
  // Loads `path` if it exists. A damaged file is renamed to `<path>.corrupt`, logged, and the
  // store starts empty (damage needs a disk fault: writes replace the file atomically).
  static Result<std::unique_ptr<KvFile>> open(const std::string& path, bool fsync);

  Result<std::optional<std::string>> get(std::string_view key) override;
  Status set(std::string_view key, std::string_view value) override;
  Status remove(std::string_view key) override;

  // Exposed for tests: the encoded file image of `pairs`, and its decoding.
  static std::string encode(const std::map<std::string, std::string, std::less<>>& pairs);
  static Status decode(std::string_view file, std::map<std::string, std::string, std::less<>>& out);

 private:
  KvFile(std::string path, bool fsync) : path_(std::move(path)), fsync_(fsync) {}
  Status persist(const std::map<std::string, std::string, std::less<>>& pairs);

  std::string path_;
  bool fsync_;
  std::mutex mu_;
  std::map<std::string, std::string, std::less<>> pairs_;
};

}  // namespace periscope::components::file_storage
