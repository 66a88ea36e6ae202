// The OTLP/HTTP request → response logic, driven without sockets.
#include <gtest/gtest.h>

#include <future>

#include "common/compression.h"
#include "components/receivers/otlp/http_receiver.h"
#include "model/otlp/json_encoder.h"
#include "model/otlp/proto_encoder.h"
#include "support/fake_consumer.h"

namespace periscope::components::otlp_receiver {
namespace {

using testing::makeSpans;

class HttpReceiverTest : public ::testing::Test {
 protected:
  HttpReceiverTest() : receiver_(config(), consumers(), {"otlp", "httptest"}) {}
  static HttpServerConfig config() {
    HttpServerConfig c;
    c.max_request_body_size = 1 << 20;
    c.cors.allowed_origins = {"https://*.example.com"};
    c.cors.max_age = 60;
    return c;
  }
  pipeline::Consumers consumers() {
    pipeline::Consumers c;
    c.traces = &sink_;
    return c;
  }
  http::Response call(std::string method, std::string path, std::string content_type,
                      std::string body,
                      std::vector<std::pair<std::string, std::string>> headers = {}) {
    http::Request req;
    req.method = std::move(method);
    req.path = req.target = std::move(path);
    if (!content_type.empty()) req.headers.emplace_back("content-type", content_type);
    for (auto& h : headers) req.headers.push_back(h);
    req.body = std::move(body);
    std::promise<http::Response> p;
    auto f = p.get_future();
    receiver_.handle(std::move(req), [&p](http::Response r) { p.set_value(std::move(r)); });
    return f.get();
  }
  static std::string header(const http::Response& r, const std::string& name) {
    for (const auto& [k, v] : r.headers) {
      if (k == name) return v;
    }
    return "";
  }
  static std::string protoBody(size_t spans) {
    std::string out;
    model::otlp::encode(makeSpans(spans), out);
    return out;
  }

  testing::RecordingConsumer<model::Traces> sink_;
  HttpReceiver receiver_;
};

TEST_F(HttpReceiverTest, AcceptsProtobufAndJson) {
  auto r = call("POST", "/v1/traces", "application/x-protobuf", protoBody(3));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(header(r, "Content-Type"), "application/x-protobuf");
  EXPECT_EQ(r.body, "");  // nothing rejected: an empty ExportTraceServiceResponse
  std::string json;
  model::otlp::encodeJson(makeSpans(2), json);
  r = call("POST", "/v1/traces", "application/json; charset=utf-8", json);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "{}");
  EXPECT_EQ(sink_.totalItems(), 5u);
}

TEST_F(HttpReceiverTest, DecompressesEveryAcceptedEncoding) {
  for (const char* name : {"gzip", "deflate", "zstd", "snappy", "lz4"}) {
    compression::Encoding e;
    ASSERT_TRUE(compression::parseEncoding(name, e));
    auto body = compression::compress(e, protoBody(4));
    auto r =
        call("POST", "/v1/traces", "application/x-protobuf", *body, {{"content-encoding", name}});
    EXPECT_EQ(r.status, 200) << name << ": " << r.body;
  }
  EXPECT_EQ(sink_.totalItems(), 20u);
}

TEST_F(HttpReceiverTest, RejectsBadRequestsWithTheOtlpCodes) {
  EXPECT_EQ(call("POST", "/v1/traces", "text/plain", "x").status, 415);
  EXPECT_EQ(call("GET", "/v1/traces", "", "").status, 405);
  EXPECT_EQ(call("POST", "/v2/nothing", "application/json", "{}").status, 404);
  auto r = call("POST", "/v1/traces", "application/json", "{\"resourceSpans\": 5}");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("\"code\":3"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("resourceSpans"), std::string::npos) << r.body;
  r = call("POST", "/v1/traces", "application/x-protobuf", "\x0a\xff\xff\xff\x0f");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(header(r, "Content-Type"), "application/x-protobuf");
  EXPECT_EQ(
      call("POST", "/v1/traces", "application/json", "{}", {{"content-encoding", "br"}}).status,
      400);
  // Signals without a pipeline: 404, like a collector without that pipeline.
  EXPECT_EQ(call("POST", "/v1/logs", "application/json", "{\"resourceLogs\":[{}]}").status, 404);
  EXPECT_EQ(sink_.totalItems(), 0u);
}

TEST_F(HttpReceiverTest, BodyLimitAppliesAfterDecompression) {
  std::string big = protoBody(30000);  // about 2 MiB decompressed
  ASSERT_GT(big.size(), 1u << 20);
  auto gz = compression::compress(compression::Encoding::kGzip, big);
  ASSERT_LT(gz->size(), 1u << 20);
  auto r =
      call("POST", "/v1/traces", "application/x-protobuf", *gz, {{"content-encoding", "gzip"}});
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(sink_.totalItems(), 0u);
}

TEST_F(HttpReceiverTest, PartialSuccessForInvalidSpans) {
  model::Traces t = makeSpans(3);
  t.resources()[0].scope_spans[0].spans[1].trace_id = "short";
  std::string json;
  model::otlp::encodeJson(t, json);
  auto r = call("POST", "/v1/traces", "application/json", json);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body,
            "{\"partialSuccess\":{\"rejectedSpans\":\"1\",\"errorMessage\":\"resourceSpans[0]."
            "scopeSpans[0].spans[1]: "
            "traceId must be 16 bytes, got 5\"}}");
  EXPECT_EQ(sink_.totalItems(), 2u);
}

TEST_F(HttpReceiverTest, PipelineErrorsMapToRetryableCodes) {
  sink_.answer = unavailable("refused").withRetryAfter(7);
  auto r = call("POST", "/v1/traces", "application/x-protobuf", protoBody(1));
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(header(r, "Retry-After"), "7");
  sink_.answer = invalidArgument("bad data");
  EXPECT_EQ(call("POST", "/v1/traces", "application/x-protobuf", protoBody(1)).status, 400);
  sink_.answer = resourceExhausted("slow down");
  r = call("POST", "/v1/traces", "application/x-protobuf", protoBody(1));
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(header(r, "Retry-After"), "1");
}

TEST_F(HttpReceiverTest, CorsPreflightAndResponseHeaders) {
  auto r = call("OPTIONS", "/v1/traces", "", "", {{"origin", "https://app.example.com"}});
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(header(r, "Access-Control-Allow-Origin"), "https://app.example.com");
  EXPECT_EQ(header(r, "Access-Control-Allow-Methods"), "POST");
  EXPECT_EQ(header(r, "Access-Control-Max-Age"), "60");
  r = call("OPTIONS", "/v1/traces", "", "", {{"origin", "https://evil.com"}});
  EXPECT_EQ(header(r, "Access-Control-Allow-Origin"), "");
  r = call("POST", "/v1/traces", "application/x-protobuf", protoBody(1),
           {{"origin", "https://app.example.com"}});
  EXPECT_EQ(header(r, "Access-Control-Allow-Origin"), "https://app.example.com");
}

TEST(GlobMatch, Wildcards) {
  EXPECT_TRUE(globMatch("https://*.example.com", "https://a.b.example.com"));
  EXPECT_FALSE(globMatch("https://*.example.com", "https://example.org"));
  EXPECT_TRUE(globMatch("*", "anything"));
  EXPECT_TRUE(globMatch("http://localhost:3000", "http://localhost:3000"));
}

}  // namespace
}  // namespace periscope::components::otlp_receiver

namespace periscope::components::otlp_receiver {
namespace {

TEST(GlobMatch, HostileOriginsStayCheap) {
  std::string origin(8000, 'a');  // 8 KB of 'a' against a pattern that cannot match
  EXPECT_FALSE(globMatch("*a*a*a*b", origin));
  EXPECT_TRUE(globMatch("*a*a*a*", origin));
  EXPECT_TRUE(globMatch("a*", "a"));
  EXPECT_FALSE(globMatch("a*b", "acbd"));
  EXPECT_TRUE(globMatch("a*b*", "acbd"));
}

}  // namespace
}  // namespace periscope::components::otlp_receiver
