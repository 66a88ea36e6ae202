// The load generator's synthetic logs (log_workload.h): deterministic, timestamps within the
// request's second, the documented severity mix, trace context share and timeout lines.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "app/loadgen/log_workload.h"
#include "model/log_line.h"
#include "model/otlp/proto_encoder.h"
#include "opentelemetry/proto/collector/logs/v1/logs_service.pb.h"

namespace periscope::app::loadgen {
namespace {

constexpr uint64_t kBase = 1'767'225'600'000'000'000ull;  // 2026-01-01T00:00:00Z

std::string encoded(int records, uint64_t seed, uint64_t base = kBase) {
  std::string out;
  model::otlp::encode(makeLogs(records, seed, base), out);
  return out;
}

TEST(LogWorkload, SameSeedAndBaseGiveIdenticalBytes) {
  EXPECT_EQ(encoded(512, 42), encoded(512, 42));
  EXPECT_NE(encoded(512, 42), encoded(512, 43));
  EXPECT_NE(encoded(512, 42), encoded(512, 42, kBase + 1));
}

TEST(LogWorkload, MixMatchesTheDocumentedShares) {
  constexpr int kRecords = 50'000;
  model::Logs logs = makeLogs(kRecords, 3, kBase);
  ASSERT_EQ(logs.itemCount(), static_cast<size_t>(kRecords));
  std::map<int, int> severities;
  int with_trace = 0, timeouts = 0, structured = 0;
  std::string line;
  for (const auto& rl : logs.resources()) {
    ASSERT_TRUE(model::findAttribute(rl.resource.attributes, "service.name") != nullptr);
    for (const auto& sl : rl.scope_logs) {
      for (const auto& r : sl.log_records) {
        EXPECT_GE(r.time_unix_nano, kBase);
        EXPECT_LT(r.time_unix_nano, kBase + 1'000'000'000ull);
        EXPECT_GT(r.observed_time_unix_nano, r.time_unix_nano);
        severities[r.severity_number]++;
        if (!r.trace_id.empty()) {
          EXPECT_EQ(r.trace_id.size(), 16u);
          EXPECT_EQ(r.span_id.size(), 8u);
          with_trace++;
        }
        if (r.body.type() == model::AnyValue::Type::kKvList) structured++;
        model::logLine(r, line);
        if (line.find("timeout") != std::string::npos) timeouts++;
      }
    }
  }
  auto share = [&](int n) { return static_cast<double>(n) / kRecords; };
  EXPECT_NEAR(share(severities[5]), 0.15, 0.01);
  EXPECT_NEAR(share(severities[9]), 0.68, 0.01);
  EXPECT_NEAR(share(severities[13]), 0.12, 0.01);
  EXPECT_NEAR(share(severities[17]), 0.045, 0.005);
  EXPECT_NEAR(share(severities[21]), 0.005, 0.002);
  EXPECT_NEAR(share(with_trace), 0.6, 0.02);
  EXPECT_NEAR(share(timeouts), 0.01, 0.003);
  EXPECT_NEAR(share(structured), 0.1, 0.01);
}

TEST(LogWorkload, LogsForTracesBelongToTheirSpans) {
  model::Traces traces = makeTraces(512, 9, Profile::kStandard, kBase);
  std::map<std::string, const model::Span*> spans;  // span id → span
  size_t error_spans = 0;
  for (const auto& rs : traces.resources())
    for (const auto& ss : rs.scope_spans)
      for (const auto& s : ss.spans) {
        spans[std::string(s.span_id)] = &s;
        if (s.status.code == model::StatusCode::kError) error_spans++;
      }
  model::Logs logs = makeLogsForTraces(traces, 9);
  // A third of the spans log one or two records: between 512/3 and 2·512/3, give or take.
  EXPECT_GT(logs.itemCount(), 120u);
  EXPECT_LT(logs.itemCount(), 420u);
  for (const auto& rl : logs.resources()) {
    const model::AnyValue* service = model::findAttribute(rl.resource.attributes, "service.name");
    ASSERT_NE(service, nullptr);
    for (const auto& sl : rl.scope_logs)
      for (const auto& r : sl.log_records) {
        auto it = spans.find(std::string(r.span_id));
        ASSERT_NE(it, spans.end());
        const model::Span& span = *it->second;
        EXPECT_EQ(r.trace_id, span.trace_id);
        EXPECT_GE(r.time_unix_nano, span.start_time_unix_nano);
        EXPECT_LE(r.time_unix_nano, span.end_time_unix_nano);
      }
  }
  EXPECT_GT(error_spans, 0u);
}

TEST(LogWorkload, EncodedRequestsParseWithLibprotobuf) {
  WorkloadOptions options;
  options.spans_per_request = 512;
  options.distinct_requests = 2;
  options.base_time_unix_nano = kBase;
  auto pool = encodeLogRequests(options, Encoding::kProtobuf);
  ASSERT_EQ(pool.size(), 2u);
  EXPECT_NE(pool[0], pool[1]);
  opentelemetry::proto::collector::logs::v1::ExportLogsServiceRequest request;
  ASSERT_TRUE(request.ParseFromString(pool[0]));
  int records = 0;
  for (const auto& rl : request.resource_logs())
    for (const auto& sl : rl.scope_logs()) records += sl.log_records_size();
  EXPECT_EQ(records, 512);
  // Bytes per record in the band the header promises (~300 B).
  double per_record = static_cast<double>(pool[0].size()) / 512;
  EXPECT_GT(per_record, 200);
  EXPECT_LT(per_record, 400);
}

}  // namespace
}  // namespace periscope::app::loadgen
