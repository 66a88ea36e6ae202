// TraceReader: what the query layer may ask of the trace store. Results are OTLP-shaped
// (model::Traces, spans grouped by resource and scope) so that API encoders need no
// storage knowledge. Thread-safe; every call sees head (recent) and segment data alike.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "model/batch.h"

namespace periscope::storage {

// A span matches when it satisfies every set criterion; a trace matches when one of its spans
// does (Jaeger's semantics). Service and tags are looked up on the span's resource too.
struct TraceQuery {
  std::string service;                                    // resource service.name; "" = any
  std::string operation;                                  // span name; "" = any
  std::optional<int32_t> span_kind;                       // OTLP SpanKind value (1..5)
  std::vector<std::pair<std::string, std::string>> tags;  // k=v, all must hold on one span
  bool errors_only = false;                               // status code ERROR
  uint64_t min_duration_ns = 0;                           // 0 = no bound
  uint64_t max_duration_ns = 0;                           // 0 = no bound
  uint64_t start_time_min_ns = 0;                         // span start, inclusive; 0 = no bound
  uint64_t start_time_max_ns = 0;                         // span start, inclusive; 0 = no bound
  size_t limit = 20;                                      // traces
};

struct OperationInfo {
  std::string name;
  int32_t span_kind = 0;  // OTLP SpanKind value
  auto operator<=>(const OperationInfo&) const = default;
};

// Caller service → callee service, from parent/child span pairs that cross services.
struct DependencyLink {
  std::string parent;
  std::string child;
  uint64_t call_count = 0;
  uint64_t error_count = 0;  // child spans with status ERROR
};

class TraceReader {
 public:
  virtual ~TraceReader() = default;
  // All stored spans of one trace (16 raw id bytes); an empty batch when none are known.
  // start/end (ns, 0 = unbounded) only narrow which segments are read.
  virtual Result<model::Traces> getTrace(std::string_view trace_id, uint64_t start_ns = 0,
                                         uint64_t end_ns = 0) = 0;
  // Matching traces, most recent first, at most query.limit, each with all its stored spans.
  virtual Result<std::vector<model::Traces>> findTraces(const TraceQuery& query) = 0;
  // Sorted service names.
  virtual Result<std::vector<std::string>> services() = 0;
  // Sorted by (name, kind); span_kind narrows to one kind.
  virtual Result<std::vector<OperationInfo>> operations(std::string_view service,
                                                        std::optional<int32_t> span_kind) = 0;
  // Spans starting in [end - lookback, end] (ns); sorted by (parent, child).
  virtual Result<std::vector<DependencyLink>> dependencies(uint64_t end_ns,
                                                           uint64_t lookback_ns) = 0;
};

}  // namespace periscope::storage
