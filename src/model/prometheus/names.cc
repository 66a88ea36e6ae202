// Metric and label names for OTLP→Prometheus (the spec's "Metric Metadata" and "Metric
// Attributes" sections) and Prometheus's float formatting for `le` / `quantile`.
#include <charconv>
#include <cmath>
#include <cstring>

#include "model/prometheus/label_builder.h"
#include "model/prometheus/translate.h"

namespace periscope::model::prom {
namespace {

bool isAlpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool isDigit(char c) {
  return c >= '0' && c <= '9';
}
bool isAlnum(char c) {
  return isAlpha(c) || isDigit(c);
}

struct UnitWord {
  std::string_view otel;
  std::string_view prom;
};

// UCUM abbreviations commonly used by OpenTelemetry instrumentation.
constexpr UnitWord kUnits[] = {
    {"d", "days"},          {"h", "hours"},
    {"min", "minutes"},     {"s", "seconds"},
    {"ms", "milliseconds"}, {"us", "microseconds"},
    {"ns", "nanoseconds"},  {"By", "bytes"},
    {"KiBy", "kibibytes"},  {"MiBy", "mebibytes"},
    {"GiBy", "gibibytes"},  {"TiBy", "tibibytes"},
    {"KBy", "kilobytes"},   {"MBy", "megabytes"},
    {"GBy", "gigabytes"},   {"TBy", "terabytes"},
    {"m", "meters"},        {"V", "volts"},
    {"A", "amperes"},       {"J", "joules"},
    {"W", "watts"},         {"g", "grams"},
    {"Cel", "celsius"},     {"Hz", "hertz"},
    {"%", "percent"},       {"1", ""},
};

constexpr UnitWord kPerUnits[] = {
    {"s", "second"}, {"m", "minute"}, {"h", "hour"}, {"d", "day"},
    {"w", "week"},   {"mo", "month"}, {"y", "year"},
};

std::string_view lookup(std::span<const UnitWord> table, std::string_view unit) {
  for (const UnitWord& u : table) {
    if (u.otel == unit) return u.prom;
  }
  return unit;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// Replaces characters outside [a-zA-Z0-9_:] with '_' and collapses runs of '_' into one, as the
// spec requires (label names: label_builder.cc).
std::string sanitize(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (char c : name) {
    bool ok = isAlnum(c) || c == '_' || c == ':';
    char o = ok ? c : '_';
    if (o == '_' && !out.empty() && out.back() == '_') continue;
    out += o;
  }
  return out;
}

// A unit word reduced to what may appear in a metric name.
std::string unitSuffix(std::string_view word) {
  std::string out;
  for (char c : word) {
    if (isAlnum(c)) out += c;
  }
  return out;
}

bool hasToken(std::string_view name, std::string_view token) {
  size_t start = 0;
  while (start <= name.size()) {
    size_t end = name.find('_', start);
    if (end == std::string_view::npos) end = name.size();
    if (name.substr(start, end - start) == token) return true;
    start = end + 1;
  }
  return false;
}

void appendToken(std::string& name, std::string_view token) {
  if (!name.empty() && name.back() != '_') name += '_';
  name += token;
}

bool endsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

std::string_view unitWord(std::string_view otel_unit) {
  return lookup(kUnits, otel_unit);
}
std::string_view perUnitWord(std::string_view otel_unit) {
  return lookup(kPerUnits, otel_unit);
}

std::string sanitizeMetricName(std::string_view name) {
  std::string out = sanitize(name);
  if (!out.empty() && isDigit(out.front())) out.insert(out.begin(), '_');
  return out;
}

std::string sanitizeLabelName(std::string_view name) {
  std::string out;
  appendSanitizedLabelName(name, out);
  return out;
}

std::string prometheusMetricName(const Metric& metric, bool add_suffixes) {
  std::string name = sanitizeMetricName(metric.name);
  if (!add_suffixes) return name;
  std::string_view unit = trim(metric.unit);
  std::string_view main_unit = unit;
  std::string_view per_unit;
  if (size_t slash = unit.find('/'); slash != std::string_view::npos) {
    main_unit = trim(unit.substr(0, slash));
    per_unit = trim(unit.substr(slash + 1));
  }
  // `{packets}`-style annotations are counts: unitless in Prometheus.
  auto usable = [](std::string_view u) {
    return !u.empty() && u.find_first_of("{}") == std::string_view::npos;
  };
  std::string main_word = usable(main_unit) ? unitSuffix(unitWord(main_unit)) : std::string();
  std::string per_word = usable(per_unit) ? unitSuffix(perUnitWord(per_unit)) : std::string();
  bool is_gauge = metric.type == MetricType::kGauge;
  if (unit == "1" && is_gauge) main_word = "ratio";
  std::string suffix = main_word;
  if (!per_word.empty()) {
    if (!suffix.empty()) suffix += '_';
    suffix += "per_" + per_word;
  }
  if (!suffix.empty() && !endsWith(name, "_" + suffix) && name != suffix &&
      !(per_word.empty() && hasToken(name, suffix))) {
    appendToken(name, suffix);
  }
  if (metric.type == MetricType::kSum && metric.is_monotonic && !endsWith(name, "_total")) {
    appendToken(name, "total");
  }
  return name;
}

FloatText formatFloat(double v) {
  FloatText out;
  auto put = [&out](std::string_view s) {
    std::memcpy(out.buf, s.data(), s.size());
    out.len = static_cast<uint8_t>(s.size());
  };
  if (std::isnan(v)) {
    put("NaN");
    return out;
  }
  if (std::isinf(v)) {
    put(v > 0 ? "+Inf" : "-Inf");
    return out;
  }
  // Shortest round-trip digits; the decimal exponent decides between the two forms as Go's
  // 'g' with precision -1 does (exponent < -4 or >= 6 → "d.ddde±XX").
  char sci[32];
  auto r = std::to_chars(sci, sci + sizeof sci, v, std::chars_format::scientific);
  std::string_view text(sci, static_cast<size_t>(r.ptr - sci));
  size_t e = text.find('e');
  int exp = 0;
  std::from_chars(text.data() + e + (text[e + 1] == '+' ? 2 : 1), text.data() + text.size(), exp);
  if (exp < -4 || exp >= 6) {
    put(text);
    return out;
  }
  r = std::to_chars(out.buf, out.buf + sizeof out.buf, v, std::chars_format::fixed);
  out.len = static_cast<uint8_t>(r.ptr - out.buf);
  return out;
}

}  // namespace periscope::model::prom
