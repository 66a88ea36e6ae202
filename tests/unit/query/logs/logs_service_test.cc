// LogsService beyond the golden files: what the store is asked (pushdown), early stopping of
// limited scans, RE2's linear time on hostile patterns, answers owning their bytes, trace
// logs, resource values and live tail.
#include "query/logs/logs_service.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "model/log_line.h"
#include "support/memory_log_reader.h"
#include "unit/query/logs/log_test_records.h"

namespace periscope::query {
namespace {

using logs::testing::BatchBuilder;
using storage::logs::AttributeMatcher;
using testing::MemoryLogReader;

std::vector<std::string> linesOf(const model::Logs& logs) {
  std::vector<std::string> out;
  std::string line;
  for (const auto& rl : logs.resources()) {
    for (const auto& sl : rl.scope_logs) {
      for (const auto& r : sl.log_records) {
        model::logLine(r, line);
        out.push_back(line);
      }
    }
  }
  return out;
}

void writeRecords(MemoryLogReader& reader, const std::vector<std::string>& json) {
  BatchBuilder batch;
  for (const auto& j : json) batch.addJson(j);
  reader.write(batch.take());
}

// Remembers the last scan it was asked for.
class RecordingReader : public MemoryLogReader {
 public:
  Status scan(const storage::logs::LogScan& scan,
              const storage::logs::ChunkVisitor& visit) const override {
    last = scan;
    return MemoryLogReader::scan(scan, visit);
  }
  mutable storage::logs::LogScan last;
};

TEST(LogsServiceTest, PushesDownWhatIsSafe) {
  RecordingReader reader;
  LogsService service(reader);
  LogsRequest request;
  request.query =
      R"({service.name="checkout", k8s.pod.name=~"c-.*", env="prod", team!="x", severity>="WARN", severity<"FATAL"})"
      R"( |= "timeout" != "debug" |= "db" | trace_id="0102030405060708090A0B0C0D0E0F10" or x="y")"
      R"( | span_id="a1" and trace_id="000102030405060708090a0b0c0d0e0f")";
  request.start_ns = 5;
  request.end_ns = 50;
  ASSERT_TRUE(service.query(request).isOk());
  const auto& scan = reader.last;
  EXPECT_EQ(scan.start_ns, 5u);
  EXPECT_EQ(scan.end_ns, 50u);
  EXPECT_EQ(scan.direction, storage::logs::ScanDirection::kBackward);
  // service.name and k8s.pod.name are resource-only names; env="prod" may be a record
  // attribute (not pushed); team!="x" accepts a missing attribute (pushed).
  ASSERT_EQ(scan.resource_matchers.size(), 3u);
  EXPECT_EQ(scan.resource_matchers[0].name, "service.name");
  EXPECT_EQ(scan.resource_matchers[0].op, AttributeMatcher::Op::kEqual);
  EXPECT_EQ(scan.resource_matchers[0].value, "checkout");
  EXPECT_EQ(scan.resource_matchers[1].name, "k8s.pod.name");
  EXPECT_EQ(scan.resource_matchers[1].op, AttributeMatcher::Op::kRegexMatch);
  EXPECT_EQ(scan.resource_matchers[1].value, "c-.*");
  EXPECT_EQ(scan.resource_matchers[2].name, "team");
  EXPECT_EQ(scan.resource_matchers[2].op, AttributeMatcher::Op::kNotEqual);
  EXPECT_EQ(scan.min_severity, 13);
  EXPECT_EQ(scan.max_severity, 20);
  // The trace id under `or` is not a pushdown; the one in an `and` is.
  EXPECT_EQ(scan.trace_id,
            std::string("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f", 16));
  EXPECT_EQ(scan.line_contains, (std::vector<std::string>{"timeout", "db"}));
}

// Times become int64 nanoseconds: bounds that would overflow are refused before any scan.
TEST(LogsServiceTest, MetricQueryBoundsThatWouldOverflowAreRefused) {
  RecordingReader reader;
  LogsService service(reader);
  auto huge_range = service.queryRange(R"(count_over_time({a="b"} [300y]))", 0, 1000, 1000);
  ASSERT_FALSE(huge_range.isOk());
  EXPECT_EQ(huge_range.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(huge_range.status().message().find("range"), std::string::npos);
  auto huge_step =
      service.queryRange(R"(count_over_time({a="b"} [5m]))", 0, 1000, 10'000'000'000'000);
  ASSERT_FALSE(huge_step.isOk());
  EXPECT_NE(huge_step.status().message().find("step"), std::string::npos);
  auto far_end = service.queryRange(R"(count_over_time({a="b"} [5m]))", 9'200'000'000'000'000,
                                    9'300'000'000'000'000, 1'000'000'000'000'000);
  ASSERT_FALSE(far_end.isOk());
  EXPECT_NE(far_end.status().message().find("end"), std::string::npos);
  EXPECT_EQ(reader.scans(), 0u);
}

TEST(LogsServiceTest, MetricQueriesScanOnceOverTheWholeRange) {
  RecordingReader reader;
  LogsService service(reader);
  auto result =
      service.queryRange(R"(count_over_time({service.name="a"} [10s]))", 100'000, 200'000, 1'000);
  ASSERT_TRUE(result.isOk()) << result.status().message();
  EXPECT_EQ(reader.scans(), 1u);
  EXPECT_EQ(reader.last.start_ns, 90'000'000'001u);  // exclusive lower bound of the first window
  EXPECT_EQ(reader.last.end_ns, 200'000'000'000u);
  EXPECT_EQ(reader.last.direction, storage::logs::ScanDirection::kForward);
}

TEST(LogsServiceTest, SeriesLabelsMayHoldAnyBytes) {
  MemoryLogReader reader;
  writeRecords(reader, {R"({"t":1,"res":{"app":"a\u0000b"},"body":"x"})",
                        R"({"t":2,"res":{"app":"a"},"body":"y"})",
                        R"({"t":3,"res":{"app":"a\u0000b"},"body":"z"})"});
  LogsService service(reader);
  auto result = service.queryRange(R"(count_over_time({app=~"a.*"} [10s]))", 10'000, 10'000, 1);
  ASSERT_TRUE(result.isOk()) << result.status().message();
  ASSERT_EQ(result->series.size(), 2u);
  EXPECT_EQ(result->series[0].labels, (Fields{{"app", "a"}}));
  EXPECT_EQ(result->series[0].points, (std::vector<std::pair<int64_t, double>>{{10'000, 1}}));
  EXPECT_EQ(result->series[1].labels, (Fields{{"app", std::string("a\0b", 3)}}));
  EXPECT_EQ(result->series[1].points, (std::vector<std::pair<int64_t, double>>{{10'000, 2}}));
}

// Ten chunks with disjoint times: chunk i holds records at 10i+1 … 10i+5 s.
void writeTenChunks(MemoryLogReader& reader) {
  for (int i = 0; i < 10; ++i) {
    BatchBuilder batch;
    for (int j = 1; j <= 5; ++j) {
      int t = 10 * i + j;
      batch.add(nlohmann::ordered_json{{"t", t}, {"svc", "s"}, {"body", "r" + std::to_string(t)}});
    }
    reader.write(batch.take());
  }
}

TEST(LogsServiceTest, LimitedScansStopOnceNoLaterChunkCanBeatTheKeptRecords) {
  MemoryLogReader reader;
  writeTenChunks(reader);
  LogsService service(reader);

  LogsRequest request{.query = R"({service.name="s"})", .limit = 3};
  auto backward = service.query(request);
  ASSERT_TRUE(backward.isOk());
  EXPECT_EQ(linesOf(backward->records), (std::vector<std::string>{"r95", "r94", "r93"}));
  // The newest chunk fills the limit; the next one (max 85 s < 93 s) is refused at once.
  EXPECT_EQ(reader.chunksVisited(), 2u);
  EXPECT_EQ(backward->stats.chunks_read, 1u);
  EXPECT_TRUE(backward->truncated);

  request.forward = true;
  request.limit = 7;
  size_t before = reader.chunksVisited();
  auto forward = service.query(request);
  ASSERT_TRUE(forward.isOk());
  EXPECT_EQ(linesOf(forward->records),
            (std::vector<std::string>{"r1", "r2", "r3", "r4", "r5", "r11", "r12"}));
  EXPECT_EQ(reader.chunksVisited() - before, 3u);  // two chunks read, the third refused
  EXPECT_EQ(forward->stats.chunks_read, 2u);

  // Few matches per chunk: the scan goes on until the limit is reached.
  request.query = R"({service.name="s"} |~ "r[0-9]*5$")";
  request.forward = false;
  request.limit = 3;
  before = reader.chunksVisited();
  auto sparse = service.query(request);
  ASSERT_TRUE(sparse.isOk());
  EXPECT_EQ(linesOf(sparse->records), (std::vector<std::string>{"r95", "r85", "r75"}));
  EXPECT_EQ(reader.chunksVisited() - before, 4u);
  EXPECT_EQ(sparse->stats.records_matched, 3u);
}

TEST(LogsServiceTest, OverlappingChunksAreAllRead) {
  MemoryLogReader reader;
  // Every chunk spans 0 … 100 s, so none can be ruled out.
  for (int i = 0; i < 4; ++i) {
    writeRecords(reader, {R"({"t":0,"svc":"s","body":"early"})",
                          R"({"t":)" + std::to_string(50 + i) + R"(,"svc":"s","body":"mid)" +
                              std::to_string(i) + R"("})",
                          R"({"t":100,"svc":"s","body":"late)" + std::to_string(i) + R"("})"});
  }
  LogsService service(reader);
  auto result = service.query({.query = R"({service.name="s"} != "late")", .limit = 2});
  ASSERT_TRUE(result.isOk());
  EXPECT_EQ(linesOf(result->records), (std::vector<std::string>{"mid3", "mid2"}));
  EXPECT_EQ(reader.chunksVisited(), 4u);
  EXPECT_EQ(result->stats.records_scanned, 12u);
  EXPECT_EQ(result->stats.records_matched, 8u);
}

TEST(LogsServiceTest, ConcurrentQueriesShareTheService) {
  MemoryLogReader reader;
  writeTenChunks(reader);
  const LogsService service(reader);
  auto run = [&service](std::vector<std::string>& out) {
    for (int i = 0; i < 50; ++i) {
      auto result = service.query({.query = R"({service.name="s"} |~ "r[0-9]*[37]$")", .limit = 4});
      out = result.isOk() ? linesOf(result->records) : std::vector<std::string>{"error"};
    }
  };
  std::vector<std::string> a;
  std::vector<std::string> b;
  std::thread other(run, std::ref(b));
  run(a);
  other.join();
  EXPECT_EQ(a, (std::vector<std::string>{"r93", "r83", "r73", "r63"}));
  EXPECT_EQ(b, a);
}

TEST(LogsServiceTest, HostileRegexesRunInLinearTime) {
  MemoryLogReader reader;
  std::string as(100'000, 'a');
  writeRecords(reader, {R"({"t":1,"svc":"s","body":")" + as + R"("})",
                        R"({"t":2,"svc":"s","body":")" + as + R"(!"})"});
  LogsService service(reader);
  auto count = [&](const std::string& query) {
    auto result = service.query({.query = query, .forward = true});
    EXPECT_TRUE(result.isOk()) << result.status().message();
    return result.isOk() ? linesOf(result->records).size() : size_t{99};
  };
  // Catastrophic for backtracking engines; RE2 answers in time linear in the line.
  EXPECT_EQ(count(R"({service.name="s"} |~ "(a+)+$")"), 1u);  // the other line ends in "!"
  EXPECT_EQ(count(R"({service.name="s"} |~ "(a+)+")"), 2u);   // unanchored: found in both
  EXPECT_EQ(count(R"({service.name="s"} |~ "^(a+)+$")"), 1u);
  EXPECT_EQ(count(R"({service.name="s"} |~ "(x+x+)+y")"), 0u);
  EXPECT_EQ(count(R"({service.name="s"} !~ "(a|aa)+b")"), 2u);
  EXPECT_EQ(count(R"({service.name="s"} | body =~ "(a*)*b")"), 0u);
  EXPECT_EQ(count(R"({service.name="s"} | body =~ "(a|a)*!")"), 1u);
}

TEST(LogsServiceTest, AnswersOwnTheirBytes) {
  LogsResult kept;
  {
    MemoryLogReader reader;
    writeRecords(
        reader,
        {R"({"t":1,"svc":"s","scope":"lib","attrs":{"k":"v"},"trace":"0102030405060708090a0b0c0d0e0f10","body":{"m":["x",1]}})"});
    LogsService service(reader);
    auto result = service.query({.query = R"({service.name="s"})"});
    ASSERT_TRUE(result.isOk());
    kept = std::move(*result);
  }  // the reader and every chunk are gone
  ASSERT_EQ(kept.records.resources().size(), 1u);
  const auto& rl = kept.records.resources()[0];
  ASSERT_EQ(rl.resource.attributes.size(), 1u);
  EXPECT_EQ(rl.resource.attributes[0].key, "service.name");
  EXPECT_EQ(rl.resource.attributes[0].value.str(), "s");
  EXPECT_EQ(rl.scope_logs[0].scope.name, "lib");
  const auto& r = rl.scope_logs[0].log_records[0];
  EXPECT_EQ(r.attributes[0].value.str(), "v");
  EXPECT_EQ(r.trace_id.size(), 16u);
  EXPECT_EQ(linesOf(kept.records), (std::vector<std::string>{R"({"m":["x",1]})"}));
}

TEST(LogsServiceTest, TraceLogsAreOldestFirst) {
  MemoryLogReader reader;
  const std::string trace = "0102030405060708090a0b0c0d0e0f10";
  writeRecords(reader, {R"({"t":3,"svc":"a","trace":")" + trace + R"(","body":"third"})",
                        R"({"t":1,"svc":"a","trace":")" + trace + R"(","body":"first"})",
                        R"({"t":2,"svc":"b","body":"other trace"})"});
  writeRecords(reader, {R"({"t":2,"svc":"b","trace":")" + trace + R"(","body":"second"})"});
  LogsService service(reader);
  auto logs = service.traceLogs(logs::testing::bytesOfHex(trace));
  ASSERT_TRUE(logs.isOk());
  EXPECT_EQ(linesOf(*logs), (std::vector<std::string>{"first", "second", "third"}));

  auto bad = service.traceLogs("0102");
  ASSERT_FALSE(bad.isOk());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().message(), "trace id must be 16 bytes, got 4");
}

TEST(LogsServiceTest, ResourceValues) {
  MemoryLogReader reader;
  writeRecords(reader, {R"({"t":1,"svc":"b"})", R"({"t":2,"svc":"a"})", R"({"t":3,"svc":"b"})"});
  LogsService service(reader);
  auto values = service.resourceValues("service.name");
  ASSERT_TRUE(values.isOk());
  EXPECT_EQ(*values, (std::vector<std::string>{"a", "b"}));
  auto empty = service.resourceValues("");
  ASSERT_FALSE(empty.isOk());
  EXPECT_EQ(empty.status().message(), "resource attribute key must not be empty");
}

TEST(LogsServiceTest, TailFiltersEveryNewBatch) {
  MemoryLogReader reader;
  writeRecords(reader, {R"({"t":1,"svc":"api","body":"{\"status\":500}"})"});  // before: not sent
  LogsService service(reader);
  std::vector<std::string> got;
  size_t calls = 0;
  auto sub = service.tail(
      R"({service.name="api"} |= "status" | json | status >= 500)",
      [&](model::Logs&& matched, std::vector<Fields>&& fields) {
        ++calls;
        auto lines = linesOf(matched);
        ASSERT_EQ(lines.size(), fields.size());
        for (size_t i = 0; i < lines.size(); ++i) {
          got.push_back(lines[i] + " " + fields[i][0].first + "=" + fields[i][0].second);
        }
      });
  ASSERT_TRUE(sub.isOk()) << sub.status().message();
  EXPECT_EQ(reader.subscriberCount(), 1u);
  writeRecords(reader, {R"({"t":2,"svc":"api","body":"{\"status\":503}"})",
                        R"({"t":3,"svc":"api","body":"{\"status\":200}"})",
                        R"({"t":4,"svc":"web","body":"{\"status\":500}"})",
                        R"({"t":5,"svc":"api","body":"{\"status\":502}"})"});
  writeRecords(reader, {R"({"t":6,"svc":"api","body":"{\"status\":200}"})"});  // no match: no call
  EXPECT_EQ(calls, 1u);
  EXPECT_EQ(got, (std::vector<std::string>{R"({"status":503} status=503)",
                                           R"({"status":502} status=502)"}));
  sub->reset();
  EXPECT_EQ(reader.subscriberCount(), 0u);
  writeRecords(reader, {R"({"t":7,"svc":"api","body":"{\"status\":500}"})"});
  EXPECT_EQ(calls, 1u);
}

TEST(LogsServiceTest, TailRefusesLimitDirectionAndMetricQueries) {
  MemoryLogReader reader;
  LogsService service(reader);
  auto noop = [](model::Logs&&, std::vector<Fields>&&) {};
  for (const char* query : {R"({a="b"} | limit 5)", R"({a="b"} | direction forward)"}) {
    auto sub = service.tail(query, noop);
    ASSERT_FALSE(sub.isOk()) << query;
    EXPECT_EQ(sub.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(sub.status().message(),
              "tail takes no `| limit` or `| direction`: records are sent as they arrive");
  }
  auto metric = service.tail(R"(rate({a="b"} [1m]))", noop);
  ASSERT_FALSE(metric.isOk());
  EXPECT_EQ(metric.status().code(), StatusCode::kInvalidArgument);
  auto parse = service.tail(R"({a="b"} |)", noop);
  ASSERT_FALSE(parse.isOk());
  EXPECT_EQ(parse.status().message().substr(0, 16), "1:10: parse erro");
  EXPECT_EQ(reader.subscriberCount(), 0u);
}

}  // namespace
}  // namespace periscope::query
