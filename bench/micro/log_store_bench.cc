// The log store: OTLP log records into the store end to end (WAL record, head, background
// flush into segments) in records per CPU-second of the whole process, bytes per record on
// disk, the flush alone (BM_LogSegmentEncode: sort and segment encoding, no I/O), and a
// `|= "timeout"` scan over a million stored records. Corpus: loadgen::makeLogs
// (the realistic log workload, ~300 B per record on the wire, 10% structured bodies, 1% of
// lines mentioning a timeout).
#include <benchmark/benchmark.h>
#include <malloc.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "app/loadgen/log_workload.h"
#include "model/otlp/proto_decoder.h"
#include "model/otlp/proto_encoder.h"
#include "storage/io/posix_file_system.h"
#include "storage/signals/logs/log_segment.h"
#include "storage/signals/logs/log_store.h"

namespace {

namespace logs = periscope::storage::logs;
namespace model = periscope::model;
constexpr int kPerBatch = 1024;
constexpr int kBatches = 64;
constexpr uint64_t kBase = 1'700'000'000'000'000'000ull;

// Distinct batches, each one second of records, as OTLP request bytes.
const std::vector<std::string>& requests() {
  static const auto* r = [] {
    auto* v = new std::vector<std::string>();
    for (int i = 0; i < kBatches; ++i) {
      model::Logs b = periscope::app::loadgen::makeLogs(
          kPerBatch, static_cast<uint64_t>(i), kBase + static_cast<uint64_t>(i) * 1'000'000'000);
      std::string bytes;
      model::otlp::encode(b, bytes);
      v->push_back(std::move(bytes));
    }
    return v;
  }();
  return *r;
}

model::Logs decode(const std::string& bytes) {
  model::Logs b;
  std::string_view view = b.arena().adopt(std::string(bytes));
  (void)model::otlp::decode(view, b);
  return b;
}

// Heap bytes in use (malloc's count, so memory freed by earlier benchmarks does not hide it).
uint64_t residentBytes() {
  return static_cast<uint64_t>(mallinfo2().uordblks) + mallinfo2().hblkhd;
}

std::string freshDir(const char* name) {
  std::string dir = (std::filesystem::temp_directory_path() / name).string();
  std::filesystem::remove_all(dir);
  return dir;
}

logs::LogStoreOptions options(const std::string& dir) {
  logs::LogStoreOptions o;
  o.dir = dir;
  o.fsync = periscope::storage::WalSyncPolicy::kNever;
  o.retention = std::chrono::nanoseconds(0);
  return o;
}

// Decoded batches written asynchronously (as the store exporter does); the background thread
// flushes every head_max_records. Process CPU time: WAL writer and flusher included.
void BM_LogStoreWrite(benchmark::State& state) {
  std::vector<model::Logs> batches;
  for (const auto& r : requests()) batches.push_back(decode(r));
  periscope::storage::PosixFileSystem fs;
  std::string dir = freshDir("periscope-log-bench-write");
  auto store = logs::LogStore::open(fs, options(dir));
  if (!store.isOk()) return state.SkipWithError("open failed");
  std::atomic<uint64_t> done{0};
  uint64_t sent = 0;
  size_t i = 0;
  for (auto _ : state) {
    (*store)->write(batches[i++ % batches.size()], [&done](periscope::Status) { ++done; });
    ++sent;
  }
  while (done.load() < sent) std::this_thread::yield();
  (void)(*store)->close();  // the last flush counts too
  // (No bytes per record here: the same 64 batches repeat, which zstd makes look tiny; the
  // scan benchmark's store holds distinct records.)
  state.SetItemsProcessed(static_cast<int64_t>(sent) * kPerBatch);
  store->reset();
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_LogStoreWrite)->MeasureProcessCPUTime()->Iterations(2000);

// The same with the OTLP protobuf decoding of each request (what the receiver adds).
// Argument: head_max_records (the head holds the received batches' arenas until its flush).
void BM_LogStoreDecodeAndWrite(benchmark::State& state) {
  periscope::storage::PosixFileSystem fs;
  std::string dir = freshDir("periscope-log-bench-decode-write");
  auto o = options(dir);
  o.head_max_records = static_cast<uint64_t>(state.range(0));
  auto store = logs::LogStore::open(fs, o);
  if (!store.isOk()) return state.SkipWithError("open failed");
  std::atomic<uint64_t> done{0};
  uint64_t sent = 0;
  size_t i = 0;
  for (auto _ : state) {
    model::Logs b = decode(requests()[i++ % kBatches]);
    (*store)->write(b, [&done](periscope::Status) { ++done; });
    ++sent;
  }
  while (done.load() < sent) std::this_thread::yield();
  (void)(*store)->close();
  state.SetItemsProcessed(static_cast<int64_t>(sent) * kPerBatch);
  store->reset();
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_LogStoreDecodeAndWrite)
    ->MeasureProcessCPUTime()
    ->Iterations(2000)
    ->Arg(1 << 16)
    ->Arg(1 << 18)
    ->Arg(1 << 20);

// A store of `records` flushed records, built once per size.
struct ScanFixture {
  std::string dir;
  periscope::storage::PosixFileSystem fs;
  std::unique_ptr<logs::LogStore> store;
  double head_bytes_per_record = 0;  // heap the head holds per record
  explicit ScanFixture(int64_t records) : dir(freshDir("periscope-log-bench-scan")) {
    auto o = options(dir);
    o.background_maintenance = false;
    o.head_max_records = UINT64_MAX;
    store = std::move(*logs::LogStore::open(fs, o));
    uint64_t rss0 = residentBytes();
    for (int64_t n = 0; n < records; n += kPerBatch) {
      // As received: OTLP bytes decoded into a batch that owns them.
      std::string bytes;
      model::otlp::encode(
          periscope::app::loadgen::makeLogs(kPerBatch, static_cast<uint64_t>(n),
                                            kBase + static_cast<uint64_t>(n) * 1'000'000),
          bytes);
      (void)store->writeSync(decode(bytes));
      if ((n / kPerBatch) % 256 == 255) {
        if (n / kPerBatch == 255)
          head_bytes_per_record = static_cast<double>(residentBytes() - rss0) / (256.0 * kPerBatch);
        (void)store->flush();
      }
    }
    (void)store->flush();
  }
  ~ScanFixture() {
    store.reset();
    std::filesystem::remove_all(dir);
  }  // (the benchmark keeps one for the process: its directory stays under /tmp until exit)
};

// Argument: records stored; second: the caller's limit (0 = read every match), as a query with
// `limit` stops once no later chunk can improve on what it holds.
void BM_LogStoreScanLineContains(benchmark::State& state) {
  static std::unique_ptr<ScanFixture> f;
  if (!f) f = std::make_unique<ScanFixture>(state.range(0));
  const auto limit = static_cast<uint64_t>(state.range(1));
  logs::LogScan scan;
  scan.line_contains = {"timeout"};
  uint64_t matched = 0;
  for (auto _ : state) {
    matched = 0;
    (void)f->store->scan(scan, [&](const logs::LogChunk& c) {
      matched += c.logs->itemCount();
      return limit != 0 && matched >= limit ? logs::ScanControl::kStop
                                            : logs::ScanControl::kContinue;
    });
  }
  const auto& s = f->store->stats();
  state.counters["records"] = static_cast<double>(s.segment_records.load());
  state.counters["head_bytes_per_record"] = f->head_bytes_per_record;
  state.counters["matched"] = static_cast<double>(matched);
  state.counters["bytes_per_record"] =
      static_cast<double>(s.segment_bytes.load()) / static_cast<double>(s.segment_records.load());
}
BENCHMARK(BM_LogStoreScanLineContains)
    ->Args({1 << 20, 0})
    ->Args({1 << 20, 1000})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(5)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

// Flush only (no I/O): one head's worth of distinct records (as received) encoded into a segment
// (sort of the refs + encodeLogSegment), in records per CPU-second, with the bytes per record.
// Arguments: records, zstd level, interleaved (1: the batches overlap in time, as requests from
// several connections do, so sorted records are visited across all batches' memory).
void BM_LogSegmentEncode(benchmark::State& state) {
  const int64_t records = state.range(0);
  const uint64_t batch_start_step = state.range(2) != 0 ? 1'000 : 1'000'000;
  std::vector<model::Logs> batches;
  for (int64_t n = 0; n < records; n += kPerBatch) {
    std::string bytes;
    model::otlp::encode(
        periscope::app::loadgen::makeLogs(kPerBatch, static_cast<uint64_t>(n),
                                          kBase + static_cast<uint64_t>(n) * batch_start_step),
        bytes);
    batches.push_back(decode(bytes));
  }
  std::vector<logs::RecordRef> refs;
  logs::LogSegmentEncodeOptions eo;
  eo.zstd_level = static_cast<int>(state.range(1));
  size_t bytes = 0;
  for (auto _ : state) {
    refs.clear();
    for (const auto& b : batches)
      for (const auto& rl : b.resources())
        for (const auto& sl : rl.scope_logs)
          for (const auto& r : sl.log_records) refs.push_back({&rl, &sl, &r, logs::recordTime(r)});
    std::stable_sort(refs.begin(), refs.end(),
                     [](const auto& a, const auto& b) { return a.time_ns < b.time_ns; });
    logs::LogSegmentMeta meta;
    bytes = logs::encodeLogSegment(refs, meta, eo).size();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(refs.size()));
  state.counters["bytes_per_record"] =
      static_cast<double>(bytes) / static_cast<double>(refs.size());
}
BENCHMARK(BM_LogSegmentEncode)
    ->Args({1 << 16, 1, 0})
    ->Args({1 << 16, 3, 0})
    ->Args({1 << 18, 3, 1})
    ->Unit(benchmark::kMillisecond);

}  // namespace
