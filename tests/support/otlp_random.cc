#include "support/otlp_random.h"

#include <array>
#include <cmath>
#include <limits>
#include <string>

namespace periscope::testing {
namespace {

namespace common = opentelemetry::proto::common::v1;
namespace resource = opentelemetry::proto::resource::v1;
namespace trace = opentelemetry::proto::trace::v1;
namespace metrics = opentelemetry::proto::metrics::v1;
namespace logs = opentelemetry::proto::logs::v1;

class Gen {
 public:
  Gen(std::mt19937_64& rng, int max_depth) : rng_(rng), max_depth_(max_depth) {}

  bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
  int upTo(int n) { return std::uniform_int_distribution<int>(0, n)(rng_); }
  uint64_t u64() {
    switch (upTo(4)) {
      case 0:
        return 0;
      case 1:
        return static_cast<uint64_t>(upTo(200));
      case 2:
        return rng_() >> upTo(63);
      default:
        return rng_();
    }
  }
  uint32_t u32() { return static_cast<uint32_t>(u64()); }
  int64_t i64() { return static_cast<int64_t>(u64()) * (chance(0.3) ? -1 : 1); }
  // Open enums: mostly known values, sometimes unknown (including negative) ones.
  int32_t enumValue(int known) {
    if (chance(0.8)) return upTo(known - 1);
    return chance(0.5) ? 1000 + upTo(1000) : -upTo(5) - 1;
  }
  double dbl() {
    static constexpr std::array<double, 7> kSpecial = {0.0,
                                                       -0.0,
                                                       1.0,
                                                       std::numeric_limits<double>::infinity(),
                                                       -std::numeric_limits<double>::infinity(),
                                                       std::numeric_limits<double>::denorm_min(),
                                                       std::numeric_limits<double>::max()};
    if (chance(0.3)) return kSpecial[static_cast<size_t>(upTo(kSpecial.size() - 1))];
    return std::uniform_real_distribution<double>(-1e6, 1e6)(rng_);
  }
  std::string str() {
    static constexpr std::array<const char*, 10> kPieces = {
        "",  "a",        "http.method", "GET /api/v1/users/{id}", "é", "日本語", "🙂",
        " ", "\x01\x7f", "zero\0byte"};
    std::string s;
    int n = upTo(3);
    for (int i = 0; i < n; ++i) s += kPieces[static_cast<size_t>(upTo(kPieces.size() - 1))];
    return s;
  }
  std::string bytes(int fixed = -1) {
    int n = fixed >= 0 ? fixed : upTo(20);
    if (fixed >= 0 && chance(0.1)) n = upTo(20);  // ids of the wrong length must round-trip too
    std::string s(static_cast<size_t>(n), '\0');
    for (auto& c : s) c = static_cast<char>(rng_());
    return s;
  }

  void anyValue(common::AnyValue* v, int depth) {
    int kind = upTo(depth < max_depth_ ? 7 : 5);
    switch (kind) {
      case 0:
        break;  // oneof unset
      case 1:
        v->set_string_value(str());
        break;
      case 2:
        v->set_bool_value(chance(0.5));
        break;
      case 3:
        v->set_int_value(i64());
        break;
      case 4:
        v->set_double_value(dbl());
        break;
      case 5:
        v->set_bytes_value(bytes());
        break;
      case 6: {
        auto* arr = v->mutable_array_value();
        for (int i = upTo(3); i > 0; --i) anyValue(arr->add_values(), depth + 1);
        break;
      }
      default: {
        auto* kv = v->mutable_kvlist_value();
        for (int i = upTo(3); i > 0; --i) keyValue(kv->add_values(), depth + 1);
        break;
      }
    }
  }
  void keyValue(common::KeyValue* kv, int depth) {
    if (chance(0.9)) kv->set_key(str());
    if (chance(0.9)) anyValue(kv->mutable_value(), depth);
  }
  template <typename Repeated>
  void attributes(Repeated* attrs) {
    for (int i = upTo(chance(0.2) ? 12 : 3); i > 0; --i) keyValue(attrs->Add(), 0);
  }
  void resourceInto(resource::Resource* r) {
    attributes(r->mutable_attributes());
    if (chance(0.3)) r->set_dropped_attributes_count(u32());
  }
  void scopeInto(common::InstrumentationScope* s) {
    if (chance(0.7)) s->set_name(str());
    if (chance(0.5)) s->set_version(str());
    attributes(s->mutable_attributes());
    if (chance(0.3)) s->set_dropped_attributes_count(u32());
  }

  void span(trace::Span* s) {
    if (chance(0.9)) s->set_trace_id(bytes(16));
    if (chance(0.9)) s->set_span_id(bytes(8));
    if (chance(0.3)) s->set_trace_state(str());
    if (chance(0.5)) s->set_parent_span_id(bytes(8));
    if (chance(0.5)) s->set_flags(u32());
    if (chance(0.9)) s->set_name(str());
    if (chance(0.8)) s->set_kind(static_cast<trace::Span::SpanKind>(enumValue(6)));
    if (chance(0.9)) s->set_start_time_unix_nano(u64());
    if (chance(0.9)) s->set_end_time_unix_nano(u64());
    attributes(s->mutable_attributes());
    if (chance(0.3)) s->set_dropped_attributes_count(u32());
    for (int i = upTo(2); i > 0; --i) {
      auto* e = s->add_events();
      if (chance(0.8)) e->set_time_unix_nano(u64());
      if (chance(0.8)) e->set_name(str());
      attributes(e->mutable_attributes());
      if (chance(0.3)) e->set_dropped_attributes_count(u32());
    }
    if (chance(0.3)) s->set_dropped_events_count(u32());
    for (int i = upTo(2); i > 0; --i) {
      auto* l = s->add_links();
      if (chance(0.8)) l->set_trace_id(bytes(16));
      if (chance(0.8)) l->set_span_id(bytes(8));
      if (chance(0.3)) l->set_trace_state(str());
      attributes(l->mutable_attributes());
      if (chance(0.3)) l->set_dropped_attributes_count(u32());
      if (chance(0.3)) l->set_flags(u32());
    }
    if (chance(0.3)) s->set_dropped_links_count(u32());
    if (chance(0.6)) {
      auto* st = s->mutable_status();
      if (chance(0.5)) st->set_message(str());
      if (chance(0.7)) st->set_code(static_cast<trace::Status::StatusCode>(enumValue(3)));
    }
  }

  void exemplars(google::protobuf::RepeatedPtrField<metrics::Exemplar>* out) {
    for (int i = upTo(2); i > 0; --i) {
      auto* e = out->Add();
      attributes(e->mutable_filtered_attributes());
      if (chance(0.8)) e->set_time_unix_nano(u64());
      int v = upTo(2);
      if (v == 1) e->set_as_double(dbl());
      if (v == 2) e->set_as_int(i64());
      if (chance(0.6)) e->set_span_id(bytes(8));
      if (chance(0.6)) e->set_trace_id(bytes(16));
    }
  }
  template <typename Point>
  void pointCommon(Point* p) {
    attributes(p->mutable_attributes());
    if (chance(0.8)) p->set_start_time_unix_nano(u64());
    if (chance(0.8)) p->set_time_unix_nano(u64());
    if (chance(0.3)) p->set_flags(u32());
  }
  void numberPoint(metrics::NumberDataPoint* p) {
    pointCommon(p);
    int v = upTo(2);
    if (v == 1) p->set_as_double(dbl());
    if (v == 2) p->set_as_int(i64());
    exemplars(p->mutable_exemplars());
  }
  void histogramPoint(metrics::HistogramDataPoint* p) {
    pointCommon(p);
    if (chance(0.8)) p->set_count(u64());
    if (chance(0.6)) p->set_sum(dbl());
    for (int i = upTo(6); i > 0; --i) p->add_bucket_counts(u64());
    for (int i = upTo(5); i > 0; --i) p->add_explicit_bounds(dbl());
    exemplars(p->mutable_exemplars());
    if (chance(0.5)) p->set_min(dbl());
    if (chance(0.5)) p->set_max(dbl());
  }
  void buckets(metrics::ExponentialHistogramDataPoint::Buckets* b) {
    if (chance(0.7)) b->set_offset(static_cast<int32_t>(i64()));
    for (int i = upTo(6); i > 0; --i) b->add_bucket_counts(u64());
  }
  void expPoint(metrics::ExponentialHistogramDataPoint* p) {
    pointCommon(p);
    if (chance(0.8)) p->set_count(u64());
    if (chance(0.6)) p->set_sum(dbl());
    if (chance(0.7)) p->set_scale(static_cast<int32_t>(i64()));
    if (chance(0.5)) p->set_zero_count(u64());
    if (chance(0.6)) buckets(p->mutable_positive());
    if (chance(0.6)) buckets(p->mutable_negative());
    exemplars(p->mutable_exemplars());
    if (chance(0.5)) p->set_min(dbl());
    if (chance(0.5)) p->set_max(dbl());
    if (chance(0.4)) p->set_zero_threshold(dbl());
  }
  void summaryPoint(metrics::SummaryDataPoint* p) {
    pointCommon(p);
    if (chance(0.8)) p->set_count(u64());
    if (chance(0.6)) p->set_sum(dbl());
    for (int i = upTo(3); i > 0; --i) {
      auto* q = p->add_quantile_values();
      if (chance(0.8)) q->set_quantile(dbl());
      if (chance(0.8)) q->set_value(dbl());
    }
  }
  void metric(metrics::Metric* m) {
    if (chance(0.9)) m->set_name(str());
    if (chance(0.5)) m->set_description(str());
    if (chance(0.5)) m->set_unit(str());
    auto temporality = [&] { return static_cast<metrics::AggregationTemporality>(enumValue(3)); };
    switch (upTo(5)) {
      case 0:
        break;
      case 1:
        for (int i = upTo(3); i > 0; --i) numberPoint(m->mutable_gauge()->add_data_points());
        m->mutable_gauge();
        break;
      case 2: {
        auto* s = m->mutable_sum();
        for (int i = upTo(3); i > 0; --i) numberPoint(s->add_data_points());
        if (chance(0.8)) s->set_aggregation_temporality(temporality());
        if (chance(0.5)) s->set_is_monotonic(true);
        break;
      }
      case 3: {
        auto* h = m->mutable_histogram();
        for (int i = upTo(3); i > 0; --i) histogramPoint(h->add_data_points());
        if (chance(0.8)) h->set_aggregation_temporality(temporality());
        break;
      }
      case 4: {
        auto* h = m->mutable_exponential_histogram();
        for (int i = upTo(3); i > 0; --i) expPoint(h->add_data_points());
        if (chance(0.8)) h->set_aggregation_temporality(temporality());
        break;
      }
      default: {
        auto* s = m->mutable_summary();
        for (int i = upTo(3); i > 0; --i) summaryPoint(s->add_data_points());
        break;
      }
    }
    if (chance(0.2)) attributes(m->mutable_metadata());
  }
  void logRecord(logs::LogRecord* r) {
    if (chance(0.8)) r->set_time_unix_nano(u64());
    if (chance(0.8)) r->set_observed_time_unix_nano(u64());
    if (chance(0.8)) r->set_severity_number(static_cast<logs::SeverityNumber>(enumValue(25)));
    if (chance(0.6)) r->set_severity_text(str());
    if (chance(0.8)) anyValue(r->mutable_body(), 0);
    attributes(r->mutable_attributes());
    if (chance(0.3)) r->set_dropped_attributes_count(u32());
    if (chance(0.5)) r->set_flags(u32());
    if (chance(0.6)) r->set_trace_id(bytes(16));
    if (chance(0.6)) r->set_span_id(bytes(8));
    if (chance(0.3)) r->set_event_name(str());
  }

  // Resource → scope → items, common to the three signals.
  template <typename Resources, typename AddScopes, typename FillScope>
  void resources(Resources* out, AddScopes add_scope, FillScope fill) {
    for (int i = upTo(3); i > 0; --i) {
      auto* r = out->Add();
      if (chance(0.8)) resourceInto(r->mutable_resource());
      if (chance(0.3)) r->set_schema_url(str());
      for (int j = upTo(3); j > 0; --j) {
        auto* s = add_scope(r);
        if (chance(0.8)) scopeInto(s->mutable_scope());
        if (chance(0.3)) s->set_schema_url(str());
        fill(s);
      }
    }
  }

 private:
  std::mt19937_64& rng_;
  int max_depth_;
};

}  // namespace

PbTraces randomTraces(std::mt19937_64& rng, int max_depth) {
  Gen g(rng, max_depth);
  PbTraces req;
  g.resources(
      req.mutable_resource_spans(), [](trace::ResourceSpans* r) { return r->add_scope_spans(); },
      [&](trace::ScopeSpans* s) {
        for (int i = g.upTo(4); i > 0; --i) g.span(s->add_spans());
      });
  return req;
}

PbMetrics randomMetrics(std::mt19937_64& rng, int max_depth) {
  Gen g(rng, max_depth);
  PbMetrics req;
  g.resources(
      req.mutable_resource_metrics(),
      [](metrics::ResourceMetrics* r) { return r->add_scope_metrics(); },
      [&](metrics::ScopeMetrics* s) {
        for (int i = g.upTo(4); i > 0; --i) g.metric(s->add_metrics());
      });
  return req;
}

PbLogs randomLogs(std::mt19937_64& rng, int max_depth) {
  Gen g(rng, max_depth);
  PbLogs req;
  g.resources(
      req.mutable_resource_logs(), [](logs::ResourceLogs* r) { return r->add_scope_logs(); },
      [&](logs::ScopeLogs* s) {
        for (int i = g.upTo(4); i > 0; --i) g.logRecord(s->add_log_records());
      });
  return req;
}

// ---- realistic corpora ----

namespace {

std::string randomId(std::mt19937_64& rng, size_t n) {
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng());
  return s;
}

void addString(google::protobuf::RepeatedPtrField<common::KeyValue>* attrs, const std::string& k,
               const std::string& v) {
  auto* kv = attrs->Add();
  kv->set_key(k);
  kv->mutable_value()->set_string_value(v);
}
void addInt(google::protobuf::RepeatedPtrField<common::KeyValue>* attrs, const std::string& k,
            int64_t v) {
  auto* kv = attrs->Add();
  kv->set_key(k);
  kv->mutable_value()->set_int_value(v);
}

void fillResource(resource::Resource* r, int i) {
  static constexpr std::array<const char*, 4> kServices = {"checkout", "frontend", "cart",
                                                           "payment"};
  auto* a = r->mutable_attributes();
  addString(a, "service.name", kServices[static_cast<size_t>(i) % kServices.size()]);
  addString(a, "service.version", "1.24." + std::to_string(i));
  addString(a, "service.namespace", "shop");
  addString(a, "deployment.environment", "production");
  addString(a, "host.name", "ip-10-0-" + std::to_string(i) + "-17.ec2.internal");
  addString(a, "telemetry.sdk.language", "java");
  addString(a, "telemetry.sdk.name", "opentelemetry");
  addString(a, "telemetry.sdk.version", "1.36.0");
}

void fillScope(common::InstrumentationScope* s) {
  s->set_name("io.opentelemetry.spring-webmvc-6.0");
  s->set_version("2.2.0-alpha");
}

}  // namespace

PbTraces makeRealisticTraces(int resources, int spans_per_resource, uint64_t seed) {
  std::mt19937_64 rng(seed);
  static constexpr std::array<const char*, 5> kRoutes = {"/api/v1/orders/{id}", "/api/v1/cart",
                                                         "/api/v1/users/{id}/profile", "/health",
                                                         "/api/v1/products/{sku}/reviews"};
  static constexpr std::array<const char*, 4> kMethods = {"GET", "POST", "PUT", "DELETE"};
  static constexpr std::array<const char*, 3> kDbs = {"postgresql", "redis", "mysql"};
  PbTraces req;
  uint64_t t0 = 1'700'000'000'000'000'000ull;
  for (int r = 0; r < resources; ++r) {
    auto* rs = req.add_resource_spans();
    fillResource(rs->mutable_resource(), r);
    rs->set_schema_url("https://opentelemetry.io/schemas/1.24.0");
    auto* ss = rs->add_scope_spans();
    fillScope(ss->mutable_scope());
    std::string trace_id = randomId(rng, 16);
    for (int i = 0; i < spans_per_resource; ++i) {
      if (i % 8 == 0) trace_id = randomId(rng, 16);
      auto* s = ss->add_spans();
      s->set_trace_id(trace_id);
      s->set_span_id(randomId(rng, 8));
      if (i % 8 != 0) s->set_parent_span_id(randomId(rng, 8));
      s->set_flags(0x101);
      const char* route = kRoutes[rng() % kRoutes.size()];
      const char* method = kMethods[rng() % kMethods.size()];
      bool db = rng() % 3 == 0;
      s->set_name(db ? std::string("SELECT shop.orders") : std::string(method) + " " + route);
      s->set_kind(db ? trace::Span::SPAN_KIND_CLIENT : trace::Span::SPAN_KIND_SERVER);
      uint64_t start = t0 + rng() % 1'000'000'000'000ull;
      s->set_start_time_unix_nano(start);
      s->set_end_time_unix_nano(start + 1000 + rng() % 50'000'000);
      auto* a = s->mutable_attributes();
      if (db) {
        addString(a, "db.system", kDbs[rng() % kDbs.size()]);
        addString(a, "db.name", "shop");
        addString(a, "db.operation", "SELECT");
        addString(a, "db.statement", "SELECT id, total, status FROM orders WHERE id = ?");
        addString(a, "net.peer.name", "orders-db.internal");
        addInt(a, "net.peer.port", 5432);
        addString(a, "db.user", "app");
        addString(a, "thread.name", "http-nio-8080-exec-" + std::to_string(rng() % 50));
      } else {
        addString(a, "http.method", method);
        addString(a, "http.route", route);
        addInt(a, "http.status_code", rng() % 10 == 0 ? 500 : 200);
        addString(a, "http.scheme", "https");
        addString(a, "net.host.name", "api.shop.example.com");
        addString(a, "net.peer.name", "10.0." + std::to_string(rng() % 255) + ".12");
        addString(a, "user_agent.original", "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0");
        addInt(a, "http.response_content_length", static_cast<int64_t>(rng() % 100000));
        if (rng() % 2 == 0) addString(a, "enduser.id", "user-" + std::to_string(rng() % 10000));
      }
      if (i % 10 == 3) {
        auto* e = s->add_events();
        e->set_time_unix_nano(start + 500);
        e->set_name("exception");
        auto* ea = e->mutable_attributes();
        addString(ea, "exception.type", "java.lang.IllegalStateException");
        addString(ea, "exception.message", "order 1234 is already being processed");
        addString(ea, "exception.stacktrace",
                  "java.lang.IllegalStateException: order 1234\n\tat shop.Orders.lock(Orders."
                  "java:88)\n\tat shop.Api.handle(Api.java:41)");
        s->mutable_status()->set_code(trace::Status::STATUS_CODE_ERROR);
        s->mutable_status()->set_message("order already processing");
      }
    }
  }
  return req;
}

PbLogs makeRealisticLogs(int resources, int records_per_resource, uint64_t seed) {
  std::mt19937_64 rng(seed);
  static constexpr std::array<const char*, 4> kMessages = {
      "GET /api/v1/orders/1234 completed in 12ms",
      "cache miss for key product:sku-99812, fetching from origin",
      "payment authorization declined: insufficient funds (code 51)",
      "connection pool exhausted, waiting for a free connection (active=50, idle=0)"};
  PbLogs req;
  uint64_t t0 = 1'700'000'000'000'000'000ull;
  for (int r = 0; r < resources; ++r) {
    auto* rl = req.add_resource_logs();
    fillResource(rl->mutable_resource(), r);
    auto* sl = rl->add_scope_logs();
    fillScope(sl->mutable_scope());
    for (int i = 0; i < records_per_resource; ++i) {
      auto* l = sl->add_log_records();
      uint64_t t = t0 + rng() % 1'000'000'000'000ull;
      l->set_time_unix_nano(t);
      l->set_observed_time_unix_nano(t + 1000);
      int sev = i % 7 == 0 ? 17 : 9;
      l->set_severity_number(static_cast<logs::SeverityNumber>(sev));
      l->set_severity_text(sev == 17 ? "ERROR" : "INFO");
      l->mutable_body()->set_string_value(kMessages[rng() % kMessages.size()]);
      auto* a = l->mutable_attributes();
      addString(a, "thread.name", "http-nio-8080-exec-" + std::to_string(rng() % 50));
      addString(a, "code.namespace", "shop.orders.OrderController");
      addInt(a, "code.lineno", static_cast<int64_t>(rng() % 400));
      l->set_flags(1);
      l->set_trace_id(randomId(rng, 16));
      l->set_span_id(randomId(rng, 8));
    }
  }
  return req;
}

PbMetrics makeRealisticMetrics(int resources, int metrics_per_resource, uint64_t seed) {
  std::mt19937_64 rng(seed);
  PbMetrics req;
  uint64_t t0 = 1'700'000'000'000'000'000ull;
  for (int r = 0; r < resources; ++r) {
    auto* rm = req.add_resource_metrics();
    fillResource(rm->mutable_resource(), r);
    auto* sm = rm->add_scope_metrics();
    fillScope(sm->mutable_scope());
    for (int i = 0; i < metrics_per_resource; ++i) {
      auto* m = sm->add_metrics();
      m->set_name("http.server.metric_" + std::to_string(i));
      m->set_unit(i % 3 == 2 ? "ms" : "1");
      for (int p = 0; p < 4; ++p) {
        auto attrs = [&](auto* point) {
          addString(point->mutable_attributes(), "http.route", "/api/v1/orders/{id}");
          addInt(point->mutable_attributes(), "http.status_code", p % 2 ? 200 : 500);
          point->set_start_time_unix_nano(t0);
          point->set_time_unix_nano(t0 + 60'000'000'000ull);
        };
        if (i % 3 == 0) {
          auto* s = m->mutable_sum();
          s->set_aggregation_temporality(metrics::AGGREGATION_TEMPORALITY_CUMULATIVE);
          s->set_is_monotonic(true);
          auto* d = s->add_data_points();
          attrs(d);
          d->set_as_int(static_cast<int64_t>(rng() % 100000));
        } else if (i % 3 == 1) {
          auto* d = m->mutable_gauge()->add_data_points();
          attrs(d);
          d->set_as_double(static_cast<double>(rng() % 1000) / 7.0);
        } else {
          auto* h = m->mutable_histogram();
          h->set_aggregation_temporality(metrics::AGGREGATION_TEMPORALITY_DELTA);
          auto* d = h->add_data_points();
          attrs(d);
          uint64_t total = 0;
          for (double b : {5.0, 10.0, 25.0, 50.0, 100.0, 250.0, 500.0, 1000.0}) {
            d->add_explicit_bounds(b);
            uint64_t c = rng() % 100;
            total += c;
            d->add_bucket_counts(c);
          }
          d->add_bucket_counts(1);
          d->set_count(total + 1);
          d->set_sum(static_cast<double>(total) * 31.5);
          d->set_min(0.4);
          d->set_max(1204.0);
        }
      }
    }
  }
  return req;
}

}  // namespace periscope::testing
