// Encoding of model::Traces as ExportTraceServiceRequest (trace.proto).
#include "model/otlp/encode_context.h"
#include "model/otlp/proto_encoder.h"

namespace periscope::model::otlp {

namespace {

int32_t statusCode(const Span& s) {
  // Out-of-range codes survive as received; in-range ones follow `status.code`, which
  // processors may have changed.
  if (s.status_code_raw < 0 || s.status_code_raw > 2) return s.status_code_raw;
  return static_cast<int32_t>(s.status.code);
}

size_t statusBody(const Span& s) {
  return stringFieldSize(2, s.status.message) + varintFieldSize(3, wire::int32Wire(statusCode(s)));
}

size_t sizeEvent(const SpanEvent& e, SizeTable& sizes) {
  size_t slot = sizes.reserve();
  size_t n = fixed64FieldSize(1, e.time_unix_nano) + stringFieldSize(2, e.name) +
             sizeAttributes(3, e.attributes, sizes) +
             varintFieldSize(4, e.dropped_attributes_count);
  return sizes.set(slot, n);
}

uint8_t* writeEvent(uint8_t* p, const SpanEvent& e, SizeTable& sizes) {
  p = writeFixed64Field(p, 1, e.time_unix_nano);
  p = writeStringField(p, 2, e.name);
  p = writeAttributes(p, 3, e.attributes, sizes);
  return writeVarintField(p, 4, e.dropped_attributes_count);
}

size_t sizeLink(const SpanLink& l, SizeTable& sizes) {
  size_t slot = sizes.reserve();
  size_t n = stringFieldSize(1, l.trace_id) + stringFieldSize(2, l.span_id) +
             stringFieldSize(3, l.trace_state) + sizeAttributes(4, l.attributes, sizes) +
             varintFieldSize(5, l.dropped_attributes_count) + fixed32FieldSize(6, l.flags);
  return sizes.set(slot, n);
}

uint8_t* writeLink(uint8_t* p, const SpanLink& l, SizeTable& sizes) {
  p = writeStringField(p, 1, l.trace_id);
  p = writeStringField(p, 2, l.span_id);
  p = writeStringField(p, 3, l.trace_state);
  p = writeAttributes(p, 4, l.attributes, sizes);
  p = writeVarintField(p, 5, l.dropped_attributes_count);
  return writeFixed32Field(p, 6, l.flags);
}

size_t sizeSpan(const Span& s, SizeTable& sizes) {
  size_t slot = sizes.reserve();
  size_t n = stringFieldSize(1, s.trace_id) + stringFieldSize(2, s.span_id) +
             stringFieldSize(3, s.trace_state) + stringFieldSize(4, s.parent_span_id) +
             stringFieldSize(5, s.name) + varintFieldSize(6, wire::int32Wire(s.kind)) +
             fixed64FieldSize(7, s.start_time_unix_nano) +
             fixed64FieldSize(8, s.end_time_unix_nano) + sizeAttributes(9, s.attributes, sizes) +
             varintFieldSize(10, s.dropped_attributes_count);
  for (const SpanEvent& e : s.events) n += lenFieldSize(11, sizeEvent(e, sizes));
  n += varintFieldSize(12, s.dropped_events_count);
  for (const SpanLink& l : s.links) n += lenFieldSize(13, sizeLink(l, sizes));
  n += varintFieldSize(14, s.dropped_links_count);
  if (s.has_status) n += lenFieldSize(15, statusBody(s));
  n += fixed32FieldSize(16, s.flags);
  return sizes.set(slot, n);
}

uint8_t* writeSpan(uint8_t* p, const Span& s, SizeTable& sizes) {
  p = writeStringField(p, 1, s.trace_id);
  p = writeStringField(p, 2, s.span_id);
  p = writeStringField(p, 3, s.trace_state);
  p = writeStringField(p, 4, s.parent_span_id);
  p = writeStringField(p, 5, s.name);
  p = writeVarintField(p, 6, wire::int32Wire(s.kind));
  p = writeFixed64Field(p, 7, s.start_time_unix_nano);
  p = writeFixed64Field(p, 8, s.end_time_unix_nano);
  p = writeAttributes(p, 9, s.attributes, sizes);
  p = writeVarintField(p, 10, s.dropped_attributes_count);
  for (const SpanEvent& e : s.events) {
    p = writeLenPrefix(p, 11, sizes.take());
    p = writeEvent(p, e, sizes);
  }
  p = writeVarintField(p, 12, s.dropped_events_count);
  for (const SpanLink& l : s.links) {
    p = writeLenPrefix(p, 13, sizes.take());
    p = writeLink(p, l, sizes);
  }
  p = writeVarintField(p, 14, s.dropped_links_count);
  if (s.has_status) {
    p = writeLenPrefix(p, 15, statusBody(s));
    p = writeStringField(p, 2, s.status.message);
    p = writeVarintField(p, 3, wire::int32Wire(statusCode(s)));
  }
  return writeFixed32Field(p, 16, s.flags);
}

size_t sizeScopeSpans(const ScopeSpans& ss, SizeTable& sizes) {
  size_t slot = sizes.reserve();
  size_t n = ss.has_scope ? lenFieldSize(1, sizeScope(ss.scope, sizes)) : 0;
  for (const Span& s : ss.spans) n += lenFieldSize(2, sizeSpan(s, sizes));
  n += stringFieldSize(3, ss.schema_url);
  return sizes.set(slot, n);
}

uint8_t* writeScopeSpans(uint8_t* p, const ScopeSpans& ss, SizeTable& sizes) {
  if (ss.has_scope) {
    p = writeLenPrefix(p, 1, sizes.take());
    p = writeScope(p, ss.scope, sizes);
  }
  for (const Span& s : ss.spans) {
    p = writeLenPrefix(p, 2, sizes.take());
    p = writeSpan(p, s, sizes);
  }
  return writeStringField(p, 3, ss.schema_url);
}

size_t sizeResourceSpans(const ResourceSpans& rs, SizeTable& sizes) {
  size_t slot = sizes.reserve();
  size_t n = rs.has_resource ? lenFieldSize(1, sizeResource(rs.resource, sizes)) : 0;
  for (const ScopeSpans& ss : rs.scope_spans) n += lenFieldSize(2, sizeScopeSpans(ss, sizes));
  n += stringFieldSize(3, rs.schema_url);
  return sizes.set(slot, n);
}

uint8_t* writeResourceSpans(uint8_t* p, const ResourceSpans& rs, SizeTable& sizes) {
  if (rs.has_resource) {
    p = writeLenPrefix(p, 1, sizes.take());
    p = writeResource(p, rs.resource, sizes);
  }
  for (const ScopeSpans& ss : rs.scope_spans) {
    p = writeLenPrefix(p, 2, sizes.take());
    p = writeScopeSpans(p, ss, sizes);
  }
  return writeStringField(p, 3, rs.schema_url);
}

}  // namespace

void encode(const Traces& batch, std::string& out) {
  SizeTable sizes(sizeScratch());
  size_t total = 0;
  for (const ResourceSpans& rs : batch.resources()) {
    total += lenFieldSize(1, sizeResourceSpans(rs, sizes));
  }
  uint8_t* p = growBy(out, total);
  for (const ResourceSpans& rs : batch.resources()) {
    p = writeLenPrefix(p, 1, sizes.take());
    p = writeResourceSpans(p, rs, sizes);
  }
}

}  // namespace periscope::model::otlp
