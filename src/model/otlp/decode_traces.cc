// Decoding of ExportTraceServiceRequest / TracesData (trace.proto) into model::Traces.
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

constexpr std::array<const char*, 2> kRequestNames = {nullptr, "resource_spans"};
constexpr std::array<const char*, 4> kResourceSpansNames = {nullptr, "resource", "scope_spans",
                                                            "schema_url"};
constexpr std::array<const char*, 4> kScopeSpansNames = {nullptr, "scope", "spans", "schema_url"};
constexpr std::array<const char*, 17> kSpanNames = {nullptr,
                                                    "trace_id",
                                                    "span_id",
                                                    "trace_state",
                                                    "parent_span_id",
                                                    "name",
                                                    "kind",
                                                    "start_time_unix_nano",
                                                    "end_time_unix_nano",
                                                    "attributes",
                                                    "dropped_attributes_count",
                                                    "events",
                                                    "dropped_events_count",
                                                    "links",
                                                    "dropped_links_count",
                                                    "status",
                                                    "flags"};
constexpr std::array<const char*, 5> kEventNames = {nullptr, "time_unix_nano", "name", "attributes",
                                                    "dropped_attributes_count"};
constexpr std::array<const char*, 7> kLinkNames = {
    nullptr, "trace_id", "span_id", "trace_state", "attributes", "dropped_attributes_count",
    "flags"};
constexpr std::array<const char*, 4> kStatusNames = {nullptr, nullptr, "message", "code"};

bool decodeEvent(DecodeContext& ctx, const uint8_t* p, const uint8_t* end, SpanEvent& out) {
  uint32_t counts[3] = {0, 0, 0};
  countLenFields(p, end, 3, 0, 0, counts);
  size_t a = out.attributes.size();
  out.attributes = extend(ctx.arena(), out.attributes, counts[0]);
  Field f;
  while (p < end) {
    const uint8_t* at = p;
    if (ReadError e = wire::readField(p, end, f); e != ReadError::kNone) {
      return ctx.readFailed(e, f, at, kEventNames);
    }
    switch (f.tag) {
      case tag(1, kFixed64):
        out.time_unix_nano = f.value;
        break;
      case tag(2, kLen):
        if (!readString(ctx, f, out.name, kEventNames)) return false;
        break;
      case tag(3, kLen):
        if (!decodeAttribute(ctx, f, out.attributes, a, kEventNames)) return false;
        break;
      case tag(4, kVarint):
        out.dropped_attributes_count = static_cast<uint32_t>(f.value);
        break;
      default:
        if (f.number() <= 4) return ctx.wrongWireType(f, kEventNames);
    }
  }
  return true;
}

bool decodeLink(DecodeContext& ctx, const uint8_t* p, const uint8_t* end, SpanLink& out) {
  uint32_t counts[3] = {0, 0, 0};
  countLenFields(p, end, 4, 0, 0, counts);
  size_t a = out.attributes.size();
  out.attributes = extend(ctx.arena(), out.attributes, counts[0]);
  Field f;
  while (p < end) {
    const uint8_t* at = p;
    if (ReadError e = wire::readField(p, end, f); e != ReadError::kNone) {
      return ctx.readFailed(e, f, at, kLinkNames);
    }
    switch (f.tag) {
      case tag(1, kLen):
        out.trace_id = f.view();
        break;
      case tag(2, kLen):
        out.span_id = f.view();
        break;
      case tag(3, kLen):
        if (!readString(ctx, f, out.trace_state, kLinkNames)) return false;
        break;
      case tag(4, kLen):
        if (!decodeAttribute(ctx, f, out.attributes, a, kLinkNames)) return false;
        break;
      case tag(5, kVarint):
        out.dropped_attributes_count = static_cast<uint32_t>(f.value);
        break;
      case tag(6, kFixed32):
        out.flags = static_cast<uint32_t>(f.value);
        break;
      default:
        if (f.number() <= 6) return ctx.wrongWireType(f, kLinkNames);
    }
  }
  return true;
}

bool decodeStatus(DecodeContext& ctx, const uint8_t* p, const uint8_t* end, Span& span) {
  Field f;
  while (p < end) {
    const uint8_t* at = p;
    if (ReadError e = wire::readField(p, end, f); e != ReadError::kNone) {
      return ctx.readFailed(e, f, at, kStatusNames);
    }
    switch (f.tag) {
      case tag(2, kLen):
        if (!readString(ctx, f, span.status.message, kStatusNames)) return false;
        break;
      case tag(3, kVarint): {
        int32_t raw = static_cast<int32_t>(f.value);
        span.status_code_raw = raw;
        span.status.code = raw >= 0 && raw <= 2 ? static_cast<StatusCode>(raw) : StatusCode::kUnset;
        break;
      }
      default:
        if (f.number() == 2 || f.number() == 3) return ctx.wrongWireType(f, kStatusNames);
    }
  }
  return true;
}

// Sizes a span's events and links arrays from the first of either field to the span's end.
void countEventsAndLinks(Arena& arena, const uint8_t* from, const uint8_t* end, Span& out,
                         bool& counted) {
  uint32_t counts[3] = {0, 0, 0};
  countLenFields(from, end, 11, 13, 0, counts);
  if (counts[0] != 0) out.events = arena.allocArray<SpanEvent>(counts[0]);
  if (counts[1] != 0) out.links = arena.allocArray<SpanLink>(counts[1]);
  counted = true;
}

// Spans are the hot path: attributes are collected in a stack buffer and copied to the arena
// once the span is read, so the span's fields are walked once rather than counted first.
// Events and links (rare) are counted from their first occurrence on.
constexpr size_t kSpanScratchAttributes = 64;

bool decodeSpan(DecodeContext& ctx, const uint8_t* p, const uint8_t* end, Span& out) {
  Arena& arena = ctx.arena();
  const uint8_t* const start = p;
  // Left uninitialised (a union with an empty constructor): slots are written before use.
  union Scratch {
    Scratch() {}
    KeyValue kv[kSpanScratchAttributes];
  } scratch;
  std::span<KeyValue> attrs(scratch.kv, kSpanScratchAttributes);
  bool attrs_in_arena = false;
  bool counted_events_and_links = false;
  size_t a = 0, ev = 0, ln = 0;
  Field f;
  while (p < end) {
    const uint8_t* at = p;
    if (ReadError e = wire::readField(p, end, f); PERISCOPE_UNLIKELY(e != ReadError::kNone)) {
      return ctx.readFailed(e, f, at, kSpanNames);
    }
    switch (f.tag) {
      case tag(1, kLen):
        out.trace_id = f.view();
        break;
      case tag(2, kLen):
        out.span_id = f.view();
        break;
      case tag(3, kLen):
        if (!readString(ctx, f, out.trace_state, kSpanNames)) return false;
        break;
      case tag(4, kLen):
        out.parent_span_id = f.view();
        break;
      case tag(5, kLen):
        if (!readString(ctx, f, out.name, kSpanNames)) return false;
        break;
      case tag(6, kVarint):
        out.kind = static_cast<int32_t>(f.value);
        break;
      case tag(7, kFixed64):
        out.start_time_unix_nano = f.value;
        break;
      case tag(8, kFixed64):
        out.end_time_unix_nano = f.value;
        break;
      case tag(9, kLen):
        if (PERISCOPE_UNLIKELY(a == attrs.size() && !attrs_in_arena)) {
          // More attributes than the buffer holds: count them all and continue in the arena.
          uint32_t counts[3] = {0, 0, 0};
          countLenFields(start, end, 9, 0, 0, counts);
          std::span<KeyValue> all = arena.allocArray<KeyValue>(counts[0]);
          std::copy(attrs.begin(), attrs.end(), all.begin());
          attrs = all;
          attrs_in_arena = true;
        }
        if (!decodeAttribute(ctx, f, attrs, a, kSpanNames)) return false;
        break;
      case tag(10, kVarint):
        out.dropped_attributes_count = static_cast<uint32_t>(f.value);
        break;
      case tag(11, kLen):
        if (!counted_events_and_links)
          countEventsAndLinks(arena, at, end, out, counted_events_and_links);
        if (ev >= out.events.size()) return ctx.fail(f.at, "internal: count mismatch");
        if (!decodeEvent(ctx, f.data, f.end(), out.events[ev])) return ctx.in(kSpanNames, 11, ev);
        ++ev;
        break;
      case tag(12, kVarint):
        out.dropped_events_count = static_cast<uint32_t>(f.value);
        break;
      case tag(13, kLen):
        if (!counted_events_and_links)
          countEventsAndLinks(arena, at, end, out, counted_events_and_links);
        if (ln >= out.links.size()) return ctx.fail(f.at, "internal: count mismatch");
        if (!decodeLink(ctx, f.data, f.end(), out.links[ln])) return ctx.in(kSpanNames, 13, ln);
        ++ln;
        break;
      case tag(14, kVarint):
        out.dropped_links_count = static_cast<uint32_t>(f.value);
        break;
      case tag(15, kLen):
        out.has_status = true;
        if (!decodeStatus(ctx, f.data, f.end(), out)) return ctx.in(kSpanNames, 15);
        break;
      case tag(16, kFixed32):
        out.flags = static_cast<uint32_t>(f.value);
        break;
      default:
        if (f.number() <= 16) return ctx.wrongWireType(f, kSpanNames);
    }
  }
  out.attributes =
      attrs_in_arena ? attrs.first(a) : arena.copyArray(std::span<const KeyValue>(scratch.kv, a));
  return true;
}

bool decodeScopeSpans(DecodeContext& ctx, const uint8_t* p, const uint8_t* end, ScopeSpans& out) {
  return decodeGroup<&ScopeSpans::has_scope, &ScopeSpans::scope, &ScopeSpans::spans, decodeScope,
                     decodeSpan>(ctx, p, end, out, kScopeSpansNames);
}

bool decodeResourceSpans(DecodeContext& ctx, const uint8_t* p, const uint8_t* end,
                         ResourceSpans& out) {
  return decodeGroup<&ResourceSpans::has_resource, &ResourceSpans::resource,
                     &ResourceSpans::scope_spans, decodeResource, decodeScopeSpans>(
      ctx, p, end, out, kResourceSpansNames);
}

}  // namespace

Status decode(std::string_view bytes, Traces& into) {
  return decodeRequest<decodeResourceSpans>(bytes, into, kRequestNames);
}

Result<Traces> decodeTraces(std::string&& body) {
  return decodeOwned<Traces>(std::move(body));
}

}  // namespace periscope::model::otlp
