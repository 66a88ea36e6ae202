// Spans as decoded from OTLP: plain structs whose strings and arrays live in an arena.
// Ids are raw bytes as received; validation (16/8-byte lengths) happens in model/validate.h so
// that a bad span can be rejected alone (OTLP partial success) instead of the whole request.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "model/any_value.h"
#include "model/resource.h"

namespace periscope::model {

enum class SpanKind : uint8_t {
  kUnspecified = 0,
  kInternal = 1,
  kServer = 2,
  kClient = 3,
  kProducer = 4,
  kConsumer = 5
};
enum class StatusCode : uint8_t { kUnset = 0, kOk = 1, kError = 2 };

struct SpanEvent {
  uint64_t time_unix_nano = 0;
  std::string_view name;
  Attributes attributes;
  uint32_t dropped_attributes_count = 0;
};

struct SpanLink {
  std::string_view trace_id;
  std::string_view span_id;
  std::string_view trace_state;
  Attributes attributes;
  uint32_t dropped_attributes_count = 0;
  uint32_t flags = 0;
};

struct SpanStatus {
  std::string_view message;
  StatusCode code = StatusCode::kUnset;
};

struct Span {
  std::string_view trace_id;
  std::string_view span_id;
  std::string_view trace_state;
  std::string_view parent_span_id;
  uint32_t flags = 0;
  // Out-of-range enum values are kept as received (proto3 open enums).
  int32_t kind = 0;
  std::string_view name;
  uint64_t start_time_unix_nano = 0;
  uint64_t end_time_unix_nano = 0;
  Attributes attributes;
  uint32_t dropped_attributes_count = 0;
  std::span<SpanEvent> events;
  uint32_t dropped_events_count = 0;
  std::span<SpanLink> links;
  uint32_t dropped_links_count = 0;
  bool has_status = false;
  SpanStatus status;
  int32_t status_code_raw = 0;  // status.code as received, for open-enum round trips
};

struct ScopeSpans {
  bool has_scope = false;
  InstrumentationScope scope;
  std::span<Span> spans;
  std::string_view schema_url;
};

struct ResourceSpans {
  bool has_resource = false;
  Resource resource;
  std::span<ScopeSpans> scope_spans;
  std::string_view schema_url;
};

}  // namespace periscope::model
