// Jaeger JSON encoder: OTLP spans become Jaeger's trace model as the collector's translator
// maps them (units, tag types, kind/status/scope tags, references, logs, shared processes).
#include "api/json/jaeger_encoder.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "fake_trace_reader.h"

namespace periscope::api {
namespace {

using nlohmann::json;
using testing::decode;
using testing::kTraceA;
using testing::kTraceB;

json encode(const model::Traces& t) {
  std::string out;
  model::otlp::JsonWriter w(out);
  writeJaegerTrace(w, out, t);
  return json::parse(out);
}

json tag(std::string key, std::string type, json value) {
  return {{"key", std::move(key)}, {"type", std::move(type)}, {"value", std::move(value)}};
}

TEST(JaegerEncoder, SpanFieldsUseMicrosecondsAndHexIds) {
  json t = encode(decode(kTraceA));
  EXPECT_EQ(t["traceID"], "5b8efff798038103d269b633813fc60c");
  ASSERT_EQ(t["spans"].size(), 3u);
  const json& root = t["spans"][0];
  EXPECT_EQ(root["traceID"], "5b8efff798038103d269b633813fc60c");
  EXPECT_EQ(root["spanID"], "1111111111111111");
  EXPECT_EQ(root["operationName"], "GET /cart");
  // ns → µs by truncation: start …123456789 ns, end …623457999 ns.
  EXPECT_EQ(root["startTime"], 1700000000123456);
  EXPECT_EQ(root["duration"], 500001);
  EXPECT_TRUE(root["startTime"].is_number_integer());
  EXPECT_EQ(root["flags"], 1);  // only the W3C trace-flags byte of 0x301
  EXPECT_EQ(root["references"], json::array());
  EXPECT_TRUE(root["warnings"].is_null());
  EXPECT_TRUE(t["warnings"].is_null());
}

TEST(JaegerEncoder, TagsFollowTheCollectorTranslator) {
  json t = encode(decode(kTraceA));
  json want = json::array({
      tag("otel.scope.name", "string", "io.opentelemetry.http"),
      tag("otel.scope.version", "string", "1.2.3"),
      tag("http.status_code", "int64", 500),
      tag("http.method", "string", "GET"),
      tag("ratio", "float64", 0.5),
      tag("cached", "bool", false),
      tag("payload", "binary", "aGk="),
      tag("list", "string", R"(["a",1])"),
      tag("obj", "string", R"({"k":"v"})"),
      tag("span.kind", "string", "server"),
      tag("otel.status_code", "string", "ERROR"),
      tag("error", "bool", true),
      tag("otel.status_description", "string", "boom"),
      tag("w3c.tracestate", "string", "vendor=1"),
  });
  EXPECT_EQ(t["spans"][0]["tags"], want);
  // OK status, client kind, no scope.
  EXPECT_EQ(t["spans"][1]["tags"], json::array({tag("span.kind", "string", "client"),
                                                tag("otel.status_code", "string", "OK")}));
  // Internal kind is tagged too (the collector does); unset status adds nothing.
  EXPECT_EQ(t["spans"][2]["tags"], json::array({tag("span.kind", "string", "internal")}));
}

TEST(JaegerEncoder, EventsBecomeLogsWithTheEventNameField) {
  json t = encode(decode(kTraceA));
  EXPECT_EQ(t["spans"][0]["logs"],
            json::array({{{"timestamp", 1700000000200000},
                          {"fields", json::array({tag("event", "string", "exception"),
                                                  tag("exception.type", "string", "E")})}}}));
  // An "event" attribute wins over the name.
  EXPECT_EQ(t["spans"][2]["logs"][0]["fields"], json::array({tag("event", "string", "custom")}));
}

TEST(JaegerEncoder, ParentIsFirstChildOfAndLinksFollowFrom) {
  json t = encode(decode(kTraceA));
  EXPECT_EQ(t["spans"][1]["references"],
            json::array({{{"refType", "CHILD_OF"},
                          {"traceID", "5b8efff798038103d269b633813fc60c"},
                          {"spanID", "1111111111111111"}},
                         {{"refType", "FOLLOWS_FROM"},
                          {"traceID", "0102030405060708090a0b0c0d0e0f10"},
                          {"spanID", "3333333333333333"}}}));
  EXPECT_EQ(t["spans"][2]["references"][0]["spanID"], "2222222222222222");
}

TEST(JaegerEncoder, LinkToTheParentKeepsOneReferenceWithTheLinkType) {
  std::string json_text = R"({"resourceSpans":[{"scopeSpans":[{"spans":[
   {"traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"0000000000000002",
    "parentSpanId":"0000000000000001","name":"x",
    "links":[{"traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"0000000000000001"},
             {"traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"0000000000000009",
              "attributes":[{"key":"opentracing.ref_type","value":{"stringValue":"child_of"}}]}]}]}]}]})";
  json t = encode(decode(json_text));
  json refs = t["spans"][0]["references"];
  ASSERT_EQ(refs.size(), 2u);
  EXPECT_EQ(refs[0]["spanID"], "0000000000000001");
  EXPECT_EQ(refs[0]["refType"], "FOLLOWS_FROM");  // the link's type overrides CHILD_OF
  EXPECT_EQ(refs[1]["spanID"], "0000000000000009");
  EXPECT_EQ(refs[1]["refType"], "CHILD_OF");
  // No service.name: the collector's placeholder, and no tags.
  EXPECT_EQ(t["processes"]["p1"],
            json({{"serviceName", "OTLPResourceNoServiceName"}, {"tags", json::array()}}));
}

TEST(JaegerEncoder, IdenticalResourcesShareOneProcess) {
  json t = encode(decode(kTraceA));
  EXPECT_EQ(t["spans"][0]["processID"], "p1");
  EXPECT_EQ(t["spans"][1]["processID"], "p1");
  EXPECT_EQ(t["spans"][2]["processID"], "p2");
  EXPECT_EQ(t["processes"], json({{"p1",
                                   {{"serviceName", "frontend"},
                                    {"tags", json::array({tag("host.name", "string", "h1")})}}},
                                  {"p2", {{"serviceName", "cart"}, {"tags", json::array()}}}}));
}

TEST(JaegerEncoder, TraceIdWithZeroHighHalfHasSixteenDigits) {
  json t = encode(decode(kTraceB));
  EXPECT_EQ(t["traceID"], "0000000000000abc");
  EXPECT_EQ(t["spans"][0]["traceID"], "0000000000000abc");
  EXPECT_EQ(t["spans"][0]["duration"], 1);
  EXPECT_EQ(jaegerTraceId(testing::unhex("0102030405060708090a0b0c0d0e0f10")),
            "0102030405060708090a0b0c0d0e0f10");
}

TEST(JaegerEncoder, SpanKindNamesRoundTrip) {
  for (int32_t k = 1; k <= 5; ++k) EXPECT_EQ(otlpSpanKind(jaegerSpanKind(k)), k);
  EXPECT_EQ(jaegerSpanKind(0), "");
  EXPECT_EQ(jaegerSpanKind(42), "");
  EXPECT_EQ(otlpSpanKind("SERVER"), std::nullopt);
}

}  // namespace
}  // namespace periscope::api
