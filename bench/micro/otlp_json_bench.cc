// OTLP/JSON codec on the same realistic 512-span request as otlp_decode_bench.cc, next to the
// protobuf figures (issue 14's goal: JSON at >= 50% of protobuf throughput).
#include <benchmark/benchmark.h>

#include <string>

#include "model/otlp/json_decoder.h"
#include "model/otlp/json_encoder.h"
#include "model/otlp/proto_decoder.h"
#include "support/otlp_random.h"

namespace {

namespace otlp = periscope::model::otlp;
constexpr int64_t kSpans = 4 * 128;

const std::string& tracesJson() {
  static const std::string json = [] {
    std::string proto = periscope::testing::makeRealisticTraces(4, 128, 42).SerializeAsString();
    periscope::model::Traces batch;
    std::string_view view = batch.arena().adopt(std::move(proto));
    (void)otlp::decode(view, batch);
    std::string out;
    otlp::encodeJson(batch, out);
    return out;
  }();
  return json;
}

void BM_TracesDecodeJson(benchmark::State& state) {
  const std::string& json = tracesJson();
  for (auto _ : state) {
    periscope::model::Traces batch;
    periscope::Status st = otlp::decodeJson(json, batch);
    benchmark::DoNotOptimize(st);
  }
  state.SetItemsProcessed(state.iterations() * kSpans);
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(json.size()));
}
BENCHMARK(BM_TracesDecodeJson);

void BM_TracesEncodeJson(benchmark::State& state) {
  periscope::model::Traces batch;
  (void)otlp::decodeJson(tracesJson(), batch);
  std::string out;
  for (auto _ : state) {
    out.clear();
    otlp::encodeJson(batch, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * kSpans);
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(out.size()));
}
BENCHMARK(BM_TracesEncodeJson);

}  // namespace
