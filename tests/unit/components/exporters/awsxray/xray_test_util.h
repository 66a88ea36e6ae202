// Helpers for the awsxray exporter tests: traces built from short specs, translated with a
// fixed clock and deterministic ids, documents parsed back to JSON for exact comparison.
#pragma once

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "components/exporters/awsxray/translator/traces.h"
#include "model/batch.h"
#include "unit/components/processors/attributes/attr_test_util.h"

// The tests describe spans with designated initializers naming only the fields that matter;
// the others keep their defaults on purpose.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace periscope::components::awsxray_exporter::testing {

using periscope::testing::AttrSpec;
using periscope::testing::boolean;
using periscope::testing::f64;
using periscope::testing::i64;
using periscope::testing::str;

// Trace id whose first 4 bytes are 0x6553f100 = 1700000000 (2023-11-14T22:13:20Z).
inline constexpr const char* kTraceHex = "6553f10077b34da6a3ce929d0e0e4736";
inline constexpr const char* kXrayTraceId = "1-6553f100-77b34da6a3ce929d0e0e4736";
inline constexpr const char* kSpanHex = "53995c3f42cd8ad8";
inline constexpr const char* kParentHex = "0102030405060708";
inline constexpr int64_t kNow = 1700000100;
inline constexpr uint64_t kStartNanos = 1700000000500000000ULL;  // 1700000000.5
inline constexpr uint64_t kEndNanos = 1700000001250000000ULL;    // 1700000001.25

struct EventSpec {
  std::string name;
  AttrSpec attrs;
};

struct SpanSpec {
  model::SpanKind kind = model::SpanKind::kInternal;
  std::string name = "op";
  bool has_parent = false;
  AttrSpec attrs;
  std::vector<EventSpec> events;
  model::StatusCode status = model::StatusCode::kUnset;
  std::string status_message;
  std::string trace_hex = kTraceHex;
};

inline std::string bytesOfHex(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return out;
}

// A string-array attribute value; its storage lives for the whole test binary.
inline model::AnyValue strArray(const std::vector<std::string>& items) {
  static Arena arena;
  auto values = arena.allocArray<model::AnyValue>(items.size());
  for (size_t i = 0; i < items.size(); ++i) values[i] = str(arena.copy(items[i]));
  return model::AnyValue::array(values);
}

inline model::Traces makeTraces(const AttrSpec& resource, const std::vector<SpanSpec>& specs) {
  model::Traces traces;
  Arena& a = traces.arena();
  model::ResourceSpans rs;
  rs.has_resource = true;
  rs.resource.attributes = periscope::testing::makeAttrs(a, resource);
  auto scopes = a.allocArray<model::ScopeSpans>(1);
  scopes[0].spans = a.allocArray<model::Span>(specs.size());
  for (size_t i = 0; i < specs.size(); ++i) {
    const auto& spec = specs[i];
    auto& span = scopes[0].spans[i];
    span.trace_id = a.copy(bytesOfHex(spec.trace_hex));
    span.span_id = a.copy(bytesOfHex(kSpanHex));
    if (spec.has_parent) span.parent_span_id = a.copy(bytesOfHex(kParentHex));
    span.kind = static_cast<int32_t>(spec.kind);
    span.name = a.copy(spec.name);
    span.start_time_unix_nano = kStartNanos;
    span.end_time_unix_nano = kEndNanos;
    span.attributes = periscope::testing::makeAttrs(a, spec.attrs);
    span.events = a.allocArray<model::SpanEvent>(spec.events.size());
    for (size_t e = 0; e < spec.events.size(); ++e) {
      span.events[e].name = a.copy(spec.events[e].name);
      span.events[e].attributes = periscope::testing::makeAttrs(a, spec.events[e].attrs);
    }
    span.has_status = true;
    span.status.code = spec.status;
    span.status.message = a.copy(spec.status_message);
  }
  rs.scope_spans = scopes;
  traces.resources().push_back(rs);
  return traces;
}

// Ids "0000000000000001", "0000000000000002", ... in call order.
inline translator::IdSource countingIds() {
  auto next = std::make_shared<int>(0);
  return [next] {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016x", ++*next);
    return std::string(buf);
  };
}

inline std::vector<nlohmann::json> translate(const model::Traces& traces,
                                             const translator::BatchOptions& options,
                                             translator::TranslationStats* stats = nullptr) {
  translator::TranslationStats local;
  auto docs = translator::translateTraces(traces, options, kNow, countingIds(),
                                          stats != nullptr ? *stats : local);
  std::vector<nlohmann::json> out;
  for (const auto& d : docs) out.push_back(nlohmann::json::parse(d));
  return out;
}

inline std::vector<nlohmann::json> translate(const AttrSpec& resource,
                                             const std::vector<SpanSpec>& specs,
                                             const translator::BatchOptions& options = {}) {
  return translate(makeTraces(resource, specs), options);
}

// The one document of a single span.
inline nlohmann::json translateOne(const AttrSpec& resource, const SpanSpec& spec,
                                   const translator::BatchOptions& options = {}) {
  auto docs = translate(resource, {spec}, options);
  EXPECT_EQ(docs.size(), 1u);
  return docs.empty() ? nlohmann::json() : docs[0];
}

}  // namespace periscope::components::awsxray_exporter::testing
