#include "model/prometheus/text_format_writer.h"

#include "model/prometheus/translate.h"

namespace periscope::model::prom {

void appendFloat(std::string& out, double v) {
  if (v == 0) {
    out += '0';
    return;
  }
  out += formatFloat(v).view();
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
