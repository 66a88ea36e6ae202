// X-Ray segment documents in → spans out, one test per translation rule of the collector's
// awsxrayreceiver (and Periscope's documented deviations).
#include "components/receivers/awsxray/segment_translator.h"

#include <gtest/gtest.h>

#include <string>

#include "model/otlp/json_encoder.h"

namespace periscope::components::awsxray_receiver {
namespace {

// "s:<str>", "i:<int>", "b:<bool>", "d:<double>", "[a,b]" or "<absent>": one compact form to
// compare attribute values exactly.
std::string show(const model::AnyValue* v) {
  if (v == nullptr) return "<absent>";
  switch (v->type()) {
    case model::AnyValue::Type::kString:
      return "s:" + std::string(v->str());
    case model::AnyValue::Type::kInt:
      return "i:" + std::to_string(v->intValue());
    case model::AnyValue::Type::kBool:
      return v->boolValue() ? "b:true" : "b:false";
    case model::AnyValue::Type::kDouble:
      return "d:" + std::to_string(v->doubleValue());
    case model::AnyValue::Type::kArray: {
      std::string out = "[";
      for (const auto& e : v->arrayValues()) out += (out.size() > 1 ? "," : "") + show(&e);
      return out + "]";
    }
    default:
      return "<other>";
  }
}

std::string hex(std::string_view bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

class AwsXrayReceiverTranslation : public ::testing::Test {
 protected:
  TranslatedDocument translate(const std::string& doc) { return translateSegment(doc, traces); }
  const model::Span& span(size_t i) { return traces.resources().at(0).scope_spans[0].spans[i]; }
  std::string attr(size_t i, std::string_view key) {
    return show(model::findAttribute(span(i).attributes, key));
  }
  std::string res(std::string_view key) {
    return show(model::findAttribute(traces.resources().at(0).resource.attributes, key));
  }
  model::Traces traces;
};

constexpr const char* kTrace = R"("trace_id":"1-5759e988-bd862e3fe1be46a994272793")";

TEST_F(AwsXrayReceiverTranslation, SegmentIdsTimesNameAndKindAsAServerSpan) {
  auto t = translate(std::string("{") + kTrace +
                     R"(,"id":"53995c3f42cd8ad8","name":"checkout","start_time":1700000000.123456,)"
                     R"("end_time":1700000000.5,"parent_id":"0102030405060708"})");
  ASSERT_TRUE(t.status.isOk()) << t.status.message();
  EXPECT_EQ(t.spans, 1u);
  EXPECT_EQ(hex(span(0).trace_id), "5759e988bd862e3fe1be46a994272793");
  EXPECT_EQ(hex(span(0).span_id), "53995c3f42cd8ad8");
  EXPECT_EQ(hex(span(0).parent_span_id), "0102030405060708");
  EXPECT_EQ(span(0).name, "checkout");
  EXPECT_EQ(span(0).start_time_unix_nano, 1700000000123456000u);
  EXPECT_EQ(span(0).end_time_unix_nano, 1700000000500000000u);
  EXPECT_EQ(span(0).kind, static_cast<int32_t>(model::SpanKind::kServer));
  EXPECT_EQ(res("service.name"), "s:checkout");
  EXPECT_EQ(res("cloud.provider"), "s:unknown");
}

TEST_F(AwsXrayReceiverTranslation, NestedSubsegmentsAreFlattenedWithTheirParentsAndKinds) {
  auto t =
      translate(std::string("{") + kTrace +
                R"(,"id":"0000000000000001","name":"api","start_time":1,"end_time":2,)"
                R"("subsegments":[{"id":"0000000000000002","name":"DynamoDB","namespace":"aws",)"
                R"("start_time":1.1,"end_time":1.2,"subsegments":[{"id":"0000000000000003",)"
                R"("name":"inner","start_time":1.15,"end_time":1.16}]},)"
                R"({"id":"0000000000000004","name":"example.com","namespace":"remote",)"
                R"("start_time":1.3,"end_time":1.4}]})");
  ASSERT_TRUE(t.status.isOk()) << t.status.message();
  ASSERT_EQ(t.spans, 4u);
  EXPECT_EQ(span(1).name, "DynamoDB");
  EXPECT_EQ(hex(span(1).parent_span_id), "0000000000000001");
  EXPECT_EQ(hex(span(1).trace_id), "5759e988bd862e3fe1be46a994272793");
  EXPECT_EQ(span(1).kind, static_cast<int32_t>(model::SpanKind::kClient));
  EXPECT_EQ(attr(1, "aws.service"), "s:DynamoDB");
  EXPECT_EQ(span(2).name, "inner");
  EXPECT_EQ(hex(span(2).parent_span_id), "0000000000000002");
  EXPECT_EQ(span(2).kind, static_cast<int32_t>(model::SpanKind::kInternal));
  EXPECT_EQ(hex(span(3).parent_span_id), "0000000000000001");
  EXPECT_EQ(span(3).kind, static_cast<int32_t>(model::SpanKind::kClient));
  EXPECT_EQ(attr(3, "aws.service"), "<absent>");
}

TEST_F(AwsXrayReceiverTranslation, SeparatelySentSubsegmentKeepsItsParentAndIsNotAServer) {
  auto t =
      translate(std::string("{") + kTrace +
                R"(,"type":"subsegment","parent_id":"00000000000000aa","id":"00000000000000bb",)"
                R"("name":"work","start_time":5,"end_time":6})");
  ASSERT_TRUE(t.status.isOk()) << t.status.message();
  EXPECT_EQ(hex(span(0).parent_span_id), "00000000000000aa");
  EXPECT_EQ(span(0).kind, static_cast<int32_t>(model::SpanKind::kInternal));
}

TEST_F(AwsXrayReceiverTranslation, InProgressSegmentIsKeptWithZeroDurationAndFlagged) {
  auto t =
      translate(std::string("{") + kTrace +
                R"(,"id":"0000000000000001","name":"slow","start_time":10,"in_progress":true})");
  ASSERT_TRUE(t.status.isOk()) << t.status.message();
  EXPECT_EQ(span(0).end_time_unix_nano, 10000000000u);
  EXPECT_EQ(attr(0, "aws.xray.inprogress"), "b:true");
}

TEST_F(AwsXrayReceiverTranslation, HttpBlockBecomesHttpAttributesAndErrorStatus) {
  auto t =
      translate(std::string("{") + kTrace +
                R"(,"id":"0000000000000001","name":"web","start_time":1,"end_time":2,)"
                R"("http":{"request":{"method":"GET","url":"http://x/y","client_ip":"10.0.0.1",)"
                R"("user_agent":"curl/8","x_forwarded_for":true},)"
                R"("response":{"status":503,"content_length":42}}})");
  ASSERT_TRUE(t.status.isOk()) << t.status.message();
  EXPECT_EQ(attr(0, "http.method"), "s:GET");
  EXPECT_EQ(attr(0, "http.url"), "s:http://x/y");
  EXPECT_EQ(attr(0, "http.client_ip"), "s:10.0.0.1");
  EXPECT_EQ(attr(0, "http.user_agent"), "s:curl/8");
  EXPECT_EQ(attr(0, "aws.xray.x_forwarded_for"), "b:true");
  EXPECT_EQ(attr(0, "http.status_code"), "i:503");
  EXPECT_EQ(attr(0, "http.response_content_length"), "i:42");
  EXPECT_EQ(span(0).status.code, model::StatusCode::kError);
}

TEST_F(AwsXrayReceiverTranslation, HttpSuccessLeavesStatusUnset) {
  auto t = translate(std::string("{") + kTrace +
                     R"(,"id":"0000000000000001","name":"web","start_time":1,"end_time":2,)"
                     R"("http":{"response":{"status":200}}})");
  ASSERT_TRUE(t.status.isOk());
  EXPECT_EQ(span(0).status.code, model::StatusCode::kUnset);
}

TEST_F(AwsXrayReceiverTranslation, ClientIpMakesAnEmbeddedSubsegmentAServer) {
  auto t = translate(std::string("{") + kTrace +
                     R"(,"id":"0000000000000001","name":"a","start_time":1,"end_time":2,)"
                     R"("subsegments":[{"id":"0000000000000002","name":"b","start_time":1,)"
                     R"("end_time":2,"http":{"request":{"client_ip":"1.2.3.4"}}}]})");
  ASSERT_TRUE(t.status.isOk());
  EXPECT_EQ(span(1).kind, static_cast<int32_t>(model::SpanKind::kServer));
}

TEST_F(AwsXrayReceiverTranslation, AwsBlockGoesToSpanAndResource) {
  auto t = translate(std::string("{") + kTrace +
                     R"(,"id":"0000000000000001","name":"svc","start_time":1,"end_time":2,)"
                     R"("origin":"AWS::EC2::Instance","aws":{"account_id":"123456789012",)"
                     R"("operation":"PutItem","region":"eu-west-1","request_id":"R1",)"
                     R"("queue_url":"https://sqs/q","table_name":"orders","retries":2,)"
                     R"("ec2":{"instance_id":"i-1","availability_zone":"eu-west-1a",)"
                     R"("instance_size":"t3.micro","ami_id":"ami-1"},)"
                     R"("xray":{"sdk":"X-Ray for Node.js","sdk_version":"3.5.0"}},)"
                     R"("service":{"version":"1.2.3"},"resource_arn":"arn:aws:x"})");
  ASSERT_TRUE(t.status.isOk()) << t.status.message();
  EXPECT_EQ(attr(0, "aws.account_id"), "s:123456789012");
  EXPECT_EQ(attr(0, "aws.operation"), "s:PutItem");
  EXPECT_EQ(attr(0, "aws.region"), "s:eu-west-1");
  EXPECT_EQ(attr(0, "aws.request_id"), "s:R1");
  EXPECT_EQ(attr(0, "aws.queue_url"), "s:https://sqs/q");
  EXPECT_EQ(attr(0, "aws.table_name"), "s:orders");
  EXPECT_EQ(attr(0, "aws.xray.retries"), "i:2");
  EXPECT_EQ(res("cloud.provider"), "s:aws");
  EXPECT_EQ(res("cloud.platform"), "s:aws_ec2");
  EXPECT_EQ(res("cloud.account.id"), "s:123456789012");
  EXPECT_EQ(res("host.id"), "s:i-1");
  EXPECT_EQ(res("host.type"), "s:t3.micro");
  EXPECT_EQ(res("host.image.id"), "s:ami-1");
  EXPECT_EQ(res("cloud.availability_zone"), "s:eu-west-1a");
  EXPECT_EQ(res("telemetry.sdk.name"), "s:X-Ray for Node.js");
  EXPECT_EQ(res("telemetry.sdk.language"), "s:Node.js");
  EXPECT_EQ(res("telemetry.sdk.version"), "s:3.5.0");
  EXPECT_EQ(res("service.version"), "s:1.2.3");
  EXPECT_EQ(res("aws.xray.resource_arn"), "s:arn:aws:x");
}

TEST_F(AwsXrayReceiverTranslation, SqlBlockBecomesDbAttributes) {
  auto t = translate(std::string("{") + kTrace +
                     R"(,"id":"0000000000000001","name":"db","start_time":1,"end_time":2,)"
                     R"("sql":{"url":"jdbc:postgresql://host:5432/shop?ssl=true",)"
                     R"("database_type":"PostgreSQL","sanitized_query":"SELECT 1","user":"app"}})");
  ASSERT_TRUE(t.status.isOk()) << t.status.message();
  EXPECT_EQ(attr(0, "db.connection_string"), "s:jdbc:postgresql://host:5432");
  EXPECT_EQ(attr(0, "db.name"), "s:shop");
  EXPECT_EQ(attr(0, "db.system"), "s:PostgreSQL");
  EXPECT_EQ(attr(0, "db.statement"), "s:SELECT 1");
  EXPECT_EQ(attr(0, "db.user"), "s:app");
}

TEST_F(AwsXrayReceiverTranslation, SqlUrlWithoutDatabaseRefusesTheDocument) {
  auto t = translate(std::string("{") + kTrace +
                     R"(,"id":"0000000000000001","name":"db","start_time":1,"end_time":2,)"
                     R"("sql":{"url":"nodb"}})");
  EXPECT_FALSE(t.status.isOk());
  EXPECT_EQ(t.spans, 1u);
  EXPECT_TRUE(traces.resources().empty());
}

TEST_F(AwsXrayReceiverTranslation, AnnotationsAreAttributesAndListedInAwsXrayAnnotations) {
  auto t = translate(std::string("{") + kTrace +
                     R"(,"id":"0000000000000001","name":"a","start_time":1,"end_time":2,)"
                     R"("annotations":{"customer":"c-1","count":3,"ratio":0.5,"vip":true}})");
  ASSERT_TRUE(t.status.isOk());
  EXPECT_EQ(attr(0, "customer"), "s:c-1");
  EXPECT_EQ(attr(0, "count"), "i:3");
  EXPECT_EQ(attr(0, "ratio"), "d:0.500000");
  EXPECT_EQ(attr(0, "vip"), "b:true");
  EXPECT_EQ(attr(0, "aws.xray.annotations"), "[s:count,s:customer,s:ratio,s:vip]");
}

TEST_F(AwsXrayReceiverTranslation, MetadataNamespacesBecomeJsonStrings) {
  auto t = translate(std::string("{") + kTrace +
                     R"(,"id":"0000000000000001","name":"a","start_time":1,"end_time":2,)"
                     R"("metadata":{"default":{"b":[1,2],"a":{"x":"y"}},"debug":{"n":null}}})");
  ASSERT_TRUE(t.status.isOk());
  EXPECT_EQ(attr(0, "aws.xray.metadata.default"), R"(s:{"a":{"x":"y"},"b":[1,2]})");
  EXPECT_EQ(attr(0, "aws.xray.metadata.debug"), R"(s:{"n":null})");
}

TEST_F(AwsXrayReceiverTranslation, CauseExceptionsBecomeExceptionEventsAndErrorStatus) {
  auto t = translate(
      std::string("{") + kTrace +
      R"(,"id":"0000000000000001","name":"a","start_time":1,"end_time":2,"fault":true,)"
      R"("cause":{"working_directory":"/app","exceptions":[{"id":"e1","type":"TypeError",)"
      R"("message":"boom","remote":true,"truncated":1,"skipped":2,"cause":"e0",)"
      R"("stack":[{"label":"handler","path":"app.js","line":12},{"label":"main","path":"index.js"}]}]}})");
  ASSERT_TRUE(t.status.isOk()) << t.status.message();
  EXPECT_EQ(span(0).status.code, model::StatusCode::kError);
  EXPECT_EQ(span(0).status.message, "boom");
  ASSERT_EQ(span(0).events.size(), 1u);
  const auto& ev = span(0).events[0];
  EXPECT_EQ(ev.name, "exception");
  EXPECT_EQ(show(model::findAttribute(ev.attributes, "aws.xray.exception.id")), "s:e1");
  EXPECT_EQ(show(model::findAttribute(ev.attributes, "exception.type")), "s:TypeError");
  EXPECT_EQ(show(model::findAttribute(ev.attributes, "exception.message")), "s:boom");
  EXPECT_EQ(show(model::findAttribute(ev.attributes, "aws.xray.exception.remote")), "b:true");
  EXPECT_EQ(show(model::findAttribute(ev.attributes, "aws.xray.exception.truncated")), "i:1");
  EXPECT_EQ(show(model::findAttribute(ev.attributes, "aws.xray.exception.skipped")), "i:2");
  EXPECT_EQ(show(model::findAttribute(ev.attributes, "aws.xray.exception.cause")), "s:e0");
  EXPECT_EQ(show(model::findAttribute(ev.attributes, "exception.stacktrace")),
            "s:TypeError: boom\n\tat handler(app.js: 12)\n\tat main(index.js: <unknown>)\n");
  EXPECT_EQ(attr(0, "exception.type"), "<absent>");  // event attributes stay on the event
}

TEST_F(AwsXrayReceiverTranslation, CauseAsExceptionIdIsTheStatusMessage) {
  auto t = translate(std::string("{") + kTrace +
                     R"(,"id":"0000000000000001","name":"a","start_time":1,"end_time":2,)"
                     R"("cause":"0123456789abcdef"})");
  ASSERT_TRUE(t.status.isOk());
  EXPECT_EQ(span(0).status.code, model::StatusCode::kError);
  EXPECT_EQ(span(0).status.message, "0123456789abcdef");
  EXPECT_TRUE(span(0).events.empty());
}

TEST_F(AwsXrayReceiverTranslation, ErrorFaultThrottleFlagsSetErrorStatus) {
  for (const char* flag : {"error", "fault", "throttle"}) {
    model::Traces fresh;
    auto t = translateSegment(std::string("{") + kTrace +
                                  R"(,"id":"0000000000000001","name":"a","start_time":1,)"
                                  R"("end_time":2,")" +
                                  flag + R"(":true})",
                              fresh);
    ASSERT_TRUE(t.status.isOk()) << flag;
    EXPECT_EQ(fresh.resources()[0].scope_spans[0].spans[0].status.code, model::StatusCode::kError)
        << flag;
  }
  auto t = translate(std::string("{") + kTrace +
                     R"(,"id":"0000000000000001","name":"a","start_time":1,"end_time":2,)"
                     R"("error":false})");
  ASSERT_TRUE(t.status.isOk());
  EXPECT_EQ(span(0).status.code, model::StatusCode::kUnset);
}

TEST_F(AwsXrayReceiverTranslation, UserTracedAndPrecursorIds) {
  auto t = translate(std::string("{") + kTrace +
                     R"(,"id":"0000000000000001","name":"a","start_time":1,"end_time":2,)"
                     R"("user":"alice","traced":true,"precursor_ids":["00000000000000aa"]})");
  ASSERT_TRUE(t.status.isOk());
  EXPECT_EQ(attr(0, "enduser.id"), "s:alice");
  EXPECT_EQ(attr(0, "aws.xray.traced"), "b:true");
  EXPECT_EQ(attr(0, "aws.xray.precursor_ids"), "[s:00000000000000aa]");
}

TEST_F(AwsXrayReceiverTranslation, InvalidDocumentsAreRefusedWhole) {
  struct Case {
    std::string doc;
    size_t counted;
  };
  const std::string ok_tail = R"(,"start_time":1,"end_time":2)";
  for (const Case& c : std::vector<Case>{
           {"not json", 1},
           {"[1,2]", 1},
           {R"({"id":"0000000000000001","name":"a","start_time":1})", 1},      // no trace_id
           {std::string("{") + kTrace + R"(,"name":"a","start_time":1})", 1},  // no id
           {std::string("{") + kTrace + R"(,"id":"0000000000000001","start_time":1})", 1},
           {std::string("{") + kTrace + R"(,"id":"0000000000000001","name":"a"})", 1},
           {R"({"trace_id":"1-zz59e988-bd862e3fe1be46a994272793","id":"0000000000000001",)"
            R"("name":"a")" +
                ok_tail + "}",
            1},
           {std::string("{") + kTrace + R"(,"id":"00001","name":"a")" + ok_tail + "}", 1},
           {std::string("{") + kTrace + R"(,"id":"0000000000000001","name":"a")" + ok_tail +
                R"(,"namespace":"bogus"})",
            1},
           {std::string("{") + kTrace + R"(,"id":"0000000000000001","name":"a")" + ok_tail +
                R"(,"subsegments":[{"name":"b","start_time":1}]})",
            2},
       }) {
    model::Traces fresh;
    auto t = translateSegment(c.doc, fresh);
    EXPECT_FALSE(t.status.isOk()) << c.doc;
    EXPECT_EQ(t.spans, c.counted) << c.doc;
    EXPECT_TRUE(fresh.resources().empty()) << c.doc;
  }
}

TEST_F(AwsXrayReceiverTranslation, OtlpJsonGoldenOfASmallSegment) {
  auto t = translate(std::string("{") + kTrace +
                     R"(,"id":"53995c3f42cd8ad8","name":"svc","start_time":1.5,"end_time":2,)"
                     R"("annotations":{"k":"v"}})");
  ASSERT_TRUE(t.status.isOk());
  std::string json;
  model::otlp::encodeJson(traces, json);
  EXPECT_EQ(
      json,
      R"({"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":)"
      R"("svc"}},{"key":"cloud.provider","value":{"stringValue":"unknown"}}]},"scopeSpans":[{"spans)"
      R"(":[{"traceId":"5759e988bd862e3fe1be46a994272793","spanId":"53995c3f42cd8ad8","name":"svc",)"
      R"("kind":2,"startTimeUnixNano":"1500000000","endTimeUnixNano":"2000000000","attributes":[{"k)"
      R"(ey":"k","value":{"stringValue":"v"}},{"key":"aws.xray.annotations","value":{"arrayValue":{)"
      R"("values":[{"stringValue":"k"}]}}}]}]}]}]})");
}

}  // namespace
}  // namespace periscope::components::awsxray_receiver
