// The trace store's ingest steps one by one, on the load generator's standard corpus: what a
// span costs in the head (SpanTable::append: columns + dictionary interning), in its WAL
// record (OTLP protobuf encoding), and at flush (reordering by trace and segment encoding).
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "app/loadgen/workload.h"
#include "model/otlp/proto_encoder.h"
#include "storage/signals/traces/segment.h"
#include "storage/signals/traces/span_table.h"

namespace {

namespace storage = periscope::storage;
namespace loadgen = periscope::app::loadgen;
constexpr int kSpans = loadgen::kCorpusSpansPerRequest;
constexpr int kBatches = 256;  // 131,072 distinct spans: the first requests of bench/corpus

const std::vector<periscope::model::Traces>& batches() {
  static const auto* b = [] {
    auto* v = new std::vector<periscope::model::Traces>();
    for (int i = 0; i < kBatches; ++i)
      v->push_back(loadgen::corpusRequest(static_cast<uint64_t>(i), kSpans,
                                          loadgen::Profile::kStandard, 2000));
    return v;
  }();
  return *b;
}

// A head filling up: every iteration appends all batches to a fresh table.
void BM_HeadAppend(benchmark::State& state) {
  const auto& in = batches();
  for (auto _ : state) {
    storage::SpanTable table;
    for (const auto& b : in) table.append(b);
    benchmark::DoNotOptimize(table.rows());
  }
  state.SetItemsProcessed(state.iterations() * kBatches * kSpans);
}
BENCHMARK(BM_HeadAppend)->Unit(benchmark::kMillisecond);

void BM_WalRecordEncode(benchmark::State& state) {
  const auto& in = batches();
  std::string record;
  for (auto _ : state) {
    for (const auto& b : in) {
      record.assign(8, '\0');
      periscope::model::otlp::encode(b, record);
    }
    benchmark::DoNotOptimize(record.data());
  }
  state.SetItemsProcessed(state.iterations() * kBatches * kSpans);
}
BENCHMARK(BM_WalRecordEncode)->Unit(benchmark::kMillisecond);

// Flush: sort the head by trace, split into row groups, encode, zstd level 3.
void BM_FlushEncode(benchmark::State& state) {
  storage::SpanTable head;
  for (const auto& b : batches()) head.append(b);
  size_t bytes = 0;
  for (auto _ : state) {
    storage::SpanTable sorted = storage::sortedByTrace(head);
    storage::SegmentMeta meta;
    std::string file = storage::encodeSegment(sorted, meta, {});
    bytes = file.size();
    benchmark::DoNotOptimize(file.data());
  }
  state.SetItemsProcessed(state.iterations() * kBatches * kSpans);
  state.counters["B/span"] = static_cast<double>(bytes) / (kBatches * kSpans);
}
BENCHMARK(BM_FlushEncode)->Unit(benchmark::kMillisecond);

// get-trace on a cold segment: decode one row group.
void BM_RowGroupDecode(benchmark::State& state) {
  storage::SpanTable head;
  for (const auto& b : batches()) head.append(b);
  storage::SpanTable sorted = storage::sortedByTrace(head);
  storage::SegmentMeta meta;
  std::string file = storage::encodeSegment(sorted, meta, {});
  const storage::RowGroupMeta& g = meta.row_groups[meta.row_groups.size() / 2];
  for (auto _ : state) {
    auto rg = storage::decodeRowGroup(std::string_view(file).substr(g.offset, g.length), g);
    benchmark::DoNotOptimize(rg.isOk());
  }
  state.SetItemsProcessed(state.iterations() * g.rows);
}
BENCHMARK(BM_RowGroupDecode)->Unit(benchmark::kMillisecond);

}  // namespace

namespace {
// The same appends into chunks of 8 batches (4,096 spans), each with its own small dictionary.
void BM_HeadAppendChunked(benchmark::State& state) {
  const auto& in = batches();
  for (auto _ : state) {
    std::vector<storage::SpanTable> chunks(kBatches / 8);
    for (int i = 0; i < kBatches; ++i)
      chunks[static_cast<size_t>(i / 8)].append(in[static_cast<size_t>(i)]);
    benchmark::DoNotOptimize(chunks.data());
  }
  state.SetItemsProcessed(state.iterations() * kBatches * kSpans);
}
BENCHMARK(BM_HeadAppendChunked)->Unit(benchmark::kMillisecond);
}  // namespace
