#include "app/loadgen/workload.h"

#include <chrono>
#include <cstdio>
#include <cstring>
#include <initializer_list>
#include <random>

#include "model/otlp/json_encoder.h"
#include "model/otlp/proto_encoder.h"
#include "model/propagation/traceparent.h"
#include "model/propagation/xray_trace_id.h"

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
  Builder(Arena& arena, uint64_t seed)
      : arena_(arena), rng_(seed), extra_rng_(seed ^ 0x5deece66dull) {}

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
            std::string_view parent, uint64_t start_ns, uint64_t dur) {
    s.trace_id = trace_id;
    s.span_id = randomBytes(8);
    s.parent_span_id = parent;
    s.flags = 1;
    const char* op = svc.operations[next() % 3];
    s.name = op;
    s.kind = svc.kind;
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

  // ---- kFat: what a fully instrumented service adds to the same span ----
  // Its values come from a second generator, so a fat corpus has the same ids, names and
  // timestamps as the standard one for the same seed and base time.
  uint64_t extra() { return extra_rng_(); }

  std::string uuid() {
    uint64_t a = extra(), b = extra();
    char buf[40];
    std::snprintf(buf, sizeof buf, "%08x-%04x-4%03x-%04x-%012llx", static_cast<unsigned>(a >> 32),
                  static_cast<unsigned>((a >> 16) & 0xffff), static_cast<unsigned>(a & 0xfff),
                  static_cast<unsigned>(0x8000 | (b >> 48 & 0x3fff)),
                  static_cast<unsigned long long>(b & 0xffffffffffffull));
    return buf;
  }
  template <size_t N>
  const char* pick(const char* const (&choices)[N]) {
    return choices[extra() % N];
  }

  // Attributes collected in a vector, then copied into the arena.
  class Attrs {
   public:
    explicit Attrs(Builder& b) : b_(b) {}
    void add(std::string_view k, std::string_view v) { list_.push_back({k, AnyValue::string(v)}); }
    void own(std::string_view k, const std::string& v) { add(k, b_.str(v)); }
    void integer(std::string_view k, int64_t v) { list_.push_back({k, AnyValue::integer(v)}); }
    void dbl(std::string_view k, double v) { list_.push_back({k, AnyValue::dbl(v)}); }
    void boolean(std::string_view k, bool v) { list_.push_back({k, AnyValue::boolean(v)}); }
    // HTTP headers and command lines are string arrays in the semantic conventions.
    void strings(std::string_view k, std::initializer_list<std::string_view> values) {
      auto arr = b_.arena_.allocArray<AnyValue>(values.size());
      size_t i = 0;
      for (std::string_view v : values) arr[i++] = AnyValue::string(b_.str(std::string(v)));
      list_.push_back({k, AnyValue::array(arr)});
    }
    std::span<KeyValue> done(std::span<const KeyValue> prefix = {}) {
      auto out = b_.arena_.allocArray<KeyValue>(prefix.size() + list_.size());
      std::copy(prefix.begin(), prefix.end(), out.begin());
      std::copy(list_.begin(), list_.end(), out.begin() + static_cast<ptrdiff_t>(prefix.size()));
      return out;
    }

   private:
    Builder& b_;
    std::vector<KeyValue> list_;
  };

  // Per pod: stable across requests for the same (service, instance), independent of the seed.
  std::span<KeyValue> fatResourceAttrs(const ServiceShape& svc, int service_index, int instance,
                                       std::span<const KeyValue> standard) {
    std::mt19937_64 pod(0x9e3779b97f4a7c15ull *
                        static_cast<uint64_t>(service_index * 16 + instance + 1));
    auto h = [&](int digits) {
      static constexpr char kDigits[] = "0123456789abcdef";
      std::string s;
      for (int i = 0; i < digits; ++i) s += kDigits[pod() & 15];
      return s;
    };
    std::string name = svc.name;
    std::string rs_hash = h(10).substr(0, 9), pod_suffix = h(5);
    std::string ip = "10.0." + std::to_string(pod() % 64) + "." + std::to_string(pod() % 256);
    std::string node = "ip-10-0-" + std::to_string(pod() % 64) + "-" + std::to_string(pod() % 256) +
                       ".eu-west-1.compute.internal";
    const char* zone = instance % 3 == 0   ? "eu-west-1a"
                       : instance % 3 == 1 ? "eu-west-1b"
                                           : "eu-west-1c";
    Attrs a(*this);
    a.add("service.namespace", "shop");
    a.add("telemetry.sdk.name", "opentelemetry");
    a.add("telemetry.sdk.version", "1.25.1");
    a.own("host.name", name + "-" + rs_hash + "-" + pod_suffix);
    a.add("host.arch", "amd64");
    a.add("os.type", "linux");
    a.add("os.description", "Linux 6.1.0-21-cloud-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.90-1");
    a.integer("process.pid", static_cast<int64_t>(1 + pod() % 64));
    a.add("process.executable.name", "node");
    a.add("process.executable.path", "/usr/local/bin/node");
    a.strings("process.command_args", {"/usr/local/bin/node", "--require", "./instrumentation.js",
                                       "--max-old-space-size=512", "/app/dist/server.js"});
    a.add("process.owner", "node");
    a.add("process.runtime.name", "nodejs");
    a.add("process.runtime.version", "20.12.2");
    a.add("process.runtime.description", "Node.js");
    a.own("container.id", h(64));
    a.own("container.name", name);
    a.own("container.image.name", "ghcr.io/example-shop/" + name);
    a.add("container.image.tag", "1.4.2");
    a.add("k8s.cluster.name", "prod-eu-west-1");
    a.add("k8s.namespace.name", "shop");
    a.own("k8s.deployment.name", name);
    a.own("k8s.replicaset.name", name + "-" + rs_hash);
    a.own("k8s.pod.name", name + "-" + rs_hash + "-" + pod_suffix);
    a.own("k8s.pod.uid", h(8) + "-" + h(4) + "-" + h(4) + "-" + h(4) + "-" + h(12));
    a.own("k8s.pod.ip", ip);
    a.own("k8s.node.name", node);
    a.own("k8s.container.name", name);
    a.add("cloud.platform", "aws_eks");
    a.add("cloud.region", "eu-west-1");
    a.add("cloud.availability_zone", zone);
    a.add("cloud.account.id", "123456789012");
    return a.done(standard);
  }

  void fatten(model::Span& s, int service_index, std::string_view trace_id) {
    static constexpr const char* kProducts[] = {
        "OLJCESPC7Z", "66VCHSJNUP", "1YMWWN1N4O", "L9ECAV7KIM", "2ZYFJ3GM2N",
        "0PUK6V6EV0", "LS4PSXUNUM", "9SIQT8TOJO", "6E92ZMYYFZ", "HQTGWGPNH4"};
    static constexpr const char* kCurrencies[] = {"USD", "EUR", "CAD", "JPY", "GBP", "TRY"};
    static constexpr const char* kUserAgents[] = {
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.4.1 Safari/605.1.15",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, "
        "like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.6367.82 Mobile Safari/537.36"};
    static constexpr const char* kLanguages[] = {"en-US,en;q=0.9", "de-DE,de;q=0.9,en;q=0.8",
                                                 "fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7",
                                                 "ja-JP,ja;q=0.9,en;q=0.8"};
    const std::string product = pick(kProducts);
    const std::string currency = pick(kCurrencies);
    // The incoming header: the parent span's id (a root, having none, shows its own).
    model::propagation::Traceparent tp;
    const std::string_view parent = s.parent_span_id.empty() ? s.span_id : s.parent_span_id;
    std::memcpy(tp.trace_id.data(), trace_id.data(), tp.trace_id.size());
    std::memcpy(tp.parent_id.data(), parent.data(), tp.parent_id.size());
    tp.flags = model::propagation::Traceparent::kSampledFlag;
    const std::string traceparent = model::propagation::formatTraceparent(tp);
    const std::string request_id = uuid();
    const int64_t status = s.attributes[2].value.intValue();
    Attrs a(*this);
    // Common to every service: transport, thread and source location.
    a.add("network.protocol.name", "http");
    a.add("network.protocol.version", service_index == 0 ? "1.1" : "2");
    a.add("network.transport", "tcp");
    a.integer("network.peer.port", static_cast<int64_t>(32768 + extra() % 28000));
    a.integer("thread.id", static_cast<int64_t>(1 + extra() % 12));
    a.add("thread.name", "main");
    a.strings("http.request.header.x-request-id", {request_id});
    a.strings("http.request.header.traceparent", {traceparent});

    std::string op = std::string(s.name);
    const char* handler = "";
    const char* file = "";
    model::SpanEvent extra_events[2];
    size_t extra_event_count = 0;
    switch (service_index) {
      case 0: {  // frontend: HTTP server behind a load balancer
        std::string path = op == "GET /"                 ? "/"
                           : op == "POST /cart/checkout" ? "/cart/checkout"
                                                         : "/product/" + product;
        std::string query = "currency_code=" + currency + "&session_id=" + uuid();
        std::string client_ip =
            "203.0." + std::to_string(113 + extra() % 4) + "." + std::to_string(extra() % 256);
        a.add("url.scheme", "https");
        a.own("url.path", path);
        a.own("url.query", query);
        a.own("url.full", "https://shop.example.com" + path + "?" + query);
        a.own("client.address", client_ip);
        a.integer("client.port", static_cast<int64_t>(1024 + extra() % 64000));
        a.own("session.id", uuid());
        a.own("enduser.id", "customer-" + std::to_string(extra() % 250000));
        a.strings("http.request.header.user-agent", {pick(kUserAgents)});
        a.strings("http.request.header.accept",
                  {"text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
                   "*/*;q=0.8"});
        a.strings("http.request.header.accept-language", {pick(kLanguages)});
        a.strings("http.request.header.accept-encoding", {"gzip, deflate, br, zstd"});
        a.strings("http.request.header.x-forwarded-for",
                  {client_ip + ", 10.0.0." + std::to_string(extra() % 4 + 10)});
        a.strings("http.request.header.x-forwarded-proto", {"https"});
        a.strings("http.request.header.referer", {"https://shop.example.com/product/" + product});
        a.strings("http.response.header.content-type", {"text/html; charset=utf-8"});
        a.strings("http.response.header.cache-control",
                  {"private, no-cache, no-store, max-age=0, must-revalidate"});
        a.strings("http.response.header.x-envoy-upstream-service-time",
                  {std::to_string(1 + extra() % 400)});
        a.integer("http.response.body.size", static_cast<int64_t>(2000 + extra() % 60000));
        a.own("app.product.id", product);
        a.own("app.currency", currency);
        handler = op == "GET /" ? "renderHome" : op[0] == 'P' ? "placeOrder" : "renderProduct";
        file = "/app/src/pages/shop.js";
        a.add("code.namespace", "pages.Shop");
        a.integer("code.lineno", static_cast<int64_t>(40 + extra() % 3 * 57));
        break;
      }
      case 1: {  // checkout: gRPC server
        a.add("rpc.system", "grpc");
        a.add("rpc.service", "oteldemo.CheckoutService");
        a.own("rpc.method", op);
        a.integer("rpc.grpc.status_code", status >= 500 ? 13 : 0);
        a.strings("rpc.grpc.request.metadata.user-agent", {"grpc-node-js/1.10.6"});
        a.strings("rpc.grpc.request.metadata.grpc-accept-encoding", {"identity,deflate,gzip"});
        a.strings("http.request.header.content-type", {"application/grpc"});
        a.own("app.user.id", uuid());
        a.own("app.order.id", uuid());
        a.integer("app.cart.items.count", static_cast<int64_t>(1 + extra() % 8));
        a.own("app.shipping.tracking.id", uuid());
        a.dbl("app.shipping.amount", static_cast<double>(extra() % 10000) / 100.0);
        a.own("app.currency", currency);
        handler = "CheckoutService.placeOrder";
        file = "/app/src/checkout/service.js";
        a.integer("code.lineno", static_cast<int64_t>(120 + extra() % 4 * 31));
        extra_event_count = 2;
        break;
      }
      case 2: {  // payment: client of an external payment gateway
        a.add("rpc.system", "grpc");
        a.add("rpc.service", "oteldemo.PaymentService");
        a.own("rpc.method", op);
        a.add("url.full", "https://api.payments.example.net/v2/charges");
        a.add("peer.service", "payment-gateway");
        a.strings("http.request.header.content-type", {"application/json"});
        a.strings("http.request.header.idempotency-key", {request_id});
        a.strings("http.response.header.x-ratelimit-remaining", {std::to_string(extra() % 5000)});
        a.add("app.payment.card_type", extra() % 2 ? "visa" : "mastercard");
        a.boolean("app.payment.card_valid", true);
        a.own("app.payment.transaction.id", uuid());
        a.dbl("app.payment.amount", static_cast<double>(extra() % 500000) / 100.0);
        a.own("app.currency", currency);
        handler = "charge";
        file = "/app/src/payment/charge.js";
        a.integer("code.lineno", static_cast<int64_t>(37 + extra() % 3 * 12));
        extra_event_count = 2;
        break;
      }
      default: {  // inventory: PostgreSQL client
        static constexpr const char* kStatements[] = {
            "SELECT p.id, p.name, p.description, p.picture, p.price_currency_code, p.price_units, "
            "p.price_nanos, array_to_string(p.categories, ',') AS categories FROM catalog.products "
            "p "
            "JOIN catalog.stock s ON s.product_id = p.id WHERE p.id = ANY($1) AND p.active = true "
            "AND s.warehouse_id = $2 ORDER BY p.updated_at DESC LIMIT 50",
            "UPDATE catalog.stock SET quantity = quantity - $1, reserved = reserved + $1, "
            "updated_at "
            "= now() WHERE product_id = $2 AND warehouse_id = $3 AND quantity >= $1 RETURNING "
            "quantity, reserved, updated_at",
            "SELECT s.product_id, s.warehouse_id, s.quantity, s.reserved, w.region, "
            "w.lead_time_days "
            "FROM catalog.stock s JOIN catalog.warehouses w ON w.id = s.warehouse_id WHERE "
            "s.product_id = $1 AND w.region = ANY($2) ORDER BY w.lead_time_days ASC"};
        int which = op == "SELECT products" ? 0 : op == "UPDATE stock" ? 1 : 2;
        a.add("db.statement", kStatements[which]);
        a.add("db.operation", which == 1 ? "UPDATE" : "SELECT");
        a.add("db.sql.table", which == 0 ? "products" : "stock");
        a.add("db.name", "catalog");
        a.add("db.user", "inventory_rw");
        a.add("db.connection_string",
              "postgresql://postgres-catalog.shop.svc.cluster.local:5432/catalog");
        a.add("net.peer.name", "postgres-catalog.shop.svc.cluster.local");
        a.integer("net.peer.port", 5432);
        a.own("app.product.id", product);
        a.integer("db.response.returned_rows", static_cast<int64_t>(extra() % 50));
        a.integer("db.client.connections.pool.usage", static_cast<int64_t>(extra() % 20));
        handler = "StockRepository.query";
        file = "/app/src/inventory/repository.js";
        a.integer("code.lineno", 88 + int64_t{which} * 23);
        break;
      }
    }
    a.add("code.function", handler);
    a.add("code.filepath", file);
    s.attributes = a.done(s.attributes);

    // gRPC instrumentation: one SENT and one RECEIVED message event.
    for (size_t i = 0; i < extra_event_count; ++i) {
      auto& e = extra_events[i];
      e.name = "message";
      e.time_unix_nano = i == 0 ? s.start_time_unix_nano + 50'000 + extra() % 100'000
                                : s.end_time_unix_nano - 20'000 - extra() % 100'000;
      Attrs ea(*this);
      ea.add("message.type", i == 0 ? "SENT" : "RECEIVED");
      ea.integer("message.id", 1);
      ea.integer("message.uncompressed_size", static_cast<int64_t>(64 + extra() % 2000));
      e.attributes = ea.done();
    }
    // A Node.js stack trace as the instrumentation records it, instead of the two-line one.
    if (!s.events.empty()) {
      auto& ex = s.events[0];
      Attrs ea(*this);
      ea.add("exception.type", "TimeoutError");
      ea.add("exception.message", "upstream request timed out after 5000 ms");
      ea.own(
          "exception.stacktrace",
          "TimeoutError: upstream request timed out after 5000 ms\n"
          "    at Timeout._onTimeout (/app/node_modules/@grpc/grpc-js/build/src/deadline.js:" +
              std::to_string(40 + extra() % 20) +
              ":19)\n"
              "    at listOnTimeout (node:internal/timers:573:17)\n"
              "    at process.processTimers (node:internal/timers:514:7)\n"
              "    at Object.onReceiveStatus "
              "(/app/node_modules/@grpc/grpc-js/build/src/client.js:193:76)\n"
              "    at Object.onReceiveStatus "
              "(/app/node_modules/@grpc/grpc-js/build/src/client-interceptors.js:360:141)\n"
              "    at Object.onReceiveStatus "
              "(/app/node_modules/@grpc/grpc-js/build/src/client-interceptors.js:323:181)\n"
              "    at /app/node_modules/@grpc/grpc-js/build/src/resolving-call.js:129:78\n"
              "    at process.processTicksAndRejections (node:internal/process/task_queues:77:11)\n"
              "for call at\n"
              "    at ServiceClientImpl.makeUnaryRequest "
              "(/app/node_modules/@grpc/grpc-js/build/src/client.js:163:32)\n"
              "    at ServiceClientImpl.<anonymous> "
              "(/app/node_modules/@grpc/grpc-js/build/src/make-client.js:105:19)\n"
              "    at /app/src/clients/" +
              std::string(kServices[(service_index + 1) % 4].name) +
              ".js:" + std::to_string(20 + extra() % 200) + ":" + std::to_string(5 + extra() % 30) +
              "\n"
              "    at new Promise (<anonymous>)\n"
              "    at " +
              handler + " (" + file + ":" + std::to_string(10 + extra() % 90) +
              ":12)\n"
              "    at Layer.handle [as handle_request] "
              "(/app/node_modules/express/lib/router/layer.js:95:5)\n"
              "    at next (/app/node_modules/express/lib/router/route.js:149:13)");
      ea.boolean("exception.escaped", false);
      ex.attributes = ea.done();
    }
    if (extra_event_count > 0) {
      auto events = arena_.allocArray<model::SpanEvent>(s.events.size() + extra_event_count);
      events[0] = extra_events[0];
      std::copy(s.events.begin(), s.events.end(), events.begin() + 1);
      events[events.size() - 1] = extra_events[1];
      s.events = events;
    }
  }

 private:
  Arena& arena_;
  std::mt19937_64 rng_;
  std::mt19937_64 extra_rng_;
};

}  // namespace

bool parseProfile(std::string_view name, Profile& out) {
  if (name == "standard") {
    out = Profile::kStandard;
  } else if (name == "fat") {
    out = Profile::kFat;
  } else {
    return false;
  }
  return true;
}

std::string_view profileName(Profile profile) {
  return profile == Profile::kFat ? "fat" : "standard";
}

bool parseIdFormat(std::string_view name, IdFormat& out) {
  if (name == "random") {
    out = IdFormat::kRandom;
  } else if (name == "xray") {
    out = IdFormat::kXray;
  } else {
    return false;
  }
  return true;
}

model::Traces makeTraces(int spans, uint64_t seed, Profile profile, uint64_t base_time_unix_nano,
                         IdFormat id_format) {
  model::Traces batch;
  Builder b(batch.arena(), seed);
  constexpr int kServiceCount = std::size(kServices);
  uint64_t base = base_time_unix_nano;
  if (base == 0) {
    base = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count()) -
           60'000'000'000ull;
  }
  const bool fat = profile == Profile::kFat;
  // Spans are grouped by service (one ResourceSpans each); traces of 8 spans cross services.
  std::vector<int> per_service(kServiceCount, spans / kServiceCount);
  for (int i = 0; i < spans % kServiceCount; ++i) per_service[i]++;
  std::vector<std::string_view> trace_ids;
  for (int i = 0; i < (spans + 7) / 8; ++i) {
    if (id_format == IdFormat::kXray) {
      auto* id = static_cast<uint8_t*>(batch.arena().allocate(16, 1));
      const uint64_t hi = b.next(), lo = b.next();
      model::propagation::writeXrayTraceId(static_cast<uint32_t>(base / 1'000'000'000ull), hi, lo,
                                           id);
      trace_ids.emplace_back(reinterpret_cast<const char*>(id), 16);
    } else {
      trace_ids.push_back(b.randomBytes(16));
    }
  }
  std::vector<std::span<model::Span>> lists(kServiceCount);
  for (int si = 0; si < kServiceCount; ++si) {
    model::ResourceSpans rs;
    rs.has_resource = true;
    const int instance = static_cast<int>(seed % 3);
    rs.resource.attributes = b.resourceAttrs(kServices[si], instance);
    if (fat) {
      rs.resource.attributes =
          b.fatResourceAttrs(kServices[si], si, instance, rs.resource.attributes);
    }
    auto scopes = batch.arena().allocArray<model::ScopeSpans>(1);
    scopes[0].has_scope = true;
    scopes[0].scope.name = "@opentelemetry/instrumentation-http";
    scopes[0].scope.version = "0.52.0";
    lists[si] = batch.arena().allocArray<model::Span>(static_cast<size_t>(per_service[si]));
    scopes[0].spans = lists[si];
    rs.scope_spans = scopes;
    batch.resources().push_back(rs);
  }
  // Trace k holds spans 2k and 2k+1 of every service, wired as a real request tree:
  //   frontend#0 ─┬─ checkout#0 ─┬─ payment#0
  //               │              └─ inventory#0
  //               └─ frontend#1 ─┬─ checkout#1 ── payment#1
  //                              └─ inventory#1
  // Children start after and end before their parent; ~3% of requests are slow (> 1 s).
  struct Edge {
    int service, copy, parent_service, parent_copy;  // parent_service -1: root
  };
  static constexpr Edge kTree[] = {{0, 0, -1, 0}, {1, 0, 0, 0}, {2, 0, 1, 0}, {3, 0, 1, 0},
                                   {0, 1, 0, 0},  {1, 1, 0, 1}, {2, 1, 1, 1}, {3, 1, 0, 1}};
  for (size_t k = 0; k < trace_ids.size(); ++k) {
    std::string_view trace = trace_ids[k];
    for (const Edge& e : kTree) {
      size_t i = 2 * k + static_cast<size_t>(e.copy);
      if (i >= lists[e.service].size()) continue;
      model::Span* parent = nullptr;
      if (e.parent_service >= 0) {
        size_t pi = 2 * k + static_cast<size_t>(e.parent_copy);
        if (pi < lists[e.parent_service].size()) parent = &lists[e.parent_service][pi];
      }
      uint64_t start, dur;
      if (parent == nullptr) {
        start = base + b.next() % 1'000'000'000ull;
        dur = 20'000'000 + b.next() % 300'000'000;
        if (b.next() % 33 == 0) dur += 1'000'000'000;  // a slow request
      } else {
        uint64_t pdur = parent->end_time_unix_nano - parent->start_time_unix_nano;
        start = parent->start_time_unix_nano + 50'000 + b.next() % (pdur / 4 + 1);
        uint64_t room = parent->end_time_unix_nano - 50'000 - start;  // ≥ 3/4 pdur − 100 µs
        dur = std::min<uint64_t>(room, 1'000'000 + b.next() % (pdur / 2 + 1));
      }
      b.span(lists[e.service][i], kServices[e.service], trace,
             parent ? parent->span_id : std::string_view(), start, dur);
      if (fat) b.fatten(lists[e.service][i], e.service, trace);
    }
  }
  return batch;
}

uint64_t corpusRequestStart(uint64_t i, double rate, uint64_t base) {
  const double interval_ns = 1e9 * kCorpusSpansPerRequest / rate;
  return base + static_cast<uint64_t>(interval_ns * static_cast<double>(i));
}

model::Traces corpusRequest(uint64_t i, int spans, Profile profile, double rate, uint64_t seed,
                            uint64_t base) {
  return makeTraces(spans, seed * 1000003 + i, profile, corpusRequestStart(i, rate, base));
}

std::vector<std::string> encodeRequests(const WorkloadOptions& options, Encoding encoding) {
  std::vector<std::string> out;
  for (int i = 0; i < options.distinct_requests; ++i) {
    model::Traces t =
        makeTraces(options.spans_per_request, options.seed * 1000003 + static_cast<uint64_t>(i),
                   options.profile, options.base_time_unix_nano, options.id_format);
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
