// Prometheus text exposition format 0.0.4, writing side: `# HELP` / `# TYPE` lines and samples
// with escaped label values and Go-style floats, byte for byte what client_golang's expfmt
// writes. Used by the `prometheus` exporter; pure functions appending to a caller's buffer.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "model/prometheus/labels.h"

namespace periscope::model::prom {

// The content type of this format, for the HTTP Content-Type header.
inline constexpr std::string_view kTextContentType = "text/plain; version=0.0.4; charset=utf-8";

// A sample value as expfmt writes it: formatFloat() (translate.h: Go's 'g' format, "+Inf",
// "-Inf", "NaN"), except that zero, negative zero included, is "0".
void appendFloat(std::string& out, double v);

// HELP text escapes `\` and newline; label values also escape `"`.
void appendEscapedHelp(std::string& out, std::string_view help);
void appendEscapedLabelValue(std::string& out, std::string_view value);

// The TYPE word of the 0.0.4 format ("untyped" for kUnknown).
std::string_view textTypeName(MetricKind kind);

// `# HELP name help\n# TYPE name type\n`.
void appendFamilyHeader(std::string& out, std::string_view family, MetricKind kind,
                        std::string_view help);

// `name{a="b",c="d"} value [timestamp]\n`. `labels` are written in the given order and must not
// contain `__name__`; labels with empty values are skipped (absent in Prometheus).
void appendSample(std::string& out, std::string_view name, std::span<const LabelRef> labels,
                  double value, std::optional<int64_t> timestamp_ms = std::nullopt);

}  // namespace periscope::model::prom
