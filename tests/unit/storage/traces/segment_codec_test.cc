// Round trips of the store's span representation: OTLP batch → SpanTable → (segment file →)
// OTLP batch must give back every span field for field, for random and realistic corpora.
#include <gtest/gtest.h>

#include <random>

#include "model/otlp/proto_decoder.h"
#include "model/validate.h"
#include "storage/signals/traces/segment.h"
#include "storage/signals/traces/span_table.h"
#include "support/otlp_random.h"
#include "trace_builder.h"

namespace periscope::storage {
namespace {

using testing::canonicalSpans;

model::Traces decodeValid(const std::string& bytes) {
  model::Traces t;
  EXPECT_TRUE(model::otlp::decode(bytes, t).isOk());
  model::removeInvalid(t);
  return t;
}

std::vector<uint32_t> allRows(const SpanTable& t) {
  std::vector<uint32_t> rows(t.rows());
  for (uint32_t i = 0; i < rows.size(); ++i) rows[i] = i;
  return rows;
}

model::Traces throughSegment(const SpanTable& table, SegmentMeta& meta,
                             SegmentEncodeOptions options = {}) {
  SpanTable sorted = sortedByTrace(table);
  std::string file = encodeSegment(sorted, meta, options);
  auto loaded = decodeSegment(file);
  EXPECT_TRUE(loaded.isOk()) << loaded.status().toString();
  model::Traces out;
  if (loaded.isOk())
    for (const auto& g : *loaded) g->table.toTraces(allRows(g->table), out);
  return out;
}

TEST(SpanTableTest, RandomCorporaRoundTripThroughTableAndSegment) {
  std::mt19937_64 rng(20261124);
  size_t spans = 0;
  for (int i = 0; i < 60; ++i) {
    std::string bytes;
    periscope::testing::randomTraces(rng).SerializeToString(&bytes);
    model::Traces in = decodeValid(bytes);
    SpanTable table;
    table.append(in);
    ASSERT_EQ(table.rows(), in.itemCount());
    spans += table.rows();

    model::Traces back;
    table.toTraces(allRows(table), back);
    EXPECT_EQ(canonicalSpans(back), canonicalSpans(in)) << "table round trip, corpus " << i;

    SegmentMeta meta;
    model::Traces from_segment = throughSegment(table, meta);
    EXPECT_EQ(canonicalSpans(from_segment), canonicalSpans(in))
        << "segment round trip, corpus " << i;
    EXPECT_EQ(meta.spans, table.rows());
  }
  EXPECT_GT(spans, 100u) << "the random corpus should exercise many valid spans";
}

TEST(SpanTableTest, RealisticCorpusRoundTripsAndCompresses) {
  std::string bytes;
  periscope::testing::makeRealisticTraces(4, 500, 7).SerializeToString(&bytes);
  model::Traces in = decodeValid(bytes);
  SpanTable table;
  table.append(in);
  SegmentMeta meta;
  model::Traces back = throughSegment(table, meta);
  EXPECT_EQ(canonicalSpans(back), canonicalSpans(in));
  // Columnar + dictionary + zstd must beat the OTLP wire form by a wide margin.
  EXPECT_LT(meta.file_bytes * 3, bytes.size()) << meta.file_bytes << " vs " << bytes.size();
}

TEST(SpanTableTest, EqualResourcesAreStoredOnce) {
  using testing::SpanSpec;
  model::Traces in = testing::build({SpanSpec{.id = 1}, SpanSpec{.id = 2}, SpanSpec{.id = 3}});
  SpanTable table;
  table.append(in);
  EXPECT_EQ(table.resources.size(), 1u);
  EXPECT_EQ(table.scopes.size(), 1u);
}

TEST(SegmentTest, MetaDescribesTheSegment) {
  using testing::SpanSpec;
  model::Traces in = testing::build({
      SpanSpec{
          .trace = 1, .id = 1, .service = "a", .name = "x", .start_ns = 5'000, .duration_ns = 10},
      SpanSpec{.trace = 1,
               .id = 2,
               .parent = 1,
               .service = "b",
               .name = "y",
               .kind = 3,
               .start_ns = 7'000,
               .duration_ns = 40},
      SpanSpec{
          .trace = 2, .id = 1, .service = "a", .name = "x", .start_ns = 9'000, .duration_ns = 20},
  });
  SpanTable table;
  table.append(in);
  SpanTable sorted = sortedByTrace(table);
  SegmentMeta meta;
  meta.id = 42;
  meta.wal_lsn = 7;
  meta.replaces = {3, 4};
  std::string file = encodeSegment(sorted, meta, {});
  auto decoded = decodeSegmentMeta(file, file.size());
  ASSERT_TRUE(decoded.isOk()) << decoded.status().toString();
  EXPECT_EQ(decoded->id, 42u);
  EXPECT_EQ(decoded->wal_lsn, 7u);
  EXPECT_EQ(decoded->replaces, (std::vector<uint64_t>{3, 4}));
  EXPECT_EQ(decoded->spans, 3u);
  EXPECT_EQ(decoded->traces, 2u);
  EXPECT_EQ(decoded->min_start_ns, 5'000u);
  EXPECT_EQ(decoded->max_start_ns, 9'000u);
  EXPECT_EQ(decoded->min_duration_ns, 10u);
  EXPECT_EQ(decoded->max_duration_ns, 40u);
  ASSERT_EQ(decoded->operations.size(), 2u);
  EXPECT_EQ(decoded->operations[0].service, "a");
  EXPECT_EQ(decoded->operations[0].op.name, "x");
  EXPECT_EQ(decoded->operations[1].service, "b");
  EXPECT_EQ(decoded->operations[1].op.span_kind, 3);
  EXPECT_TRUE(decoded->bloom.mayContain(traceIdFrom(testing::traceId(1))));
  EXPECT_TRUE(decoded->bloom.mayContain(traceIdFrom(testing::traceId(2))));

  auto seg = decodeSegment(file);
  ASSERT_TRUE(seg.isOk());
  ASSERT_EQ(seg->size(), 1u);
  const LoadedRowGroup& g = *(*seg)[0];
  auto [b, e] = g.traceRows(traceIdFrom(testing::traceId(1)));
  EXPECT_EQ(e - b, 2u);
  // The child's parent link survives the in-trace offset encoding.
  EXPECT_EQ(g.table.parent_id[b + 1], g.table.span_id[b]);
  auto none = g.traceRows(traceIdFrom(testing::traceId(9)));
  EXPECT_EQ(none.first, none.second);
}

TEST(SegmentTest, RowGroupsHoldWholeTracesAndAdmitTheirIds) {
  std::string bytes;
  periscope::testing::makeRealisticTraces(4, 500, 9).SerializeToString(&bytes);
  model::Traces in = decodeValid(bytes);
  SpanTable table;
  table.append(in);
  SegmentMeta meta;
  SegmentEncodeOptions small;
  small.row_group_rows = 50;
  model::Traces back = throughSegment(table, meta, small);
  EXPECT_EQ(canonicalSpans(back), canonicalSpans(in));
  ASSERT_GT(meta.row_groups.size(), 10u);
  uint64_t rows = 0, traces = 0;
  for (size_t i = 0; i < meta.row_groups.size(); ++i) {
    const RowGroupMeta& g = meta.row_groups[i];
    EXPECT_LE(g.first_trace, g.last_trace);
    rows += g.rows;
    traces += g.traces;
  }
  EXPECT_EQ(rows, meta.spans);
  EXPECT_EQ(traces, meta.traces) << "a trace was split across row groups";
  // The footer round-trips the directory, and one row group decodes from its own bytes.
  SpanTable sorted = sortedByTrace(table);
  std::string file = encodeSegment(sorted, meta, small);
  auto decoded = decodeSegmentMeta(file, file.size());
  ASSERT_TRUE(decoded.isOk());
  ASSERT_EQ(decoded->row_groups.size(), meta.row_groups.size());
  const RowGroupMeta& g3 = decoded->row_groups[3];
  auto one = decodeRowGroup(std::string_view(file).substr(g3.offset, g3.length), g3);
  ASSERT_TRUE(one.isOk()) << one.status().toString();
  EXPECT_EQ((*one)->table.rows(), g3.rows);
  EXPECT_EQ((*one)->trace_ids.front(), g3.first_trace);
  EXPECT_EQ((*one)->trace_ids.back(), g3.last_trace);
  for (const TraceId& id : (*one)->trace_ids) {
    EXPECT_TRUE(g3.bloom.mayContain(id));
    auto [b, e] = (*one)->traceRows(id);
    EXPECT_LT(b, e);
    for (uint32_t r = b; r < e; ++r) EXPECT_EQ((*one)->table.trace_id[r], id);
  }
}

TEST(SegmentTest, BloomFilterHasNoFalseNegativesAndFewFalsePositives) {
  BloomFilter bloom;
  bloom.init(10'000);
  std::mt19937_64 rng(1);
  std::vector<TraceId> ids(10'000);
  for (auto& id : ids) {
    for (auto& b : id) b = static_cast<uint8_t>(rng());
    bloom.add(id);
  }
  for (const auto& id : ids) ASSERT_TRUE(bloom.mayContain(id));
  int false_positives = 0;
  for (int i = 0; i < 10'000; ++i) {
    TraceId id;
    for (auto& b : id) b = static_cast<uint8_t>(rng());
    false_positives += bloom.mayContain(id) ? 1 : 0;
  }
  EXPECT_LT(false_positives, 300);  // ~1% expected at 10 bits per id
}

class SegmentDamageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string bytes;
    periscope::testing::makeRealisticTraces(2, 100, 3).SerializeToString(&bytes);
    model::Traces in = decodeValid(bytes);
    SpanTable table;
    table.append(in);
    SpanTable sorted = sortedByTrace(table);
    SegmentMeta meta;
    file_ = encodeSegment(sorted, meta, {});
  }
  std::string file_;
};

TEST_F(SegmentDamageTest, TruncationIsReported) {
  for (size_t cut : {size_t{1}, size_t{24}, file_.size() / 2, file_.size() - 1}) {
    std::string damaged = file_.substr(0, file_.size() - cut);
    auto meta = decodeSegmentMeta(damaged, damaged.size());
    EXPECT_FALSE(meta.isOk()) << "cut " << cut;
    EXPECT_EQ(meta.status().code(), StatusCode::kDataLoss);
    EXPECT_FALSE(decodeSegment(damaged).isOk()) << "cut " << cut;
  }
}

TEST_F(SegmentDamageTest, EveryFlippedByteIsDetectedNeverServed) {
  // Flip one byte at a spread of offsets: the decoder must refuse (checksums), never crash.
  for (size_t off = 12; off < file_.size(); off += std::max<size_t>(1, file_.size() / 97)) {
    std::string damaged = file_;
    damaged[off] = static_cast<char>(damaged[off] ^ 0x5a);
    EXPECT_FALSE(decodeSegment(damaged).isOk()) << "offset " << off;
  }
}

TEST_F(SegmentDamageTest, NewerFormatVersionIsRefusedByName) {
  std::string newer = file_;
  newer[8] = 9;  // u32 version after the 8-byte magic
  auto seg = decodeSegment(newer);
  ASSERT_FALSE(seg.isOk());
  EXPECT_EQ(seg.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(seg.status().message().find("newer"), std::string_view::npos);
}

}  // namespace
}  // namespace periscope::storage
