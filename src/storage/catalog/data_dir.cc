#include "storage/catalog/data_dir.h"

#include <cstdlib>
#include <vector>

namespace periscope::storage {
namespace {

constexpr const char* kMarker = "PERISCOPE_DATA";
constexpr std::string_view kMarkerPrefix = "periscope data directory\nformat ";

}  // namespace

Status claimDataDir(FileSystem& fs, const std::string& path) {
  PERISCOPE_RETURN_IF_ERROR(fs.createDir(path));
  std::string marker = path + "/" + kMarker;
  auto has_marker = fs.exists(marker);
  if (!has_marker.isOk()) return has_marker.status();
  if (*has_marker) {
    auto text = fs.readAll(marker);
    if (!text.isOk()) return text.status();
    if (text->rfind(kMarkerPrefix, 0) != 0)
      return Status(StatusCode::kFailedPrecondition,
                    marker + " is not a Periscope marker; refusing to use " + path);
    int version = std::atoi(text->c_str() + kMarkerPrefix.size());
    if (version > kDataDirFormatVersion)
      return Status(StatusCode::kFailedPrecondition,
                    path + " was written by a newer Periscope (data format " +
                        std::to_string(version) + "; this build reads up to " +
                        std::to_string(kDataDirFormatVersion) + "); refusing to touch it");
    return Status::ok();
  }
  auto entries = fs.listDir(path);
  if (!entries.isOk()) return entries.status();
  // A marker.tmp alone is our own interrupted claim.
  std::erase(*entries, std::string(kMarker) + ".tmp");
  if (!entries->empty())
    return Status(StatusCode::kFailedPrecondition,
                  path + " is not empty and is not a Periscope data directory (no " + kMarker +
                      " file; it holds \"" + entries->front() +
                      "\"…); refusing to use it — choose an empty or new directory");
  std::string tmp = marker + ".tmp";
  auto f = fs.openAppend(tmp);
  if (!f.isOk()) return f.status();
  PERISCOPE_RETURN_IF_ERROR(
      (*f)->append(std::string(kMarkerPrefix) + std::to_string(kDataDirFormatVersion) + "\n"));
  PERISCOPE_RETURN_IF_ERROR((*f)->sync());
  PERISCOPE_RETURN_IF_ERROR((*f)->close());
  PERISCOPE_RETURN_IF_ERROR(fs.rename(tmp, marker));
  return fs.syncDir(path);
}

}  // namespace periscope::storage
