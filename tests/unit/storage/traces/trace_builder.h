// Small hand-built traces for the trace store tests: every field the tests look at is set
// explicitly, so expectations can be written down rather than derived.
#pragma once

// Tests name only the SpanSpec fields they care about.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#include <cstring>
#include <set>
#include <string>
#include <vector>

#include "model/batch.h"
#include "model/otlp/proto_encoder.h"

namespace periscope::storage::testing {

inline std::string traceId(uint8_t n) {
  std::string id(16, '\0');
  id[0] = 0x10;
  id[15] = static_cast<char>(n);
  return id;
}
inline std::string spanId(uint8_t trace, uint8_t n) {
  std::string id(8, '\0');
  id[0] = static_cast<char>(trace);
  id[7] = static_cast<char>(n);
  return id;
}

struct SpanSpec {
  uint8_t trace = 1;
  uint8_t id = 1;
  uint8_t parent = 0;  // 0 = root
  std::string service = "frontend";
  std::string name = "GET /";
  int32_t kind = 2;
  uint64_t start_ns = 0;
  uint64_t duration_ns = 1'000'000;
  bool error = false;
  std::vector<std::pair<std::string, std::string>> string_attrs;
  std::vector<std::pair<std::string, int64_t>> int_attrs;
  std::vector<std::pair<std::string, std::string>> resource_attrs;
};

// One ResourceSpans per span (the store dedups equal resources).
inline model::Traces build(const std::vector<SpanSpec>& specs) {
  model::Traces t;
  Arena& a = t.arena();
  for (const SpanSpec& s : specs) {
    model::ResourceSpans rs;
    rs.has_resource = true;
    auto rattrs = a.allocArray<model::KeyValue>(1 + s.resource_attrs.size());
    rattrs[0] = {a.copy("service.name"), model::AnyValue::string(a.copy(s.service))};
    for (size_t i = 0; i < s.resource_attrs.size(); ++i)
      rattrs[i + 1] = {a.copy(s.resource_attrs[i].first),
                       model::AnyValue::string(a.copy(s.resource_attrs[i].second))};
    rs.resource.attributes = rattrs;
    rs.scope_spans = a.allocArray<model::ScopeSpans>(1);
    rs.scope_spans[0].has_scope = true;
    rs.scope_spans[0].scope.name = a.copy("test-scope");
    rs.scope_spans[0].spans = a.allocArray<model::Span>(1);
    model::Span& sp = rs.scope_spans[0].spans[0];
    sp.trace_id = a.copy(traceId(s.trace));
    sp.span_id = a.copy(spanId(s.trace, s.id));
    if (s.parent != 0) sp.parent_span_id = a.copy(spanId(s.trace, s.parent));
    sp.name = a.copy(s.name);
    sp.kind = s.kind;
    sp.start_time_unix_nano = s.start_ns;
    sp.end_time_unix_nano = s.start_ns + s.duration_ns;
    if (s.error) {
      sp.has_status = true;
      sp.status.code = model::StatusCode::kError;
      sp.status_code_raw = 2;
      sp.status.message = a.copy("boom");
    }
    auto attrs = a.allocArray<model::KeyValue>(s.string_attrs.size() + s.int_attrs.size());
    size_t k = 0;
    for (const auto& [key, v] : s.string_attrs)
      attrs[k++] = {a.copy(key), model::AnyValue::string(a.copy(v))};
    for (const auto& [key, v] : s.int_attrs)
      attrs[k++] = {a.copy(key), model::AnyValue::integer(v)};
    sp.attributes = attrs;
    t.resources().push_back(rs);
  }
  return t;
}

// Span ids (last byte) of a result, sorted.
inline std::set<int> spanNumbers(const model::Traces& t) {
  std::set<int> out;
  for (const auto& rs : t.resources())
    for (const auto& ss : rs.scope_spans)
      for (const auto& s : ss.spans) out.insert(static_cast<uint8_t>(s.span_id[7]));
  return out;
}

// Trace numbers (last id byte) of search results, in result order.
inline std::vector<int> traceNumbers(const std::vector<model::Traces>& results) {
  std::vector<int> out;
  for (const auto& t : results)
    out.push_back(static_cast<uint8_t>(t.resources()[0].scope_spans[0].spans[0].trace_id[15]));
  return out;
}

// Every span of `t` as its own one-span OTLP request: a canonical form that ignores how spans
// are grouped into resources and scopes.
inline std::multiset<std::string> canonicalSpans(const model::Traces& t) {
  std::multiset<std::string> out;
  for (const auto& rs : t.resources()) {
    for (const auto& ss : rs.scope_spans) {
      for (const auto& s : ss.spans) {
        model::Traces one;
        model::ResourceSpans r = rs;
        model::ScopeSpans sc = ss;
        model::Span copy = s;
        sc.spans = std::span<model::Span>(&copy, 1);
        r.scope_spans = std::span<model::ScopeSpans>(&sc, 1);
        one.resources().push_back(r);
        std::string bytes;
        model::otlp::encode(one, bytes);
        out.insert(std::move(bytes));
      }
    }
  }
  return out;
}

}  // namespace periscope::storage::testing
