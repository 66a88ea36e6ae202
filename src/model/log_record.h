// Log records as decoded from OTLP; strings and arrays live in an arena.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "model/any_value.h"
#include "model/resource.h"

namespace periscope::model {

struct LogRecord {
  uint64_t time_unix_nano = 0;
  uint64_t observed_time_unix_nano = 0;
  int32_t severity_number = 0;  // 1..24 per the OTLP SeverityNumber enum; open enum
  std::string_view severity_text;
  AnyValue body;  // kAbsent when the record has no body
  Attributes attributes;
  uint32_t dropped_attributes_count = 0;
  uint32_t flags = 0;
  std::string_view trace_id;
  std::string_view span_id;
  std::string_view event_name;
};

struct ScopeLogs {
  bool has_scope = false;
  InstrumentationScope scope;
  std::span<LogRecord> log_records;
  std::string_view schema_url;
};

struct ResourceLogs {
  bool has_resource = false;
  Resource resource;
  std::span<ScopeLogs> scope_logs;
  std::string_view schema_url;
};

}  // namespace periscope::model
