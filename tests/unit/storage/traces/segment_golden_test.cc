// Golden segment: a fixed small table must encode to exactly the checked-in bytes, and those
// bytes must decode back to the same spans. A failure means the on-disk format changed: bump
// kSegmentFormatVersion (older files must stay readable) and regenerate with
// PERISCOPE_UPDATE_GOLDEN=1 build/tests/unit_storage --gtest_filter='SegmentGolden*'.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "storage/signals/traces/segment.h"
#include "trace_builder.h"

namespace periscope::storage {
namespace {

using testing::SpanSpec;

const std::string kGolden =
    std::string(PERISCOPE_SOURCE_DIR) + "/tests/unit/storage/testdata/golden_segment_v1.pst";

model::Traces goldenInput() {
  return testing::build({
      {.trace = 1,
       .id = 1,
       .service = "frontend",
       .name = "GET /",
       .start_ns = 1'000'000'000,
       .duration_ns = 5'000'000,
       .string_attrs = {{"http.method", "GET"}},
       .int_attrs = {{"http.status_code", 200}},
       .resource_attrs = {{"host.name", "a"}}},
      {.trace = 1,
       .id = 2,
       .parent = 1,
       .service = "db",
       .name = "SELECT",
       .kind = 3,
       .start_ns = 1'001'000'000,
       .duration_ns = 2'000'000,
       .error = true},
      {.trace = 2,
       .id = 1,
       .service = "frontend",
       .name = "POST /",
       .start_ns = 2'000'000'000,
       .duration_ns = 9'000'000,
       .string_attrs = {{"http.method", "POST"}}},
  });
}

std::string encodeGolden() {
  SpanTable table;
  table.append(goldenInput());
  SpanTable sorted = sortedByTrace(table);
  SegmentMeta meta;
  meta.id = 7;
  meta.wal_lsn = 3;
  SegmentEncodeOptions o;
  o.row_group_rows = 2;  // two row groups
  return encodeSegment(sorted, meta, o);
}

TEST(SegmentGolden, EncodingMatchesTheCheckedInFile) {
  std::string bytes = encodeGolden();
  if (std::getenv("PERISCOPE_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(kGolden, std::ios::binary) << bytes;
    GTEST_SKIP() << "rewrote " << kGolden;
  }
  std::ifstream in(kGolden, std::ios::binary);
  ASSERT_TRUE(in) << "missing " << kGolden;
  std::stringstream golden;
  golden << in.rdbuf();
  EXPECT_EQ(bytes, golden.str()) << "the segment format changed (see the comment at the top)";
}

TEST(SegmentGolden, CheckedInFileDecodesToTheInput) {
  std::ifstream in(kGolden, std::ios::binary);
  ASSERT_TRUE(in);
  std::stringstream golden;
  golden << in.rdbuf();
  auto groups = decodeSegment(golden.str());
  ASSERT_TRUE(groups.isOk()) << groups.status().toString();
  ASSERT_EQ(groups->size(), 2u);
  model::Traces out;
  for (const auto& g : *groups) {
    std::vector<uint32_t> rows(g->table.rows());
    for (uint32_t i = 0; i < rows.size(); ++i) rows[i] = i;
    g->table.toTraces(rows, out);
  }
  EXPECT_EQ(testing::canonicalSpans(out), testing::canonicalSpans(goldenInput()));
  auto meta = decodeSegmentMeta(golden.str(), golden.str().size());
  ASSERT_TRUE(meta.isOk());
  EXPECT_EQ(meta->id, 7u);
  EXPECT_EQ(meta->wal_lsn, 3u);
  EXPECT_EQ(meta->spans, 3u);
}

}  // namespace
}  // namespace periscope::storage
