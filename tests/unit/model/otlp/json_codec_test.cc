// OTLP/JSON decoder and encoder: hand-written requests in the OTLP spec's style, the accepted
// variants (snake_case, numbers vs strings, enum names), responses, and hostile input.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "model/otlp/json_bytes.h"
#include "model/otlp/json_decoder.h"
#include "model/otlp/json_encoder.h"

namespace periscope::model::otlp {
namespace {

std::string hexOf(std::string_view bytes) {
  std::string out;
  appendHex(bytes, out);
  return out;
}

template <typename BatchT>
std::string reencode(const BatchT& b) {
  std::string out;
  encodeJson(b, out);
  return out;
}

constexpr std::string_view kTraceJson = R"({
  "resourceSpans": [{
    "resource": {
      "attributes": [{"key": "service.name", "value": {"stringValue": "my.service"}}],
      "droppedAttributesCount": 1
    },
    "scopeSpans": [{
      "scope": {
        "name": "my.library", "version": "1.0.0",
        "attributes": [{"key": "my.scope.attribute", "value": {"stringValue": "some scope attribute"}}]
      },
      "spans": [{
        "traceId": "5B8EFFF798038103D269B633813FC60C",
        "spanId": "eee19b7ec3c1b174",
        "parentSpanId": "EEE19B7EC3C1B173",
        "traceState": "k=v",
        "flags": 257,
        "name": "I'm a server span",
        "startTimeUnixNano": "1544712660000000000",
        "endTimeUnixNano": 1544712661000000000,
        "kind": 2,
        "attributes": [
          {"key": "s", "value": {"stringValue": "esc\"aped\n\u00e9"}},
          {"key": "b", "value": {"boolValue": true}},
          {"key": "i", "value": {"intValue": "-42"}},
          {"key": "d", "value": {"doubleValue": 2.5}},
          {"key": "bytes", "value": {"bytesValue": "AQL/"}},
          {"key": "arr", "value": {"arrayValue": {"values": [{"intValue": 1}, {"stringValue": "x"}]}}},
          {"key": "kv", "value": {"kvlistValue": {"values": [{"key": "inner", "value": {"boolValue": false}}]}}},
          {"key": "empty", "value": {}},
          {"key": "novalue"}
        ],
        "droppedAttributesCount": 3,
        "events": [{"timeUnixNano": "1544712660500000000", "name": "ev",
                    "attributes": [{"key": "a", "value": {"intValue": "1"}}], "droppedAttributesCount": 4}],
        "droppedEventsCount": 5,
        "links": [{"traceId": "0102030405060708090a0b0c0d0e0f10", "spanId": "1112131415161718",
                   "traceState": "ts", "flags": 1, "droppedAttributesCount": 6}],
        "droppedLinksCount": 7,
        "status": {"message": "boom", "code": 2},
        "someUnknownField": {"nested": [1, 2, {"x": null}]}
      }],
      "schemaUrl": "https://opentelemetry.io/schemas/1.21.0"
    }],
    "schemaUrl": "https://example.com/r"
  }]
})";

TEST(JsonDecodeTest, TracesExample) {
  auto r = decodeTracesJson(std::string(kTraceJson));
  ASSERT_TRUE(r.isOk()) << r.status().toString();
  Traces& t = r.value();
  ASSERT_EQ(t.resources().size(), 1u);
  const ResourceSpans& rs = t.resources()[0];
  EXPECT_TRUE(rs.has_resource);
  EXPECT_EQ(rs.schema_url, "https://example.com/r");
  ASSERT_EQ(rs.resource.attributes.size(), 1u);
  EXPECT_EQ(rs.resource.attributes[0].key, "service.name");
  EXPECT_EQ(rs.resource.attributes[0].value.str(), "my.service");
  EXPECT_EQ(rs.resource.dropped_attributes_count, 1u);
  ASSERT_EQ(rs.scope_spans.size(), 1u);
  const ScopeSpans& ss = rs.scope_spans[0];
  EXPECT_TRUE(ss.has_scope);
  EXPECT_EQ(ss.scope.name, "my.library");
  EXPECT_EQ(ss.scope.version, "1.0.0");
  EXPECT_EQ(ss.scope.attributes[0].value.str(), "some scope attribute");
  EXPECT_EQ(ss.schema_url, "https://opentelemetry.io/schemas/1.21.0");
  ASSERT_EQ(ss.spans.size(), 1u);
  const Span& s = ss.spans[0];
  EXPECT_EQ(hexOf(s.trace_id), "5b8efff798038103d269b633813fc60c");
  EXPECT_EQ(s.trace_id.size(), 16u);
  EXPECT_EQ(hexOf(s.span_id), "eee19b7ec3c1b174");
  EXPECT_EQ(hexOf(s.parent_span_id), "eee19b7ec3c1b173");
  EXPECT_EQ(s.trace_state, "k=v");
  EXPECT_EQ(s.flags, 257u);
  EXPECT_EQ(s.name, "I'm a server span");
  EXPECT_EQ(s.start_time_unix_nano, 1544712660000000000u);
  EXPECT_EQ(s.end_time_unix_nano, 1544712661000000000u);
  EXPECT_EQ(s.kind, 2);
  ASSERT_EQ(s.attributes.size(), 9u);
  EXPECT_EQ(s.attributes[0].value.type(), AnyValue::Type::kString);
  EXPECT_EQ(s.attributes[0].value.str(), "esc\"aped\n\xC3\xA9");
  EXPECT_EQ(s.attributes[1].value.type(), AnyValue::Type::kBool);
  EXPECT_TRUE(s.attributes[1].value.boolValue());
  EXPECT_EQ(s.attributes[2].value.type(), AnyValue::Type::kInt);
  EXPECT_EQ(s.attributes[2].value.intValue(), -42);
  EXPECT_EQ(s.attributes[3].value.type(), AnyValue::Type::kDouble);
  EXPECT_EQ(s.attributes[3].value.doubleValue(), 2.5);
  EXPECT_EQ(s.attributes[4].value.type(), AnyValue::Type::kBytes);
  EXPECT_EQ(s.attributes[4].value.str(), std::string_view("\x01\x02\xff", 3));
  const AnyValue& arr = s.attributes[5].value;
  ASSERT_EQ(arr.type(), AnyValue::Type::kArray);
  ASSERT_EQ(arr.arrayValues().size(), 2u);
  EXPECT_EQ(arr.arrayValues()[0].intValue(), 1);
  EXPECT_EQ(arr.arrayValues()[1].str(), "x");
  const AnyValue& kv = s.attributes[6].value;
  ASSERT_EQ(kv.type(), AnyValue::Type::kKvList);
  ASSERT_EQ(kv.kvlistValues().size(), 1u);
  EXPECT_EQ(kv.kvlistValues()[0].key, "inner");
  EXPECT_EQ(kv.kvlistValues()[0].value.type(), AnyValue::Type::kBool);
  EXPECT_EQ(s.attributes[7].value.type(), AnyValue::Type::kEmpty);
  EXPECT_EQ(s.attributes[8].value.type(), AnyValue::Type::kAbsent);
  EXPECT_EQ(s.dropped_attributes_count, 3u);
  ASSERT_EQ(s.events.size(), 1u);
  EXPECT_EQ(s.events[0].time_unix_nano, 1544712660500000000u);
  EXPECT_EQ(s.events[0].name, "ev");
  EXPECT_EQ(s.events[0].attributes[0].value.intValue(), 1);
  EXPECT_EQ(s.events[0].dropped_attributes_count, 4u);
  EXPECT_EQ(s.dropped_events_count, 5u);
  ASSERT_EQ(s.links.size(), 1u);
  EXPECT_EQ(hexOf(s.links[0].trace_id), "0102030405060708090a0b0c0d0e0f10");
  EXPECT_EQ(hexOf(s.links[0].span_id), "1112131415161718");
  EXPECT_EQ(s.links[0].trace_state, "ts");
  EXPECT_EQ(s.links[0].flags, 1u);
  EXPECT_EQ(s.links[0].dropped_attributes_count, 6u);
  EXPECT_EQ(s.dropped_links_count, 7u);
  EXPECT_TRUE(s.has_status);
  EXPECT_EQ(s.status.message, "boom");
  EXPECT_EQ(s.status.code, StatusCode::kError);
  EXPECT_EQ(s.status_code_raw, 2);
}

TEST(JsonDecodeTest, TracesExampleEncodesCanonically) {
  auto r = decodeTracesJson(std::string(kTraceJson));
  ASSERT_TRUE(r.isOk()) << r.status().toString();
  std::string json = reencode(r.value());
  EXPECT_EQ(json.find('\n'), std::string::npos);
  EXPECT_NE(json.find(R"("traceId":"5b8efff798038103d269b633813fc60c")"), std::string::npos);
  EXPECT_NE(json.find(R"("startTimeUnixNano":"1544712660000000000")"), std::string::npos);
  EXPECT_NE(json.find(R"("kind":2)"), std::string::npos);
  EXPECT_NE(json.find(R"({"key":"i","value":{"intValue":"-42"}})"), std::string::npos);
  EXPECT_NE(json.find(R"({"key":"bytes","value":{"bytesValue":"AQL/"}})"), std::string::npos);
  EXPECT_NE(json.find(R"({"key":"empty","value":{}},{"key":"novalue"})"), std::string::npos);
  EXPECT_NE(json.find(R"("stringValue":"esc\"aped\n)"
                      "\xC3\xA9\""),
            std::string::npos);
  EXPECT_NE(json.find(R"("status":{"message":"boom","code":2})"), std::string::npos);
  EXPECT_EQ(json.find("someUnknownField"), std::string::npos);
  // Stable under a second round.
  auto again = decodeTracesJson(std::string(json));
  ASSERT_TRUE(again.isOk()) << again.status().toString();
  EXPECT_EQ(reencode(again.value()), json);
}

TEST(JsonDecodeTest, SnakeCaseNumbersAndEnumNamesDecodeTheSame) {
  std::string camel = R"({"resourceSpans":[{"scopeSpans":[{"spans":[{
      "traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"0102030405060708",
      "parentSpanId":"0807060504030201","traceState":"a=b","name":"n","kind":3,
      "startTimeUnixNano":"10","endTimeUnixNano":"20","droppedAttributesCount":1,
      "droppedEventsCount":2,"droppedLinksCount":3,"status":{"code":1},
      "attributes":[{"key":"k","value":{"intValue":"7"}}]}],"schemaUrl":"s"}],"schemaUrl":"r"}]})";
  std::string snake = R"({"resource_spans":[{"scope_spans":[{"spans":[{
      "trace_id":"0102030405060708090A0B0C0D0E0F10","span_id":"0102030405060708",
      "parent_span_id":"0807060504030201","trace_state":"a=b","name":"n","kind":"SPAN_KIND_CLIENT",
      "start_time_unix_nano":10,"end_time_unix_nano":20,"dropped_attributes_count":"1",
      "dropped_events_count":2,"dropped_links_count":3,"status":{"code":"STATUS_CODE_OK"},
      "attributes":[{"key":"k","value":{"int_value":7}}]}],"schema_url":"s"}],"schema_url":"r"}]})";
  Traces a, b;
  ASSERT_TRUE(decodeJson(camel, a).isOk());
  Status st = decodeJson(snake, b);
  ASSERT_TRUE(st.isOk()) << st.toString();
  EXPECT_EQ(reencode(a), reencode(b));
  const Span& s = b.resources()[0].scope_spans[0].spans[0];
  EXPECT_EQ(s.kind, 3);
  EXPECT_EQ(s.status.code, StatusCode::kOk);
  EXPECT_EQ(s.start_time_unix_nano, 10u);
  EXPECT_EQ(s.attributes[0].value.intValue(), 7);
}

TEST(JsonDecodeTest, PresenceAndNulls) {
  Traces t;
  Status st = decodeJson(
      R"({"resourceSpans":[{"resource":{},"scopeSpans":[{"scope":{},"spans":[{"status":{},
         "name":null,"attributes":null,"traceId":null}]}]},{}]})",
      t);
  ASSERT_TRUE(st.isOk()) << st.toString();
  ASSERT_EQ(t.resources().size(), 2u);
  EXPECT_TRUE(t.resources()[0].has_resource);
  EXPECT_TRUE(t.resources()[0].scope_spans[0].has_scope);
  EXPECT_TRUE(t.resources()[0].scope_spans[0].spans[0].has_status);
  EXPECT_FALSE(t.resources()[1].has_resource);
  EXPECT_EQ(
      reencode(t),
      R"({"resourceSpans":[{"resource":{},"scopeSpans":[{"scope":{},"spans":[{"status":{}}]}]},{}]})");
  Traces empty;
  ASSERT_TRUE(decodeJson("{}", empty).isOk());
  EXPECT_TRUE(empty.resources().empty());
  EXPECT_EQ(reencode(empty), "{}");
}

TEST(JsonDecodeTest, AppendsToExistingBatch) {
  Traces t;
  ASSERT_TRUE(decodeJson(R"({"resourceSpans":[{"schemaUrl":"a"}]})", t).isOk());
  ASSERT_TRUE(decodeJson(R"({"resourceSpans":[{"schemaUrl":"b"}]})", t).isOk());
  ASSERT_EQ(t.resources().size(), 2u);
  EXPECT_EQ(t.resources()[1].schema_url, "b");
}

TEST(JsonDecodeTest, NonFiniteDoubles) {
  Logs l;
  Status st = decodeJson(
      R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":{"arrayValue":{"values":[
         {"doubleValue":"NaN"},{"doubleValue":"Infinity"},{"doubleValue":"-Infinity"},
         {"doubleValue":"1.5"},{"doubleValue":-0.0},{"doubleValue":1e300}]}}}]}]}]})",
      l);
  ASSERT_TRUE(st.isOk()) << st.toString();
  auto vals = l.resources()[0].scope_logs[0].log_records[0].body.arrayValues();
  ASSERT_EQ(vals.size(), 6u);
  EXPECT_TRUE(std::isnan(vals[0].doubleValue()));
  EXPECT_EQ(vals[1].doubleValue(), INFINITY);
  EXPECT_EQ(vals[2].doubleValue(), -INFINITY);
  EXPECT_EQ(vals[3].doubleValue(), 1.5);
  EXPECT_TRUE(std::signbit(vals[4].doubleValue()));
  EXPECT_EQ(vals[5].doubleValue(), 1e300);
  EXPECT_EQ(reencode(l),
            R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":{"arrayValue":{"values":[)"
            R"({"doubleValue":"NaN"},{"doubleValue":"Infinity"},{"doubleValue":"-Infinity"},)"
            R"({"doubleValue":1.5},{"doubleValue":-0},{"doubleValue":1e+300}]}}}]}]}]})");
}

TEST(JsonDecodeTest, LogsExample) {
  auto r = decodeLogsJson(R"({"resourceLogs":[{
    "resource":{"attributes":[{"key":"service.name","value":{"stringValue":"svc"}}]},
    "scopeLogs":[{"scope":{"name":"lib"},"logRecords":[{
      "timeUnixNano":"1544712660300000000","observedTimeUnixNano":"1544712660300000001",
      "severityNumber":10,"severityText":"Information","traceId":"5B8EFFF798038103D269B633813FC60C",
      "spanId":"EEE19B7EC3C1B174","flags":1,"eventName":"app.start","droppedAttributesCount":2,
      "body":{"stringValue":"Example log record"},
      "attributes":[{"key":"string.attribute","value":{"stringValue":"some string"}},
                    {"key":"map.attribute","value":{"kvlistValue":{"values":[
                      {"key":"some.map.key","value":{"stringValue":"some value"}}]}}}]},
      {"severity_number":"SEVERITY_NUMBER_FATAL4","body":{}},
      {"severityNumber":99}]}]}]})");
  ASSERT_TRUE(r.isOk()) << r.status().toString();
  const auto& recs = r.value().resources()[0].scope_logs[0].log_records;
  ASSERT_EQ(recs.size(), 3u);
  const LogRecord& l = recs[0];
  EXPECT_EQ(l.time_unix_nano, 1544712660300000000u);
  EXPECT_EQ(l.observed_time_unix_nano, 1544712660300000001u);
  EXPECT_EQ(l.severity_number, 10);
  EXPECT_EQ(l.severity_text, "Information");
  EXPECT_EQ(hexOf(l.trace_id), "5b8efff798038103d269b633813fc60c");
  EXPECT_EQ(hexOf(l.span_id), "eee19b7ec3c1b174");
  EXPECT_EQ(l.flags, 1u);
  EXPECT_EQ(l.event_name, "app.start");
  EXPECT_EQ(l.dropped_attributes_count, 2u);
  EXPECT_EQ(l.body.str(), "Example log record");
  ASSERT_EQ(l.attributes.size(), 2u);
  EXPECT_EQ(l.attributes[1].value.kvlistValues()[0].value.str(), "some value");
  EXPECT_EQ(recs[1].severity_number, 24);
  EXPECT_EQ(recs[1].body.type(), AnyValue::Type::kEmpty);
  EXPECT_EQ(recs[2].severity_number, 99);
  EXPECT_EQ(recs[2].body.type(), AnyValue::Type::kAbsent);
  std::string json = reencode(r.value());
  EXPECT_NE(json.find(R"({"severityNumber":24,"body":{}},{"severityNumber":99})"),
            std::string::npos)
      << json;
}

constexpr std::string_view kMetricsJson = R"({"resourceMetrics":[{
  "resource":{"attributes":[{"key":"service.name","value":{"stringValue":"svc"}}]},
  "scopeMetrics":[{"scope":{"name":"meter","version":"2"},"metrics":[
    {"name":"my.counter","unit":"1","description":"I am a Counter","sum":{
      "aggregationTemporality":1,"isMonotonic":true,"dataPoints":[{
        "asDouble":5,"startTimeUnixNano":"1544712660300000000","timeUnixNano":"1544712660300000001",
        "attributes":[{"key":"my.counter.attr","value":{"stringValue":"some value"}}],
        "exemplars":[{"timeUnixNano":"7","asInt":"3","spanId":"0102030405060708",
          "traceId":"0102030405060708090a0b0c0d0e0f10",
          "filteredAttributes":[{"key":"f","value":{"boolValue":true}}]}]}]}},
    {"name":"my.gauge","gauge":{"dataPoints":[{"asInt":"-10","timeUnixNano":"5","flags":1},{"asDouble":0}]}},
    {"name":"my.histogram","histogram":{"aggregationTemporality":"AGGREGATION_TEMPORALITY_CUMULATIVE",
      "dataPoints":[{"count":"4","sum":10.5,"min":0,"max":8,"bucketCounts":["1",1,"2"],
        "explicitBounds":[1,2.5],"timeUnixNano":"9"}]}},
    {"name":"my.exp","exponential_histogram":{"aggregation_temporality":2,"data_points":[{
      "count":"5","sum":3,"scale":-3,"zero_count":"1","zero_threshold":0.001,
      "positive":{"offset":-2,"bucket_counts":["1","2"]},"negative":{}}]}},
    {"name":"my.summary","summary":{"dataPoints":[{"count":"2","sum":3.5,
      "quantileValues":[{"quantile":0.5,"value":1.5},{"value":2}]}]}},
    {"name":"empty.metric","metadata":[{"key":"m","value":{"stringValue":"v"}}]}
  ]}]}]})";

TEST(JsonDecodeTest, MetricsExampleAllFiveTypes) {
  auto r = decodeMetricsJson(std::string(kMetricsJson));
  ASSERT_TRUE(r.isOk()) << r.status().toString();
  const ScopeMetrics& sm = r.value().resources()[0].scope_metrics[0];
  EXPECT_EQ(sm.scope.name, "meter");
  ASSERT_EQ(sm.metrics.size(), 6u);

  const Metric& sum = sm.metrics[0];
  EXPECT_EQ(sum.name, "my.counter");
  EXPECT_EQ(sum.unit, "1");
  EXPECT_EQ(sum.description, "I am a Counter");
  EXPECT_EQ(sum.type, MetricType::kSum);
  EXPECT_EQ(sum.aggregation_temporality, 1);
  EXPECT_TRUE(sum.is_monotonic);
  ASSERT_EQ(sum.number_points.size(), 1u);
  const NumberDataPoint& np = sum.number_points[0];
  EXPECT_EQ(np.value_type, NumberValue::kDouble);
  EXPECT_EQ(np.as_double, 5.0);
  EXPECT_EQ(np.start_time_unix_nano, 1544712660300000000u);
  EXPECT_EQ(np.time_unix_nano, 1544712660300000001u);
  EXPECT_EQ(np.attributes[0].value.str(), "some value");
  ASSERT_EQ(np.exemplars.size(), 1u);
  EXPECT_EQ(np.exemplars[0].value_type, NumberValue::kInt);
  EXPECT_EQ(np.exemplars[0].as_int, 3);
  EXPECT_EQ(np.exemplars[0].time_unix_nano, 7u);
  EXPECT_EQ(hexOf(np.exemplars[0].span_id), "0102030405060708");
  EXPECT_EQ(hexOf(np.exemplars[0].trace_id), "0102030405060708090a0b0c0d0e0f10");
  EXPECT_EQ(np.exemplars[0].filtered_attributes[0].key, "f");

  const Metric& gauge = sm.metrics[1];
  EXPECT_EQ(gauge.type, MetricType::kGauge);
  ASSERT_EQ(gauge.number_points.size(), 2u);
  EXPECT_EQ(gauge.number_points[0].value_type, NumberValue::kInt);
  EXPECT_EQ(gauge.number_points[0].as_int, -10);
  EXPECT_EQ(gauge.number_points[0].flags, 1u);
  EXPECT_EQ(gauge.number_points[1].value_type, NumberValue::kDouble);

  const Metric& hist = sm.metrics[2];
  EXPECT_EQ(hist.type, MetricType::kHistogram);
  EXPECT_EQ(hist.aggregation_temporality, 2);
  const HistogramDataPoint& hp = hist.histogram_points[0];
  EXPECT_EQ(hp.count, 4u);
  EXPECT_TRUE(hp.has_sum && hp.has_min && hp.has_max);
  EXPECT_EQ(hp.sum, 10.5);
  EXPECT_EQ(hp.min, 0.0);
  EXPECT_EQ(hp.max, 8.0);
  ASSERT_EQ(hp.bucket_counts.size(), 3u);
  EXPECT_EQ(hp.bucket_counts[2], 2u);
  ASSERT_EQ(hp.explicit_bounds.size(), 2u);
  EXPECT_EQ(hp.explicit_bounds[1], 2.5);

  const Metric& exp = sm.metrics[3];
  EXPECT_EQ(exp.type, MetricType::kExponentialHistogram);
  EXPECT_EQ(exp.aggregation_temporality, 2);
  const ExponentialHistogramDataPoint& ep = exp.exponential_points[0];
  EXPECT_EQ(ep.count, 5u);
  EXPECT_TRUE(ep.has_sum);
  EXPECT_FALSE(ep.has_min);
  EXPECT_EQ(ep.scale, -3);
  EXPECT_EQ(ep.zero_count, 1u);
  EXPECT_EQ(ep.zero_threshold, 0.001);
  EXPECT_TRUE(ep.has_positive);
  EXPECT_EQ(ep.positive.offset, -2);
  ASSERT_EQ(ep.positive.bucket_counts.size(), 2u);
  EXPECT_EQ(ep.positive.bucket_counts[1], 2u);
  EXPECT_TRUE(ep.has_negative);
  EXPECT_TRUE(ep.negative.bucket_counts.empty());

  const Metric& summary = sm.metrics[4];
  EXPECT_EQ(summary.type, MetricType::kSummary);
  const SummaryDataPoint& sp = summary.summary_points[0];
  EXPECT_EQ(sp.count, 2u);
  EXPECT_EQ(sp.sum, 3.5);
  ASSERT_EQ(sp.quantile_values.size(), 2u);
  EXPECT_EQ(sp.quantile_values[0].quantile, 0.5);
  EXPECT_EQ(sp.quantile_values[1].value, 2.0);

  EXPECT_EQ(sm.metrics[5].type, MetricType::kEmpty);
  EXPECT_EQ(sm.metrics[5].metadata[0].value.str(), "v");

  EXPECT_EQ(r.value().itemCount(), 6u);
  std::string json = reencode(r.value());
  EXPECT_NE(json.find(R"("bucketCounts":["1","1","2"],"explicitBounds":[1,2.5])"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find(R"("positive":{"offset":-2,"bucketCounts":["1","2"]},"negative":{})"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find(R"("aggregationTemporality":1,"isMonotonic":true)"), std::string::npos);
  auto again = decodeMetricsJson(std::string(json));
  ASSERT_TRUE(again.isOk()) << again.status().toString();
  EXPECT_EQ(reencode(again.value()), json);
}

TEST(JsonEncodeTest, ExportResponse) {
  EXPECT_EQ(encodeExportResponseJson("traces", 0, ""), "{}");
  EXPECT_EQ(encodeExportResponseJson("traces", 3, "bad \"ids\""),
            R"({"partialSuccess":{"rejectedSpans":"3","errorMessage":"bad \"ids\""}})");
  EXPECT_EQ(encodeExportResponseJson("metrics", 2, ""),
            R"({"partialSuccess":{"rejectedDataPoints":"2"}})");
  EXPECT_EQ(encodeExportResponseJson("logs", 1, "x"),
            R"({"partialSuccess":{"rejectedLogRecords":"1","errorMessage":"x"}})");
  EXPECT_EQ(encodeExportResponseJson("logs", 0, "warn"),
            R"({"partialSuccess":{"errorMessage":"warn"}})");
}

TEST(JsonEncodeTest, EscapesAndRepairsStrings) {
  Logs l;
  auto recs = l.arena().allocArray<LogRecord>(1);
  auto scopes = l.arena().allocArray<ScopeLogs>(1);
  scopes[0].log_records = recs;
  static constexpr char kText[] = "a\"b\\c\x01\x1f\t/\xC3\xA9\xF0\x9F\x98\x80 \xFF\xC3";
  recs[0].severity_text = std::string_view(kText, sizeof kText - 1);
  ResourceLogs rl;
  rl.scope_logs = scopes;
  l.resources().push_back(rl);
  EXPECT_EQ(
      reencode(l),
      "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"severityText\":"
      "\"a\\\"b\\\\c\\u0001\\u001f\\t/\xC3\xA9\xF0\x9F\x98\x80 \xEF\xBF\xBD\xEF\xBF\xBD\"}]}]}]}");
}

TEST(JsonBytesTest, HexAndBase64) {
  char buf[16];
  EXPECT_TRUE(decodeHex("00fFaB", buf));
  EXPECT_EQ(std::string_view(buf, 3), std::string_view("\x00\xff\xab", 3));
  EXPECT_FALSE(decodeHex("abc", buf));
  EXPECT_FALSE(decodeHex("zz", buf));
  for (std::string_view in : {"", "f", "fo", "foo", "foob", "fooba", "foobar"}) {
    std::string b64;
    appendBase64(in, b64);
    char out[16];
    size_t n = 0;
    ASSERT_TRUE(decodeBase64(b64, out, n)) << b64;
    EXPECT_EQ(std::string_view(out, n), in);
  }
  std::string b64;
  appendBase64("foobar", b64);
  EXPECT_EQ(b64, "Zm9vYmFy");
  size_t n = 0;
  EXPECT_TRUE(decodeBase64("-_8", buf, n));  // url-safe, unpadded
  EXPECT_EQ(std::string_view(buf, n), std::string_view("\xfb\xff", 2));
  EXPECT_FALSE(decodeBase64("a", buf, n));
  EXPECT_FALSE(decodeBase64("ab!c", buf, n));
  EXPECT_FALSE(decodeBase64("ab=c", buf, n));
}

// --- Hostile input ---------------------------------------------------------------------------

Status decodeTracesString(std::string_view json) {
  Traces t;
  Status st = decodeJson(json, t);
  if (!st.isOk()) {
    EXPECT_TRUE(t.resources().empty());
    EXPECT_EQ(st.code(), periscope::StatusCode::kInvalidArgument) << st.toString();
  }
  return st;
}

TEST(JsonHostileTest, ErrorsNameThePath) {
  std::string json = R"({"resourceSpans":[{"scopeSpans":[{},{"spans":[{},{},{},{},
      {"traceId":"0102zz"}]}]}]})";
  Status st = decodeTracesString(json);
  ASSERT_FALSE(st.isOk());
  EXPECT_EQ(st.message(), "resourceSpans[0].scopeSpans[1].spans[4].traceId: invalid hex");
  st = decodeTracesString(R"({"resourceSpans":[{"scopeSpans":[{"spans":5}]}]})");
  EXPECT_EQ(st.message(), "resourceSpans[0].scopeSpans[0].spans: expected array, got number");
  st = decodeTracesString(
      R"({"resourceSpans":[{"resource":{"attributes":[{"key":"k","value":{"intValue":true}}]}}]})");
  EXPECT_EQ(st.message(),
            "resourceSpans[0].resource.attributes[0].value.intValue: expected number, got boolean");
}

TEST(JsonHostileTest, OddLengthHexIsAnErrorWrongLengthIsNot) {
  EXPECT_FALSE(
      decodeTracesString(R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"spanId":"abc"}]}]}]})")
          .isOk());
  Traces t;
  ASSERT_TRUE(decodeJson(R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"spanId":"abcd"}]}]}]})", t)
                  .isOk());
  EXPECT_EQ(t.resources()[0].scope_spans[0].spans[0].span_id.size(), 2u);
}

std::string nested(int levels) {
  std::string json = R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":)";
  for (int i = 0; i < levels; ++i) json += R"({"arrayValue":{"values":[)";
  json += R"({"intValue":"1"})";
  for (int i = 0; i < levels; ++i) json += "]}}";
  json += "}]}]}]}";
  return json;
}

TEST(JsonHostileTest, NestingDepthLimit) {
  Logs ok;
  Status st = decodeJson(nested(kMaxJsonNestingDepth - 1), ok);
  EXPECT_TRUE(st.isOk()) << st.toString().substr(0, 300);
  for (int levels : {kMaxJsonNestingDepth, 1000, 100000}) {
    Logs l;
    st = decodeJson(nested(levels), l);
    ASSERT_FALSE(st.isOk()) << levels;
    EXPECT_EQ(st.code(), periscope::StatusCode::kInvalidArgument);
    EXPECT_TRUE(l.resources().empty());
  }
  // Deep nesting in an ignored field, and deep nesting of plain arrays.
  std::string deep_unknown = R"({"x":)" + std::string(5000, '[') + std::string(5000, ']') + "}";
  EXPECT_FALSE(decodeTracesString(deep_unknown).isOk());
  EXPECT_FALSE(decodeTracesString(std::string(100000, '[')).isOk());
  EXPECT_FALSE(decodeTracesString(std::string(100000, '{')).isOk());
}

TEST(JsonHostileTest, TruncatedAtEveryOffset) {
  for (std::string_view doc : {kTraceJson, kMetricsJson}) {
    for (size_t n = 0; n < doc.size(); ++n) {
      std::string_view prefix = doc.substr(0, n);
      Traces t;
      Metrics m;
      Status st = doc == kTraceJson ? decodeJson(prefix, t) : decodeJson(prefix, m);
      EXPECT_FALSE(st.isOk()) << "prefix of length " << n << " accepted";
      EXPECT_TRUE(t.resources().empty());
      EXPECT_TRUE(m.resources().empty());
    }
  }
}

TEST(JsonHostileTest, InvalidUtf8) {
  for (std::string_view bad : {"\xff", "\xc3", "\xed\xa0\x80", "\xc0\xaf", "\xf5\x80\x80\x80"}) {
    std::string json = R"({"resourceSpans":[{"schemaUrl":")" + std::string(bad) + R"("}]})";
    EXPECT_FALSE(decodeTracesString(json).isOk());
    json = R"({"resourceSpans":[{"schemaUrl":"x"}], ")" + std::string(bad) + R"(":1})";
    EXPECT_FALSE(decodeTracesString(json).isOk());
  }
  // Lone surrogate escapes and raw control characters.
  EXPECT_FALSE(decodeTracesString(R"({"resourceSpans":[{"schemaUrl":"\ud800"}]})").isOk());
  EXPECT_FALSE(decodeTracesString("{\"resourceSpans\":[{\"schemaUrl\":\"a\x01\"}]}").isOk());
  EXPECT_FALSE(decodeTracesString(R"({"resourceSpans":[{"schemaUrl":"\x"}]})").isOk());
}

TEST(JsonHostileTest, HugeNumbersAndWrongTypes) {
  const char* bad[] = {
      R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"startTimeUnixNano":"18446744073709551616"}]}]}]})",
      R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"startTimeUnixNano":1e30}]}]}]})",
      R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"startTimeUnixNano":-1}]}]}]})",
      R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"startTimeUnixNano":"12abc"}]}]}]})",
      R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"startTimeUnixNano":""}]}]}]})",
      R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"startTimeUnixNano":1.5}]}]}]})",
      R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"flags":4294967296}]}]}]})",
      R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"kind":2147483648}]}]}]})",
      R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"kind":"SPAN_KIND_BOGUS"}]}]}]})",
      R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"attributes":[{"value":{"intValue":"9223372036854775808"}}]}]}]}]})",
      R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"attributes":[{"value":{"doubleValue":1e400}}]}]}]}]})",
      R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"attributes":[{"value":{"doubleValue":"1e400"}}]}]}]}]})",
      R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"attributes":[{"value":{"doubleValue":"nan"}}]}]}]}]})",
      R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"attributes":[{"value":{"bytesValue":"@@"}}]}]}]}]})",
      R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"attributes":[{"value":{"boolValue":"true"}}]}]}]}]})",
      R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"attributes":[{"value":5}]}]}]}]})",
      R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"attributes":{}}]}]}]})",
      R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"name":5}]}]}]})",
      R"({"resourceSpans":[{"scopeSpans":[{"spans":[null]}]}]})",
      R"({"resourceSpans":[{"scopeSpans":[{"spans":[5]}]}]})",
      R"({"resourceSpans":[{"scopeSpans":"x"}]})",
      R"({"resourceSpans":[{"resource":[]}]})",
      R"({"resourceSpans":{}})",
      R"([])",
      R"("x")",
      R"(5)",
      R"()",
      R"(   )",
      R"({"resourceSpans":[]} {})",
      R"({"resourceSpans":[]}x)",
      R"({"resourceSpans":[],})",
      R"({"resourceSpans":[1,]})",
      R"({"resourceSpans" [] })",
      R"({"resourceSpans":[{"schemaUrl":"x"}]]})",
  };
  for (const char* json : bad) EXPECT_FALSE(decodeTracesString(json).isOk()) << json;

  Metrics m;
  EXPECT_FALSE(
      decodeJson(
          R"({"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"histogram":{"dataPoints":[{"bucketCounts":[-1]}]}}]}]}]})",
          m)
          .isOk());
  EXPECT_FALSE(
      decodeJson(
          R"({"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"sum":{"isMonotonic":1}}]}]}]})", m)
          .isOk());
  EXPECT_TRUE(m.resources().empty());
}

// simdjson On-Demand validates only what is read: values we skip (unknown fields, nulls) and
// strings we only looked at were not checked, and skipping a string followed by ':' takes it for
// a key. Found by the differential fuzz target (nlohmann rejected what we accepted).
TEST(JsonHostileTest, MalformedSkippedValuesRejected) {
  const char* bad[] = {
      R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"name":"x":2}}]}]}]})",
      R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"01":2}}]}]}]})",
      R"({"resourceSpans":[{"unknown":"x":2}}]})",
      R"({"resourceSpans":[{"unknown":{"k":"x":2}}}]})",
      R"({"resourceSpans":[{"unknown":tru}]})",
      R"({"resourceSpans":[{"unknown":[fals]}]})",
      R"({"resourceSpans":[{"unknown":01}]})",
      R"({"resourceSpans":[{"unknown":1.}]})",
      R"({"resourceSpans":[{"unknown":-}]})",
      R"({"resourceSpans":[{"unknown":1e400}]})",
      R"({"resourceSpans":[{"unknown":"\q"}]})",
      R"({"resourceSpans":[{"unknown":{"\q":1}}]})",
      R"({"resourceSpans":[{"unknown":nul}]})",
      R"({"resourceSpans":[{"schemaUrl":nonsense}]})",
      R"({"resourceSpans":[{"resource":nullx}]})",
  };
  for (const char* json : bad) EXPECT_FALSE(decodeTracesString(json).isOk()) << json;

  Traces t;
  Status st = decodeJson(
      R"({"resourceSpans":[{"unknown":[1,-2.5e3,"x\n",true,false,null,{"k":{}},-0,
         100000000000000000000000000000],"schemaUrl":null,
         "scopeSpans":[{"spans":[{"name":"n","status":null,"x":"y"}]}]}]})",
      t);
  ASSERT_TRUE(st.isOk()) << st.toString();
  EXPECT_EQ(t.resources()[0].scope_spans[0].spans[0].name, "n");
  EXPECT_FALSE(t.resources()[0].scope_spans[0].spans[0].has_status);
}

TEST(JsonHostileTest, LenientNumbersAccepted) {
  Traces t;
  Status st = decodeJson(
      R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"startTimeUnixNano":1e9,"endTimeUnixNano":"18446744073709551615",
         "attributes":[{"key":"a","value":{"intValue":"-9223372036854775808"}},{"key":"b","value":{"intValue":2.0}}]}]}]}]})",
      t);
  ASSERT_TRUE(st.isOk()) << st.toString();
  const Span& s = t.resources()[0].scope_spans[0].spans[0];
  EXPECT_EQ(s.start_time_unix_nano, 1000000000u);
  EXPECT_EQ(s.end_time_unix_nano, 18446744073709551615u);
  EXPECT_EQ(s.attributes[0].value.intValue(), INT64_MIN);
  EXPECT_EQ(s.attributes[1].value.intValue(), 2);
}

TEST(JsonHostileTest, GarbageNeverCrashes) {
  // Mutate a valid document byte by byte; every outcome must be a clean Status.
  std::string doc(kMetricsJson);
  uint64_t x = 12345;
  for (int i = 0; i < 3000; ++i) {
    std::string m = doc;
    for (int k = 0; k < 3; ++k) {
      x = x * 6364136223846793005ULL + 1442695040888963407ULL;
      m[(x >> 33) % m.size()] = static_cast<char>(x >> 56);
    }
    Metrics out;
    Status st = decodeJson(m, out);
    if (!st.isOk()) {
      EXPECT_TRUE(out.resources().empty());
    }
  }
}

}  // namespace
}  // namespace periscope::model::otlp
