// periscope_store_bench: the embedded trace store measured in process, on the fixed corpus
// (bench/corpus: request i = makeTraces(512, seed * 1000003 + i, profile, base + i * 512/rate s)).
//   periscope_store_bench [--spans N] [--profile standard|fat] [--fsync always|interval|never]
//                         [--dir DIR] [--queries Q] [--cache-mb MB] [--inflight K] [--rate R]
//                         [--row-group ROWS] [--compaction-level ZSTD_LEVEL]
// Phases, each printed as one line:
//   ingest   spans per CPU-second of the process, excluding the CPU spent generating the corpus
//            (measured per thread), and wall-clock spans/s; fsync as given (default always);
//   compact  flush + compaction of every closed partition; bytes per span on disk after it;
//   get      get-trace latency p50/p99 over Q random stored trace ids (first pass cold, then warm);
//   search   service + tag + minDuration over the corpus hour, limit 20: p50/p99 over Q runs.
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "app/loadgen/workload.h"
#include "storage/io/posix_file_system.h"
#include "storage/signals/traces/trace_store.h"

namespace {

namespace loadgen = periscope::app::loadgen;
namespace storage = periscope::storage;
using Clock = std::chrono::steady_clock;

constexpr int kSpansPerRequest = loadgen::kCorpusSpansPerRequest;
constexpr uint64_t kBase = loadgen::kCorpusBaseUnixNano;

double processCpuSeconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

double threadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// CPU seconds per thread name (/proc/self/task/*/comm), to show where ingest time goes.
std::map<std::string, double> cpuByThread() {
  std::map<std::string, double> out;
  const double tick = static_cast<double>(sysconf(_SC_CLK_TCK));
  for (const auto& e : std::filesystem::directory_iterator("/proc/self/task")) {
    std::ifstream comm(e.path() / "comm"), stat(e.path() / "stat");
    std::string name, line;
    std::getline(comm, name);
    std::getline(stat, line);
    size_t close = line.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream fields(line.substr(close + 2));
    std::string f;
    double utime = 0, stime = 0;
    for (int i = 3; fields >> f; ++i) {
      if (i == 14) utime = std::stod(f);
      if (i == 15) {
        stime = std::stod(f);
        break;
      }
    }
    out[name] += (utime + stime) / tick;
  }
  return out;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())));
  return v[i];
}

struct Args {
  uint64_t spans = 1'000'000;
  loadgen::Profile profile = loadgen::Profile::kStandard;
  std::string fsync = "always";
  std::string dir;
  int queries = 200;
  uint64_t cache_mb = 4096;
  int inflight = 64;
  double rate = 2000;  // corpus spans per simulated second, as bench/corpus
  size_t row_group_rows = storage::TraceStoreOptions{}.row_group_rows;
  int compaction_level = storage::TraceStoreOptions{}.compaction_zstd_level;
};

bool parse(int argc, char** argv, Args& a) {
  for (int i = 1; i < argc; ++i) {
    std::string k = argv[i];
    auto val = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (k == "--spans")
      a.spans = std::strtoull(val().c_str(), nullptr, 10);
    else if (k == "--profile") {
      if (!loadgen::parseProfile(val(), a.profile)) return false;
    } else if (k == "--fsync")
      a.fsync = val();
    else if (k == "--dir")
      a.dir = val();
    else if (k == "--queries")
      a.queries = std::atoi(val().c_str());
    else if (k == "--cache-mb")
      a.cache_mb = std::strtoull(val().c_str(), nullptr, 10);
    else if (k == "--inflight")
      a.inflight = std::atoi(val().c_str());
    else if (k == "--rate")
      a.rate = std::atof(val().c_str());
    else if (k == "--row-group")
      a.row_group_rows = std::strtoull(val().c_str(), nullptr, 10);
    else if (k == "--compaction-level")
      a.compaction_level = std::atoi(val().c_str());
    else
      return false;
  }
  return a.spans > 0 && a.queries > 0 && a.inflight > 0 && a.rate > 0;
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  if (!parse(argc, argv, a)) {
    std::fprintf(stderr,
                 "usage: periscope_store_bench [--spans N] [--profile standard|fat] "
                 "[--fsync always|interval|never] [--dir DIR] [--queries Q] [--cache-mb MB] "
                 "[--inflight K]\n");
    return 2;
  }
  namespace fs = std::filesystem;
  bool own_dir = a.dir.empty();
  if (own_dir)
    a.dir = (fs::temp_directory_path() / ("periscope-store-bench-" + std::to_string(getpid())))
                .string();
  fs::remove_all(a.dir);

  const uint64_t requests = (a.spans + kSpansPerRequest - 1) / kSpansPerRequest;
  const uint64_t hour = 3'600'000'000'000ull;
  // Request i starts at base + i * 512 / rate seconds (bench/corpus's formula, so these are
  // the very spans bench/clickhouse loads). "Now" starts just after the corpus, then moves on
  // by two hours for compaction (partitions must be closed to be merged).
  auto requestBase = [&](uint64_t i) { return loadgen::corpusRequestStart(i, a.rate); };
  const uint64_t corpus_end = requestBase(requests) + 2'000'000'000ull;
  std::atomic<uint64_t> now{corpus_end + 60'000'000'000ull};
  storage::TraceStoreOptions o;
  o.dir = a.dir + "/traces";
  o.fsync = a.fsync == "never"      ? storage::WalSyncPolicy::kNever
            : a.fsync == "interval" ? storage::WalSyncPolicy::kInterval
                                    : storage::WalSyncPolicy::kAlways;
  o.head_max_age = std::chrono::hours(24);          // flush by size only, deterministically
  o.maintenance_interval = std::chrono::hours(24);  // compaction runs in its own phase
  o.compaction_target_bytes = 64ull << 20;
  o.segment_cache_bytes = a.cache_mb << 20;
  o.row_group_rows = a.row_group_rows;
  o.compaction_zstd_level = a.compaction_level;
  storage::PosixFileSystem posix;
  auto opened = storage::TraceStore::open(posix, o, [&] { return now.load(); });
  if (!opened.isOk()) {
    std::fprintf(stderr, "open: %s\n", opened.status().toString().c_str());
    return 1;
  }
  std::unique_ptr<storage::TraceStore> store_ptr = std::move(*opened);
  storage::TraceStore* store = store_ptr.get();

  // ---- ingest ----
  std::mutex mu;
  std::condition_variable cv;
  int in_flight = 0;
  std::atomic<uint64_t> failed{0};
  std::vector<std::string> sample_ids;  // trace ids for the get phase
  std::mt19937_64 rng(42);
  double gen_cpu = 0;
  double cpu0 = processCpuSeconds();
  auto wall0 = Clock::now();
  for (uint64_t i = 0; i < requests; ++i) {
    double g0 = threadCpuSeconds();
    periscope::model::Traces batch = loadgen::corpusRequest(i, kSpansPerRequest, a.profile, a.rate);
    {
      const auto& spans = batch.resources()[0].scope_spans[0].spans;
      sample_ids.emplace_back(spans[rng() % spans.size()].trace_id);
    }
    gen_cpu += threadCpuSeconds() - g0;
    {
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return in_flight < a.inflight; });
      ++in_flight;
    }
    store->write(batch, [&](periscope::Status st) {
      if (!st.isOk()) failed++;
      std::lock_guard lock(mu);
      --in_flight;
      cv.notify_all();
    });
  }
  {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return in_flight == 0; });
  }
  double wall = std::chrono::duration<double>(Clock::now() - wall0).count();
  double cpu = processCpuSeconds() - cpu0 - gen_cpu;
  uint64_t spans = requests * kSpansPerRequest;
  std::printf(
      "ingest   profile=%s fsync=%s spans=%llu failed_batches=%llu  %.0f spans/CPU-s  %.0f spans/s "
      "wall  (store CPU %.2f s, generator CPU %.2f s excluded)\n",
      std::string(loadgen::profileName(a.profile)).c_str(), a.fsync.c_str(),
      static_cast<unsigned long long>(spans), static_cast<unsigned long long>(failed.load()),
      static_cast<double>(spans) / cpu, static_cast<double>(spans) / wall, cpu, gen_cpu);

  {
    std::string split;
    for (const auto& [name, secs] : cpuByThread()) {
      if (name == "pscope-maint" || secs < 0.005) continue;
      char buf[96];
      std::snprintf(buf, sizeof buf, " %s %.2f s", name.c_str(), secs);
      split += buf;
    }
    std::printf("         CPU by thread so far (main thread includes the generator):%s\n",
                split.c_str());
  }

  // ---- flush + compaction ----
  auto c0 = Clock::now();
  double ccpu0 = processCpuSeconds();
  if (auto st = store->flushHead(); !st.isOk())
    std::fprintf(stderr, "flush: %s\n", st.toString().c_str());
  uint64_t before = store->stats().segment_bytes.load();
  size_t segs_before = store->segmentMetas().size();
  now += 2 * hour;
  if (auto st = store->compact(); !st.isOk())
    std::fprintf(stderr, "compact: %s\n", st.toString().c_str());
  uint64_t after = store->stats().segment_bytes.load();
  if (store->stats().segment_spans.load() != spans)
    std::printf("WARNING: %llu spans in segments after compaction, %llu written\n",
                static_cast<unsigned long long>(store->stats().segment_spans.load()),
                static_cast<unsigned long long>(spans));
  std::printf(
      "compact  segments %zu -> %zu  bytes %llu -> %llu  %.1f B/span after flush, %.1f B/span "
      "after compaction  (%.1f s wall, %.1f s CPU)\n",
      segs_before, store->segmentMetas().size(), static_cast<unsigned long long>(before),
      static_cast<unsigned long long>(after),
      static_cast<double>(before) / static_cast<double>(spans),
      static_cast<double>(after) / static_cast<double>(spans),
      std::chrono::duration<double>(Clock::now() - c0).count(), processCpuSeconds() - ccpu0);

  // ---- get-trace ----
  // Cold: a freshly opened store (nothing decoded; the files may be in the OS page cache) and
  // random traces from the whole corpus, at most one query per two row groups so that nearly
  // every query decodes its row group. Warm: the same ids again.
  size_t row_groups = 0;
  for (const auto& m : store->segmentMetas()) row_groups += m.row_groups.size();
  (void)store->close();
  store_ptr.reset();
  auto reopened = storage::TraceStore::open(posix, o, [&] { return now.load(); });
  if (!reopened.isOk()) {
    std::fprintf(stderr, "reopen: %s\n", reopened.status().toString().c_str());
    return 1;
  }
  store_ptr = std::move(*reopened);
  store = store_ptr.get();
  std::shuffle(sample_ids.begin(), sample_ids.end(), rng);
  const int cold_queries = static_cast<int>(
      std::min<size_t>(static_cast<size_t>(a.queries), std::max<size_t>(1, row_groups / 2)));
  auto timeGets = [&](const char* label, int queries) {
    std::vector<double> ms;
    uint64_t found = 0;
    const uint64_t decoded_before = store->stats().row_groups_decoded.load();
    for (int q = 0; q < queries; ++q) {
      const std::string& id = sample_ids[static_cast<size_t>(q) % sample_ids.size()];
      auto t0 = Clock::now();
      auto t = store->getTrace(id, 0, 0);
      ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
      if (t.isOk() && !t->empty()) found++;
    }
    std::printf(
        "get      %-5s p50 %.3f ms  p99 %.3f ms  max %.3f ms  (%llu/%d found; %zu row groups, "
        "%.2f decoded per query)\n",
        label, percentile(ms, 0.5), percentile(ms, 0.99), percentile(ms, 1.0),
        static_cast<unsigned long long>(found), queries, row_groups,
        static_cast<double>(store->stats().row_groups_decoded.load() - decoded_before) / queries);
  };
  timeGets("cold", cold_queries);
  timeGets("warm", cold_queries);

  // ---- search ----
  storage::TraceQuery q;
  q.service = "frontend";
  q.tags = {{"http.response.status_code", "500"}};
  q.min_duration_ns = 30'000'000;
  // The last hour of the corpus.
  q.start_time_max_ns = corpus_end;
  q.start_time_min_ns = corpus_end > hour ? std::max(kBase, corpus_end - hour) : kBase;
  q.limit = 20;
  std::vector<double> ms;
  size_t results = 0;
  for (int i = 0; i < a.queries; ++i) {
    // Slide the window's end so runs do not all hit the same newest segment.
    q.start_time_max_ns =
        corpus_end - static_cast<uint64_t>(i % 10) * ((corpus_end - q.start_time_min_ns) / 20);
    auto t0 = Clock::now();
    auto r = store->findTraces(q);
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    if (r.isOk()) results = r->size();
  }
  std::printf(
      "search   service=frontend tag http.response.status_code=500 minDuration=30ms 1h limit 20: "
      "p50 %.2f ms  p99 %.2f ms  (first %.2f ms; %zu traces returned)\n",
      percentile(ms, 0.5), percentile(ms, 0.99), ms.front(), results);
  (void)store->close();
  if (own_dir) fs::remove_all(a.dir);
  return 0;
}
