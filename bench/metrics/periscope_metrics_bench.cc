// periscope_metrics_bench: the embedded metrics store measured in process.
//   periscope_metrics_bench [--series N] [--scrapes K] [--interval-ms MS] [--jitter-ms J]
//                           [--fsync always|interval|never] [--zstd-level L] [--dir DIR]
// Workload: N series = 100 metric names × N/100 targets ({__name__, job, instance, le/code}),
// one sample per series per scrape, K scrapes `interval` apart (default 10k × 240 × 15 s = 1 h).
// Values: 50 % counters (+0..9 per scrape), 25 % gauges (random walk in 4 KiB steps), 25 %
// ratios with 3 decimals. Timestamps exact, or ± jitter ms.
// Phases, each printed as one line:
//   append   MetricsStore::appendSamples, one batch per scrape: samples per CPU-second of the
//            process (generation excluded: values are computed before the clock starts);
//   write    MetricsStore::write of OTLP batches (gauges/counters with the same shape) through
//            the Translator: samples per CPU-second (batch construction excluded);
//   disk     after flushing the head to blocks: block bytes / stored samples.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "model/batch.h"
#include "storage/io/posix_file_system.h"
#include "storage/signals/metrics/metrics_store.h"

namespace {

namespace metrics = periscope::storage::metrics;
namespace model = periscope::model;
using periscope::model::prom::LabelRef;

double processCpuSeconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

struct Args {
  size_t series = 10'000;
  size_t scrapes = 240;
  int64_t interval_ms = 15'000;
  int64_t jitter_ms = 0;
  periscope::storage::WalSyncPolicy fsync = periscope::storage::WalSyncPolicy::kNever;
  std::string dir = "/tmp/periscope-metrics-bench";
  int zstd_level = 3;
};

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--series")
      a.series = std::stoul(v);
    else if (k == "--scrapes")
      a.scrapes = std::stoul(v);
    else if (k == "--interval-ms")
      a.interval_ms = std::stoll(v);
    else if (k == "--jitter-ms")
      a.jitter_ms = std::stoll(v);
    else if (k == "--zstd-level")
      a.zstd_level = std::stoi(v);
    else if (k == "--dir")
      a.dir = v;
    else if (k == "--fsync") {
      a.fsync = v == "always"     ? periscope::storage::WalSyncPolicy::kAlways
                : v == "interval" ? periscope::storage::WalSyncPolicy::kInterval
                                  : periscope::storage::WalSyncPolicy::kNever;
    } else {
      std::fprintf(stderr, "unknown flag %s\n", k.c_str());
      std::exit(2);
    }
  }
  return a;
}

struct Workload {
  std::vector<std::vector<std::string>> owned;  // per series: name, job, instance, extra value
  std::vector<std::vector<LabelRef>> labels;
  std::vector<double> values;
  std::mt19937_64 rng{7};

  explicit Workload(size_t n) {
    owned.resize(n);
    labels.resize(n);
    values.assign(n, 0);
    for (size_t i = 0; i < n; ++i) {
      size_t metric = i % 100, target = i / 100;
      owned[i] = {
          "bench_metric_" + std::to_string(metric), "service_" + std::to_string(target % 20),
          "10.0." + std::to_string(target / 250) + "." + std::to_string(target % 250) + ":9100",
          std::to_string(metric % 7)};
      auto& o = owned[i];
      // Sorted: __name__ < code < instance < job.
      labels[i] = {{"__name__", o[0]}, {"code", o[3]}, {"instance", o[2]}, {"job", o[1]}};
    }
  }
  void step() {
    for (size_t i = 0; i < values.size(); ++i) {
      switch (i % 4) {
        case 0:
        case 1:
          values[i] += static_cast<double>(rng() % 10);
          break;
        case 2:
          values[i] = std::max(0.0, values[i] + 4096.0 * (static_cast<double>(rng() % 5) - 2));
          break;
        default:
          values[i] = static_cast<double>(rng() % 1000) / 1000;
      }
    }
  }
  int64_t jitter(int64_t j) {
    return j == 0 ? 0 : static_cast<int64_t>(rng() % static_cast<uint64_t>(2 * j + 1)) - j;
  }
};

metrics::MetricsStoreOptions storeOptions(const Args& a, const std::string& dir) {
  metrics::MetricsStoreOptions o;
  o.dir = dir;
  o.fsync = a.fsync;
  o.background_maintenance = false;
  o.retention = std::chrono::milliseconds(0);
  o.head_max_samples = ~uint64_t{0};
  o.max_series_per_metric = 1'000'000;
  o.block_zstd_level = a.zstd_level;
  return o;
}

void reportDisk(const char* phase, metrics::MetricsStore& s) {
  if (!s.flushHead().isOk()) std::fprintf(stderr, "flush failed\n");
  const auto& st = s.stats();
  std::printf("disk(%s)  %.3f bytes/sample (%llu bytes, %llu samples, %llu blocks)\n", phase,
              static_cast<double>(st.block_bytes) / static_cast<double>(st.block_samples),
              static_cast<unsigned long long>(st.block_bytes.load()),
              static_cast<unsigned long long>(st.block_samples.load()),
              static_cast<unsigned long long>(st.blocks.load()));
}

void benchAppend(const Args& a, periscope::storage::FileSystem& fs) {
  Workload w(a.series);
  auto store = metrics::MetricsStore::open(fs, storeOptions(a, a.dir + "/append"));
  if (!store.isOk()) {
    std::fprintf(stderr, "open: %s\n", std::string(store.status().message()).c_str());
    std::exit(1);
  }
  // Pre-generate every scrape so the clock sees only the store.
  std::vector<std::vector<double>> values(a.scrapes);
  std::vector<std::vector<int64_t>> times(a.scrapes);
  for (size_t k = 0; k < a.scrapes; ++k) {
    w.step();
    values[k] = w.values;
    times[k].resize(a.series);
    for (size_t i = 0; i < a.series; ++i) {
      times[k][i] =
          1'700'000'000'000 + static_cast<int64_t>(k) * a.interval_ms + w.jitter(a.jitter_ms);
    }
  }
  std::vector<metrics::SampleRef> batch(a.series);
  double cpu0 = processCpuSeconds();
  auto wall0 = std::chrono::steady_clock::now();
  for (size_t k = 0; k < a.scrapes; ++k) {
    for (size_t i = 0; i < a.series; ++i) batch[i] = {w.labels[i], times[k][i], values[k][i]};
    if (!(*store)->appendSamplesSync(batch).isOk()) std::fprintf(stderr, "append failed\n");
  }
  double cpu = processCpuSeconds() - cpu0;
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  double n = static_cast<double>(a.series * a.scrapes);
  std::printf(
      "append  %.0f samples/CPU-s, %.0f samples/s wall (%zu series x %zu scrapes, %.2f CPU-s)\n",
      n / cpu, n / wall, a.series, a.scrapes, cpu);
  reportDisk("append", **store);
}

void benchWrite(const Args& a, periscope::storage::FileSystem& fs) {
  Workload w(a.series);
  auto store = metrics::MetricsStore::open(fs, storeOptions(a, a.dir + "/write"));
  if (!store.isOk()) std::exit(1);
  // One OTLP batch per scrape: a resource per target (job/instance from service.*), one metric
  // per name with a single point carrying `code`.
  size_t targets = (a.series + 99) / 100;
  std::vector<model::Metrics> batches(a.scrapes);
  for (size_t k = 0; k < a.scrapes; ++k) {
    w.step();
    model::Metrics& b = batches[k];
    periscope::Arena& arena = b.arena();
    uint64_t t_ns =
        static_cast<uint64_t>(1'700'000'000'000 + static_cast<int64_t>(k) * a.interval_ms +
                              w.jitter(a.jitter_ms)) *
        1'000'000;
    for (size_t target = 0; target < targets; ++target) {
      size_t first = target * 100;
      size_t count = std::min<size_t>(100, a.series - first);
      auto metrics_arr = arena.allocArray<model::Metric>(count);
      for (size_t m = 0; m < count; ++m) {
        size_t i = first + m;
        auto pt = arena.allocArray<model::NumberDataPoint>(1);
        auto attrs = arena.allocArray<model::KeyValue>(1);
        attrs[0] = {"code", model::AnyValue::string(w.owned[i][3])};
        pt[0].attributes = attrs;
        pt[0].time_unix_nano = t_ns;
        pt[0].value_type = model::NumberValue::kDouble;
        pt[0].as_double = w.values[i];
        model::Metric& metric = metrics_arr[m];
        metric.name = w.owned[i][0];
        bool counter = i % 4 < 2;
        metric.type = counter ? model::MetricType::kSum : model::MetricType::kGauge;
        metric.is_monotonic = counter;
        metric.aggregation_temporality =
            static_cast<int32_t>(model::AggregationTemporality::kCumulative);
        metric.number_points = pt;
      }
      auto scope = arena.allocArray<model::ScopeMetrics>(1);
      scope[0].metrics = metrics_arr;
      auto res_attrs = arena.allocArray<model::KeyValue>(2);
      res_attrs[0] = {"service.name", model::AnyValue::string(w.owned[first][1])};
      res_attrs[1] = {"service.instance.id", model::AnyValue::string(w.owned[first][2])};
      model::ResourceMetrics rm;
      rm.resource.attributes = res_attrs;
      rm.scope_metrics = scope;
      b.resources().push_back(rm);
    }
  }
  double cpu0 = processCpuSeconds();
  auto wall0 = std::chrono::steady_clock::now();
  for (size_t k = 0; k < a.scrapes; ++k) {
    if (!(*store)->writeSync(batches[k]).isOk()) std::fprintf(stderr, "write failed\n");
  }
  double cpu = processCpuSeconds() - cpu0;
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  double n = static_cast<double>((*store)->stats().samples_appended.load());
  std::printf("write   %.0f samples/CPU-s, %.0f samples/s wall (OTLP, %.0f samples, %.2f CPU-s)\n",
              n / cpu, n / wall, n, cpu);
  reportDisk("write", **store);
}

}  // namespace

int main(int argc, char** argv) {
  Args a = parse(argc, argv);
  std::filesystem::remove_all(a.dir);
  periscope::storage::PosixFileSystem fs;
  benchAppend(a, fs);
  benchWrite(a, fs);
  std::filesystem::remove_all(a.dir);
  return 0;
}
