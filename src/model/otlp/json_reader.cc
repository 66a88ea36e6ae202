#include "model/otlp/json_reader.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

#include "model/otlp/json_bytes.h"
#include "model/otlp/json_decoder.h"

namespace periscope::model::otlp {
namespace {

std::string_view typeName(od::json_type t) {
  switch (t) {
    case od::json_type::array:
      return "array";
    case od::json_type::object:
      return "object";
    case od::json_type::number:
      return "number";
    case od::json_type::string:
      return "string";
    case od::json_type::boolean:
      return "boolean";
    case od::json_type::null:
      return "null";
  }
  return "?";
}

bool isJsonSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

template <typename T>
bool parseWhole(std::string_view s, T& out) {
  if (s.empty()) return false;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

// Integers written as numbers with a fraction or exponent ("1e9", "5.0") are accepted when
// they are integral and in range, as libprotobuf's JSON parser does.
bool integralDouble(od::value& v, double lo, double hi, double& out) {
  double d = 0;
  if (v.get_double().get(d)) return false;
  if (!(d >= lo && d < hi) || std::floor(d) != d) return false;
  out = d;
  return true;
}

}  // namespace

bool JsonReader::fail(std::string_view what) {
  error_.assign(what);
  return false;
}

bool JsonReader::fail(simdjson::error_code code) {
  error_ = "invalid JSON: ";
  error_ += simdjson::error_message(code);
  return false;
}

Status JsonReader::status() const {
  std::string msg;
  for (int i = 0; i < depth_ && i < kMaxFrames; ++i) {
    const Frame& f = frames_[i];
    if (!msg.empty()) msg += '.';
    msg += f.name;
    if (f.index >= 0) {
      msg += '[';
      msg += std::to_string(f.index);
      msg += ']';
    }
  }
  if (!msg.empty()) msg += ": ";
  msg += error_.empty() ? std::string("invalid OTLP/JSON") : error_;
  return invalidArgument(std::move(msg));
}

bool JsonReader::expect(od::value& v, od::json_type want) {
  od::json_type t;
  if (auto e = v.type().get(t)) return fail(e);
  if (t == want) return true;
  std::string msg = "expected ";
  msg += typeName(want);
  msg += ", got ";
  msg += typeName(t);
  return fail(msg);
}

bool JsonReader::stringBody(od::value& v, std::string_view& out) {
  std::string_view raw = v.raw_json_token();
  while (!raw.empty() && isJsonSpace(raw.back())) raw.remove_suffix(1);
  if (raw.size() < 2 || raw.front() != '"' || raw.back() != '"') return fail("malformed string");
  std::string_view body = raw.substr(1, raw.size() - 2);
  if (std::memchr(body.data(), '\\', body.size()) == nullptr) {
    // Consumed, not only looked at: see fields() for what skipping an unread string accepts.
    od::raw_json_string consumed;
    if (auto e = v.get_raw_json_string().get(consumed)) return fail(e);
    out = body;  // stage 1 of simdjson has validated UTF-8 and rejected raw control characters
    return true;
  }
  std::string_view unescaped;
  if (auto e = v.get_string().get(unescaped)) return fail(e);
  out = arena_.copy(unescaped);
  return true;
}

bool JsonReader::str(od::value& v, std::string_view& out) {
  return expect(v, od::json_type::string) && stringBody(v, out);
}

bool JsonReader::id(od::value& v, std::string_view& out) {
  std::string_view hex;
  if (!str(v, hex)) return false;
  if (hex.empty()) {
    out = {};
    return true;
  }
  if (hex.size() % 2 != 0) return fail("invalid hex (odd length)");
  char* buf = static_cast<char*>(arena_.allocate(hex.size() / 2, 1));
  if (!decodeHex(hex, buf)) return fail("invalid hex");
  out = {buf, hex.size() / 2};
  return true;
}

bool JsonReader::bytes(od::value& v, std::string_view& out) {
  std::string_view b64;
  if (!str(v, b64)) return false;
  if (b64.empty()) {
    out = {};
    return true;
  }
  char* buf = static_cast<char*>(arena_.allocate(base64DecodedMaxSize(b64.size()), 1));
  size_t n = 0;
  if (!decodeBase64(b64, buf, n)) return fail("invalid base64");
  out = {buf, n};
  return true;
}

bool JsonReader::u64(od::value& v, uint64_t& out) {
  od::json_type t;
  if (auto e = v.type().get(t)) return fail(e);
  if (t == od::json_type::number) {
    if (!v.get_uint64().get(out)) return true;
    double d = 0;
    if (!integralDouble(v, 0, 18446744073709551616.0, d)) return fail("invalid unsigned integer");
    out = static_cast<uint64_t>(d);
    return true;
  }
  if (t != od::json_type::string) return expect(v, od::json_type::number);
  std::string_view s;
  if (!stringBody(v, s)) return false;
  if (!parseWhole(s, out)) return fail("invalid unsigned integer");
  return true;
}

bool JsonReader::i64(od::value& v, int64_t& out) {
  od::json_type t;
  if (auto e = v.type().get(t)) return fail(e);
  if (t == od::json_type::number) {
    if (!v.get_int64().get(out)) return true;
    double d = 0;
    if (!integralDouble(v, -9223372036854775808.0, 9223372036854775808.0, d)) {
      return fail("invalid integer");
    }
    out = static_cast<int64_t>(d);
    return true;
  }
  if (t != od::json_type::string) return expect(v, od::json_type::number);
  std::string_view s;
  if (!stringBody(v, s)) return false;
  if (!parseWhole(s, out)) return fail("invalid integer");
  return true;
}

bool JsonReader::u32(od::value& v, uint32_t& out) {
  uint64_t x = 0;
  if (!u64(v, x)) return false;
  if (x > std::numeric_limits<uint32_t>::max()) return fail("integer out of range for uint32");
  out = static_cast<uint32_t>(x);
  return true;
}

bool JsonReader::i32(od::value& v, int32_t& out) {
  int64_t x = 0;
  if (!i64(v, x)) return false;
  if (x < std::numeric_limits<int32_t>::min() || x > std::numeric_limits<int32_t>::max()) {
    return fail("integer out of range for int32");
  }
  out = static_cast<int32_t>(x);
  return true;
}

bool JsonReader::enumeration(od::value& v, std::span<const std::string_view> names, int32_t& out) {
  od::json_type t;
  if (auto e = v.type().get(t)) return fail(e);
  if (t != od::json_type::string) return i32(v, out);
  std::string_view s;
  if (!stringBody(v, s)) return false;
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == s) {
      out = static_cast<int32_t>(i);
      return true;
    }
  }
  if (parseWhole(s, out)) return true;
  return fail("unknown enum value");
}

bool JsonReader::dbl(od::value& v, double& out) {
  od::json_type t;
  if (auto e = v.type().get(t)) return fail(e);
  if (t == od::json_type::number) {
    if (v.get_double().get(out)) return fail("invalid number");
    return true;
  }
  if (t != od::json_type::string) return expect(v, od::json_type::number);
  std::string_view s;
  if (!stringBody(v, s)) return false;
  if (s == "NaN") {
    out = std::numeric_limits<double>::quiet_NaN();
  } else if (s == "Infinity") {
    out = std::numeric_limits<double>::infinity();
  } else if (s == "-Infinity") {
    out = -std::numeric_limits<double>::infinity();
  } else if (!parseWhole(s, out) || !std::isfinite(out)) {
    return fail("invalid number");
  }
  return true;
}

bool JsonReader::boolean(od::value& v, bool& out) {
  if (!expect(v, od::json_type::boolean)) return false;
  if (auto e = v.get_bool().get(out)) return fail(e);
  return true;
}

bool JsonReader::anyValue(od::value& v, AnyValue& out, int depth) {
  if (depth > kMaxJsonNestingDepth) return fail("AnyValue nesting deeper than 100 levels");
  out = AnyValue::empty();
  return object(v, [&](std::string_view key, od::value& f) {
    if (is(key, "stringValue", "string_value")) {
      std::string_view s;
      if (!str("stringValue", f, s)) return false;
      out = AnyValue::string(s);
    } else if (is(key, "boolValue", "bool_value")) {
      bool b = false;
      if (!field("boolValue", [&] { return boolean(f, b); })) return false;
      out = AnyValue::boolean(b);
    } else if (is(key, "intValue", "int_value")) {
      int64_t i = 0;
      if (!field("intValue", [&] { return i64(f, i); })) return false;
      out = AnyValue::integer(i);
    } else if (is(key, "doubleValue", "double_value")) {
      double d = 0;
      if (!dbl("doubleValue", f, d)) return false;
      out = AnyValue::dbl(d);
    } else if (is(key, "bytesValue", "bytes_value")) {
      std::string_view b;
      if (!field("bytesValue", [&] { return bytes(f, b); })) return false;
      out = AnyValue::bytes(b);
    } else if (is(key, "arrayValue", "array_value")) {
      std::span<AnyValue> values;
      bool ok = field("arrayValue", [&] {
        return object(f, [&](std::string_view k, od::value& vals) {
          if (k != "values") return true;
          return array(vals, "values", values,
                       [&](AnyValue& e, od::value& ev) { return anyValue(ev, e, depth + 1); });
        });
      });
      if (!ok) return false;
      out = AnyValue::array(values);
    } else if (is(key, "kvlistValue", "kvlist_value")) {
      std::span<KeyValue> values;
      bool ok = field("kvlistValue", [&] {
        return object(f, [&](std::string_view k, od::value& vals) {
          if (k != "values") return true;
          return array(vals, "values", values,
                       [&](KeyValue& e, od::value& ev) { return keyValue(ev, e, depth + 1); });
        });
      });
      if (!ok) return false;
      out = AnyValue::kvlist(values);
    }
    return true;
  });
}

bool JsonReader::skipUnknown(od::value& v, int depth) {
  if (depth > kMaxJsonNestingDepth) return fail("unknown field nested deeper than 100 levels");
  od::json_type t;
  if (auto e = v.type().get(t)) return fail(e);
  if (t == od::json_type::object) {
    od::object obj;
    if (auto e = v.get_object().get(obj)) return fail(e);
    for (auto member : obj) {
      od::field f;
      if (auto e = std::move(member).get(f)) return fail(e);
      std::string_view key;  // unescaped, so that invalid escapes are rejected
      if (auto e = f.unescaped_key().get(key)) return fail(e);
      if (!skipUnknown(f.value(), depth + 1)) return false;
    }
  } else if (t == od::json_type::array) {
    od::array arr;
    if (auto e = v.get_array().get(arr)) return fail(e);
    for (auto elem : arr) {
      od::value ev;
      if (auto e = std::move(elem).get(ev)) return fail(e);
      if (!skipUnknown(ev, depth + 1)) return false;
    }
  } else if (t == od::json_type::string) {
    std::string_view s;  // unescaped, so that invalid escapes are rejected too
    if (auto e = v.get_string().get(s)) return fail(e);
  } else if (t == od::json_type::number) {
    double d = 0;  // not get_number(): it rejects integers beyond 64 bits
    if (auto e = v.get_double().get(d)) return fail(e);
  } else if (t == od::json_type::boolean) {
    bool b = false;
    if (auto e = v.get_bool().get(b)) return fail(e);
  } else {
    bool null = false;  // type() only looked at the 'n'
    if (auto e = v.is_null().get(null)) return fail(e);
    if (!null) return fail("invalid JSON: malformed null");
  }
  return true;
}

bool JsonReader::keyValue(od::value& v, KeyValue& out, int depth) {
  return object(v, [&](std::string_view key, od::value& f) {
    if (key == "key") return str("key", f, out.key);
    if (key == "value") return field("value", [&] { return anyValue(f, out.value, depth); });
    return true;
  });
}

bool JsonReader::attributes(od::value& v, std::string_view name, Attributes& out, int depth) {
  return array(v, name, out,
               [&](KeyValue& kv, od::value& ev) { return keyValue(ev, kv, depth + 1); });
}

bool JsonReader::resource(od::value& v, Resource& out) {
  return object(v, [&](std::string_view key, od::value& f) {
    if (key == "attributes") return attributes(f, "attributes", out.attributes);
    if (is(key, "droppedAttributesCount", "dropped_attributes_count")) {
      return u32("droppedAttributesCount", f, out.dropped_attributes_count);
    }
    return true;
  });
}

bool JsonReader::scope(od::value& v, InstrumentationScope& out) {
  return object(v, [&](std::string_view key, od::value& f) {
    if (key == "name") return str("name", f, out.name);
    if (key == "version") return str("version", f, out.version);
    if (key == "attributes") return attributes(f, "attributes", out.attributes);
    if (is(key, "droppedAttributesCount", "dropped_attributes_count")) {
      return u32("droppedAttributesCount", f, out.dropped_attributes_count);
    }
    return true;
  });
}

}  // namespace periscope::model::otlp
