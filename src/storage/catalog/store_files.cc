#include "storage/catalog/store_files.h"

#include <set>

#include "storage/catalog/file_names.h"

namespace periscope::storage {

Status claimStoreDir(FileSystem& fs, const std::string& dir, std::string_view segment_prefix,
                     std::string_view segment_suffix, std::string_view what) {
  PERISCOPE_RETURN_IF_ERROR(fs.createDir(dir));
  auto entries = fs.listDir(dir);
  if (!entries.isOk()) return entries.status();
  auto segment = [&](std::string_view name) {
    return parseNumberedName(name, segment_prefix, segment_suffix).has_value();
  };
  for (const std::string& name : *entries) {
    bool ours =
        name == "wal" || name == "quarantine" || name == "checkpoint" || name == "checkpoint.tmp" ||
        segment(name) ||
        (endsWith(name, ".tmp") && segment(std::string_view(name).substr(0, name.size() - 4)));
    if (!ours)
      return Status(StatusCode::kFailedPrecondition,
                    dir + " holds \"" + name + "\", which is not a " + std::string(what) +
                        " file; refusing to use a directory that is not ours (point storage.path "
                        "elsewhere or remove it)");
  }
  return Status::ok();
}

ObsoleteSegments findObsoleteSegments(const std::map<uint64_t, SegmentLineage>& found,
                                      uint64_t checkpoint_lsn) {
  ObsoleteSegments out;
  std::set<uint64_t> replaced;
  for (const auto& [id, s] : found)
    for (uint64_t r : s.replaces)
      if (r != id && found.count(r)) replaced.insert(r);
  out.replaced.assign(replaced.begin(), replaced.end());
  for (const auto& [id, s] : found)
    if (!replaced.count(id) && s.replaces.empty() && s.wal_lsn > checkpoint_lsn)
      out.unfinished.push_back(id);
  return out;
}

}  // namespace periscope::storage
