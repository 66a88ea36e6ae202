#include "storage/io/file_system.h"

namespace periscope::storage {

Result<std::string> FileSystem::readAll(const std::string& path) {
  auto file = openRead(path);
  if (!file.isOk()) return file.status();
  auto size = (*file)->size();
  if (!size.isOk()) return size.status();
  return (*file)->read(0, static_cast<size_t>(*size));
}

}  // namespace periscope::storage
