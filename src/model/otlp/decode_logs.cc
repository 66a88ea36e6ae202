// Decoding of ExportLogsServiceRequest / LogsData (logs.proto) into model::Logs.
#include <array>

#include "model/otlp/decode_context.h"
#include "model/otlp/decode_envelope.h"
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
  return decodeGroup<&ScopeLogs::has_scope, &ScopeLogs::scope, &ScopeLogs::log_records, decodeScope,
                     decodeLogRecord>(ctx, p, end, out, kScopeLogsNames);
}

bool decodeResourceLogs(DecodeContext& ctx, const uint8_t* p, const uint8_t* end,
                        ResourceLogs& out) {
  return decodeGroup<&ResourceLogs::has_resource, &ResourceLogs::resource,
                     &ResourceLogs::scope_logs, decodeResource, decodeScopeLogs>(
      ctx, p, end, out, kResourceLogsNames);
}

}  // namespace

Status decode(std::string_view bytes, Logs& into) {
  return decodeRequest<decodeResourceLogs>(bytes, into, kRequestNames);
}

Result<Logs> decodeLogs(std::string&& body) {
  return decodeOwned<Logs>(std::move(body));
}

}  // namespace periscope::model::otlp
