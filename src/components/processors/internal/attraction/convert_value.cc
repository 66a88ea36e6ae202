#include "components/processors/internal/attraction/convert_value.h"

#include <charconv>
#include <cmath>
#include <limits>

#include "model/any_value_json.h"

namespace periscope::components::attraction {
namespace {

using model::AnyValue;

int64_t truncateToInt(double d) {
  // Go's int64(f) on amd64 (CVTTSD2SI) yields INT64_MIN for NaN and out-of-range values.
  if (std::isnan(d) || d >= 9223372036854775808.0 || d < -9223372036854775808.0) {
    return std::numeric_limits<int64_t>::min();
  }
  return static_cast<int64_t>(d);
}

// strconv.ParseInt(s, 10, 64).
bool parseInt(std::string_view s, int64_t& out) {
  if (s.empty()) return false;
  size_t pos = s[0] == '+' ? 1 : 0;  // from_chars takes '-' but not '+'
  if (pos == 1 && (s.size() == 1 || s[1] == '-')) return false;
  auto [end, ec] = std::from_chars(s.data() + pos, s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

// strconv.ParseFloat(s, 64) for decimal forms, inf/infinity/nan (any case, optional sign).
bool parseDouble(std::string_view s, double& out) {
  if (s.empty()) return false;
  size_t pos = s[0] == '+' ? 1 : 0;
  if (pos == 1 && (s.size() == 1 || s[1] == '-')) return false;
  auto [end, ec] = std::from_chars(s.data() + pos, s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

void appendDouble(double d, std::string& out) {
  if (std::isnan(d) || std::isinf(d)) {
    // pcommon reports what encoding/json would: "json: unsupported value: +Inf".
    out += "json: unsupported value: ";
    out += std::isnan(d) ? "NaN" : (d > 0 ? "+Inf" : "-Inf");
    return;
  }
  char buf[64];
  double a = std::fabs(d);
  bool exponent = a != 0 && (a < 1e-6 || a >= 1e21);
  auto [end, ec] =
      std::to_chars(buf, buf + sizeof buf, d,
                    exponent ? std::chars_format::scientific : std::chars_format::fixed);
  std::string_view s(buf, static_cast<size_t>(end - buf));
  if (exponent) {
    // "1e-07" → "1e-7", as JavaScript prints exponents.
    size_t e = s.find('e');
    out.append(s.substr(0, e + 2));
    std::string_view digits = s.substr(e + 2);
    while (digits.size() > 1 && digits[0] == '0') digits.remove_prefix(1);
    out.append(digits);
    return;
  }
  out.append(s);
}

}  // namespace

void appendAsString(const AnyValue& value, std::string& out) {
  switch (value.type()) {
    case AnyValue::Type::kString:
      out.append(value.str());
      return;
    case AnyValue::Type::kBool:
      out += value.boolValue() ? "true" : "false";
      return;
    case AnyValue::Type::kInt:
      out += std::to_string(value.intValue());
      return;
    case AnyValue::Type::kDouble:
      appendDouble(value.doubleValue(), out);
      return;
    case AnyValue::Type::kBytes: {
      std::string quoted;
      model::appendCompactJson(value, quoted);  // "base64"
      out.append(quoted, 1, quoted.size() - 2);
      return;
    }
    case AnyValue::Type::kArray:
    case AnyValue::Type::kKvList:
      model::appendCompactJson(value, out);
      return;
    case AnyValue::Type::kAbsent:
    case AnyValue::Type::kEmpty:
      return;
  }
}

void convertValue(Arena& arena, AnyValue& value, ConvertTo to) {
  const AnyValue::Type type = value.type();
  switch (to) {
    case ConvertTo::kString: {
      if (type == AnyValue::Type::kString) return;
      std::string s;
      appendAsString(value, s);
      value = AnyValue::string(arena.copy(s));
      return;
    }
    case ConvertTo::kInt: {
      int64_t i = 0;
      if (type == AnyValue::Type::kDouble) {
        value = AnyValue::integer(truncateToInt(value.doubleValue()));
      } else if (type == AnyValue::Type::kBool) {
        value = AnyValue::integer(value.boolValue() ? 1 : 0);
      } else if (type == AnyValue::Type::kString && parseInt(value.str(), i)) {
        value = AnyValue::integer(i);
      }
      return;
    }
    case ConvertTo::kDouble: {
      double d = 0;
      if (type == AnyValue::Type::kInt) {
        value = AnyValue::dbl(static_cast<double>(value.intValue()));
      } else if (type == AnyValue::Type::kBool) {
        value = AnyValue::dbl(value.boolValue() ? 1 : 0);
      } else if (type == AnyValue::Type::kString && parseDouble(value.str(), d)) {
        value = AnyValue::dbl(d);
      }
      return;
    }
    case ConvertTo::kNone:
      return;
  }
}

}  // namespace periscope::components::attraction
