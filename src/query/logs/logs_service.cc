#include "query/logs/logs_service.h"

#include <algorithm>
#include <optional>
#include <variant>

#include "query/logs/log_pipeline.h"
#include "query/logs/log_query_eval.h"
#include "query/logs/logs_assembler.h"
#include "query/logs/metric_query_eval.h"
#include "query/logs/parser.h"

namespace periscope::query {

namespace {

using logs::Expr;
using logs::LogPipeline;
using logs::LogQuery;

Result<Expr> parseLogQuery(std::string_view text) {
  auto expr = logs::parse(text);
  if (!expr.isOk()) return expr.status();
  if (expr->isMetric()) {
    return invalidArgument(
        "this is a metric query (count_over_time, rate, …); run it as a metric query over a time "
        "range, or remove the function to list records");
  }
  return expr;
}

// `| limit` and `| direction` written in the query, when they are.
struct QuerySettings {
  std::optional<size_t> limit;
  std::optional<bool> forward;
};

QuerySettings settingsOf(const LogQuery& query) {
  QuerySettings s;
  for (const auto& stage : query.stages) {
    if (const auto* l = std::get_if<logs::LimitStage>(&stage))
      s.limit = static_cast<size_t>(l->limit);
    if (const auto* d = std::get_if<logs::DirectionStage>(&stage)) s.forward = d->forward;
  }
  return s;
}

// The records of `batch` that pass `pipeline`, copied into a batch of their own.
void filterBatch(const LogPipeline& pipeline, const model::Logs& batch, logs::MatchScratch& scratch,
                 model::Logs& matched, std::vector<Fields>& fields) {
  logs::LogsAssembler assembler(matched);
  std::vector<logs::LogsAssembler::Entry> entries;
  for (const auto& rl : batch.resources()) {
    if (!pipeline.matchesResource(rl.resource)) continue;
    for (const auto& sl : rl.scope_logs) {
      std::optional<uint32_t> group;
      for (const auto& r : sl.log_records) {
        if (!pipeline.matches(rl.resource, r, scratch)) continue;
        if (!group) group = assembler.copyGroup(rl, sl);
        entries.push_back({*group, assembler.copyRecord(r)});
        fields.push_back(pipeline.hasJson() ? scratch.lifted().toVector() : Fields{});
      }
    }
  }
  assembler.assemble(entries);
}

}  // namespace

LogsService::LogsService(storage::logs::LogReader& reader, LogsServiceOptions options)
    : reader_(reader), options_(options) {}

Result<LogsResult> LogsService::query(const LogsRequest& request) const {
  auto expr = parseLogQuery(request.query);
  if (!expr.isOk()) return expr.status();
  if (request.start_ns != 0 && request.end_ns != 0 && request.start_ns > request.end_ns) {
    return invalidArgument("start is after end");
  }
  auto pipeline = LogPipeline::compile(*expr, expr->root);
  if (!pipeline.isOk()) return pipeline.status();

  QuerySettings settings = settingsOf(std::get<LogQuery>(expr->node(expr->root)));
  logs::LogSelection selection;
  selection.start_ns = request.start_ns;
  selection.end_ns = request.end_ns;
  size_t limit =
      settings.limit.value_or(request.limit != 0 ? request.limit : options_.default_limit);
  selection.limit = std::max<size_t>(1, std::min(limit, options_.max_limit));
  selection.forward = settings.forward.value_or(request.forward);
  return logs::selectLogs(reader_, *pipeline, selection);
}

Result<LogMetricsResult> LogsService::queryRange(std::string_view query, int64_t start_ms,
                                                 int64_t end_ms, int64_t step_ms) const {
  auto expr = logs::parse(query);
  if (!expr.isOk()) return expr.status();
  if (!expr->isMetric()) {
    return invalidArgument(
        "this is a log query; a metric query applies count_over_time, rate, bytes_over_time or "
        "bytes_rate to it, e.g. count_over_time({service.name=\"x\"} [5m])");
  }
  return logs::evaluateMetricQuery(reader_, *expr, {start_ms, end_ms, step_ms}, options_);
}

Result<model::Logs> LogsService::traceLogs(std::string_view trace_id) const {
  if (trace_id.size() != 16) {
    return invalidArgument("trace id must be 16 bytes, got " + std::to_string(trace_id.size()));
  }
  auto found = reader_.traceLogs(trace_id);
  if (!found.isOk()) return found.status();
  // Oldest first whatever order the store used (stable: equal times keep its order).
  model::Logs& logs = *found;
  std::vector<logs::LogsAssembler::Entry> entries;
  model::Logs out = logs.share();
  out.resources().clear();
  logs::LogsAssembler assembler(out);
  for (const auto& rl : logs.resources()) {
    for (const auto& sl : rl.scope_logs) {
      uint32_t group = assembler.referenceGroup(rl, sl);
      for (const auto& r : sl.log_records) entries.push_back({group, r});
    }
  }
  std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    return logs::recordTime(a.record) < logs::recordTime(b.record);
  });
  assembler.assemble(entries);
  return out;
}

Result<std::vector<std::string>> LogsService::resourceValues(std::string_view key) const {
  if (key.empty()) return invalidArgument("resource attribute key must not be empty");
  return reader_.resourceValues(key);
}

Result<std::unique_ptr<storage::logs::TailSubscription>> LogsService::tail(
    std::string_view query, TailSink on_match) const {
  auto expr = parseLogQuery(query);
  if (!expr.isOk()) return expr.status();
  QuerySettings settings = settingsOf(std::get<LogQuery>(expr->node(expr->root)));
  if (settings.limit || settings.forward) {
    return invalidArgument(
        "tail takes no `| limit` or `| direction`: records are sent as they arrive");
  }
  auto pipeline = LogPipeline::compile(*expr, expr->root);
  if (!pipeline.isOk()) return pipeline.status();

  // Shared by the callback, which may run on several writer threads: each call has its own
  // scratch, so the compiled pipeline is only read.
  auto shared = std::make_shared<const LogPipeline>(std::move(*pipeline));
  return reader_.subscribe([shared, sink = std::move(on_match)](const model::Logs& batch) {
    logs::MatchScratch scratch;
    model::Logs matched;
    std::vector<Fields> fields;
    filterBatch(*shared, batch, scratch, matched, fields);
    if (!fields.empty()) sink(std::move(matched), std::move(fields));
  });
}

}  // namespace periscope::query
