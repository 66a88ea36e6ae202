// Shared by the connector tests: a builder of trace batches with exact ids, kinds, statuses and
// durations, a metrics sink that keeps the batches it receives, and point lookups by attributes.
#pragma once

#include <cstring>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/batch.h"
#include "pipeline/consumer.h"

namespace periscope::testing {

struct SpanSpec {
  std::string trace_id;  // 16 raw bytes (see traceId())
  std::string span_id;   // 8 raw bytes
  std::string parent_span_id;
  std::string name = "op";
  model::SpanKind kind = model::SpanKind::kServer;
  model::StatusCode status = model::StatusCode::kUnset;
  uint64_t start = 1'000'000'000;
  uint64_t duration_ns = 1'000'000;
  std::vector<std::pair<std::string, std::string>> attributes;
  std::vector<std::vector<std::pair<std::string, std::string>>> events;  // attributes of each
};

inline std::string traceId(uint32_t n) {
  std::string id(16, '\x07');
  std::memcpy(id.data(), &n, sizeof n);
  return id;
}
inline std::string spanId(uint32_t n) {
  std::string id(8, '\x05');
  std::memcpy(id.data(), &n, sizeof n);
  return id;
}

// Builds one Traces batch; each resource() starts a new resource with its own spans.
class TraceBuilder {
 public:
  TraceBuilder& resource(std::vector<std::pair<std::string, std::string>> attrs) {
    resources_.push_back({std::move(attrs), {}});
    return *this;
  }
  TraceBuilder& span(SpanSpec s) {
    resources_.back().second.push_back(std::move(s));
    return *this;
  }
  model::Traces build() const {
    model::Traces t;
    Arena& a = t.arena();
    for (const auto& [rattrs, spans] : resources_) {
      model::ResourceSpans rs;
      rs.has_resource = true;
      rs.resource.attributes = attrs(a, rattrs);
      auto scopes = a.allocArray<model::ScopeSpans>(1);
      auto list = a.allocArray<model::Span>(spans.size());
      for (size_t i = 0; i < spans.size(); ++i) {
        const auto& s = spans[i];
        auto& out = list[i];
        out.trace_id = a.copy(s.trace_id);
        out.span_id = a.copy(s.span_id);
        out.parent_span_id = a.copy(s.parent_span_id);
        out.name = a.copy(s.name);
        out.kind = static_cast<int32_t>(s.kind);
        out.has_status = true;
        out.status.code = s.status;
        out.status_code_raw = static_cast<int32_t>(s.status);
        out.start_time_unix_nano = s.start;
        out.end_time_unix_nano = s.start + s.duration_ns;
        out.attributes = attrs(a, s.attributes);
        auto events = a.allocArray<model::SpanEvent>(s.events.size());
        for (size_t e = 0; e < s.events.size(); ++e) {
          events[e].name = "exception";
          events[e].time_unix_nano = s.start;
          events[e].attributes = attrs(a, s.events[e]);
        }
        out.events = events;
      }
      scopes[0].spans = list;
      rs.scope_spans = scopes;
      t.resources().push_back(rs);
    }
    return t;
  }

 private:
  static model::Attributes attrs(Arena& a,
                                 const std::vector<std::pair<std::string, std::string>>& kvs) {
    auto out = a.allocArray<model::KeyValue>(kvs.size());
    for (size_t i = 0; i < kvs.size(); ++i) {
      out[i] = {a.copy(kvs[i].first), model::AnyValue::string(a.copy(kvs[i].second))};
    }
    return out;
  }
  std::vector<std::pair<std::vector<std::pair<std::string, std::string>>, std::vector<SpanSpec>>>
      resources_;
};

class MetricsSink : public pipeline::MetricsConsumer {
 public:
  void consume(model::Metrics&& data, pipeline::Done done) override {
    {
      std::lock_guard lock(mu);
      batches.push_back(std::move(data));
    }
    done(Status::ok());
  }
  std::mutex mu;
  std::vector<model::Metrics> batches;
};

// Attribute values of a point rendered as strings (bools as "true"/"false").
using Labels = std::map<std::string, std::string>;

inline Labels labelsOf(model::Attributes attrs) {
  Labels out;
  for (const auto& kv : attrs) {
    switch (kv.value.type()) {
      case model::AnyValue::Type::kBool:
        out[std::string(kv.key)] = kv.value.boolValue() ? "true" : "false";
        break;
      case model::AnyValue::Type::kInt:
        out[std::string(kv.key)] = std::to_string(kv.value.intValue());
        break;
      default:
        out[std::string(kv.key)] = std::string(kv.value.str());
    }
  }
  return out;
}

// Every metric named `name` in the batch (one per resource that has it).
inline std::vector<const model::Metric*> metricsNamed(const model::Metrics& batch,
                                                      std::string_view name) {
  std::vector<const model::Metric*> out;
  for (const auto& rm : batch.resources()) {
    for (const auto& sm : rm.scope_metrics) {
      for (const auto& m : sm.metrics) {
        if (m.name == name) out.push_back(&m);
      }
    }
  }
  return out;
}

inline const model::NumberDataPoint* numberPoint(const model::Metrics& batch, std::string_view name,
                                                 const Labels& labels) {
  for (const auto* m : metricsNamed(batch, name)) {
    for (const auto& p : m->number_points) {
      if (labelsOf(p.attributes) == labels) return &p;
    }
  }
  return nullptr;
}

inline const model::HistogramDataPoint* histogramPoint(const model::Metrics& batch,
                                                       std::string_view name,
                                                       const Labels& labels) {
  for (const auto* m : metricsNamed(batch, name)) {
    for (const auto& p : m->histogram_points) {
      if (labelsOf(p.attributes) == labels) return &p;
    }
  }
  return nullptr;
}

inline size_t pointCount(const model::Metrics& batch, std::string_view name) {
  size_t n = 0;
  for (const auto* m : metricsNamed(batch, name)) n += m->pointCount();
  return n;
}

inline int64_t sumOfInts(const model::Metrics& batch, std::string_view name) {
  int64_t n = 0;
  for (const auto* m : metricsNamed(batch, name)) {
    for (const auto& p : m->number_points) n += p.as_int;
  }
  return n;
}

}  // namespace periscope::testing
