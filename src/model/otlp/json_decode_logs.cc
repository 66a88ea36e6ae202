// OTLP/JSON logs: ResourceLogs → ScopeLogs → LogRecord.
#include <array>

#include "model/otlp/json_reader.h"

namespace periscope::model::otlp {
namespace {

constexpr std::array<std::string_view, 25> kSeverityNames = {
    "SEVERITY_NUMBER_UNSPECIFIED", "SEVERITY_NUMBER_TRACE",  "SEVERITY_NUMBER_TRACE2",
    "SEVERITY_NUMBER_TRACE3",      "SEVERITY_NUMBER_TRACE4", "SEVERITY_NUMBER_DEBUG",
    "SEVERITY_NUMBER_DEBUG2",      "SEVERITY_NUMBER_DEBUG3", "SEVERITY_NUMBER_DEBUG4",
    "SEVERITY_NUMBER_INFO",        "SEVERITY_NUMBER_INFO2",  "SEVERITY_NUMBER_INFO3",
    "SEVERITY_NUMBER_INFO4",       "SEVERITY_NUMBER_WARN",   "SEVERITY_NUMBER_WARN2",
    "SEVERITY_NUMBER_WARN3",       "SEVERITY_NUMBER_WARN4",  "SEVERITY_NUMBER_ERROR",
    "SEVERITY_NUMBER_ERROR2",      "SEVERITY_NUMBER_ERROR3", "SEVERITY_NUMBER_ERROR4",
    "SEVERITY_NUMBER_FATAL",       "SEVERITY_NUMBER_FATAL2", "SEVERITY_NUMBER_FATAL3",
    "SEVERITY_NUMBER_FATAL4"};

bool readLogRecord(JsonReader& r, od::value& v, LogRecord& l) {
  return r.object(v, [&](std::string_view key, od::value& f) {
    if (JsonReader::is(key, "timeUnixNano", "time_unix_nano")) {
      return r.u64("timeUnixNano", f, l.time_unix_nano);
    }
    if (JsonReader::is(key, "observedTimeUnixNano", "observed_time_unix_nano")) {
      return r.u64("observedTimeUnixNano", f, l.observed_time_unix_nano);
    }
    if (JsonReader::is(key, "severityNumber", "severity_number")) {
      return r.field("severityNumber",
                     [&] { return r.enumeration(f, kSeverityNames, l.severity_number); });
    }
    if (JsonReader::is(key, "severityText", "severity_text")) {
      return r.str("severityText", f, l.severity_text);
    }
    if (key == "body") return r.field("body", [&] { return r.anyValue(f, l.body, 1); });
    if (key == "attributes") return r.attributes(f, "attributes", l.attributes);
    if (JsonReader::is(key, "droppedAttributesCount", "dropped_attributes_count")) {
      return r.u32("droppedAttributesCount", f, l.dropped_attributes_count);
    }
    if (key == "flags") return r.u32("flags", f, l.flags);
    if (JsonReader::is(key, "traceId", "trace_id")) return r.id("traceId", f, l.trace_id);
    if (JsonReader::is(key, "spanId", "span_id")) return r.id("spanId", f, l.span_id);
    if (JsonReader::is(key, "eventName", "event_name")) return r.str("eventName", f, l.event_name);
    return true;
  });
}

bool readScopeLogs(JsonReader& r, od::value& v, ScopeLogs& sl) {
  return r.object(v, [&](std::string_view key, od::value& f) {
    if (key == "scope") {
      sl.has_scope = true;
      return r.field("scope", [&] { return r.scope(f, sl.scope); });
    }
    if (JsonReader::is(key, "logRecords", "log_records")) {
      return r.array(f, "logRecords", sl.log_records,
                     [&](LogRecord& l, od::value& lv) { return readLogRecord(r, lv, l); });
    }
    if (JsonReader::is(key, "schemaUrl", "schema_url")) return r.str("schemaUrl", f, sl.schema_url);
    return true;
  });
}

bool readResourceLogs(JsonReader& r, od::value& v, ResourceLogs& rl) {
  return r.object(v, [&](std::string_view key, od::value& f) {
    if (key == "resource") {
      rl.has_resource = true;
      return r.field("resource", [&] { return r.resource(f, rl.resource); });
    }
    if (JsonReader::is(key, "scopeLogs", "scope_logs")) {
      return r.array(f, "scopeLogs", rl.scope_logs,
                     [&](ScopeLogs& sl, od::value& sv) { return readScopeLogs(r, sv, sl); });
    }
    if (JsonReader::is(key, "schemaUrl", "schema_url")) return r.str("schemaUrl", f, rl.schema_url);
    return true;
  });
}

}  // namespace

bool readLogsRequest(JsonReader& r, od::object& root, std::span<ResourceLogs>& out) {
  return r.fields(root, [&](std::string_view key, od::value& f) {
    if (!JsonReader::is(key, "resourceLogs", "resource_logs")) return true;
    return r.array(f, "resourceLogs", out,
                   [&](ResourceLogs& rl, od::value& rv) { return readResourceLogs(r, rv, rl); });
  });
}

}  // namespace periscope::model::otlp
