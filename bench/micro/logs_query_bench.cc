// Log query evaluation over an in-memory LogReader: records per second through the filters
// (issue 6: `|= "timeout"` over 10M records in ≤ 500 ms). 200k JSON-line records in chunks of
// 2,000; 1 % contain "timeout" and 2 % have status ≥ 500. The log queries keep every match
// (limit above the match count), so every chunk is read; the metric query scans them all too.
#include <benchmark/benchmark.h>

#include <memory>
#include <string>

#include "query/logs/logs_service.h"
#include "support/memory_log_reader.h"

namespace {

using periscope::query::LogsRequest;
using periscope::query::LogsService;
using periscope::testing::MemoryLogReader;
namespace model = periscope::model;

constexpr int kRecords = 200'000;
constexpr int kPerChunk = 2'000;

const MemoryLogReader& reader() {
  static std::unique_ptr<MemoryLogReader> r;
  if (r) return *r;
  r = std::make_unique<MemoryLogReader>();
  uint64_t seed = 42;
  for (int c = 0; c < kRecords / kPerChunk; ++c) {
    model::Logs batch;
    auto& arena = batch.arena();
    auto attrs = arena.allocArray<model::KeyValue>(1);
    attrs[0] = {"service.name", model::AnyValue::string("checkout")};
    auto records = arena.allocArray<model::LogRecord>(kPerChunk);
    for (int i = 0; i < kPerChunk; ++i) {
      seed = seed * 6364136223846793005ull + 1442695040888963407ull;
      auto roll = static_cast<int>((seed >> 33) % 100);
      int status = roll < 2 ? 500 + roll : 200;
      std::string body = R"({"level":"info","status":)" + std::to_string(status) +
                         R"(,"method":"GET","path":"/api/cart/)" + std::to_string(i) +
                         R"(","duration_ms":)" + std::to_string((seed >> 40) % 900) +
                         R"(,"msg":")" + (roll == 50 ? "upstream timeout" : "request served") +
                         R"("})";
      auto& r = records[i];
      r.time_unix_nano = (static_cast<uint64_t>(c) * kPerChunk + i) * 1'000'000;
      r.severity_number = 9;
      r.severity_text = "INFO";
      r.body = model::AnyValue::string(arena.copy(body));
    }
    auto scopes = arena.allocArray<model::ScopeLogs>(1);
    scopes[0].log_records = records;
    model::ResourceLogs rl;
    rl.has_resource = true;
    rl.resource.attributes = attrs;
    rl.scope_logs = scopes;
    batch.resources().push_back(rl);
    r->write(batch);
  }
  return *r;
}

void runLogQuery(benchmark::State& state, const std::string& query) {
  auto& r = const_cast<MemoryLogReader&>(reader());
  LogsService service(r);
  LogsRequest request{.query = query, .limit = kRecords};
  size_t matched = 0;
  for (auto _ : state) {
    auto result = service.query(request);
    if (!result.isOk()) state.SkipWithError(std::string(result.status().message()).c_str());
    matched = result->stats.records_matched;
    benchmark::DoNotOptimize(result);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * kRecords);
  state.counters["matched"] = static_cast<double>(matched);
}

void BM_LogsLineContains(benchmark::State& state) {
  runLogQuery(state, R"({service.name="checkout"} |= "timeout")");
}
BENCHMARK(BM_LogsLineContains)->Unit(benchmark::kMillisecond);

void BM_LogsJsonStatus(benchmark::State& state) {
  runLogQuery(state, R"({service.name="checkout"} | json | status >= 500)");
}
BENCHMARK(BM_LogsJsonStatus)->Unit(benchmark::kMillisecond);

void BM_LogsLineRegex(benchmark::State& state) {
  runLogQuery(state, R"({service.name="checkout"} |~ "up\\w+ time")");
}
BENCHMARK(BM_LogsLineRegex)->Unit(benchmark::kMillisecond);

void BM_LogsCountOverTime(benchmark::State& state) {
  auto& r = const_cast<MemoryLogReader&>(reader());
  LogsService service(r);
  for (auto _ : state) {
    auto result = service.queryRange(
        R"(sum by (service.name) (count_over_time({service.name="checkout"} |= "timeout" [1m])))",
        60'000, 200'000, 10'000);
    if (!result.isOk()) state.SkipWithError(std::string(result.status().message()).c_str());
    benchmark::DoNotOptimize(result);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * kRecords);
}
BENCHMARK(BM_LogsCountOverTime)->Unit(benchmark::kMillisecond);

}  // namespace
