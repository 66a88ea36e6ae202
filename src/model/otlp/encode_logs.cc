// Encoding of model::Logs as ExportLogsServiceRequest (logs.proto).
#include "model/otlp/encode_context.h"
#include "model/otlp/proto_encoder.h"

namespace periscope::model::otlp {

namespace {

size_t sizeLogRecord(const LogRecord& r, SizeTable& sizes) {
  size_t slot = sizes.reserve();
  size_t n = fixed64FieldSize(1, r.time_unix_nano) +
             varintFieldSize(2, wire::int32Wire(r.severity_number)) +
             stringFieldSize(3, r.severity_text) + sizeAnyValueField(5, r.body, sizes) +
             sizeAttributes(6, r.attributes, sizes) +
             varintFieldSize(7, r.dropped_attributes_count) + fixed32FieldSize(8, r.flags) +
             stringFieldSize(9, r.trace_id) + stringFieldSize(10, r.span_id) +
             fixed64FieldSize(11, r.observed_time_unix_nano) + stringFieldSize(12, r.event_name);
  return sizes.set(slot, n);
}

uint8_t* writeLogRecord(uint8_t* p, const LogRecord& r, SizeTable& sizes) {
  p = writeFixed64Field(p, 1, r.time_unix_nano);
  p = writeVarintField(p, 2, wire::int32Wire(r.severity_number));
  p = writeStringField(p, 3, r.severity_text);
  p = writeAnyValueField(p, 5, r.body, sizes);
  p = writeAttributes(p, 6, r.attributes, sizes);
  p = writeVarintField(p, 7, r.dropped_attributes_count);
  p = writeFixed32Field(p, 8, r.flags);
  p = writeStringField(p, 9, r.trace_id);
  p = writeStringField(p, 10, r.span_id);
  p = writeFixed64Field(p, 11, r.observed_time_unix_nano);
  return writeStringField(p, 12, r.event_name);
}

size_t sizeScopeLogs(const ScopeLogs& sl, SizeTable& sizes) {
  size_t slot = sizes.reserve();
  size_t n = sl.has_scope ? lenFieldSize(1, sizeScope(sl.scope, sizes)) : 0;
  for (const LogRecord& r : sl.log_records) n += lenFieldSize(2, sizeLogRecord(r, sizes));
  n += stringFieldSize(3, sl.schema_url);
  return sizes.set(slot, n);
}

uint8_t* writeScopeLogs(uint8_t* p, const ScopeLogs& sl, SizeTable& sizes) {
  if (sl.has_scope) {
    p = writeLenPrefix(p, 1, sizes.take());
    p = writeScope(p, sl.scope, sizes);
  }
  for (const LogRecord& r : sl.log_records) {
    p = writeLenPrefix(p, 2, sizes.take());
    p = writeLogRecord(p, r, sizes);
  }
  return writeStringField(p, 3, sl.schema_url);
}

size_t sizeResourceLogs(const ResourceLogs& rl, SizeTable& sizes) {
  size_t slot = sizes.reserve();
  size_t n = rl.has_resource ? lenFieldSize(1, sizeResource(rl.resource, sizes)) : 0;
  for (const ScopeLogs& sl : rl.scope_logs) n += lenFieldSize(2, sizeScopeLogs(sl, sizes));
  n += stringFieldSize(3, rl.schema_url);
  return sizes.set(slot, n);
}

uint8_t* writeResourceLogs(uint8_t* p, const ResourceLogs& rl, SizeTable& sizes) {
  if (rl.has_resource) {
    p = writeLenPrefix(p, 1, sizes.take());
    p = writeResource(p, rl.resource, sizes);
  }
  for (const ScopeLogs& sl : rl.scope_logs) {
    p = writeLenPrefix(p, 2, sizes.take());
    p = writeScopeLogs(p, sl, sizes);
  }
  return writeStringField(p, 3, rl.schema_url);
}

}  // namespace

void encode(const Logs& batch, std::string& out) {
  SizeTable sizes(sizeScratch());
  size_t total = 0;
  for (const ResourceLogs& rl : batch.resources()) {
    total += lenFieldSize(1, sizeResourceLogs(rl, sizes));
  }
  uint8_t* p = growBy(out, total);
  for (const ResourceLogs& rl : batch.resources()) {
    p = writeLenPrefix(p, 1, sizes.take());
    p = writeResourceLogs(p, rl, sizes);
  }
}

}  // namespace periscope::model::otlp
