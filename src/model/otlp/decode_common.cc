// Decoding of the OTLP messages shared by all signals (common.proto, resource.proto) and the
// error reporting of DecodeContext.
#include <simdjson.h>

#include <array>

#include "model/otlp/decode_context.h"
#include "model/otlp/proto_decoder.h"

namespace periscope::model::otlp {

using wire::Field;
using wire::kFixed64;
using wire::kLen;
using wire::kVarint;
using wire::ReadError;
using wire::tag;

namespace {

constexpr std::array<const char*, 8> kAnyValueNames = {
    nullptr,        "string_value", "bool_value",   "int_value",
    "double_value", "array_value",  "kvlist_value", "bytes_value"};
constexpr std::array<const char*, 2> kListNames = {nullptr, "values"};
constexpr std::array<const char*, 3> kKeyValueNames = {nullptr, "key", "value"};
constexpr std::array<const char*, 3> kResourceNames = {nullptr, "attributes",
                                                       "dropped_attributes_count"};
constexpr std::array<const char*, 5> kScopeNames = {nullptr, "name", "version", "attributes",
                                                    "dropped_attributes_count"};

bool tooDeep(DecodeContext& ctx, const uint8_t* at) {
  return ctx.fail(at, "AnyValue nesting deeper than " + std::to_string(kMaxNestingDepth));
}

// ArrayValue (values = 1) appended to `values`.
bool decodeArray(DecodeContext& ctx, const uint8_t* p, const uint8_t* end,
                 std::span<AnyValue>& values, int depth) {
  uint32_t counts[3] = {0, 0, 0};
  countLenFields(p, end, 1, 0, 0, counts);
  size_t i = values.size();
  values = extend(ctx.arena(), values, counts[0]);
  Field f;
  while (p < end) {
    const uint8_t* at = p;
    if (ReadError e = wire::readField(p, end, f); e != ReadError::kNone) {
      return ctx.readFailed(e, f, at, kListNames);
    }
    if (f.number() == 1) {
      if (f.wireType() != kLen) return ctx.wrongWireType(f, kListNames);
      if (i >= values.size()) return ctx.fail(f.at, "internal: count mismatch");
      if (!decodeAnyValue(ctx, f.data, f.end(), values[i], depth)) {
        return ctx.in(kListNames, 1, i);
      }
      ++i;
    }
  }
  return true;
}

// KeyValueList (values = 1) appended to `values`.
bool decodeKvList(DecodeContext& ctx, const uint8_t* p, const uint8_t* end,
                  std::span<KeyValue>& values, int depth) {
  uint32_t counts[3] = {0, 0, 0};
  countLenFields(p, end, 1, 0, 0, counts);
  size_t i = values.size();
  values = extend(ctx.arena(), values, counts[0]);
  Field f;
  while (p < end) {
    const uint8_t* at = p;
    if (ReadError e = wire::readField(p, end, f); e != ReadError::kNone) {
      return ctx.readFailed(e, f, at, kListNames);
    }
    if (f.number() == 1) {
      if (f.wireType() != kLen) return ctx.wrongWireType(f, kListNames);
      if (i >= values.size()) return ctx.fail(f.at, "internal: count mismatch");
      KeyValue& kv = values[i];
      // Same as decodeKeyValue, but carrying the nesting depth.
      const uint8_t* q = f.data;
      const uint8_t* qend = f.end();
      Field g;
      while (q < qend) {
        const uint8_t* gat = q;
        if (ReadError e = wire::readField(q, qend, g); e != ReadError::kNone) {
          ctx.readFailed(e, g, gat, kKeyValueNames);
          return ctx.in(kListNames, 1, i);
        }
        if (g.tag == tag(1, kLen)) {
          if (!readString(ctx, g, kv.key, kKeyValueNames)) return ctx.in(kListNames, 1, i);
        } else if (g.tag == tag(2, kLen)) {
          if (!decodeAnyValue(ctx, g.data, g.end(), kv.value, depth)) {
            ctx.in(kKeyValueNames, 2);
            return ctx.in(kListNames, 1, i);
          }
        } else if (g.number() <= 2) {
          ctx.wrongWireType(g, kKeyValueNames);
          return ctx.in(kListNames, 1, i);
        }
      }
      ++i;
    }
  }
  return true;
}

}  // namespace

bool validUtf8Slow(const uint8_t* p, size_t n) {
  return simdjson::validate_utf8(reinterpret_cast<const char*>(p), n);
}

bool decodeAnyValue(DecodeContext& ctx, const uint8_t* p, const uint8_t* end, AnyValue& out,
                    int depth) {
  if (PERISCOPE_UNLIKELY(depth > kMaxNestingDepth)) return tooDeep(ctx, p);
  if (!out.present()) out = AnyValue::empty();
  Field f;
  while (p < end) {
    const uint8_t* at = p;
    if (ReadError e = wire::readField(p, end, f); PERISCOPE_UNLIKELY(e != ReadError::kNone)) {
      return ctx.readFailed(e, f, at, kAnyValueNames);
    }
    switch (f.tag) {
      case tag(1, kLen): {
        std::string_view s;
        if (!readString(ctx, f, s, kAnyValueNames)) return false;
        out = AnyValue::string(s);
        break;
      }
      case tag(2, kVarint):
        out = AnyValue::boolean(f.value != 0);
        break;
      case tag(3, kVarint):
        out = AnyValue::integer(static_cast<int64_t>(f.value));
        break;
      case tag(4, kFixed64):
        out = AnyValue::dbl(wire::doubleOf(f.value));
        break;
      case tag(5, kLen): {
        std::span<AnyValue> values;
        if (out.type() == AnyValue::Type::kArray) values = out.arrayValues();
        if (!decodeArray(ctx, f.data, f.end(), values, depth + 1)) {
          return ctx.in(kAnyValueNames, 5);
        }
        out = AnyValue::array(values);
        break;
      }
      case tag(6, kLen): {
        std::span<KeyValue> values;
        if (out.type() == AnyValue::Type::kKvList) values = out.kvlistValues();
        if (!decodeKvList(ctx, f.data, f.end(), values, depth + 1)) {
          return ctx.in(kAnyValueNames, 6);
        }
        out = AnyValue::kvlist(values);
        break;
      }
      case tag(7, kLen):
        out = AnyValue::bytes(f.view());
        break;
      default:
        if (f.number() <= 7) return ctx.wrongWireType(f, kAnyValueNames);
    }
  }
  return true;
}

bool decodeKeyValue(DecodeContext& ctx, const uint8_t* p, const uint8_t* end, KeyValue& out) {
  Field f;
  while (p < end) {
    const uint8_t* at = p;
    if (ReadError e = wire::readField(p, end, f); PERISCOPE_UNLIKELY(e != ReadError::kNone)) {
      return ctx.readFailed(e, f, at, kKeyValueNames);
    }
    if (f.tag == tag(1, kLen)) {
      if (!readString(ctx, f, out.key, kKeyValueNames)) return false;
    } else if (f.tag == tag(2, kLen)) {
      if (!decodeAnyValue(ctx, f.data, f.end(), out.value, 1)) return ctx.in(kKeyValueNames, 2);
    } else if (f.number() <= 2) {
      return ctx.wrongWireType(f, kKeyValueNames);
    }
  }
  return true;
}

bool decodeResource(DecodeContext& ctx, const uint8_t* p, const uint8_t* end, Resource& out) {
  uint32_t counts[3] = {0, 0, 0};
  countLenFields(p, end, 1, 0, 0, counts);
  size_t i = out.attributes.size();
  out.attributes = extend(ctx.arena(), out.attributes, counts[0]);
  Field f;
  while (p < end) {
    const uint8_t* at = p;
    if (ReadError e = wire::readField(p, end, f); e != ReadError::kNone) {
      return ctx.readFailed(e, f, at, kResourceNames);
    }
    switch (f.tag) {
      case tag(1, kLen):
        if (!decodeAttribute(ctx, f, out.attributes, i, kResourceNames)) return false;
        break;
      case tag(2, kVarint):
        out.dropped_attributes_count = static_cast<uint32_t>(f.value);
        break;
      default:
        if (f.number() <= 2) return ctx.wrongWireType(f, kResourceNames);
    }
  }
  return true;
}

bool decodeScope(DecodeContext& ctx, const uint8_t* p, const uint8_t* end,
                 InstrumentationScope& out) {
  uint32_t counts[3] = {0, 0, 0};
  countLenFields(p, end, 3, 0, 0, counts);
  size_t i = out.attributes.size();
  out.attributes = extend(ctx.arena(), out.attributes, counts[0]);
  Field f;
  while (p < end) {
    const uint8_t* at = p;
    if (ReadError e = wire::readField(p, end, f); e != ReadError::kNone) {
      return ctx.readFailed(e, f, at, kScopeNames);
    }
    switch (f.tag) {
      case tag(1, kLen):
        if (!readString(ctx, f, out.name, kScopeNames)) return false;
        break;
      case tag(2, kLen):
        if (!readString(ctx, f, out.version, kScopeNames)) return false;
        break;
      case tag(3, kLen):
        if (!decodeAttribute(ctx, f, out.attributes, i, kScopeNames)) return false;
        break;
      case tag(4, kVarint):
        out.dropped_attributes_count = static_cast<uint32_t>(f.value);
        break;
      default:
        if (f.number() <= 4) return ctx.wrongWireType(f, kScopeNames);
    }
  }
  return true;
}

// ---- DecodeContext ----

std::string DecodeContext::fieldName(FieldNames names, uint32_t number) const {
  if (number < names.size() && names[number] != nullptr) return names[number];
  return "field " + std::to_string(number);
}

bool DecodeContext::fail(const uint8_t* at, std::string_view what) {
  message_.assign(what);
  message_ += " at byte ";
  message_ += std::to_string(at - base_);
  return false;
}

bool DecodeContext::readFailed(ReadError e, const Field& f, const uint8_t* at, FieldNames names) {
  switch (e) {
    case ReadError::kTruncatedTag:
      return fail(at, "truncated tag");
    case ReadError::kBadTag:
      return fail(at, "invalid tag");
    default:
      break;
  }
  path_.push_back(fieldName(names, f.number()));
  switch (e) {
    case ReadError::kTruncated:
      return fail(f.at, "truncated value");
    case ReadError::kVarintTooLong:
      return fail(f.at, "varint longer than 10 bytes");
    case ReadError::kBadLength:
      return fail(f.at, "invalid length");
    case ReadError::kLengthPastEnd:
      return fail(f.at, "length " + std::to_string(f.value) + " past end of message");
    case ReadError::kGroup:
      return fail(f.at, "group wire type " + std::to_string(f.wireType()) + " not supported");
    default:
      return fail(f.at, "invalid wire type " + std::to_string(f.wireType()));
  }
}

bool DecodeContext::wrongWireType(const Field& f, FieldNames names) {
  path_.push_back(fieldName(names, f.number()));
  return fail(f.at, "wrong wire type " + std::to_string(f.wireType()));
}

bool DecodeContext::invalidUtf8(const Field& f, FieldNames names) {
  path_.push_back(fieldName(names, f.number()));
  return fail(f.data, "invalid UTF-8");
}

bool DecodeContext::in(FieldNames names, uint32_t number, size_t index) {
  path_.push_back(fieldName(names, number) + "[" + std::to_string(index) + "]");
  return false;
}

bool DecodeContext::in(FieldNames names, uint32_t number) {
  path_.push_back(fieldName(names, number));
  return false;
}

bool DecodeContext::in(std::string_view segment) {
  path_.emplace_back(segment);
  return false;
}

Status DecodeContext::status() const {
  std::string m;
  for (auto it = path_.rbegin(); it != path_.rend(); ++it) {
    if (!m.empty()) m += '.';
    m += *it;
  }
  if (!m.empty()) m += ": ";
  m += message_;
  return invalidArgument(std::move(m));
}

}  // namespace periscope::model::otlp
