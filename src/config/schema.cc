#include "config/schema.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "config/suggest.h"

namespace periscope::config {

bool decodeBool(const Value& v, bool& out, Diagnostics& d) {
  if (v.isScalar()) {
    const std::string& s = v.scalar;
    if (s == "true" || s == "True" || s == "TRUE") {
      out = true;
      return true;
    }
    if (s == "false" || s == "False" || s == "FALSE") {
      out = false;
      return true;
    }
  }
  d.error(v,
          "expected true or false, got " + (v.isScalar() ? "\"" + v.scalar + "\"" : v.kindName()));
  return false;
}

bool decodeInt(const Value& v, int64_t min, int64_t max, int64_t& out, Diagnostics& d) {
  if (!v.isScalar() || v.scalar.empty()) {
    d.error(v, "expected an integer, got " + v.kindName());
    return false;
  }
  errno = 0;
  char* end = nullptr;
  long long x = std::strtoll(v.scalar.c_str(), &end, 10);
  if (errno != 0 || end != v.scalar.c_str() + v.scalar.size()) {
    d.error(v, "expected an integer, got \"" + v.scalar + "\"");
    return false;
  }
  if (x < min || x > max) {
    d.error(v, "value " + v.scalar + " out of range [" + std::to_string(min) + ", " +
                   std::to_string(max) + "]");
    return false;
  }
  out = x;
  return true;
}

bool decodeDouble(const Value& v, double& out, Diagnostics& d) {
  if (v.isScalar() && !v.scalar.empty()) {
    char* end = nullptr;
    double x = std::strtod(v.scalar.c_str(), &end);
    if (end == v.scalar.c_str() + v.scalar.size() && std::isfinite(x)) {
      out = x;
      return true;
    }
  }
  d.error(v, "expected a number, got " + (v.isScalar() ? "\"" + v.scalar + "\"" : v.kindName()));
  return false;
}

bool decodeString(const Value& v, std::string& out, Diagnostics& d) {
  if (v.isScalar()) {
    out = v.scalar;
    return true;
  }
  if (v.isNull()) {
    out.clear();
    return true;
  }
  d.error(v, "expected a string, got " + v.kindName());
  return false;
}

bool decodeDuration(const Value& v, Duration& out, Diagnostics& d) {
  if (v.isScalar()) {
    if (auto parsed = parseDuration(v.scalar); parsed && parsed->count() >= 0) {
      out = *parsed;
      return true;
    }
  }
  d.error(v, "expected a duration such as 200ms, 5s or 1m30s, got " +
                 (v.isScalar() ? "\"" + v.scalar + "\"" : v.kindName()));
  return false;
}

std::string formatDouble(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

std::string unknownKeyMessage(const std::string& key, const std::vector<FieldDoc>& fields) {
  std::vector<std::string> names;
  for (const auto& f : fields) names.push_back(f.name);
  return unknownMessage("key", key, names);
}

}  // namespace periscope::config
