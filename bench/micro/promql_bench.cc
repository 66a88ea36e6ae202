// PromQL range queries over an in-memory MetricsReader, the issue-5 workload: counters scraped
// every 15 s for 1 h 5 m, queried over the last hour at 15 s steps (241 steps):
//   sum by (service) (rate(x[5m]))                                    N counter series
//   histogram_quantile(0.99, sum by (le, service) (rate(x_bucket[5m])))  N bucket series
// with N = 1k and 10k series (20 services; histograms of 10 buckets). Time includes select()
// from the in-memory reader (a copy of the samples), as a store read would.
#include <benchmark/benchmark.h>

#include <map>
#include <memory>
#include <string>

#include "query/promql/engine.h"
#include "support/memory_metrics_reader.h"

namespace {

namespace promql = periscope::query::promql;
using periscope::testing::MemoryMetricsReader;

constexpr int64_t kScrapeMs = 15'000;
constexpr int64_t kEndMs = 65 * 60'000;  // 1 h of steps plus the first 5 m window
constexpr int64_t kStartMs = 5 * 60'000;
constexpr int kServices = 20;
const char* const kBuckets[] = {"0.005", "0.01", "0.025", "0.05", "0.1",
                                "0.25",  "0.5",  "1",     "2.5",  "+Inf"};

std::vector<periscope::storage::metrics::Sample> counterSamples(uint64_t seed, double scale) {
  std::vector<periscope::storage::metrics::Sample> out;
  double v = 0;
  for (int64_t t = 0; t <= kEndMs; t += kScrapeMs) {
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    v += scale * static_cast<double>(seed >> 40) / static_cast<double>(1 << 24);
    out.push_back({t, v});
  }
  return out;
}

const MemoryMetricsReader& counters(int n) {
  static std::map<int, std::unique_ptr<MemoryMetricsReader>> cache;
  auto& r = cache[n];
  if (!r) {
    r = std::make_unique<MemoryMetricsReader>();
    for (int i = 0; i < n; ++i) {
      r->add({{"__name__", "x"},
              {"instance", "i" + std::to_string(i)},
              {"service", "s" + std::to_string(i % kServices)}},
             counterSamples(static_cast<uint64_t>(i) + 1, 10));
    }
  }
  return *r;
}

const MemoryMetricsReader& histograms(int n) {
  static std::map<int, std::unique_ptr<MemoryMetricsReader>> cache;
  auto& r = cache[n];
  if (!r) {
    r = std::make_unique<MemoryMetricsReader>();
    constexpr int kPerHistogram = std::size(kBuckets);
    for (int h = 0; h < n / kPerHistogram; ++h) {
      // Cumulative buckets: bucket b counts a growing share of the observations.
      auto base = counterSamples(static_cast<uint64_t>(h) + 1, 10);
      for (int b = 0; b < kPerHistogram; ++b) {
        auto samples = base;
        for (auto& s : samples) s.v = s.v * (b + 1) / kPerHistogram;
        r->add({{"__name__", "x_bucket"},
                {"instance", "i" + std::to_string(h)},
                {"le", kBuckets[b]},
                {"service", "s" + std::to_string(h % kServices)}},
               samples);
      }
    }
  }
  return *r;
}

void runRange(benchmark::State& state, const MemoryMetricsReader& reader, const char* query) {
  promql::Engine engine(reader);
  size_t points = 0;
  for (auto _ : state) {
    auto r = engine.range(query, kStartMs, kEndMs, kScrapeMs);
    if (!r.isOk()) {
      state.SkipWithError(std::string(r.status().message()).c_str());
      return;
    }
    points = 0;
    for (const auto& s : r->series) points += s.points.size();
    benchmark::DoNotOptimize(points);
  }
  state.counters["out_points"] = static_cast<double>(points);
  state.SetItemsProcessed(state.iterations() * state.range(0));  // series per second
}

void BM_SumByRate(benchmark::State& state) {
  runRange(state, counters(static_cast<int>(state.range(0))), "sum by (service) (rate(x[5m]))");
}
BENCHMARK(BM_SumByRate)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

void BM_HistogramQuantile(benchmark::State& state) {
  runRange(state, histograms(static_cast<int>(state.range(0))),
           "histogram_quantile(0.99, sum by (le, service) (rate(x_bucket[5m])))");
}
BENCHMARK(BM_HistogramQuantile)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

}  // namespace
