// OTLP/JSON encoding of the shared messages (AnyValue, KeyValue, Resource, InstrumentationScope),
// traces, logs and export responses. Metrics are in json_encode_metrics.cc.
#include "model/otlp/json_encoder.h"

#include "model/otlp/json_writer.h"

namespace periscope::model::otlp {

void writeAnyValue(JsonWriter& w, const AnyValue& v) {
  w.beginObject();
  switch (v.type()) {
    case AnyValue::Type::kAbsent:
    case AnyValue::Type::kEmpty:
      break;
    case AnyValue::Type::kString:
      w.key("stringValue");
      w.string(v.str());
      break;
    case AnyValue::Type::kBool:
      w.key("boolValue");
      w.boolean(v.boolValue());
      break;
    case AnyValue::Type::kInt:
      w.key("intValue");
      w.quotedI64(v.intValue());
      break;
    case AnyValue::Type::kDouble:
      w.key("doubleValue");
      w.dbl(v.doubleValue());
      break;
    case AnyValue::Type::kBytes:
      w.key("bytesValue");
      w.base64(v.str());
      break;
    case AnyValue::Type::kArray:
      w.key("arrayValue");
      w.beginObject();
      if (!v.arrayValues().empty()) {
        w.key("values");
        w.beginArray();
        for (const AnyValue& e : v.arrayValues()) writeAnyValue(w, e);
        w.endArray();
      }
      w.endObject();
      break;
    case AnyValue::Type::kKvList:
      w.key("kvlistValue");
      w.beginObject();
      writeAttributes(w, "values", v.kvlistValues());
      w.endObject();
      break;
  }
  w.endObject();
}

void writeAttributes(JsonWriter& w, std::string_view name, Attributes attrs) {
  if (attrs.empty()) return;
  w.key(name);
  w.beginArray();
  for (const KeyValue& kv : attrs) {
    w.beginObject();
    w.stringField("key", kv.key);
    if (kv.value.present()) {
      w.key("value");
      writeAnyValue(w, kv.value);
    }
    w.endObject();
  }
  w.endArray();
}

void writeResource(JsonWriter& w, const Resource& r) {
  w.key("resource");
  w.beginObject();
  writeAttributes(w, "attributes", r.attributes);
  w.intField("droppedAttributesCount", r.dropped_attributes_count);
  w.endObject();
}

void writeScope(JsonWriter& w, const InstrumentationScope& s) {
  w.key("scope");
  w.beginObject();
  w.stringField("name", s.name);
  w.stringField("version", s.version);
  writeAttributes(w, "attributes", s.attributes);
  w.intField("droppedAttributesCount", s.dropped_attributes_count);
  w.endObject();
}

namespace {

void writeEvent(JsonWriter& w, const SpanEvent& e) {
  w.beginObject();
  w.u64Field("timeUnixNano", e.time_unix_nano);
  w.stringField("name", e.name);
  writeAttributes(w, "attributes", e.attributes);
  w.intField("droppedAttributesCount", e.dropped_attributes_count);
  w.endObject();
}

void writeLink(JsonWriter& w, const SpanLink& l) {
  w.beginObject();
  w.hexField("traceId", l.trace_id);
  w.hexField("spanId", l.span_id);
  w.stringField("traceState", l.trace_state);
  writeAttributes(w, "attributes", l.attributes);
  w.intField("droppedAttributesCount", l.dropped_attributes_count);
  w.intField("flags", l.flags);
  w.endObject();
}

// status.code wins; an out-of-range code received on the wire (kept only in status_code_raw,
// with status.code kUnset) is written back as received.
int32_t statusCode(const Span& s) {
  if (s.status.code == StatusCode::kUnset && (s.status_code_raw < 0 || s.status_code_raw > 2)) {
    return s.status_code_raw;
  }
  return static_cast<int32_t>(s.status.code);
}

void writeSpan(JsonWriter& w, const Span& s) {
  w.beginObject();
  w.hexField("traceId", s.trace_id);
  w.hexField("spanId", s.span_id);
  w.stringField("traceState", s.trace_state);
  w.hexField("parentSpanId", s.parent_span_id);
  w.intField("flags", s.flags);
  w.stringField("name", s.name);
  w.intField("kind", s.kind);
  w.u64Field("startTimeUnixNano", s.start_time_unix_nano);
  w.u64Field("endTimeUnixNano", s.end_time_unix_nano);
  writeAttributes(w, "attributes", s.attributes);
  w.intField("droppedAttributesCount", s.dropped_attributes_count);
  if (!s.events.empty()) {
    w.key("events");
    w.beginArray();
    for (const SpanEvent& e : s.events) writeEvent(w, e);
    w.endArray();
  }
  w.intField("droppedEventsCount", s.dropped_events_count);
  if (!s.links.empty()) {
    w.key("links");
    w.beginArray();
    for (const SpanLink& l : s.links) writeLink(w, l);
    w.endArray();
  }
  w.intField("droppedLinksCount", s.dropped_links_count);
  if (s.has_status) {
    w.key("status");
    w.beginObject();
    w.stringField("message", s.status.message);
    w.intField("code", statusCode(s));
    w.endObject();
  }
  w.endObject();
}

void writeLogRecord(JsonWriter& w, const LogRecord& l) {
  w.beginObject();
  w.u64Field("timeUnixNano", l.time_unix_nano);
  w.u64Field("observedTimeUnixNano", l.observed_time_unix_nano);
  w.intField("severityNumber", l.severity_number);
  w.stringField("severityText", l.severity_text);
  if (l.body.present()) {
    w.key("body");
    writeAnyValue(w, l.body);
  }
  writeAttributes(w, "attributes", l.attributes);
  w.intField("droppedAttributesCount", l.dropped_attributes_count);
  w.intField("flags", l.flags);
  w.hexField("traceId", l.trace_id);
  w.hexField("spanId", l.span_id);
  w.stringField("eventName", l.event_name);
  w.endObject();
}

// resourceX → scopeX → items, the same three levels for traces and logs.
template <typename ResourceT, typename ScopesOf, typename ItemsOf, typename WriteItem>
void writeRequest(JsonWriter& w, const std::vector<ResourceT>& resources,
                  std::string_view resources_key, std::string_view scopes_key,
                  std::string_view items_key, ScopesOf scopes_of, ItemsOf items_of,
                  WriteItem write_item) {
  w.beginObject();
  if (!resources.empty()) {
    w.key(resources_key);
    w.beginArray();
    for (const ResourceT& r : resources) {
      w.beginObject();
      if (r.has_resource) writeResource(w, r.resource);
      const auto& scopes = scopes_of(r);
      if (!scopes.empty()) {
        w.key(scopes_key);
        w.beginArray();
        for (const auto& s : scopes) {
          w.beginObject();
          if (s.has_scope) writeScope(w, s.scope);
          const auto& items = items_of(s);
          if (!items.empty()) {
            w.key(items_key);
            w.beginArray();
            for (const auto& item : items) write_item(w, item);
            w.endArray();
          }
          w.stringField("schemaUrl", s.schema_url);
          w.endObject();
        }
        w.endArray();
      }
      w.stringField("schemaUrl", r.schema_url);
      w.endObject();
    }
    w.endArray();
  }
  w.endObject();
}

}  // namespace

void encodeJson(const Traces& batch, std::string& out) {
  JsonWriter w(out);
  writeRequest(
      w, batch.resources(), "resourceSpans", "scopeSpans", "spans",
      [](const ResourceSpans& r) { return r.scope_spans; },
      [](const ScopeSpans& s) { return s.spans; }, writeSpan);
}

void encodeJson(const Metrics& batch, std::string& out) {
  JsonWriter w(out);
  writeRequest(
      w, batch.resources(), "resourceMetrics", "scopeMetrics", "metrics",
      [](const ResourceMetrics& r) { return r.scope_metrics; },
      [](const ScopeMetrics& s) { return s.metrics; }, writeMetric);
}

void encodeJson(const Logs& batch, std::string& out) {
  JsonWriter w(out);
  writeRequest(
      w, batch.resources(), "resourceLogs", "scopeLogs", "logRecords",
      [](const ResourceLogs& r) { return r.scope_logs; },
      [](const ScopeLogs& s) { return s.log_records; }, writeLogRecord);
}

std::string encodeRpcStatusJson(int32_t code, std::string_view message) {
  std::string out;
  JsonWriter w(out);
  w.beginObject();
  w.intField("code", code);
  w.stringField("message", message);
  w.endObject();
  return out;
}

std::string encodeExportResponseJson(std::string_view signal, int64_t rejected,
                                     std::string_view error_message) {
  if (rejected == 0 && error_message.empty()) return "{}";
  std::string out;
  JsonWriter w(out);
  w.beginObject();
  w.key("partialSuccess");
  w.beginObject();
  if (rejected != 0) {
    if (signal == "metrics") {
      w.key("rejectedDataPoints");
    } else if (signal == "logs") {
      w.key("rejectedLogRecords");
    } else {
      w.key("rejectedSpans");
    }
    w.quotedI64(rejected);
  }
  w.stringField("errorMessage", error_message);
  w.endObject();
  w.endObject();
  return out;
}

}  // namespace periscope::model::otlp
