// The `operators:` chain: json_parser, regex_parser (RE2 named groups), time_parser,
// severity_parser, trace_parser, move, add, remove, run in order on each Entry. Parsers'
// `timestamp`, `severity` and `trace` blocks run after the parse, as in the collector. After
// the chain, trace context is lifted from conventional fields (liftTraceContext).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "components/receivers/filelog/config.h"
#include "components/receivers/filelog/entry.h"

namespace periscope::components::filelog {

// One step of the chain. apply() returns an error when the entry could not be processed;
// what then happens (send or drop) is the operator's on_error.
class Operator {
 public:
  virtual ~Operator() = default;
  virtual Status apply(Entry& e) const = 0;
};

// Level text or number → OTLP severity number, with the preset and a custom mapping.
class SeverityParser final : public Operator {
 public:
  explicit SeverityParser(const SeverityConfig& config);
  Status apply(Entry& e) const override;
  // The severity number of a level value, or 0 when nothing maps it.
  int32_t map(const nlohmann::json& value) const;

 private:
  FieldPath from_;
  bool default_preset_;
  bool overwrite_text_;
  SeverityMapping mapping_;
};

class OperatorChain {
 public:
  struct Outcome {
    bool drop = false;
    bool error = false;       // some operator failed (and was not quiet)
    std::string first_error;  // its message, with the operator's position and type
  };
  // `operators` must have passed Config::validate().
  static OperatorChain build(const std::vector<OperatorConfig>& operators);
  bool empty() const { return steps_.empty(); }
  Outcome apply(Entry& e) const;

 private:
  struct Step {
    std::string where;  // "operators[1] (regex_parser)"
    std::string on_error;
    std::vector<std::unique_ptr<Operator>> parts;  // the parse, then timestamp/severity/trace
  };
  std::vector<Step> steps_;
};

// Sets trace_id/span_id/flags from conventional fields of the attributes or of a map body when
// the entry has no trace id yet: trace_id/traceId/traceid (32 hex digits, or an X-Ray id
// "1-5759e988-bd862e3fe1be46a994272793"), span_id/spanId/spanid, trace_flags/traceFlags, and
// X-Amzn-Trace-Id (Root=...;Parent=...;Sampled=...). Malformed values are left alone.
void liftTraceContext(Entry& e);

}  // namespace periscope::components::filelog
