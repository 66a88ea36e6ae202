#include "api/http/params.h"

#include <charconv>
#include <chrono>
#include <limits>

namespace periscope::api {
namespace {

bool isDigit(char c) {
  return c >= '0' && c <= '9';
}

// Reads leading digits into `v`; false on overflow past 2^63 (Go's limit for durations).
bool leadingInt(std::string_view& s, uint64_t& v, bool& any) {
  constexpr uint64_t kMax = uint64_t{1} << 63;
  v = 0;
  any = false;
  while (!s.empty() && isDigit(s.front())) {
    if (v > kMax / 10) return false;
    v = v * 10 + static_cast<uint64_t>(s.front() - '0');
    if (v > kMax) return false;
    s.remove_prefix(1);
    any = true;
  }
  return true;
}

// Fraction digits after '.': the value and its scale (10^digits kept). Digits past what fits are
// consumed and ignored, as Go does, because they cannot change a nanosecond result.
void leadingFraction(std::string_view& s, uint64_t& f, double& scale, bool& any) {
  f = 0;
  scale = 1;
  any = false;
  bool overflow = false;
  while (!s.empty() && isDigit(s.front())) {
    any = true;
    if (!overflow) {
      if (f > (std::numeric_limits<int64_t>::max() - 9) / 10) {
        overflow = true;
      } else {
        f = f * 10 + static_cast<uint64_t>(s.front() - '0');
        scale *= 10;
      }
    }
    s.remove_prefix(1);
  }
}

std::optional<uint64_t> unitNanos(std::string_view u) {
  if (u == "ns") return 1;
  if (u == "us" || u == "\xC2\xB5s" || u == "\xCE\xBCs") return 1'000;  // µs (U+00B5), μs (U+03BC)
  if (u == "ms") return 1'000'000;
  if (u == "s") return 1'000'000'000;
  if (u == "m") return 60'000'000'000;
  if (u == "h") return 3'600'000'000'000;
  return std::nullopt;
}

// Exactly `n` digits at `pos` as a number; -1 if any is not a digit.
int digits(std::string_view s, size_t pos, size_t n) {
  if (pos + n > s.size()) return -1;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (!isDigit(s[i])) return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<int64_t> parseGoDuration(std::string_view s) {
  constexpr uint64_t kMax = uint64_t{1} << 63;
  bool neg = false;
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
    neg = s.front() == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return 0;
  if (s.empty()) return std::nullopt;
  uint64_t total = 0;
  while (!s.empty()) {
    if (s.front() != '.' && !isDigit(s.front())) return std::nullopt;
    uint64_t v = 0;
    bool pre = false;
    if (!leadingInt(s, v, pre)) return std::nullopt;
    uint64_t f = 0;
    double scale = 1;
    bool post = false;
    if (!s.empty() && s.front() == '.') {
      s.remove_prefix(1);
      leadingFraction(s, f, scale, post);
    }
    if (!pre && !post) return std::nullopt;  // "." alone
    size_t n = 0;
    while (n < s.size() && s[n] != '.' && !isDigit(s[n])) ++n;
    auto unit = unitNanos(s.substr(0, n));
    if (!unit) return std::nullopt;  // missing or unknown unit
    s.remove_prefix(n);
    if (v > kMax / *unit) return std::nullopt;
    v *= *unit;
    if (f > 0) {
      v += static_cast<uint64_t>(static_cast<double>(f) * (static_cast<double>(*unit) / scale));
      if (v > kMax) return std::nullopt;
    }
    total += v;
    if (total > kMax) return std::nullopt;
  }
  if (neg)
    return total == kMax ? std::numeric_limits<int64_t>::min() : -static_cast<int64_t>(total);
  if (total > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return std::nullopt;
  return static_cast<int64_t>(total);
}

std::optional<uint64_t> parseRfc3339(std::string_view s) {
  // YYYY-MM-DDTHH:MM:SS
  int year = digits(s, 0, 4), month = digits(s, 5, 2), day = digits(s, 8, 2);
  int hour = digits(s, 11, 2), minute = digits(s, 14, 2), second = digits(s, 17, 2);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return std::nullopt;
  if (s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') || s[13] != ':' || s[16] != ':')
    return std::nullopt;
  if (hour > 23 || minute > 59 || second > 59) return std::nullopt;
  std::chrono::year_month_day ymd{std::chrono::year(year),
                                  std::chrono::month(static_cast<unsigned>(month)),
                                  std::chrono::day(static_cast<unsigned>(day))};
  if (!ymd.ok()) return std::nullopt;
  size_t pos = 19;
  uint64_t frac_ns = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    size_t start = pos;
    uint64_t scale = 100'000'000;
    while (pos < s.size() && isDigit(s[pos])) {
      frac_ns += static_cast<uint64_t>(s[pos] - '0') * scale;  // digits past 9 add 0
      scale /= 10;
      ++pos;
    }
    if (pos == start) return std::nullopt;
  }
  int64_t offset_s = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int oh = digits(s, pos + 1, 2), om = digits(s, pos + 4, 2);
    if (oh < 0 || om < 0 || s[pos + 3] != ':' || oh > 23 || om > 59) return std::nullopt;
    offset_s = (s[pos] == '-' ? -1 : 1) * (oh * 3600 + om * 60);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  int64_t days = std::chrono::sys_days(ymd).time_since_epoch().count();
  int64_t secs = days * 86400 + hour * 3600 + minute * 60 + second - offset_s;
  if (secs < 0) return std::nullopt;
  if (static_cast<uint64_t>(secs) > std::numeric_limits<uint64_t>::max() / 1'000'000'000 - 1)
    return std::nullopt;
  return static_cast<uint64_t>(secs) * 1'000'000'000 + frac_ns;
}

std::optional<uint64_t> parseLogTime(std::string_view text) {
  if (text.empty() || !isDigit(text.front())) return parseRfc3339(text);
  size_t dot = text.find('.');
  std::string_view whole = text.substr(0, dot);
  uint64_t value = 0;
  for (char c : whole) {
    if (!isDigit(c)) return parseRfc3339(text);
  }
  if (whole.size() > 19) return std::nullopt;
  auto [end, ec] = std::from_chars(whole.data(), whole.data() + whole.size(), value);
  if (ec != std::errc()) return std::nullopt;
  constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
  if (dot != std::string_view::npos) {  // seconds with a fraction, to the nanosecond
    std::string_view fraction = text.substr(dot + 1);
    if (fraction.empty() || fraction.size() > 9 || whole.size() > 10) return std::nullopt;
    uint64_t nanos = 0;
    for (size_t i = 0; i < 9; ++i) {
      if (i < fraction.size() && !isDigit(fraction[i])) return std::nullopt;
      nanos = nanos * 10 + (i < fraction.size() ? static_cast<uint64_t>(fraction[i] - '0') : 0);
    }
    return value * 1'000'000'000 + nanos;
  }
  uint64_t scale = whole.size() <= 10   ? 1'000'000'000
                   : whole.size() <= 13 ? 1'000'000
                   : whole.size() <= 16 ? 1'000
                                        : 1;
  if (value > kMax / scale) return std::nullopt;
  return value * scale;
}

std::optional<int64_t> parseInt64(std::string_view text) {
  int64_t v = 0;
  if (text.empty() || text.front() == '+') return std::nullopt;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return v;
}

std::optional<bool> parseBool(std::string_view t) {
  if (t == "1" || t == "t" || t == "T" || t == "TRUE" || t == "true" || t == "True") return true;
  if (t == "0" || t == "f" || t == "F" || t == "FALSE" || t == "false" || t == "False")
    return false;
  return std::nullopt;
}

std::optional<std::string> parseTraceId(std::string_view hex) {
  if (hex.empty() || hex.size() > 32) return std::nullopt;
  std::string padded(32 - hex.size(), '0');
  padded.append(hex);
  std::string out(16, '\0');
  for (size_t i = 0; i < 16; ++i) {
    int hi = hexValue(padded[2 * i]);
    int lo = hexValue(padded[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[i] = static_cast<char>(hi * 16 + lo);
  }
  return out;
}

std::string cannotParse(std::string_view param, std::string_view value, std::string_view what) {
  std::string m(param);
  m += ": cannot parse \"";
  m += value.substr(0, 100);
  m += "\" as ";
  m += what;
  return m;
}

int httpStatusFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kInvalidArgument:
    case StatusCode::kOutOfRange:
      return 400;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kResourceExhausted:
      return 429;
    case StatusCode::kUnavailable:
      return 503;
    case StatusCode::kDeadlineExceeded:
      return 504;
    case StatusCode::kUnimplemented:
      return 501;
    default:
      return 500;
  }
}

}  // namespace periscope::api
