#include "components/receivers/filelog/timestamp.h"

#include <time.h>

#include <cctype>
#include <cmath>
#include <cstring>

namespace periscope::components::filelog {
namespace {

uint64_t unitNs(std::string_view unit) {
  if (unit == "ms") return 1000000;
  if (unit == "us") return 1000;
  if (unit == "ns") return 1;
  return 1000000000;
}

}  // namespace

TimeLayout::TimeLayout(const TimeParserConfig& config) : original_(config.layout) {
  if (config.layout_type == "epoch") {
    epoch_ = true;
    epoch_unit_ns_ = unitNs(std::string_view(config.layout).substr(0, config.layout.find('.')));
  } else if (config.layout_type == "gotime") {
    layout_ = goLayoutToStrptime(config.layout);
  } else {
    layout_ = config.layout;
  }
}

std::string goLayoutToStrptime(std::string_view go) {
  // Longest tokens first, so "2006" wins over "2" and "Monday" over "Mon".
  static const std::pair<std::string_view, std::string_view> kTokens[] = {
      {"January", "%B"}, {"Monday", "%A"}, {"Z07:00", "%z"}, {"-07:00", "%z"}, {"Z0700", "%z"},
      {"-0700", "%z"},   {"2006", "%Y"},   {"Jan", "%b"},    {"Mon", "%a"},    {"MST", "%Z"},
      {"-07", "%z"},     {"01", "%m"},     {"02", "%d"},     {"_2", "%e"},     {"15", "%H"},
      {"03", "%I"},      {"04", "%M"},     {"05", "%S"},     {"06", "%y"},     {"PM", "%p"},
      {"pm", "%p"},      {"1", "%m"},      {"2", "%d"},      {"3", "%I"},      {"4", "%M"},
      {"5", "%S"}};
  std::string out;
  size_t i = 0;
  while (i < go.size()) {
    // Fractional seconds: ".000", ".999999", ",000" (any count of 0s or 9s).
    if ((go[i] == '.' || go[i] == ',') && i + 1 < go.size() &&
        (go[i + 1] == '0' || go[i + 1] == '9')) {
      size_t j = i + 1;
      while (j < go.size() && go[j] == go[i + 1]) ++j;
      if (j == go.size() || !std::isdigit(static_cast<unsigned char>(go[j]))) {
        out += go[i];
        out += "%s";
        i = j;
        continue;
      }
    }
    bool matched = false;
    for (const auto& [token, directive] : kTokens) {
      if (go.substr(i, token.size()) == token) {
        out += directive;
        i += token.size();
        matched = true;
        break;
      }
    }
    if (matched) continue;
    if (go[i] == '%') out += '%';
    out += go[i++];
  }
  return out;
}

Result<uint64_t> TimeLayout::parse(std::string_view text) const {
  return epoch_ ? parseEpoch(text) : parseStrptime(text);
}

Result<uint64_t> TimeLayout::parseStrptime(std::string_view text) const {
  std::string input(text);  // strptime needs a NUL-terminated string
  struct tm tm;
  std::memset(&tm, 0, sizeof tm);
  tm.tm_mday = 1;
  const char* p = input.c_str();
  uint64_t frac_ns = 0;
  std::string segment;
  auto flush = [&]() -> bool {
    if (segment.empty()) return true;
    const char* next = ::strptime(p, segment.c_str(), &tm);
    segment.clear();
    if (next == nullptr) return false;
    p = next;
    return true;
  };
  for (size_t i = 0; i < layout_.size(); ++i) {
    char c = layout_[i];
    if (c == '%' && i + 1 < layout_.size() &&
        (layout_[i + 1] == 'L' || layout_[i + 1] == 'f' || layout_[i + 1] == 's')) {
      if (!flush()) break;
      // Any number of digits, scaled: "5" after a dot is 500 ms whatever the directive.
      uint64_t scale = 100000000;
      int digits = 0;
      while (std::isdigit(static_cast<unsigned char>(*p))) {
        if (digits < 9) frac_ns += static_cast<uint64_t>(*p - '0') * scale;
        scale /= 10;
        ++digits;
        ++p;
      }
      if (digits == 0)
        return invalidArgument("\"" + input + "\" does not match layout \"" + original_ + "\"");
      ++i;
      continue;
    }
    segment += c;
    if (c == '%' && i + 1 < layout_.size()) segment += layout_[++i];
  }
  if (!flush() || *p != '\0')
    return invalidArgument("\"" + input + "\" does not match layout \"" + original_ + "\"");
  long gmtoff = tm.tm_gmtoff;  // set by %z
  time_t secs = ::timegm(&tm);
  int64_t s = static_cast<int64_t>(secs) - gmtoff;
  if (s < 0) return invalidArgument("\"" + input + "\" is before 1970");
  return static_cast<uint64_t>(s) * 1000000000ull + frac_ns;
}

Result<uint64_t> TimeLayout::parseEpoch(std::string_view text) const {
  uint64_t whole = 0, frac = 0, scale = epoch_unit_ns_ / 10;
  size_t i = 0;
  for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i)
    whole = whole * 10 + static_cast<uint64_t>(text[i] - '0');
  if (i == 0 || i > 19)
    return invalidArgument("\"" + std::string(text) + "\" is not an epoch time");
  if (i < text.size() && text[i] == '.') {
    for (++i; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i) {
      frac += static_cast<uint64_t>(text[i] - '0') * scale;
      scale /= 10;
    }
  }
  if (i != text.size())
    return invalidArgument("\"" + std::string(text) + "\" is not an epoch time");
  return whole * epoch_unit_ns_ + frac;
}

Result<uint64_t> TimeLayout::parseNumber(double value) const {
  if (!epoch_ || !std::isfinite(value) || value < 0)
    return invalidArgument("a number is a time only with layout_type: epoch");
  return static_cast<uint64_t>(std::llround(value * static_cast<double>(epoch_unit_ns_)));
}

Result<uint64_t> TimeLayout::parseInteger(int64_t value) const {
  if (!epoch_ || value < 0)
    return invalidArgument("a number is a time only with layout_type: epoch");
  return static_cast<uint64_t>(value) * epoch_unit_ns_;
}

}  // namespace periscope::components::filelog
