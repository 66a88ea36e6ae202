#include "model/prometheus/text_format_writer.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

namespace periscope::model::prom {

void appendFloat(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "NaN";
    return;
  }
  if (std::isinf(v)) {
    out += v > 0 ? "+Inf" : "-Inf";
    return;
  }
  if (v == 0) {  // also -0, which expfmt writes as "0"
    out += '0';
    return;
  }
  // to_chars gives the shortest round-trip digits; lay them out as Go's 'g' format does.
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<size_t>(res.ptr - buf));
  bool negative = sci.front() == '-';
  if (negative) sci.remove_prefix(1);
  size_t e_pos = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e_pos)) {
    if (c != '.') digits += c;
  }
  int exp = std::atoi(std::string(sci.substr(e_pos + 1)).c_str());
  if (negative) out += '-';
  if (exp < -4 || exp >= 6) {
    out += digits[0];
    if (digits.size() > 1) {
      out += '.';
      out.append(digits, 1);
    }
    out += 'e';
    out += exp < 0 ? '-' : '+';
    int a = std::abs(exp);
    if (a < 10) out += '0';
    out += std::to_string(a);
    return;
  }
  int point = exp + 1;  // digits before the decimal point
  if (point <= 0) {
    out += "0.";
    out.append(static_cast<size_t>(-point), '0');
    out += digits;
  } else if (static_cast<size_t>(point) >= digits.size()) {
    out += digits;
    out.append(static_cast<size_t>(point) - digits.size(), '0');
  } else {
    out.append(digits, 0, static_cast<size_t>(point));
    out += '.';
    out.append(digits, static_cast<size_t>(point));
  }
}

std::string formatFloat(double v) {
  std::string s;
  appendFloat(s, v);
  return s;
}

void appendEscapedHelp(std::string& out, std::string_view help) {
  for (char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
}

void appendEscapedLabelValue(std::string& out, std::string_view value) {
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"') {
      out += "\\\"";
    } else {
      out += c;
    }
  }
}

std::string_view textTypeName(MetricKind kind) {
  return kind == MetricKind::kUnknown ? std::string_view("untyped") : metricKindName(kind);
}

void appendFamilyHeader(std::string& out, std::string_view family, MetricKind kind,
                        std::string_view help) {
  out += "# HELP ";
  out += family;
  out += ' ';
  appendEscapedHelp(out, help);
  out += "\n# TYPE ";
  out += family;
  out += ' ';
  out += textTypeName(kind);
  out += '\n';
}

void appendSample(std::string& out, std::string_view name, std::span<const LabelRef> labels,
                  double value, std::optional<int64_t> timestamp_ms) {
  out += name;
  bool open = false;
  for (const LabelRef& l : labels) {
    if (l.value.empty()) continue;
    out += open ? ',' : '{';
    open = true;
    out += l.name;
    out += "=\"";
    appendEscapedLabelValue(out, l.value);
    out += '"';
  }
  if (open) out += '}';
  out += ' ';
  appendFloat(out, value);
  if (timestamp_ms) {
    out += ' ';
    out += std::to_string(*timestamp_ms);
  }
  out += '\n';
}

}  // namespace periscope::model::prom
