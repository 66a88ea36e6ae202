// LogPipeline: a log query's stream selector and stages compiled for evaluation (regexes
// compiled once, field names resolved to where they are read from), the pushdown the store
// can use, and the per-record test every returned record goes through again (the store may
// return a superset). Immutable once built, so one pipeline may run on many threads, each with
// its own MatchScratch.
//
// Name lookup (docs/logs.md, "Evaluation"):
// - selector names: `severity` with >, >=, <, <= is the record's severity number (0, unset,
//   never matches); with =, !=, =~, !~ its severity text. A name whose first segment is a
//   resource semantic-convention namespace (service., k8s., host., cloud., …) is a resource
//   attribute only; any other name is the resource attribute if the resource has it, else the
//   record attribute. Missing is "".
// - field names: trace_id, span_id (lower-case hex), severity / severity_text,
//   severity_number, body (the line), body.a.b (a structured body's field); then fields
//   lifted by an earlier `| json`, then record attributes, then resource attributes.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "model/log_record.h"
#include "model/resource.h"
#include "query/logs/ast.h"
#include "query/logs/json_lifter.h"
#include "query/logs/lifted_fields.h"
#include "storage/signals/logs/log_reader.h"

namespace re2 {
class RE2;
}

namespace periscope::query::logs {

// Per-thread state of matching, reused from record to record.
class MatchScratch {
 public:
  // After a successful match: the fields `| json` lifted — all of them when liftAll is set
  // (the default), else only those the query's later stages read (enough to decide the
  // match, and cheaper when most records are filtered out).
  const LiftedFields& lifted() const { return lifted_; }
  void setLiftAll(bool all) { lift_all_ = all; }

 private:
  friend class LogPipeline;
  std::string line_buffer_;  // the line of a record whose body is not a string
  JsonLifter json_;
  LiftedFields lifted_;
  bool lift_all_ = true;
  std::string text_;  // a field's text when it must be formatted (ids, numbers)
};

// A record's line (model::logLine) without a copy when the body is a string.
std::string_view recordLine(const model::LogRecord& record, std::string& buffer);

class LogPipeline {
 public:
  // `query` must name a LogQuery node of `expr`.
  static Result<LogPipeline> compile(const Expr& expr, NodeId query);

  LogPipeline(LogPipeline&&) noexcept;
  LogPipeline& operator=(LogPipeline&&) noexcept;
  ~LogPipeline();

  // The criteria the store may use to skip data (a superset is returned).
  void pushdown(storage::logs::LogScan& scan) const;

  // The selector's resource-only matchers: false means no record of this resource matches.
  bool matchesResource(const model::Resource& resource) const;
  // Everything else: the rest of the selector and every stage, in order. Call only for
  // records of a resource matchesResource accepted.
  bool matches(const model::Resource& resource, const model::LogRecord& record,
               MatchScratch& scratch) const;

  bool hasJson() const { return has_json_; }
  // The metric series key of a matched record (just after matches() returned true): the
  // labels, sorted by name, encoded for hashing (labelsOfKey decodes them); a label with an
  // empty value is left out.
  // Labels: the selector's names with their values (`severity`: the record's severity text),
  // service.name, and the fields listed in `| json a, b` stages.
  void seriesKey(const model::Resource& resource, const model::LogRecord& record,
                 MatchScratch& scratch, std::string& key) const;
  static std::vector<std::pair<std::string, std::string>> labelsOfKey(std::string_view key);

  // Whether a selector name is a resource attribute only: its first segment is a namespace
  // of the resource semantic conventions (service, k8s, host, …).
  static bool isResourceNamespace(std::string_view name);

  struct Selector;
  struct Comparison;
  struct Condition;
  struct Stage;
  struct Label;

 private:
  LogPipeline();

  std::vector<Selector> resource_selectors_;  // depend on the resource only
  std::vector<Selector> record_selectors_;
  int32_t min_severity_ = 0;  // bounds of the severity ordering matchers, when
  int32_t max_severity_ = 0;  // has_severity_order_
  bool has_severity_order_ = false;
  std::vector<Stage> stages_;
  std::vector<Condition> conditions_;  // the field filter trees, stage by stage
  std::vector<std::string> pushed_lines_;
  std::string pushed_trace_id_;
  std::vector<storage::logs::AttributeMatcher> pushed_resource_;
  std::vector<Label> labels_;  // sorted by name
  bool has_json_ = false;
  bool needs_line_ = false;
};

}  // namespace periscope::query::logs
