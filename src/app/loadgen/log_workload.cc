#include "app/loadgen/log_workload.h"

#include <chrono>
#include <random>

#include "model/otlp/json_encoder.h"
#include "model/otlp/proto_encoder.h"

namespace periscope::app::loadgen {
namespace {

using model::AnyValue;
using model::KeyValue;

constexpr const char* kServiceNames[] = {"frontend", "checkout", "payment", "inventory",
                                         "shipping"};
constexpr int kServices = 5;
constexpr int kInstances = 3;

struct Severity {
  int number;
  const char* text;
};
constexpr Severity kDebug{5, "DEBUG"}, kInfo{9, "INFO"}, kWarn{13, "WARN"}, kError{17, "ERROR"},
    kFatal{21, "FATAL"};

// Per mille: DEBUG 150, INFO 680, WARN 120, ERROR 45, FATAL 5.
Severity pickSeverity(uint64_t r) {
  uint64_t p = r % 1000;
  if (p < 150) return kDebug;
  if (p < 830) return kInfo;
  if (p < 950) return kWarn;
  if (p < 995) return kError;
  return kFatal;
}

constexpr const char* kRoutes[] = {"/api/cart",   "/api/products",       "/api/checkout",
                                   "/api/orders", "/api/shipping/quote", "/healthz"};
constexpr const char* kMethods[] = {"GET", "GET", "GET", "POST", "PUT"};
constexpr const char* kFunctions[] = {"handleRequest", "placeOrder",    "chargeCard",
                                      "reserveStock",  "quoteShipping", "refreshCache"};

class LogBuilder {
 public:
  LogBuilder(Arena& arena, uint64_t seed) : arena_(arena), rng_(seed) {}
  uint64_t next() { return rng_(); }
  std::string_view str(const std::string& s) { return arena_.copy(s); }
  std::string_view randomBytes(size_t n) {
    char* p = static_cast<char*>(arena_.allocate(n, 1));
    for (size_t i = 0; i < n; ++i) p[i] = static_cast<char>(rng_() & 0xff);
    p[0] |= 1;
    return {p, n};
  }

  std::span<KeyValue> resource(int service, int instance) {
    auto a = arena_.allocArray<KeyValue>(6);
    a[0] = {"service.name", AnyValue::string(kServiceNames[service])};
    a[1] = {"service.version", AnyValue::string("1.4.2")};
    a[2] = {"service.instance.id", AnyValue::string(str(std::string(kServiceNames[service]) + "-" +
                                                        std::to_string(instance)))};
    a[3] = {"deployment.environment", AnyValue::string("production")};
    a[4] = {"host.name", AnyValue::string(str("ip-10-0-" + std::to_string(service) + "-" +
                                              std::to_string(instance)))};
    a[5] = {"k8s.pod.name", AnyValue::string(str(std::string(kServiceNames[service]) + "-7d9f8c-" +
                                                 std::to_string(instance)))};
    return a;
  }

  // The index of a service name in kServiceNames (0 for names not in it).
  static int serviceIndex(std::string_view name) {
    for (int i = 0; i < kServices; ++i)
      if (name == kServiceNames[i]) return i;
    return 0;
  }

  void record(model::LogRecord& r, int service, uint64_t t) {
    r.time_unix_nano = t;
    r.observed_time_unix_nano = t + 1'000'000 + next() % 5'000'000;
    Severity sev = pickSeverity(next());
    r.severity_number = sev.number;
    r.severity_text = sev.text;
    if (next() % 10 < 6) {
      r.trace_id = randomBytes(16);
      r.span_id = randomBytes(8);
      r.flags = 1;
    }
    const char* route = kRoutes[next() % std::size(kRoutes)];
    const char* method = kMethods[next() % std::size(kMethods)];
    uint64_t user = next() % 100'000;
    uint64_t latency = 2 + next() % 400;
    bool timeout = next() % 100 == 0;
    int status = sev.number >= kError.number ? 500 : (sev.number >= kWarn.number ? 429 : 200);
    auto attrs = arena_.allocArray<KeyValue>(4);
    attrs[0] = {"code.function", AnyValue::string(kFunctions[next() % std::size(kFunctions)])};
    attrs[1] = {"http.route", AnyValue::string(route)};
    attrs[2] = {"http.response.status_code", AnyValue::integer(status)};
    attrs[3] = {"enduser.id", AnyValue::string(str("user-" + std::to_string(user)))};
    r.attributes = attrs;

    std::string line;
    if (timeout) {
      line = std::string("upstream request to ") + kServiceNames[(service + 1) % kServices] +
             " timeout after " + std::to_string(1000 + latency * 10) + " ms (attempt " +
             std::to_string(1 + next() % 3) + "/3)";
    } else if (sev.number >= kError.number) {
      line = std::string("failed to ") + kFunctions[next() % std::size(kFunctions)] +
             ": connection reset by peer\n    at Socket.onRead (net.js:" +
             std::to_string(100 + next() % 600) +
             ":17)\n    at process.tick (node:internal:" + std::to_string(next() % 90) + ":9)";
    } else if (sev.number >= kWarn.number) {
      line = "rate limit reached for user-" + std::to_string(user) + ", retrying in " +
             std::to_string(latency) + " ms";
    } else if (sev.number == kDebug.number) {
      line = "cache lookup key=product:" + std::to_string(next() % 5000) +
             " hit=" + (next() % 2 ? "true" : "false");
    } else {
      line = std::string(method) + " " + route + " " + std::to_string(status) + " " +
             std::to_string(latency) + "ms bytes=" + std::to_string(200 + next() % 20000);
    }
    if (next() % 10 == 0) {
      // A structured body, as a logging bridge sends for an object message.
      auto kv = arena_.allocArray<KeyValue>(3);
      kv[0] = {"msg", AnyValue::string(str(line))};
      kv[1] = {"user", AnyValue::string(str("user-" + std::to_string(user)))};
      kv[2] = {"latency_ms", AnyValue::integer(static_cast<int64_t>(latency))};
      r.body = AnyValue::kvlist(kv);
    } else {
      r.body = AnyValue::string(str(line));
    }
  }

 private:
  Arena& arena_;
  std::mt19937_64 rng_;
};

}  // namespace

model::Logs makeLogs(int records, uint64_t seed, uint64_t base_time_unix_nano) {
  if (base_time_unix_nano == 0) {
    base_time_unix_nano = static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(
            (std::chrono::system_clock::now() - std::chrono::seconds(60)).time_since_epoch())
            .count());
  }
  model::Logs batch;
  Arena& arena = batch.arena();
  LogBuilder b(arena, seed);
  // One resource group per (service, instance) that has records in this request.
  int groups = kServices;
  std::vector<int> per_group(static_cast<size_t>(groups), records / groups);
  for (int i = 0; i < records % groups; ++i) per_group[static_cast<size_t>(i)]++;
  uint64_t step = records > 0 ? 1'000'000'000ull / static_cast<uint64_t>(records) : 0;
  for (int g = 0; g < groups; ++g) {
    int n = per_group[static_cast<size_t>(g)];
    if (n == 0) continue;
    model::ResourceLogs rl;
    rl.has_resource = true;
    rl.resource.attributes = b.resource(g, static_cast<int>(b.next() % kInstances));
    auto scopes = arena.allocArray<model::ScopeLogs>(1);
    scopes[0].has_scope = true;
    scopes[0].scope.name = "periscope-loadgen";
    scopes[0].scope.version = "1.0.0";
    auto recs = arena.allocArray<model::LogRecord>(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) {
      // Interleaved in time across services, as several services logging at once.
      uint64_t t = base_time_unix_nano + step * static_cast<uint64_t>(i * groups + g);
      b.record(recs[static_cast<size_t>(i)], g, t);
    }
    scopes[0].log_records = recs;
    rl.scope_logs = scopes;
    batch.resources().push_back(rl);
  }
  return batch;
}

model::Logs makeLogsForTraces(const model::Traces& traces, uint64_t seed) {
  model::Logs batch;
  Arena& arena = batch.arena();
  LogBuilder b(arena, seed);
  for (const model::ResourceSpans& rs : traces.resources()) {
    size_t spans = 0;
    for (const auto& ss : rs.scope_spans) spans += ss.spans.size();
    // At most two records per span; counted first so the records are one arena array.
    std::span<model::LogRecord> recs = arena.allocArray<model::LogRecord>(spans * 2);
    size_t n = 0;
    const model::AnyValue* service = model::findAttribute(rs.resource.attributes, "service.name");
    int service_index =
        LogBuilder::serviceIndex(service != nullptr ? service->str() : std::string_view());
    for (const auto& ss : rs.scope_spans) {
      for (const model::Span& span : ss.spans) {
        uint64_t pick = b.next() % 6;
        if (pick >= 2) continue;  // a third of the spans log
        uint64_t duration = span.end_time_unix_nano - span.start_time_unix_nano;
        for (uint64_t k = 0; k <= pick; ++k) {
          model::LogRecord& r = recs[n++];
          b.record(r, service_index, span.start_time_unix_nano + duration * (k + 1) / 3);
          r.trace_id = span.trace_id;
          r.span_id = span.span_id;
          r.flags = 1;
          // An error span logs an error.
          if (span.status.code == model::StatusCode::kError && k == pick) {
            r.severity_number = kError.number;
            r.severity_text = kError.text;
            r.body = AnyValue::string(span.status.message.empty() ? "request failed"
                                                                  : span.status.message);
            r.attributes[2].value = AnyValue::integer(500);  // http.response.status_code
          }
        }
      }
    }
    if (n == 0) continue;
    model::ResourceLogs rl;
    rl.has_resource = rs.has_resource;
    rl.resource = rs.resource;
    auto scopes = arena.allocArray<model::ScopeLogs>(1);
    scopes[0].has_scope = true;
    scopes[0].scope.name = "periscope-loadgen";
    scopes[0].log_records = recs.first(n);
    rl.scope_logs = scopes;
    batch.resources().push_back(rl);
  }
  return batch;
}

std::vector<std::string> encodeLogRequests(const WorkloadOptions& options, Encoding encoding) {
  std::vector<std::string> out;
  for (int i = 0; i < options.distinct_requests; ++i) {
    model::Logs logs =
        makeLogs(options.spans_per_request, options.seed * 1000003 + static_cast<uint64_t>(i),
                 options.base_time_unix_nano);
    std::string body;
    if (encoding == Encoding::kJson)
      model::otlp::encodeJson(logs, body);
    else
      model::otlp::encode(logs, body);
    out.push_back(std::move(body));
  }
  return out;
}

}  // namespace periscope::app::loadgen
