// Checkpoints: for each file being read, its fingerprint (first fingerprint_size bytes) and
// the offset up to which its entries were accepted by the pipeline, and the byte ranges after
// it that were accepted too (batches accepted behind a refused one: not sent again after a
// restart). Stored as one JSON value under the key "checkpoints" of the receiver's storage
// client ("accepted" is left out when empty; documents without it are read as before):
//   {"version":1,"files":[{"fingerprint":"<hex>","offset":123,"path":"/var/log/app.log",
//                          "accepted":[[200,260],[260,300]]}]}
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
  // [begin, end) after `offset`, ascending, not overlapping: each one batch already accepted.
  std::vector<std::pair<uint64_t, uint64_t>> accepted;
};

inline constexpr std::string_view kCheckpointKey = "checkpoints";

std::string encodeCheckpoints(const std::vector<Checkpoint>& files);
// INVALID_ARGUMENT when `text` is not a checkpoint document.
Status decodeCheckpoints(const std::string& text, std::vector<Checkpoint>& out);

}  // namespace periscope::components::filelog
