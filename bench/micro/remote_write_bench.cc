// Prometheus remote-write ingest: the receiver's zero-copy decode and conversion to OTLP
// metrics versus a libprotobuf parse, on a request shaped like Prometheus 2.x sends
// (max_samples_per_send 500: 500 series of 1 sample, 7 labels each, 50 metric names, 10
// targets), and the exporter's encoding of the same series.
#include <benchmark/benchmark.h>
#include <google/protobuf/arena.h>

#include <string>

#include "components/receivers/prometheusremotewrite/to_metrics.h"
#include "model/prometheus/remote_write.h"
#include "prometheus/remote.pb.h"

namespace {

namespace prom = periscope::model::prom;
constexpr int kSeries = 500;

const prometheus::WriteRequest& request() {
  static const prometheus::WriteRequest req = [] {
    prometheus::WriteRequest r;
    for (int i = 0; i < kSeries; ++i) {
      auto* ts = r.add_timeseries();
      auto add = [&](const char* n, std::string v) {
        auto* l = ts->add_labels();
        l->set_name(n);
        l->set_value(std::move(v));
      };
      add("__name__", "http_server_requests_seconds_bucket_" + std::to_string(i % 50));
      add("code", i % 7 == 0 ? "500" : "200");
      add("handler", "/api/v1/items/" + std::to_string(i % 13));
      add("instance", "10.0.0." + std::to_string(i % 10) + ":8080");
      add("job", "shop/checkout");
      add("le", std::to_string(i % 11));
      add("method", i % 2 ? "GET" : "POST");
      auto* s = ts->add_samples();
      s->set_value(i * 1.5);
      s->set_timestamp(1700000000000 + i);
    }
    return r;
  }();
  return req;
}

const std::string& bytes() {
  static const std::string b = request().SerializeAsString();
  return b;
}

void report(benchmark::State& state) {
  state.SetItemsProcessed(state.iterations() * kSeries);
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(bytes().size()));
}

void BM_RemoteWriteDecodeOurs(benchmark::State& state) {
  for (auto _ : state) {
    periscope::Arena arena;
    auto view = prom::decodeWriteRequest(bytes(), arena);
    benchmark::DoNotOptimize(view);
  }
  report(state);
}
BENCHMARK(BM_RemoteWriteDecodeOurs);

void BM_RemoteWriteDecodeAndConvertToOtlp(benchmark::State& state) {
  for (auto _ : state) {
    auto arena = std::make_shared<periscope::Arena>();
    auto view = prom::decodeWriteRequest(bytes(), *arena);
    periscope::model::Metrics metrics(arena);
    auto c = periscope::components::prometheusremotewrite_receiver::toMetrics(*view, {}, metrics);
    benchmark::DoNotOptimize(c);
  }
  report(state);
}
BENCHMARK(BM_RemoteWriteDecodeAndConvertToOtlp);

void BM_RemoteWriteDecodeLibprotobufArena(benchmark::State& state) {
  for (auto _ : state) {
    google::protobuf::Arena arena;
    auto* msg = google::protobuf::Arena::CreateMessage<prometheus::WriteRequest>(&arena);
    bool ok = msg->ParseFromString(bytes());
    benchmark::DoNotOptimize(ok);
  }
  report(state);
}
BENCHMARK(BM_RemoteWriteDecodeLibprotobufArena);

void BM_RemoteWriteEncodeOurs(benchmark::State& state) {
  std::vector<prom::OwnedSeries> series;
  for (const auto& ts : request().timeseries()) {
    prom::OwnedSeries s;
    for (const auto& l : ts.labels()) s.labels.push_back({l.name(), l.value()});
    for (const auto& smp : ts.samples()) s.samples.push_back({smp.value(), smp.timestamp()});
    series.push_back(std::move(s));
  }
  std::vector<const prom::OwnedSeries*> refs;
  for (const auto& s : series) refs.push_back(&s);
  std::string out;
  for (auto _ : state) {
    out.clear();
    prom::encodeWriteRequest(refs, {}, out);
    benchmark::DoNotOptimize(out.data());
  }
  report(state);
}
BENCHMARK(BM_RemoteWriteEncodeOurs);

}  // namespace
