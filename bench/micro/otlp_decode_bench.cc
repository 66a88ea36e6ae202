// OTLP protobuf codec: our zero-copy decoder/encoder versus libprotobuf on a realistic
// 512-span request (4 resources x 128 spans) and 512 log records.
#include <benchmark/benchmark.h>
#include <google/protobuf/arena.h>

#include <string>

#include "model/otlp/proto_decoder.h"
#include "model/otlp/proto_encoder.h"
#include "support/otlp_random.h"

namespace {

using periscope::testing::PbLogs;
using periscope::testing::PbTraces;
namespace otlp = periscope::model::otlp;

constexpr int kResources = 4;
constexpr int kPerResource = 128;
constexpr int64_t kItems = kResources * kPerResource;

const std::string& tracesBytes() {
  static const std::string bytes =
      periscope::testing::makeRealisticTraces(kResources, kPerResource, 42).SerializeAsString();
  return bytes;
}
const std::string& logsBytes() {
  static const std::string bytes =
      periscope::testing::makeRealisticLogs(kResources, kPerResource, 42).SerializeAsString();
  return bytes;
}

void report(benchmark::State& state, size_t bytes) {
  state.SetItemsProcessed(state.iterations() * kItems);
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(bytes));
}

void BM_TracesDecodeOurs(benchmark::State& state) {
  const std::string& bytes = tracesBytes();
  for (auto _ : state) {
    periscope::model::Traces batch;
    periscope::Status st = otlp::decode(bytes, batch);
    benchmark::DoNotOptimize(st);
    benchmark::DoNotOptimize(batch.resources().data());
  }
  report(state, bytes.size());
}
BENCHMARK(BM_TracesDecodeOurs);

void BM_TracesDecodeLibprotobufHeap(benchmark::State& state) {
  const std::string& bytes = tracesBytes();
  for (auto _ : state) {
    PbTraces msg;
    bool ok = msg.ParseFromString(bytes);
    benchmark::DoNotOptimize(ok);
  }
  report(state, bytes.size());
}
BENCHMARK(BM_TracesDecodeLibprotobufHeap);

void BM_TracesDecodeLibprotobufArena(benchmark::State& state) {
  const std::string& bytes = tracesBytes();
  for (auto _ : state) {
    google::protobuf::Arena arena;
    auto* msg = google::protobuf::Arena::CreateMessage<PbTraces>(&arena);
    bool ok = msg->ParseFromString(bytes);
    benchmark::DoNotOptimize(ok);
  }
  report(state, bytes.size());
}
BENCHMARK(BM_TracesDecodeLibprotobufArena);

void BM_TracesEncodeOurs(benchmark::State& state) {
  const std::string& bytes = tracesBytes();
  periscope::model::Traces batch;
  if (!otlp::decode(bytes, batch).isOk()) state.SkipWithError("decode failed");
  std::string out;
  for (auto _ : state) {
    out.clear();
    otlp::encode(batch, out);
    benchmark::DoNotOptimize(out.data());
  }
  report(state, bytes.size());
}
BENCHMARK(BM_TracesEncodeOurs);

void BM_TracesEncodeLibprotobuf(benchmark::State& state) {
  const std::string& bytes = tracesBytes();
  PbTraces msg;
  msg.ParseFromString(bytes);
  std::string out;
  for (auto _ : state) {
    out.clear();
    msg.SerializeToString(&out);
    benchmark::DoNotOptimize(out.data());
  }
  report(state, bytes.size());
}
BENCHMARK(BM_TracesEncodeLibprotobuf);

void BM_LogsDecodeOurs(benchmark::State& state) {
  const std::string& bytes = logsBytes();
  for (auto _ : state) {
    periscope::model::Logs batch;
    periscope::Status st = otlp::decode(bytes, batch);
    benchmark::DoNotOptimize(st);
    benchmark::DoNotOptimize(batch.resources().data());
  }
  report(state, bytes.size());
}
BENCHMARK(BM_LogsDecodeOurs);

void BM_LogsDecodeLibprotobufArena(benchmark::State& state) {
  const std::string& bytes = logsBytes();
  for (auto _ : state) {
    google::protobuf::Arena arena;
    auto* msg = google::protobuf::Arena::CreateMessage<PbLogs>(&arena);
    bool ok = msg->ParseFromString(bytes);
    benchmark::DoNotOptimize(ok);
  }
  report(state, bytes.size());
}
BENCHMARK(BM_LogsDecodeLibprotobufArena);

}  // namespace
