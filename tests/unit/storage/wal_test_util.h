// Helpers shared by the WAL tests: a temp dir with a real and a fault-injecting FileSystem,
// and open-and-collect-everything.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "storage/io/fault_injecting_file_system.h"
#include "storage/io/posix_file_system.h"
#include "storage/wal/wal.h"
#include "storage/wal/wal_format.h"
#include "support/temp_dir.h"

namespace periscope::storage {

struct Reopened {
  std::unique_ptr<Wal> wal;
  std::vector<std::string> records;
};

inline Reopened openCollect(FileSystem& fs, const std::string& dir, WalOptions options = {}) {
  Reopened out;
  auto wal = Wal::open(fs, dir, options, [&](uint64_t, std::string_view record) {
    out.records.emplace_back(record);
    return Status::ok();
  });
  EXPECT_TRUE(wal.isOk()) << wal.status().toString();
  if (wal.isOk()) out.wal = std::move(wal).value();
  return out;
}

class WalTestBase : public ::testing::Test {
 protected:
  std::string walDir() const { return tmp_.file("wal"); }
  std::string segment(uint64_t seq) const { return walDir() + "/" + walSegmentName(seq); }

  testing::TempDir tmp_;
  PosixFileSystem posix_;
  FaultInjectingFileSystem faulty_{posix_};
};

}  // namespace periscope::storage
