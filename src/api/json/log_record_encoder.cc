#include "api/json/log_record_encoder.h"

#include "api/json/json_helpers.h"
#include "model/any_value_json.h"
#include "model/log_line.h"

namespace periscope::api {
namespace {

using model::otlp::JsonWriter;

// Straight into `out`: writeRaw("") only settles the writer's comma state.
void writeValue(JsonWriter& w, std::string& out, const model::AnyValue& value) {
  writeRaw(w, out, "");
  model::appendCompactJson(value, out);
}

// {"key": value, …}; a repeated key is written as often as it occurs (OTLP forbids repeats,
// and rewriting data would hide what was sent).
void writeAttributeObject(JsonWriter& w, std::string& out, model::Attributes attrs) {
  w.beginObject();
  for (const model::KeyValue& kv : attrs) {
    writeDataKey(w, kv.key);
    writeValue(w, out, kv.value);
  }
  w.endObject();
}

}  // namespace

uint64_t logRecordTime(const model::LogRecord& record) {
  return record.time_unix_nano != 0 ? record.time_unix_nano : record.observed_time_unix_nano;
}

void writeLogRecord(JsonWriter& w, std::string& out, const model::ResourceLogs& rl,
                    const model::ScopeLogs& sl, const model::LogRecord& record,
                    const query::Fields* fields) {
  w.beginObject();
  w.key("timestamp");
  w.quotedU64(logRecordTime(record));
  w.key("observedTimestamp");
  w.quotedU64(record.observed_time_unix_nano);
  w.key("severityNumber");
  w.integer(record.severity_number);
  w.key("severityText");
  w.string(record.severity_text);
  w.key("body");
  writeValue(w, out, record.body);
  w.key("line");
  std::string line;
  model::logLine(record, line);
  w.string(line);
  w.key("attributes");
  writeAttributeObject(w, out, record.attributes);
  w.key("resource");
  writeAttributeObject(w, out, rl.resource.attributes);
  w.key("scope");
  w.beginObject();
  w.key("name");
  w.string(sl.scope.name);
  w.key("version");
  w.string(sl.scope.version);
  w.endObject();
  w.key("traceId");
  w.hex(record.trace_id);
  w.key("spanId");
  w.hex(record.span_id);
  w.key("fields");
  w.beginObject();
  if (fields != nullptr) {
    for (const auto& [name, value] : *fields) {
      writeDataKey(w, name);
      w.string(value);
    }
  }
  w.endObject();
  w.endObject();
}

void writeLogRecords(JsonWriter& w, std::string& out, const model::Logs& logs,
                     const std::vector<query::Fields>& fields) {
  w.beginArray();
  size_t i = 0;
  for (const model::ResourceLogs& rl : logs.resources()) {
    for (const model::ScopeLogs& sl : rl.scope_logs) {
      for (const model::LogRecord& record : sl.log_records) {
        writeLogRecord(w, out, rl, sl, record, i < fields.size() ? &fields[i] : nullptr);
        ++i;
      }
    }
  }
  w.endArray();
}

void writeLogsStats(JsonWriter& w, const query::LogsStats& stats) {
  w.beginObject();
  w.key("chunksRead");
  w.integer(static_cast<int64_t>(stats.chunks_read));
  w.key("recordsScanned");
  w.integer(static_cast<int64_t>(stats.records_scanned));
  w.key("recordsMatched");
  w.integer(static_cast<int64_t>(stats.records_matched));
  w.endObject();
}

}  // namespace periscope::api
