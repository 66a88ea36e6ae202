// Checkpoints: for each file being read, its fingerprint (first fingerprint_size bytes) and
// the offset up to which its entries were accepted by the pipeline. Stored as one JSON value
// under the key "checkpoints" of the receiver's storage client:
//   {"version":1,"files":[{"fingerprint":"<hex>","offset":123,"path":"/var/log/app.log"}]}
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"

namespace periscope::components::filelog {

struct Checkpoint {
  std::string fingerprint;  // raw bytes
  uint64_t offset = 0;
  std::string path;  // informational: where the file was when last read
};

inline constexpr std::string_view kCheckpointKey = "checkpoints";

std::string encodeCheckpoints(const std::vector<Checkpoint>& files);
// INVALID_ARGUMENT when `text` is not a checkpoint document.
Status decodeCheckpoints(const std::string& text, std::vector<Checkpoint>& out);

}  // namespace periscope::components::filelog
