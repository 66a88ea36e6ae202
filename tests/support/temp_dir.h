// TempDir: a fresh directory under $TMPDIR for one test, removed (recursively) on destruction.
#pragma once

#include <filesystem>
#include <string>

namespace periscope::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace periscope::testing
