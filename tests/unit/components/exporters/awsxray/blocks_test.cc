// Golden tests of the http, aws, sql blocks, the error/fault/throttle flags and causes.
#include <gtest/gtest.h>

#include "unit/components/exporters/awsxray/xray_test_util.h"

namespace periscope::components::awsxray_exporter {
namespace {

using namespace testing;  // NOLINT: test-local helpers
using json = nlohmann::json;
using model::SpanKind;

json httpOf(SpanKind kind, const AttrSpec& attrs, const AttrSpec& resource = {},
            std::vector<EventSpec> events = {}) {
  auto doc = translateOne(resource, {.kind = kind, .attrs = attrs, .events = events});
  return doc.contains("http") ? doc["http"] : json();
}

TEST(AwsXrayHttp, ServerRequestAndResponse) {
  EXPECT_EQ(httpOf(SpanKind::kServer, {{"http.method", str("POST")},
                                       {"http.scheme", str("https")},
                                       {"http.host", str("api.example.com")},
                                       {"http.target", str("/orders?id=1")},
                                       {"http.client_ip", str("10.0.0.7")},
                                       {"http.user_agent", str("curl/8")},
                                       {"http.status_code", i64(201)},
                                       {"http.response_content_length", i64(12)}}),
            json::parse(R"({
    "request": {"method": "POST", "url": "https://api.example.com/orders?id=1",
                "client_ip": "10.0.0.7", "x_forwarded_for": true, "user_agent": "curl/8"},
    "response": {"status": 201, "content_length": 12}})"));
}

TEST(AwsXrayHttp, ServerUrlFromServerNameAndPortOmitsDefaultPorts) {
  EXPECT_EQ(httpOf(SpanKind::kServer, {{"http.method", str("GET")},
                                       {"http.scheme", str("https")},
                                       {"http.server_name", str("shop")},
                                       {"net.host.port", i64(443)},
                                       {"http.target", str("/")}})["request"]["url"],
            "https://shop/");
  EXPECT_EQ(httpOf(SpanKind::kServer, {{"http.method", str("GET")},
                                       {"net.host.name", str("shop")},
                                       {"net.host.port", i64(8080)},
                                       {"http.target", str("/x")}})["request"]["url"],
            "http://shop:8080/x");
  EXPECT_EQ(
      httpOf(SpanKind::kServer,
             {{"http.method", str("GET")}, {"net.host.port", i64(80)}, {"http.target", str("/h")}},
             {{"host.name", str("node-1")}})["request"]["url"],
      "http://node-1/h");
}

TEST(AwsXrayHttp, ClientUrlFromPeerAndNetPeerIpAsClientIp) {
  EXPECT_EQ(httpOf(SpanKind::kClient, {{"http.method", str("GET")},
                                       {"net.peer.name", str("backend")},
                                       {"net.peer.port", i64(9000)},
                                       {"http.target", str("/v1")}}),
            json::parse(R"({"request": {"method": "GET", "url": "http://backend:9000/v1"}})"));
  EXPECT_EQ(
      httpOf(SpanKind::kServer, {{"http.method", str("GET")}, {"net.peer.ip", str("1.2.3.4")}}),
      json::parse(R"({"request": {"method": "GET", "client_ip": "1.2.3.4"}})"));
}

TEST(AwsXrayHttp, NewSemanticConventionsAndUrlOnly) {
  EXPECT_EQ(httpOf(SpanKind::kClient, {{"http.request.method", str("PUT")},
                                       {"url.full", str("https://x.test/a")},
                                       {"http.response.status_code", i64(204)},
                                       {"client.address", str("9.9.9.9")},
                                       {"user_agent.original", str("ua")}}),
            json::parse(R"({
    "request": {"method": "PUT", "url": "https://x.test/a", "client_ip": "9.9.9.9",
                "x_forwarded_for": true, "user_agent": "ua"},
    "response": {"status": 204}})"));
  EXPECT_EQ(httpOf(SpanKind::kClient, {{"http.url", str("http://only/url")}}),
            json::parse(R"({"request": {"url": "http://only/url"}})"));
  EXPECT_TRUE(httpOf(SpanKind::kClient, {{"net.peer.name", str("db")}}).is_null());
}

TEST(AwsXrayHttp, ContentLengthFromReceivedMessageEvent) {
  EXPECT_EQ(
      httpOf(SpanKind::kClient, {{"http.status_code", i64(200)}}, {},
             {{"message", {{"message.type", str("SENT")}, {"message.uncompressed_size", i64(5)}}},
              {"message",
               {{"message.type", str("RECEIVED")}, {"message.uncompressed_size", i64(77)}}}}),
      json::parse(R"({"response": {"status": 200, "content_length": 77}})"));
}

json flagsOf(const SpanSpec& spec) {
  auto doc = translateOne({}, spec);
  json out = json::object();
  for (const char* f : {"error", "fault", "throttle"}) {
    if (doc.contains(f)) out[f] = doc[f];
  }
  return out;
}

TEST(AwsXrayFaults, ErrorFaultThrottleFromStatusCodeAndSpanStatus) {
  EXPECT_EQ(flagsOf({.attrs = {{"http.status_code", i64(404)}}}), json::parse(R"({"error":true})"));
  EXPECT_EQ(flagsOf({.attrs = {{"http.status_code", i64(429)}}}),
            json::parse(R"({"error":true,"throttle":true})"));
  EXPECT_EQ(flagsOf({.attrs = {{"http.status_code", i64(503)}}}), json::parse(R"({"fault":true})"));
  EXPECT_EQ(
      flagsOf({.attrs = {{"http.status_code", i64(404)}}, .status = model::StatusCode::kError}),
      json::parse(R"({"error":true})"));
  EXPECT_EQ(flagsOf({.status = model::StatusCode::kError}), json::parse(R"({"fault":true})"));
  EXPECT_EQ(
      flagsOf({.attrs = {{"http.status_code", i64(200)}}, .status = model::StatusCode::kError}),
      json::parse(R"({"fault":true})"));
  EXPECT_EQ(flagsOf({.attrs = {{"http.status_code", i64(200)}}}), json::object());
}

json causeOf(SpanKind kind, const std::string& language, std::vector<EventSpec> events,
             model::StatusCode status = model::StatusCode::kError, std::string message = "") {
  AttrSpec resource;
  if (!language.empty()) resource.push_back({"telemetry.sdk.language", str(language)});
  auto doc = translateOne(resource, {.kind = kind,
                                     .has_parent = true,
                                     .events = events,
                                     .status = status,
                                     .status_message = message});
  return doc.contains("cause") ? doc["cause"] : json();
}

EventSpec exceptionEvent(const char* type, const char* message, const char* stack) {
  return {"exception",
          {{"exception.type", str(type)},
           {"exception.message", str(message)},
           {"exception.stacktrace", str(stack)}}};
}

TEST(AwsXrayCause, JavaStackTrace) {
  auto cause = causeOf(SpanKind::kClient, "java",
                       {exceptionEvent("java.lang.IllegalStateException", "bad state",
                                       "java.lang.IllegalStateException: bad state\n"
                                       "\tat com.shop.Cart.add(Cart.java:42)\n"
                                       "\tat com.shop.Api.handle(Api.java:7)\n"
                                       "\tat java.base/jdk.internal.Foo.bar(Native Method)\n"
                                       "Caused by: java.io.IOException: x\n"
                                       "\tat com.shop.Io.read(Io.java:1)\n")});
  EXPECT_EQ(cause, json::parse(R"({"exceptions": [{
    "id": "0000000000000001", "type": "java.lang.IllegalStateException", "message": "bad state",
    "remote": true, "cause": "0000000000000002", "stack": [
      {"path": "Cart.java", "line": 42, "label": "com.shop.Cart.add"},
      {"path": "Api.java", "line": 7, "label": "com.shop.Api.handle"},
      {"path": "Native Method", "label": "java.base/jdk.internal.Foo.bar"}]},
    {"id": "0000000000000002", "type": "java.io.IOException", "message": "x", "remote": true,
     "stack": [{"path": "Io.java", "line": 1, "label": "com.shop.Io.read"}]}]})"));
}

TEST(AwsXrayCause, PythonStackTraceInnermostFirst) {
  auto cause = causeOf(SpanKind::kServer, "python",
                       {exceptionEvent("ValueError", "nope",
                                       "Traceback (most recent call last):\n"
                                       "  File \"/app/main.py\", line 10, in handler\n"
                                       "    do()\n"
                                       "  File \"/app/lib.py\", line 3, in do\n"
                                       "    raise ValueError(\"nope\")\n"
                                       "ValueError: nope\n")});
  EXPECT_EQ(cause, json::parse(R"({"exceptions": [{
    "id": "0000000000000001", "type": "ValueError", "message": "nope", "remote": false,
    "stack": [{"path": "/app/lib.py", "line": 3, "label": "do"},
              {"path": "/app/main.py", "line": 10, "label": "handler"}]}]})"));
}

TEST(AwsXrayCause, NodeStackTraceAndRemoteForProducer) {
  auto cause = causeOf(SpanKind::kProducer, "nodejs",
                       {exceptionEvent("TypeError", "x is undefined",
                                       "TypeError: x is undefined\n"
                                       "    at handle (/srv/app.js:12:5)\n"
                                       "    at /srv/server.js:40:13\n")});
  EXPECT_EQ(cause, json::parse(R"({"exceptions": [{
    "id": "0000000000000001", "type": "TypeError", "message": "x is undefined", "remote": true,
    "stack": [{"path": "/srv/app.js", "line": 12, "label": "handle"},
              {"path": "/srv/server.js", "line": 40, "label": ""}]}]})"));
}

TEST(AwsXrayCause, DotnetStackTrace) {
  auto cause = causeOf(SpanKind::kServer, "dotnet",
                       {exceptionEvent("System.InvalidOperationException", "boom",
                                       "System.InvalidOperationException: boom\n"
                                       "   at Shop.Cart.Add(Int32 id) in /src/Cart.cs:line 42\n"
                                       "   at Shop.Api.Handle()\n")});
  EXPECT_EQ(cause, json::parse(R"J({"exceptions": [{
    "id": "0000000000000001", "type": "System.InvalidOperationException", "message": "boom",
    "remote": false, "stack": [
      {"path": "/src/Cart.cs", "line": 42, "label": "Shop.Cart.Add(Int32 id)"},
      {"path": "", "label": "Shop.Api.Handle()"}]}]})J"));
}

TEST(AwsXrayCause, GoStackTrace) {
  auto cause = causeOf(SpanKind::kServer, "go",
                       {exceptionEvent("*errors.errorString", "bad",
                                       "goroutine 1 [running]:\n"
                                       "main.handler(0x1)\n"
                                       "\t/app/main.go:12 +0x1d\n"
                                       "main.main()\n"
                                       "\t/app/main.go:30 +0x25\n")});
  EXPECT_EQ(cause, json::parse(R"({"exceptions": [{
    "id": "0000000000000001", "type": "*errors.errorString", "message": "bad", "remote": false,
    "stack": [{"path": "/app/main.go", "line": 12, "label": "main.handler"},
              {"path": "/app/main.go", "line": 30, "label": "main.main"}]}]})"));
}

TEST(AwsXrayCause, UnknownLanguageKeepsExceptionWithoutStack) {
  auto cause = causeOf(SpanKind::kInternal, "php", {exceptionEvent("E", "m", "#0 {main}")});
  EXPECT_EQ(cause, json::parse(R"({"exceptions": [{
    "id": "0000000000000001", "type": "E", "message": "m", "remote": false}]})"));
}

TEST(AwsXrayCause, StatusMessageWhenNoExceptionEvent) {
  EXPECT_EQ(causeOf(SpanKind::kClient, "", {}, model::StatusCode::kError, "upstream timed out"),
            json::parse(R"({"exceptions": [{
    "id": "0000000000000001", "message": "upstream timed out", "remote": true}]})"));
  EXPECT_TRUE(causeOf(SpanKind::kClient, "", {}, model::StatusCode::kOk, "fine").is_null());
  EXPECT_TRUE(causeOf(SpanKind::kClient, "", {}, model::StatusCode::kError, "").is_null());
}

json sqlOf(const AttrSpec& attrs) {
  auto doc = translateOne({}, {.kind = SpanKind::kClient, .name = "SELECT orders", .attrs = attrs});
  return doc.contains("sql") ? doc["sql"] : json();
}

TEST(AwsXraySql, OnlyForSqlSystems) {
  EXPECT_EQ(
      sqlOf({{"db.system", str("postgresql")},
             {"db.name", str("shop")},
             {"db.connection_string", str("postgresql://db:5432")},
             {"db.user", str("app")},
             {"db.statement", str("SELECT * FROM orders WHERE id = ?")}}),
      json::parse(R"({"url": "SELECT orders", "connection_string": "postgresql://db:5432/shop",
    "database_type": "postgresql", "user": "app",
    "sanitized_query": "SELECT * FROM orders WHERE id = ?"})"));
  EXPECT_EQ(sqlOf({{"db.system", str("mysql")}}),
            json::parse(R"({"url": "SELECT orders", "connection_string": "localhost/",
    "database_type": "mysql"})"));
  for (const char* s :
       {"db2", "derby", "hive", "mariadb", "mssql", "oracle", "sqlite", "teradata", "other_sql"}) {
    EXPECT_EQ(sqlOf({{"db.system", str(s)}})["database_type"], s);
  }
  EXPECT_TRUE(sqlOf({{"db.system", str("mongodb")}, {"db.name", str("x")}}).is_null());
  EXPECT_TRUE(sqlOf({{"db.system", str("redis")}}).is_null());
}

TEST(AwsXrayAws, CallFieldsPlatformSdkAndLogGroups) {
  translator::BatchOptions options;
  options.translate.log_groups = {"/app/configured"};
  auto doc = translateOne({{"cloud.provider", str("aws")},
                           {"cloud.platform", str("aws_ec2")},
                           {"cloud.account.id", str("123456789012")},
                           {"cloud.availability_zone", str("eu-west-1a")},
                           {"host.id", str("i-0abc")},
                           {"host.type", str("m5.large")},
                           {"telemetry.sdk.name", str("opentelemetry")},
                           {"telemetry.sdk.version", str("1.30.0")}},
                          {.kind = SpanKind::kClient,
                           .has_parent = true,
                           .attrs = {{"rpc.system", str("aws-api")},
                                     {"rpc.service", str("DynamoDB")},
                                     {"rpc.method", str("GetItem")},
                                     {"aws.region", str("eu-west-1")},
                                     {"aws.request_id", str("REQ1")},
                                     {"aws.table_name", str("orders")}}},
                          options);
  EXPECT_EQ(doc["namespace"], "aws");
  EXPECT_EQ(doc["name"], "DynamoDB");
  EXPECT_EQ(doc["origin"], "AWS::EC2::Instance");
  EXPECT_EQ(doc["aws"], json::parse(R"({
    "operation": "GetItem", "remote_region": "eu-west-1", "request_id": "REQ1",
    "table_name": "orders", "account_id": "123456789012",
    "ec2": {"instance_id": "i-0abc", "availability_zone": "eu-west-1a", "instance_size": "m5.large"},
    "xray": {"sdk": "opentelemetry", "sdk_version": "1.30.0"},
    "cloudwatch_logs": [{"log_group": "/app/configured"}]})"));
}

TEST(AwsXrayAws, LogGroupArnsWinOverNamesAndConfig) {
  translator::BatchOptions options;
  options.translate.log_groups = {"/configured"};
  auto doc = translateOne(
      {{"aws.log.group.arns", strArray({"arn:aws:logs:us-east-1:1:log-group:/ecs/app:*"})},
       {"aws.log.group.names", strArray({"/ignored"})}},
      {.kind = SpanKind::kServer}, options);
  EXPECT_EQ(doc["aws"]["cloudwatch_logs"], json::parse(R"([
    {"log_group": "/ecs/app", "arn": "arn:aws:logs:us-east-1:1:log-group:/ecs/app:*"}])"));
  auto by_name = translateOne({{"aws.log.group.names", strArray({"/a", "/b"})}},
                              {.kind = SpanKind::kServer}, options);
  EXPECT_EQ(by_name["aws"]["cloudwatch_logs"],
            json::parse(R"([{"log_group": "/a"}, {"log_group": "/b"}])"));
}

}  // namespace
}  // namespace periscope::components::awsxray_exporter
