// Golden log segments: a fixed set of records must decode from the checked-in files (the
// current version and version 1) to exactly those records. A failure means the on-disk format
// changed: bump kLogSegmentVersion (older files must stay readable) and regenerate with
// PERISCOPE_UPDATE_GOLDEN=1 build/tests/unit_storage --gtest_filter='LogSegmentGolden*' (which also
// refreshes the seeds of tests/fuzz/corpus/log_segment_fuzz).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/loadgen/log_workload.h"
#include "storage/signals/logs/log_segment.h"
#include "unit/storage/signals/logs/log_test_util.h"

namespace periscope::storage::logs {
namespace {

const std::string kSource = PERISCOPE_SOURCE_DIR;
const std::string kGoldenV1 = kSource + "/tests/unit/storage/testdata/golden_log_segment_v1.pls";
const std::string kGolden = kSource + "/tests/unit/storage/testdata/golden_log_segment_v2.pls";

// Realistic records (string and structured bodies, trace context, several resources).
model::Logs goldenInput() {
  return app::loadgen::makeLogs(40, 7, 1'700'000'000'000'000'000ull);
}

std::string encode(const model::Logs& logs, size_t rows) {
  std::vector<RecordRef> refs;
  for (const auto& rl : logs.resources())
    for (const auto& sl : rl.scope_logs)
      for (const auto& r : sl.log_records) refs.push_back({&rl, &sl, &r, recordTime(r)});
  std::stable_sort(refs.begin(), refs.end(),
                   [](const RecordRef& a, const RecordRef& b) { return a.time_ns < b.time_ns; });
  LogSegmentMeta meta;
  meta.id = 1;
  meta.wal_lsn = 3;
  meta.partition_start_ns = refs.front().time_ns / 3'600'000'000'000ull * 3'600'000'000'000ull;
  return encodeLogSegment(refs, meta, {.zstd_level = 3, .row_group_rows = rows});
}

void write(const std::string& path, const std::string& bytes) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << bytes;
}

std::string readFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// Decodes a whole golden file and compares it with the input it was written from.
void expectDecodesToInput(const std::string& path, uint32_t expected_version) {
  std::string bytes = readFile(path);
  ASSERT_FALSE(bytes.empty()) << path;
  auto version = logSegmentVersion(bytes);
  ASSERT_TRUE(version.isOk()) << version.status().message();
  EXPECT_EQ(*version, expected_version);
  auto meta = decodeLogSegmentMeta(bytes, bytes.size(), *version);
  ASSERT_TRUE(meta.isOk()) << meta.status().message();
  EXPECT_EQ(meta->id, 1u);
  EXPECT_EQ(meta->wal_lsn, 3u);
  EXPECT_EQ(meta->records, 40u);
  EXPECT_EQ(meta->row_groups.size(), 3u);
  model::Logs out;
  for (const auto& rg : meta->row_groups) {
    model::Logs part;
    auto n = decodeLogRowGroup(
        rg,
        [&](const LogBlockRef& b) -> Result<std::string> { return bytes.substr(b.offset, b.size); },
        {}, part);
    ASSERT_TRUE(n.isOk()) << n.status().message();
    out.append(std::move(part));
  }
  EXPECT_EQ(test::canonical(out), test::canonical(goldenInput()));
}

TEST(LogSegmentGolden, CheckedInFileDecodesToTheSameRecords) {
  if (std::getenv("PERISCOPE_UPDATE_GOLDEN") != nullptr) {
    model::Logs input = goldenInput();
    write(kGolden, encode(input, 16));
    const std::string corpus = kSource + "/tests/fuzz/corpus/log_segment_fuzz/";
    write(corpus + "realistic.pls", encode(input, 16));
    write(corpus + "one_row_group.pls", encode(test::makeLogs({{5, 17, "timeout a"}}), 4096));
  }
  expectDecodesToInput(kGolden, kLogSegmentVersion);
}

// Segments written before version 2 (attribute keys inline) stay readable.
TEST(LogSegmentGolden, VersionOneFileStillDecodes) {
  expectDecodesToInput(kGoldenV1, 1);
}

}  // namespace
}  // namespace periscope::storage::logs
