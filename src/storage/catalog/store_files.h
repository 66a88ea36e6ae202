// What the segment stores (traces, logs) share about the files in their directory: which names
// are theirs, and which segments found at open are left-overs of an interrupted flush or
// rewrite. Layout of such a store: `wal/`, `quarantine/`, `checkpoint`, segment files
// `<prefix><id><suffix>`, and `.tmp` files of writes in progress.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "storage/io/file_system.h"

namespace periscope::storage {

// Creates `dir` if needed; FAILED_PRECONDITION, touching nothing, when it holds a name that is
// not one of the store's (`what` names the store in the message, e.g. "log store").
Status claimStoreDir(FileSystem& fs, const std::string& dir, std::string_view segment_prefix,
                     std::string_view segment_suffix, std::string_view what);

struct SegmentLineage {
  uint64_t wal_lsn = 0;            // WAL records up to here are in segments
  std::vector<uint64_t> replaces;  // rewrite inputs; empty for a flush output
};

struct ObsoleteSegments {
  std::vector<uint64_t> replaced;    // inputs of a rewrite whose output exists
  std::vector<uint64_t> unfinished;  // flush outputs past the checkpoint (the WAL replays them)
};

// Of the segments found at open (by id), those recovery deletes.
ObsoleteSegments findObsoleteSegments(const std::map<uint64_t, SegmentLineage>& found,
                                      uint64_t checkpoint_lsn);

}  // namespace periscope::storage
