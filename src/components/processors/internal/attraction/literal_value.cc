#include "components/processors/internal/attraction/literal_value.h"

#include <re2/re2.h>

#include <charconv>
#include <cmath>
#include <limits>

namespace periscope::components::attraction {
namespace {

bool parseInteger(std::string s, int64_t& out) {
  std::erase(s, '_');  // YAML allows 1_000
  bool negative = false;
  size_t pos = 0;
  if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) negative = s[pos++] == '-';
  int base = 10;
  if (s.size() - pos > 2 && s[pos] == '0') {
    char p = s[pos + 1];
    if (p == 'x' || p == 'X') base = 16;
    if (p == 'o' || p == 'O') base = 8;
    if (p == 'b' || p == 'B') base = 2;
    if (base != 10) pos += 2;
  }
  if (pos >= s.size()) return false;
  uint64_t magnitude = 0;
  auto [end, ec] = std::from_chars(s.data() + pos, s.data() + s.size(), magnitude, base);
  if (ec != std::errc() || end != s.data() + s.size()) return false;
  if (negative) {
    if (magnitude > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) + 1) return false;
    out = static_cast<int64_t>(0 - magnitude);
  } else {
    if (magnitude > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return false;
    out = static_cast<int64_t>(magnitude);
  }
  return true;
}

bool parseFloat(const std::string& s, double& out) {
  static const RE2 kFloat(R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?)");
  if (s == ".inf" || s == ".Inf" || s == ".INF" || s == "+.inf" || s == "+.Inf" || s == "+.INF") {
    out = std::numeric_limits<double>::infinity();
    return true;
  }
  if (s == "-.inf" || s == "-.Inf" || s == "-.INF") {
    out = -std::numeric_limits<double>::infinity();
    return true;
  }
  if (s == ".nan" || s == ".NaN" || s == ".NAN") {
    out = std::numeric_limits<double>::quiet_NaN();
    return true;
  }
  if (!RE2::FullMatch(s, kFloat)) return false;
  const char* begin = s.data() + (s[0] == '+' ? 1 : 0);
  auto [end, ec] = std::from_chars(begin, s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

}  // namespace

model::AnyValue LiteralValue::view() const {
  switch (type) {
    case Type::kString:
      return model::AnyValue::string(text);
    case Type::kBool:
      return model::AnyValue::boolean(b);
    case Type::kInt:
      return model::AnyValue::integer(i);
    case Type::kDouble:
      return model::AnyValue::dbl(d);
    case Type::kUnset:
      break;
  }
  return {};
}

LiteralValue LiteralValue::string(std::string s) {
  LiteralValue v;
  v.type = Type::kString;
  v.text = std::move(s);
  return v;
}

LiteralValue LiteralValue::fromPlainScalar(const std::string& s) {
  LiteralValue v;
  v.text = s;
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return v;
  if (s == "true" || s == "True" || s == "TRUE" || s == "false" || s == "False" || s == "FALSE") {
    v.type = Type::kBool;
    v.b = s[0] == 't' || s[0] == 'T';
    return v;
  }
  if (parseInteger(s, v.i)) {
    v.type = Type::kInt;
    return v;
  }
  if (parseFloat(s, v.d)) {
    v.type = Type::kDouble;
    return v;
  }
  v.type = Type::kString;
  return v;
}

}  // namespace periscope::components::attraction

namespace periscope::config {

void FieldCodec<components::attraction::LiteralValue>::decode(
    const Value& v, components::attraction::LiteralValue& out, Diagnostics& d) {
  using components::attraction::LiteralValue;
  if (v.isNull()) {
    out = LiteralValue{};
    return;
  }
  if (!v.isScalar()) {
    d.error(v, "expected a string, number or bool, got " + v.kindName());
    return;
  }
  out = v.quoted ? LiteralValue::string(v.scalar) : LiteralValue::fromPlainScalar(v.scalar);
}

}  // namespace periscope::config
