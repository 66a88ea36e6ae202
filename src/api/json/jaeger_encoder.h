// Jaeger JSON encoder: OTLP-shaped model::Traces → the trace model of Jaeger's HTTP API v1
// ({traceID, spans, processes, warnings}), as the Jaeger UI and Grafana's Jaeger data source read
// it. The mapping follows the collector's OTLP → Jaeger translator (pkg/translator/jaeger): span
// kind, status, scope and trace state become tags; events become logs; the parent and links
// become references; each distinct resource becomes one process (p1, p2, …).
// Pure functions, used by handlers/jaeger_v1.cc.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "model/batch.h"
#include "model/otlp/json_writer.h"

namespace periscope::api {

// Jaeger's service name for a resource without service.name (the collector's
// tracetranslator.ResourceNoServiceName).
inline constexpr std::string_view kNoServiceName = "OTLPResourceNoServiceName";

// Writes one Jaeger trace object holding every span of `trace` (one trace id expected; the
// trace's id is taken from its first span). `out` is the string `w` appends to.
void writeJaegerTrace(model::otlp::JsonWriter& w, std::string& out, const model::Traces& trace);

// Jaeger's id text: lower-case hex; a trace id whose high 8 bytes are zero is printed with 16
// digits, as Jaeger does, and clients send it back that way.
std::string jaegerTraceId(std::string_view trace_id);

// OTLP SpanKind value ↔ Jaeger's span kind string ("server", "client", "producer", "consumer",
// "internal"; "" for unspecified or unknown values).
std::string_view jaegerSpanKind(int32_t otlp_kind);
std::optional<int32_t> otlpSpanKind(std::string_view jaeger_kind);

}  // namespace periscope::api
