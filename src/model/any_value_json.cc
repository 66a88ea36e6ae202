#include "model/any_value_json.h"

#include <charconv>
#include <cmath>

#include "model/otlp/json_bytes.h"

namespace periscope::model {

void appendJsonString(std::string_view s, std::string& out) {
  out += '"';
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\u00";
      out += kHex[(c >> 4) & 0xf];
      out += kHex[c & 0xf];
    } else {
      out += c;
    }
  }
  out += '"';
}

void appendCompactJson(const AnyValue& v, std::string& out) {
  char buf[32];
  switch (v.type()) {
    case AnyValue::Type::kString:
      appendJsonString(v.str(), out);
      return;
    case AnyValue::Type::kBytes:
      out += '"';
      otlp::appendBase64(v.str(), out);
      out += '"';
      return;
    case AnyValue::Type::kBool:
      out += v.boolValue() ? "true" : "false";
      return;
    case AnyValue::Type::kInt: {
      auto r = std::to_chars(buf, buf + sizeof buf, v.intValue());
      out.append(buf, r.ptr);
      return;
    }
    case AnyValue::Type::kDouble: {
      double d = v.doubleValue();
      if (std::isnan(d)) {
        out += "\"NaN\"";
      } else if (std::isinf(d)) {
        out += d > 0 ? "\"Infinity\"" : "\"-Infinity\"";
      } else {
        auto r = std::to_chars(buf, buf + sizeof buf, d);
        out.append(buf, r.ptr);
      }
      return;
    }
    case AnyValue::Type::kArray: {
      out += '[';
      bool first = true;
      for (const AnyValue& e : v.arrayValues()) {
        if (!first) out += ',';
        first = false;
        appendCompactJson(e, out);
      }
      out += ']';
      return;
    }
    case AnyValue::Type::kKvList: {
      out += '{';
      bool first = true;
      for (const KeyValue& kv : v.kvlistValues()) {
        if (!first) out += ',';
        first = false;
        appendJsonString(kv.key, out);
        out += ':';
        appendCompactJson(kv.value, out);
      }
      out += '}';
      return;
    }
    case AnyValue::Type::kAbsent:
    case AnyValue::Type::kEmpty:
      out += "null";
      return;
  }
}

}  // namespace periscope::model
