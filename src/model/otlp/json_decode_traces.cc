// OTLP/JSON traces: ResourceSpans → ScopeSpans → Span (with events, links and status).
#include <array>

#include "model/otlp/json_reader.h"

namespace periscope::model::otlp {
namespace {

constexpr std::array<std::string_view, 6> kSpanKindNames = {
    "SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER",
    "SPAN_KIND_CLIENT",      "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER"};
constexpr std::array<std::string_view, 3> kStatusCodeNames = {"STATUS_CODE_UNSET", "STATUS_CODE_OK",
                                                              "STATUS_CODE_ERROR"};

bool readEvent(JsonReader& r, od::value& v, SpanEvent& e) {
  return r.object(v, [&](std::string_view key, od::value& f) {
    if (JsonReader::is(key, "timeUnixNano", "time_unix_nano")) {
      return r.u64("timeUnixNano", f, e.time_unix_nano);
    }
    if (key == "name") return r.str("name", f, e.name);
    if (key == "attributes") return r.attributes(f, "attributes", e.attributes);
    if (JsonReader::is(key, "droppedAttributesCount", "dropped_attributes_count")) {
      return r.u32("droppedAttributesCount", f, e.dropped_attributes_count);
    }
    return true;
  });
}

bool readLink(JsonReader& r, od::value& v, SpanLink& l) {
  return r.object(v, [&](std::string_view key, od::value& f) {
    if (JsonReader::is(key, "traceId", "trace_id")) return r.id("traceId", f, l.trace_id);
    if (JsonReader::is(key, "spanId", "span_id")) return r.id("spanId", f, l.span_id);
    if (JsonReader::is(key, "traceState", "trace_state")) {
      return r.str("traceState", f, l.trace_state);
    }
    if (key == "attributes") return r.attributes(f, "attributes", l.attributes);
    if (JsonReader::is(key, "droppedAttributesCount", "dropped_attributes_count")) {
      return r.u32("droppedAttributesCount", f, l.dropped_attributes_count);
    }
    if (key == "flags") return r.u32("flags", f, l.flags);
    return true;
  });
}

bool readStatus(JsonReader& r, od::value& v, Span& s) {
  s.has_status = true;
  return r.object(v, [&](std::string_view key, od::value& f) {
    if (key == "message") return r.str("message", f, s.status.message);
    if (key == "code") {
      int32_t code = 0;
      if (!r.field("code", [&] { return r.enumeration(f, kStatusCodeNames, code); })) {
        return false;
      }
      s.status_code_raw = code;
      s.status.code = code >= 0 && code <= 2 ? static_cast<StatusCode>(code) : StatusCode::kUnset;
    }
    return true;
  });
}

bool readSpan(JsonReader& r, od::value& v, Span& s) {
  return r.object(v, [&](std::string_view key, od::value& f) {
    switch (key.empty() ? 0 : key[0]) {
      case 't':
        if (JsonReader::is(key, "traceId", "trace_id")) return r.id("traceId", f, s.trace_id);
        if (JsonReader::is(key, "traceState", "trace_state")) {
          return r.str("traceState", f, s.trace_state);
        }
        break;
      case 's':
        if (JsonReader::is(key, "spanId", "span_id")) return r.id("spanId", f, s.span_id);
        if (JsonReader::is(key, "startTimeUnixNano", "start_time_unix_nano")) {
          return r.u64("startTimeUnixNano", f, s.start_time_unix_nano);
        }
        if (key == "status") return r.field("status", [&] { return readStatus(r, f, s); });
        break;
      case 'p':
        if (JsonReader::is(key, "parentSpanId", "parent_span_id")) {
          return r.id("parentSpanId", f, s.parent_span_id);
        }
        break;
      case 'f':
        if (key == "flags") return r.u32("flags", f, s.flags);
        break;
      case 'n':
        if (key == "name") return r.str("name", f, s.name);
        break;
      case 'k':
        if (key == "kind") {
          return r.field("kind", [&] { return r.enumeration(f, kSpanKindNames, s.kind); });
        }
        break;
      case 'e':
        if (JsonReader::is(key, "endTimeUnixNano", "end_time_unix_nano")) {
          return r.u64("endTimeUnixNano", f, s.end_time_unix_nano);
        }
        if (key == "events") {
          return r.array(f, "events", s.events,
                         [&](SpanEvent& e, od::value& ev) { return readEvent(r, ev, e); });
        }
        break;
      case 'a':
        if (key == "attributes") return r.attributes(f, "attributes", s.attributes);
        break;
      case 'd':
        if (JsonReader::is(key, "droppedAttributesCount", "dropped_attributes_count")) {
          return r.u32("droppedAttributesCount", f, s.dropped_attributes_count);
        }
        if (JsonReader::is(key, "droppedEventsCount", "dropped_events_count")) {
          return r.u32("droppedEventsCount", f, s.dropped_events_count);
        }
        if (JsonReader::is(key, "droppedLinksCount", "dropped_links_count")) {
          return r.u32("droppedLinksCount", f, s.dropped_links_count);
        }
        break;
      case 'l':
        if (key == "links") {
          return r.array(f, "links", s.links,
                         [&](SpanLink& l, od::value& lv) { return readLink(r, lv, l); });
        }
        break;
      default:
        break;
    }
    return true;
  });
}

bool readScopeSpans(JsonReader& r, od::value& v, ScopeSpans& ss) {
  return r.object(v, [&](std::string_view key, od::value& f) {
    if (key == "scope") {
      ss.has_scope = true;
      return r.field("scope", [&] { return r.scope(f, ss.scope); });
    }
    if (key == "spans") {
      return r.array(f, "spans", ss.spans,
                     [&](Span& s, od::value& sv) { return readSpan(r, sv, s); });
    }
    if (JsonReader::is(key, "schemaUrl", "schema_url")) return r.str("schemaUrl", f, ss.schema_url);
    return true;
  });
}

bool readResourceSpans(JsonReader& r, od::value& v, ResourceSpans& rs) {
  return r.object(v, [&](std::string_view key, od::value& f) {
    if (key == "resource") {
      rs.has_resource = true;
      return r.field("resource", [&] { return r.resource(f, rs.resource); });
    }
    if (JsonReader::is(key, "scopeSpans", "scope_spans")) {
      return r.array(f, "scopeSpans", rs.scope_spans,
                     [&](ScopeSpans& ss, od::value& sv) { return readScopeSpans(r, sv, ss); });
    }
    if (JsonReader::is(key, "schemaUrl", "schema_url")) return r.str("schemaUrl", f, rs.schema_url);
    return true;
  });
}

}  // namespace

bool readTracesRequest(JsonReader& r, od::object& root, std::span<ResourceSpans>& out) {
  return r.fields(root, [&](std::string_view key, od::value& f) {
    if (!JsonReader::is(key, "resourceSpans", "resource_spans")) return true;
    return r.array(f, "resourceSpans", out,
                   [&](ResourceSpans& rs, od::value& rv) { return readResourceSpans(r, rv, rs); });
  });
}

}  // namespace periscope::model::otlp
