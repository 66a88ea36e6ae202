// Decoding of ExportLogsServiceRequest / LogsData (logs.proto) into model::Logs.
#include <array>

#include "model/otlp/decode_context.h"
#include "model/otlp/proto_decoder.h"

namespace periscope::model::otlp {

using wire::Field;
using wire::kFixed32;
using wire::kFixed64;
using wire::kLen;
using wire::kVarint;
using wire::ReadError;
using wire::tag;

namespace {

constexpr std::array<const char*, 2> kRequestNames = {nullptr, "resource_logs"};
constexpr std::array<const char*, 4> kResourceLogsNames = {nullptr, "resource", "scope_logs",
                                                           "schema_url"};
constexpr std::array<const char*, 4> kScopeLogsNames = {nullptr, "scope", "log_records",
                                                        "schema_url"};
constexpr std::array<const char*, 13> kLogRecordNames = {
    nullptr,     "time_unix_nano", "severity_number", "severity_text",
    nullptr,     "body",           "attributes",      "dropped_attributes_count",
    "flags",     "trace_id",       "span_id",         "observed_time_unix_nano",
    "event_name"};

bool decodeLogRecord(DecodeContext& ctx, const uint8_t* p, const uint8_t* end, LogRecord& out) {
  uint32_t counts[3] = {0, 0, 0};
  countLenFields(p, end, 6, 0, 0, counts);
  size_t a = 0;
  if (counts[0] != 0) out.attributes = ctx.arena().allocArray<KeyValue>(counts[0]);
  Field f;
  while (p < end) {
    const uint8_t* at = p;
    if (ReadError e = wire::readField(p, end, f); PERISCOPE_UNLIKELY(e != ReadError::kNone)) {
      return ctx.readFailed(e, f, at, kLogRecordNames);
    }
    switch (f.tag) {
      case tag(1, kFixed64):
        out.time_unix_nano = f.value;
        break;
      case tag(2, kVarint):
        out.severity_number = static_cast<int32_t>(f.value);
        break;
      case tag(3, kLen):
        if (!readString(ctx, f, out.severity_text, kLogRecordNames)) return false;
        break;
      case tag(5, kLen):
        if (!decodeAnyValue(ctx, f.data, f.end(), out.body, 1)) return ctx.in(kLogRecordNames, 5);
        break;
      case tag(6, kLen):
        if (!decodeAttribute(ctx, f, out.attributes, a, kLogRecordNames)) return false;
        break;
      case tag(7, kVarint):
        out.dropped_attributes_count = static_cast<uint32_t>(f.value);
        break;
      case tag(8, kFixed32):
        out.flags = static_cast<uint32_t>(f.value);
        break;
      case tag(9, kLen):
        out.trace_id = f.view();
        break;
      case tag(10, kLen):
        out.span_id = f.view();
        break;
      case tag(11, kFixed64):
        out.observed_time_unix_nano = f.value;
        break;
      case tag(12, kLen):
        if (!readString(ctx, f, out.event_name, kLogRecordNames)) return false;
        break;
      default:
        if (f.number() <= 12 && f.number() != 4) return ctx.wrongWireType(f, kLogRecordNames);
    }
  }
  return true;
}

bool decodeScopeLogs(DecodeContext& ctx, const uint8_t* p, const uint8_t* end, ScopeLogs& out) {
  uint32_t counts[3] = {0, 0, 0};
  countLenFields(p, end, 2, 0, 0, counts);
  size_t i = 0;
  if (counts[0] != 0) out.log_records = ctx.arena().allocArray<LogRecord>(counts[0]);
  Field f;
  while (p < end) {
    const uint8_t* at = p;
    if (ReadError e = wire::readField(p, end, f); e != ReadError::kNone) {
      return ctx.readFailed(e, f, at, kScopeLogsNames);
    }
    switch (f.tag) {
      case tag(1, kLen):
        out.has_scope = true;
        if (!decodeScope(ctx, f.data, f.end(), out.scope)) return ctx.in(kScopeLogsNames, 1);
        break;
      case tag(2, kLen):
        if (i >= out.log_records.size()) return ctx.fail(f.at, "internal: count mismatch");
        if (!decodeLogRecord(ctx, f.data, f.end(), out.log_records[i])) {
          return ctx.in(kScopeLogsNames, 2, i);
        }
        ++i;
        break;
      case tag(3, kLen):
        if (!readString(ctx, f, out.schema_url, kScopeLogsNames)) return false;
        break;
      default:
        if (f.number() <= 3) return ctx.wrongWireType(f, kScopeLogsNames);
    }
  }
  return true;
}

bool decodeResourceLogs(DecodeContext& ctx, const uint8_t* p, const uint8_t* end,
                        ResourceLogs& out) {
  uint32_t counts[3] = {0, 0, 0};
  countLenFields(p, end, 2, 0, 0, counts);
  size_t i = 0;
  if (counts[0] != 0) out.scope_logs = ctx.arena().allocArray<ScopeLogs>(counts[0]);
  Field f;
  while (p < end) {
    const uint8_t* at = p;
    if (ReadError e = wire::readField(p, end, f); e != ReadError::kNone) {
      return ctx.readFailed(e, f, at, kResourceLogsNames);
    }
    switch (f.tag) {
      case tag(1, kLen):
        out.has_resource = true;
        if (!decodeResource(ctx, f.data, f.end(), out.resource)) {
          return ctx.in(kResourceLogsNames, 1);
        }
        break;
      case tag(2, kLen):
        if (i >= out.scope_logs.size()) return ctx.fail(f.at, "internal: count mismatch");
        if (!decodeScopeLogs(ctx, f.data, f.end(), out.scope_logs[i])) {
          return ctx.in(kResourceLogsNames, 2, i);
        }
        ++i;
        break;
      case tag(3, kLen):
        if (!readString(ctx, f, out.schema_url, kResourceLogsNames)) return false;
        break;
      default:
        if (f.number() <= 3) return ctx.wrongWireType(f, kResourceLogsNames);
    }
  }
  return true;
}

}  // namespace

Status decode(std::string_view bytes, Logs& into) {
  DecodeContext ctx(bytes, into.arena());
  const uint8_t* p = reinterpret_cast<const uint8_t*>(bytes.data());
  const uint8_t* end = p + bytes.size();
  uint32_t counts[3] = {0, 0, 0};
  countLenFields(p, end, 1, 0, 0, counts);
  std::span<ResourceLogs> out = ctx.arena().allocArray<ResourceLogs>(counts[0]);
  size_t i = 0;
  Field f;
  while (p < end) {
    const uint8_t* at = p;
    if (ReadError e = wire::readField(p, end, f); e != ReadError::kNone) {
      ctx.readFailed(e, f, at, kRequestNames);
      return ctx.status();
    }
    if (f.tag == tag(1, kLen)) {
      if (i >= out.size()) {
        ctx.fail(f.at, "internal: count mismatch");
        return ctx.status();
      }
      if (!decodeResourceLogs(ctx, f.data, f.end(), out[i])) {
        ctx.in(kRequestNames, 1, i);
        return ctx.status();
      }
      ++i;
    } else if (f.number() == 1) {
      ctx.wrongWireType(f, kRequestNames);
      return ctx.status();
    }
  }
  into.resources().insert(into.resources().end(), out.begin(), out.end());
  return Status::ok();
}

Result<Logs> decodeLogs(std::string&& body) {
  Logs batch;
  std::string_view view = batch.arena().adopt(std::move(body));
  Status st = decode(view, batch);
  if (!st.isOk()) return st;
  return batch;
}

}  // namespace periscope::model::otlp
