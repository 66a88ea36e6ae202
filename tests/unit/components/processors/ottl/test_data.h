// Small fixed batches for the OTTL, filter and transform tests: known names, attributes and
// values so tables can state exact expectations.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "model/batch.h"

namespace periscope::ottl::testdata {

inline std::span<model::KeyValue> attrs(
    Arena& a, std::initializer_list<std::pair<const char*, model::AnyValue>> kvs) {
  auto out = a.allocArray<model::KeyValue>(kvs.size());
  size_t k = 0;
  for (const auto& [key, v] : kvs) out[k++] = {a.copy(key), v};
  return out;
}
inline model::AnyValue str(Arena& a, const std::string& s) {
  return model::AnyValue::string(a.copy(s));
}

// One resource {service.name: svc}, scope lib/1.0 {scope.attr: x}, spans span0..span<n-1>:
//   kind SERVER for even i, CLIENT for odd; attributes {i: <i>, http.method: GET|POST (even|odd),
//   http.url: "https://example.com/health" for i == 0, else "/api/<i>"}; start 1000*i,
//   end 1000*i + 100*(i+1); status ERROR "boom" for i == 1; trace_id 0x0102..10,
//   span_id 0xa0..a7 with the last byte = i; events ev0, ev1 with {n: 0|1}, time 10*i + j.
inline model::Traces traces(size_t n) {
  model::Traces t;
  Arena& a = t.arena();
  model::ResourceSpans rs;
  rs.has_resource = true;
  rs.resource.attributes = attrs(a, {{"service.name", str(a, "svc")}});
  auto scopes = a.allocArray<model::ScopeSpans>(1);
  scopes[0].has_scope = true;
  scopes[0].scope.name = "lib";
  scopes[0].scope.version = "1.0";
  scopes[0].scope.attributes = attrs(a, {{"scope.attr", str(a, "x")}});
  auto spans = a.allocArray<model::Span>(n);
  static const char kTrace[] = "\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10";
  for (size_t i = 0; i < n; ++i) {
    model::Span& s = spans[i];
    s.trace_id = std::string_view(kTrace, 16);
    std::string id = "\xa0\xa1\xa2\xa3\xa4\xa5\xa6";
    id.push_back(static_cast<char>(i));
    s.span_id = a.copy(id);
    s.name = a.copy("span" + std::to_string(i));
    s.kind = i % 2 == 0 ? 2 : 3;
    s.start_time_unix_nano = 1000 * i;
    s.end_time_unix_nano = 1000 * i + 100 * (i + 1);
    s.attributes = attrs(a, {{"i", model::AnyValue::integer(static_cast<int64_t>(i))},
                             {"http.method", str(a, i % 2 == 0 ? "GET" : "POST")},
                             {"http.url", str(a, i == 0 ? "https://example.com/health"
                                                        : "/api/" + std::to_string(i))}});
    if (i == 1) {
      s.has_status = true;
      s.status.code = model::StatusCode::kError;
      s.status_code_raw = 2;
      s.status.message = "boom";
    }
    auto events = a.allocArray<model::SpanEvent>(2);
    for (size_t j = 0; j < 2; ++j) {
      events[j].name = j == 0 ? "ev0" : "ev1";
      events[j].time_unix_nano = 10 * i + j;
      events[j].attributes = attrs(a, {{"n", model::AnyValue::integer(static_cast<int64_t>(j))}});
    }
    s.events = events;
  }
  scopes[0].spans = spans;
  rs.scope_spans = scopes;
  t.resources().push_back(rs);
  return t;
}

// Metrics: m.gauge (gauge, int points 1, 2, 3 with {k: a|b|c}), m.sum (monotonic cumulative
// sum, double points 1.5, 2.5 with {k: a|b}), m.hist (histogram, one point count 4 sum 10,
// {k: a}); unit "1" for all, description "d <name>".
inline model::Metrics metrics() {
  model::Metrics m;
  Arena& a = m.arena();
  model::ResourceMetrics rm;
  rm.has_resource = true;
  rm.resource.attributes = attrs(a, {{"service.name", str(a, "svc")}});
  auto scopes = a.allocArray<model::ScopeMetrics>(1);
  scopes[0].has_scope = true;
  scopes[0].scope.name = "lib";
  auto ms = a.allocArray<model::Metric>(3);
  const char* keys[] = {"a", "b", "c"};
  ms[0].name = "m.gauge";
  ms[0].type = model::MetricType::kGauge;
  ms[0].number_points = a.allocArray<model::NumberDataPoint>(3);
  for (size_t k = 0; k < 3; ++k) {
    auto& p = ms[0].number_points[k];
    p.attributes = attrs(a, {{"k", str(a, keys[k])}});
    p.value_type = model::NumberValue::kInt;
    p.as_int = static_cast<int64_t>(k) + 1;
    p.time_unix_nano = 100 + k;
  }
  ms[1].name = "m.sum";
  ms[1].type = model::MetricType::kSum;
  ms[1].aggregation_temporality = 2;
  ms[1].is_monotonic = true;
  ms[1].number_points = a.allocArray<model::NumberDataPoint>(2);
  for (size_t k = 0; k < 2; ++k) {
    auto& p = ms[1].number_points[k];
    p.attributes = attrs(a, {{"k", str(a, keys[k])}});
    p.value_type = model::NumberValue::kDouble;
    p.as_double = 1.5 + static_cast<double>(k);
  }
  ms[2].name = "m.hist";
  ms[2].type = model::MetricType::kHistogram;
  ms[2].histogram_points = a.allocArray<model::HistogramDataPoint>(1);
  ms[2].histogram_points[0].attributes = attrs(a, {{"k", str(a, "a")}});
  ms[2].histogram_points[0].count = 4;
  ms[2].histogram_points[0].has_sum = true;
  ms[2].histogram_points[0].sum = 10;
  for (auto& metric : ms) {
    metric.unit = "1";
    metric.description = a.copy("d " + std::string(metric.name));
  }
  scopes[0].metrics = ms;
  rm.scope_metrics = scopes;
  m.resources().push_back(rm);
  return m;
}

// Logs: r0 body "hello world" INFO(9) {user: alice}; r1 body "error: boom" ERROR(17)
// {user: bob, secret: s3cr3t}; r2 body 42 (int) DEBUG(5) no attributes; times 1, 2, 3.
inline model::Logs logs() {
  model::Logs l;
  Arena& a = l.arena();
  model::ResourceLogs rl;
  rl.has_resource = true;
  rl.resource.attributes = attrs(a, {{"service.name", str(a, "svc")}});
  auto scopes = a.allocArray<model::ScopeLogs>(1);
  scopes[0].has_scope = true;
  scopes[0].scope.name = "lib";
  auto rs = a.allocArray<model::LogRecord>(3);
  rs[0].body = str(a, "hello world");
  rs[0].severity_number = 9;
  rs[0].severity_text = "INFO";
  rs[0].attributes = attrs(a, {{"user", str(a, "alice")}});
  rs[1].body = str(a, "error: boom");
  rs[1].severity_number = 17;
  rs[1].severity_text = "ERROR";
  rs[1].attributes = attrs(a, {{"user", str(a, "bob")}, {"secret", str(a, "s3cr3t")}});
  rs[2].body = model::AnyValue::integer(42);
  rs[2].severity_number = 5;
  rs[2].severity_text = "DEBUG";
  for (size_t k = 0; k < 3; ++k) rs[k].time_unix_nano = k + 1;
  scopes[0].log_records = rs;
  rl.scope_logs = scopes;
  l.resources().push_back(rl);
  return l;
}

// "k=v,k2=v2" for an attribute list (strings as is, ints and doubles printed, others "?").
inline std::string show(model::Attributes attrs) {
  std::string out;
  for (const auto& kv : attrs) {
    out += (out.empty() ? "" : ",") + std::string(kv.key) + "=";
    switch (kv.value.type()) {
      case model::AnyValue::Type::kString:
        out += kv.value.str();
        break;
      case model::AnyValue::Type::kInt:
        out += std::to_string(kv.value.intValue());
        break;
      case model::AnyValue::Type::kDouble:
        out += std::to_string(kv.value.doubleValue());
        break;
      case model::AnyValue::Type::kBool:
        out += kv.value.boolValue() ? "true" : "false";
        break;
      default:
        out += "?";
    }
  }
  return out;
}

}  // namespace periscope::ottl::testdata
