// Prometheus text exposition format 0.0.4, reading side: a pull parser over one scraped body,
// used by the `prometheus` receiver. It returns one entry per line (HELP, TYPE, UNIT, comment or
// sample); names, label values and help text are views into the input or into the parser's
// scratch buffer (when unescaped), valid until the next call. No allocation per sample once the
// scratch buffers have grown. Thread-compatible.
//
// Accepted, beyond 0.0.4 proper (so OpenMetrics 1.0 text scrapes work too):
//  - `# EOF` ends the input; anything but blank lines after it is an error.
//  - `# UNIT name unit` lines, and the OpenMetrics types unknown, info, stateset and
//    gaugehistogram, all read as kUnknown (their samples become plain gauges).
//  - `_created` samples are ordinary samples; interpreting them is the caller's business.
//  - With TextFormat::kOpenMetrics, timestamps are float seconds (converted to milliseconds)
//    and an exemplar (` # {labels} value [timestamp]`) after a sample is skipped.
// Label values unescape `\\`, `\"` and `\n`; any other escape is kept as written (as Prometheus
// does). Values are Go-style floats ("NaN", "+Inf", "-Inf", "1e3", hex floats); timestamps are
// integer milliseconds. Errors read "<line>:<column>: parse error: <what>" (1-based, bytes).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "model/prometheus/labels.h"

namespace periscope::model::prom {

enum class TextFormat : uint8_t { kPrometheus, kOpenMetrics };

// Picks the format from a response Content-Type ("application/openmetrics-text; ..." →
// kOpenMetrics, anything else → kPrometheus).
TextFormat textFormatFromContentType(std::string_view content_type);

class TextParser {
 public:
  enum class Entry : uint8_t { kHelp, kType, kUnit, kComment, kSample, kEnd };

  explicit TextParser(std::string_view input, TextFormat format = TextFormat::kPrometheus);

  // The next entry; kEnd at the end of the input or after `# EOF` (and on every later call).
  Result<Entry> next();

  // kHelp, kType, kUnit: the family name. kSample: the sample's metric name.
  std::string_view name() const { return name_; }
  std::string_view help() const { return help_; }      // kHelp, unescaped
  std::string_view unit() const { return unit_; }      // kUnit
  MetricKind kind() const { return kind_; }            // kType
  std::string_view typeWord() const { return type_; }  // kType, as written ("info", ...)
  // kSample: labels in input order (`__name__` is never among them).
  std::span<const LabelRef> labels() const { return labels_; }
  double value() const { return value_; }
  std::optional<int64_t> timestampMs() const { return timestamp_ms_; }
  int line() const { return line_; }  // line of the current entry, 1-based

 private:
  Status error(size_t pos, std::string_view what) const;
  void skipBlanks();
  bool atLineEnd() const;
  Result<Entry> parseComment();
  Result<Entry> parseSample();
  Status parseLabels();
  Status parseLabelValue(size_t& begin, size_t& size, bool& in_scratch);
  Status parseValue();
  Status parseTimestamp();
  Status finishLine();
  std::string_view token();

  std::string_view in_;
  TextFormat format_;
  size_t pos_ = 0;
  size_t line_start_ = 0;
  int line_ = 0;
  bool ended_ = false;

  std::string_view name_, help_, unit_, type_;
  MetricKind kind_ = MetricKind::kUnknown;
  double value_ = 0;
  std::optional<int64_t> timestamp_ms_;
  std::vector<LabelRef> labels_;
  std::string scratch_;  // unescaped label values and help text
  struct PendingLabel {
    std::string_view name;
    size_t begin, size;
    bool in_scratch;
  };
  std::vector<PendingLabel> pending_;
};

}  // namespace periscope::model::prom
