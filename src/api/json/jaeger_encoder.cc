#include "api/json/jaeger_encoder.h"

#include <map>
#include <vector>

#include "api/json/json_helpers.h"
#include "common/hex.h"

namespace periscope::api {
namespace {

using model::AnyValue;
using model::otlp::JsonWriter;

constexpr std::string_view kServiceName = "service.name";

// The value as plain JSON (strings quoted, numbers bare, bytes base64, arrays and maps nested),
// which is how the collector turns arrays and maps into Jaeger string tags.
void writePlain(JsonWriter& w, std::string& out, const AnyValue& v) {
  switch (v.type()) {
    case AnyValue::Type::kAbsent:
    case AnyValue::Type::kEmpty:
      writeNull(w, out);
      break;
    case AnyValue::Type::kString:
      w.string(v.str());
      break;
    case AnyValue::Type::kBool:
      w.boolean(v.boolValue());
      break;
    case AnyValue::Type::kInt:
      w.integer(v.intValue());
      break;
    case AnyValue::Type::kDouble:
      w.dbl(v.doubleValue());
      break;
    case AnyValue::Type::kBytes:
      w.base64(v.str());
      break;
    case AnyValue::Type::kArray:
      w.beginArray();
      for (const AnyValue& e : v.arrayValues()) writePlain(w, out, e);
      w.endArray();
      break;
    case AnyValue::Type::kKvList:
      w.beginObject();
      for (const model::KeyValue& kv : v.kvlistValues()) {
        writeDataKey(w, kv.key);
        writePlain(w, out, kv.value);
      }
      w.endObject();
      break;
  }
}

void writeStringTag(JsonWriter& w, std::string_view key, std::string_view value) {
  w.beginObject();
  w.key("key");
  w.string(key);
  w.key("type");
  w.string("string");
  w.key("value");
  w.string(value);
  w.endObject();
}

void writeTag(JsonWriter& w, const model::KeyValue& kv) {
  const AnyValue& v = kv.value;
  w.beginObject();
  w.key("key");
  w.string(kv.key);
  w.key("type");
  switch (v.type()) {
    case AnyValue::Type::kBool:
      w.string("bool");
      w.key("value");
      w.boolean(v.boolValue());
      break;
    case AnyValue::Type::kInt:
      w.string("int64");
      w.key("value");
      w.integer(v.intValue());
      break;
    case AnyValue::Type::kDouble:
      w.string("float64");
      w.key("value");
      w.dbl(v.doubleValue());
      break;
    case AnyValue::Type::kBytes:
      // Go's encoding/json writes Jaeger's []byte values as base64.
      w.string("binary");
      w.key("value");
      w.base64(v.str());
      break;
    case AnyValue::Type::kString:
      w.string("string");
      w.key("value");
      w.string(v.str());
      break;
    case AnyValue::Type::kArray:
    case AnyValue::Type::kKvList: {
      std::string text;
      JsonWriter tw(text);
      writePlain(tw, text, v);
      w.string("string");
      w.key("value");
      w.string(text);
      break;
    }
    case AnyValue::Type::kAbsent:
    case AnyValue::Type::kEmpty:
      w.string("string");
      w.key("value");
      w.string("");
      break;
  }
  w.endObject();
}

std::string_view serviceName(const model::Resource& r) {
  const AnyValue* v = model::findAttribute(r.attributes, kServiceName);
  if (v == nullptr || v->type() != AnyValue::Type::kString || v->str().empty())
    return kNoServiceName;
  return v->str();
}

void writeProcess(JsonWriter& w, const model::Resource& r) {
  w.beginObject();
  w.key("serviceName");
  w.string(serviceName(r));
  w.key("tags");
  w.beginArray();
  for (const model::KeyValue& kv : r.attributes) {
    if (kv.key != kServiceName) writeTag(w, kv);
  }
  w.endArray();
  w.endObject();
}

bool allZero(std::string_view id) {
  for (char c : id) {
    if (c != 0) return false;
  }
  return true;
}

void writeTraceId(JsonWriter& w, std::string_view trace_id) {
  if (trace_id.size() == 16 && allZero(trace_id.substr(0, 8))) trace_id.remove_prefix(8);
  w.hex(trace_id);
}

struct Reference {
  bool child_of;
  std::string_view trace_id;
  std::string_view span_id;
};

std::vector<Reference> references(const model::Span& s) {
  std::vector<Reference> refs;
  bool has_parent = !s.parent_span_id.empty() && !allZero(s.parent_span_id);
  if (has_parent) refs.push_back({true, s.trace_id, s.parent_span_id});
  for (const model::SpanLink& link : s.links) {
    // OpenTracing-era data carries the reference type on the link (semconv opentracing.ref_type).
    const AnyValue* ref_type = model::findAttribute(link.attributes, "opentracing.ref_type");
    bool child_of = ref_type != nullptr && ref_type->type() == AnyValue::Type::kString &&
                    ref_type->str() == "child_of";
    if (has_parent && link.trace_id == s.trace_id && link.span_id == s.parent_span_id) {
      refs.front().child_of = child_of;  // the link describes the parent: keep one reference
      continue;
    }
    refs.push_back({child_of, link.trace_id, link.span_id});
  }
  return refs;
}

void writeSpan(JsonWriter& w, std::string& out, const model::Span& s,
               const model::ScopeSpans& scope, std::string_view process_id) {
  w.beginObject();
  w.key("traceID");
  writeTraceId(w, s.trace_id);
  w.key("spanID");
  w.hex(s.span_id);
  w.key("operationName");
  w.string(s.name);
  w.key("references");
  w.beginArray();
  for (const Reference& r : references(s)) {
    w.beginObject();
    w.key("refType");
    w.string(r.child_of ? "CHILD_OF" : "FOLLOWS_FROM");
    w.key("traceID");
    writeTraceId(w, r.trace_id);
    w.key("spanID");
    w.hex(r.span_id);
    w.endObject();
  }
  w.endArray();
  // The W3C trace flags (low byte); its sampled bit is Jaeger's sampled flag.
  w.key("flags");
  w.integer(s.flags & 0xff);
  w.key("startTime");
  w.integer(static_cast<int64_t>(s.start_time_unix_nano / 1000));
  w.key("duration");
  w.integer(s.end_time_unix_nano > s.start_time_unix_nano
                ? static_cast<int64_t>((s.end_time_unix_nano - s.start_time_unix_nano) / 1000)
                : 0);

  // Tag order follows the collector's translator: scope, attributes, kind, status, trace state.
  w.key("tags");
  w.beginArray();
  if (!scope.scope.name.empty()) writeStringTag(w, "otel.scope.name", scope.scope.name);
  if (!scope.scope.version.empty()) writeStringTag(w, "otel.scope.version", scope.scope.version);
  for (const model::KeyValue& kv : s.attributes) writeTag(w, kv);
  std::string_view kind = jaegerSpanKind(s.kind);
  if (!kind.empty()) writeStringTag(w, "span.kind", kind);
  if (s.status.code == model::StatusCode::kOk) writeStringTag(w, "otel.status_code", "OK");
  if (s.status.code == model::StatusCode::kError) {
    writeStringTag(w, "otel.status_code", "ERROR");
    w.beginObject();
    w.key("key");
    w.string("error");
    w.key("type");
    w.string("bool");
    w.key("value");
    w.boolean(true);
    w.endObject();
  }
  if (!s.status.message.empty()) writeStringTag(w, "otel.status_description", s.status.message);
  if (!s.trace_state.empty()) writeStringTag(w, "w3c.tracestate", s.trace_state);
  w.endArray();

  w.key("logs");
  w.beginArray();
  for (const model::SpanEvent& e : s.events) {
    w.beginObject();
    w.key("timestamp");
    w.integer(static_cast<int64_t>(e.time_unix_nano / 1000));
    w.key("fields");
    w.beginArray();
    // An "event" attribute takes precedence over the event's name.
    if (!e.name.empty() && model::findAttribute(e.attributes, "event") == nullptr)
      writeStringTag(w, "event", e.name);
    for (const model::KeyValue& kv : e.attributes) writeTag(w, kv);
    w.endArray();
    w.endObject();
  }
  w.endArray();
  w.key("processID");
  w.string(process_id);
  // Jaeger writes warnings: null on spans and traces without warnings.
  w.key("warnings");
  writeNull(w, out);
  w.endObject();
}

}  // namespace

std::string jaegerTraceId(std::string_view trace_id) {
  if (trace_id.size() == 16 && allZero(trace_id.substr(0, 8))) trace_id.remove_prefix(8);
  return hexEncode(trace_id);
}

std::string_view jaegerSpanKind(int32_t otlp_kind) {
  switch (otlp_kind) {
    case 1:
      return "internal";
    case 2:
      return "server";
    case 3:
      return "client";
    case 4:
      return "producer";
    case 5:
      return "consumer";
    default:
      return "";
  }
}

std::optional<int32_t> otlpSpanKind(std::string_view k) {
  for (int32_t kind = 1; kind <= 5; ++kind) {
    if (jaegerSpanKind(kind) == k) return kind;
  }
  return std::nullopt;
}

void writeJaegerTrace(JsonWriter& w, std::string& out, const model::Traces& trace) {
  // Identical resources share a process: key each by its rendered JSON.
  std::map<std::string, size_t> ids;
  std::vector<const model::Resource*> processes;
  std::vector<std::string> process_of_resource;
  std::string_view trace_id;
  for (const model::ResourceSpans& rs : trace.resources()) {
    std::string rendered;
    JsonWriter pw(rendered);
    writeProcess(pw, rs.resource);
    auto [it, added] = ids.emplace(std::move(rendered), processes.size() + 1);
    if (added) processes.push_back(&rs.resource);
    process_of_resource.push_back("p" + std::to_string(it->second));
    if (trace_id.empty()) {
      for (const model::ScopeSpans& ss : rs.scope_spans) {
        if (!ss.spans.empty()) {
          trace_id = ss.spans.front().trace_id;
          break;
        }
      }
    }
  }

  w.beginObject();
  w.key("traceID");
  writeTraceId(w, trace_id);
  w.key("spans");
  w.beginArray();
  for (size_t i = 0; i < trace.resources().size(); ++i) {
    for (const model::ScopeSpans& ss : trace.resources()[i].scope_spans) {
      for (const model::Span& s : ss.spans) {
        writeSpan(w, out, s, ss, process_of_resource[i]);
      }
    }
  }
  w.endArray();
  w.key("processes");
  w.beginObject();
  for (size_t i = 0; i < processes.size(); ++i) {
    w.key("p" + std::to_string(i + 1));
    writeProcess(w, *processes[i]);
  }
  w.endObject();
  w.key("warnings");
  writeNull(w, out);
  w.endObject();
}

}  // namespace periscope::api
