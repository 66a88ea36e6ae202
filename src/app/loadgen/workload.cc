#include "app/loadgen/workload.h"

#include <chrono>
#include <random>

#include "model/otlp/json_encoder.h"
#include "model/otlp/proto_encoder.h"

namespace periscope::app::loadgen {
namespace {

using model::AnyValue;
using model::KeyValue;

struct ServiceShape {
  const char* name;
  const char* operations[3];
  int kind;  // SpanKind of its spans
  const char* db_system;
};

constexpr ServiceShape kServices[] = {
    {"frontend", {"GET /", "GET /product/{id}", "POST /cart/checkout"}, 2, nullptr},
    {"checkout", {"PlaceOrder", "PrepareOrder", "ChargeCard"}, 2, nullptr},
    {"payment", {"Charge", "Refund", "Authorize"}, 3, nullptr},
    {"inventory", {"SELECT products", "UPDATE stock", "SELECT stock"}, 3, "postgresql"},
};

class Builder {
 public:
  Builder(Arena& arena, uint64_t seed) : arena_(arena), rng_(seed) {}

  std::string_view randomBytes(size_t n) {
    char* p = static_cast<char*>(arena_.allocate(n, 1));
    for (size_t i = 0; i < n; ++i) p[i] = static_cast<char>(rng_() & 0xff);
    p[0] |= 1;  // never all zeros
    return {p, n};
  }
  std::string_view str(const std::string& s) { return arena_.copy(s); }
  KeyValue kv(std::string_view k, AnyValue v) { return {k, v}; }
  uint64_t next() { return rng_(); }

  std::span<KeyValue> resourceAttrs(const ServiceShape& svc, int instance) {
    auto a = arena_.allocArray<KeyValue>(6);
    a[0] = kv("service.name", AnyValue::string(svc.name));
    a[1] = kv("service.version", AnyValue::string("1.4.2"));
    a[2] = kv("service.instance.id",
              AnyValue::string(str(std::string(svc.name) + "-" + std::to_string(instance))));
    a[3] = kv("deployment.environment", AnyValue::string("production"));
    a[4] = kv("telemetry.sdk.language", AnyValue::string("nodejs"));
    a[5] = kv("cloud.provider", AnyValue::string("aws"));
    return a;
  }

  void span(model::Span& s, const ServiceShape& svc, std::string_view trace_id,
            std::string_view parent, uint64_t start_ns) {
    s.trace_id = trace_id;
    s.span_id = randomBytes(8);
    s.parent_span_id = parent;
    s.flags = 1;
    const char* op = svc.operations[next() % 3];
    s.name = op;
    s.kind = svc.kind;
    uint64_t dur = 200'000 + next() % 50'000'000;
    s.start_time_unix_nano = start_ns;
    s.end_time_unix_nano = start_ns + dur;
    bool error = next() % 20 == 0;
    int status_code = error ? 500 : 200;
    auto attrs = arena_.allocArray<KeyValue>(svc.db_system ? 9 : 8);
    attrs[0] = kv("http.request.method", AnyValue::string(op[0] == 'P' ? "POST" : "GET"));
    attrs[1] = kv("http.route", AnyValue::string(op));
    attrs[2] = kv("http.response.status_code", AnyValue::integer(status_code));
    attrs[3] = kv("server.address", AnyValue::string(svc.name));
    attrs[4] = kv("server.port", AnyValue::integer(8080));
    attrs[5] =
        kv("network.peer.address", AnyValue::string(str("10.0." + std::to_string(next() % 256) +
                                                        "." + std::to_string(next() % 256))));
    attrs[6] = kv("user_agent.original",
                  AnyValue::string("Mozilla/5.0 (X11; Linux x86_64) periscope-loadgen"));
    attrs[7] = kv("app.request_id", AnyValue::string(str(std::to_string(next()))));
    if (svc.db_system) {
      attrs[8] = kv("db.system", AnyValue::string(svc.db_system));
    }
    s.attributes = attrs;
    if (error) {
      s.has_status = true;
      s.status.code = model::StatusCode::kError;
      s.status_code_raw = 2;
      s.status.message = "internal error";
    }
    if (next() % 10 == 0) {
      auto events = arena_.allocArray<model::SpanEvent>(1);
      events[0].name = "exception";
      events[0].time_unix_nano = start_ns + dur / 2;
      auto ea = arena_.allocArray<KeyValue>(3);
      ea[0] = kv("exception.type", AnyValue::string("TimeoutError"));
      ea[1] = kv("exception.message", AnyValue::string("upstream request timed out after 5000 ms"));
      ea[2] =
          kv("exception.stacktrace", AnyValue::string("TimeoutError: upstream request timed out\n  "
                                                      "  at Client.request (client.js:120:11)"));
      events[0].attributes = ea;
      s.events = events;
    }
  }

 private:
  Arena& arena_;
  std::mt19937_64 rng_;
};

}  // namespace

model::Traces makeTraces(int spans, uint64_t seed) {
  model::Traces batch;
  Builder b(batch.arena(), seed);
  constexpr int kServiceCount = std::size(kServices);
  uint64_t now = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                           std::chrono::system_clock::now().time_since_epoch())
                                           .count());
  // Spans are grouped by service (one ResourceSpans each); traces of 8 spans cross services.
  std::vector<int> per_service(kServiceCount, spans / kServiceCount);
  for (int i = 0; i < spans % kServiceCount; ++i) per_service[i]++;
  std::vector<std::string_view> trace_ids;
  for (int i = 0; i < (spans + 7) / 8; ++i) trace_ids.push_back(b.randomBytes(16));
  for (int si = 0; si < kServiceCount; ++si) {
    model::ResourceSpans rs;
    rs.has_resource = true;
    rs.resource.attributes = b.resourceAttrs(kServices[si], static_cast<int>(seed % 3));
    auto scopes = batch.arena().allocArray<model::ScopeSpans>(1);
    scopes[0].has_scope = true;
    scopes[0].scope.name = "@opentelemetry/instrumentation-http";
    scopes[0].scope.version = "0.52.0";
    auto list = batch.arena().allocArray<model::Span>(static_cast<size_t>(per_service[si]));
    for (size_t i = 0; i < list.size(); ++i) {
      std::string_view trace =
          trace_ids[(i * kServiceCount + static_cast<size_t>(si)) / 8 % trace_ids.size()];
      std::string_view parent = si == 0 ? std::string_view() : b.randomBytes(8);
      b.span(list[i], kServices[si], trace, parent,
             now - 60'000'000'000ull + b.next() % 1'000'000'000ull);
    }
    scopes[0].spans = list;
    rs.scope_spans = scopes;
    batch.resources().push_back(rs);
  }
  return batch;
}

std::vector<std::string> encodeRequests(const WorkloadOptions& options, Encoding encoding) {
  std::vector<std::string> out;
  for (int i = 0; i < options.distinct_requests; ++i) {
    model::Traces t =
        makeTraces(options.spans_per_request, options.seed * 1000003 + static_cast<uint64_t>(i));
    std::string body;
    if (encoding == Encoding::kJson)
      model::otlp::encodeJson(t, body);
    else
      model::otlp::encode(t, body);
    out.push_back(std::move(body));
  }
  return out;
}

}  // namespace periscope::app::loadgen
