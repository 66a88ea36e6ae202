// LogsService: the log queries the HTTP API (/api/periscope/logs…) and the CLI offer, on top of
// a storage LogReader: log queries (records, newest or oldest first, limited), metric queries
// over logs (count_over_time, rate, … with aggregations) evaluated over a time range with a
// step, every record of a trace, and live tail. Stateless beyond its options; safe from any
// number of threads as long as the reader is.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "model/batch.h"
#include "storage/signals/logs/log_reader.h"

namespace periscope::query {

struct LogsServiceOptions {
  size_t default_limit = 1000;  // records, when neither the request nor `| limit` says
  size_t max_limit = 100'000;   // a larger request is cut to this (not an error)
  size_t max_series = 10'000;   // metric queries: INVALID_ARGUMENT past this many series
  size_t max_points = 11'000;   // metric queries: (end - start) / step + 1 above this is refused
};

// A request's parameters; the query text's own `| limit` / `| direction` win over these.
struct LogsRequest {
  std::string query;
  uint64_t start_ns = 0;  // inclusive; 0 = unbounded
  uint64_t end_ns = 0;    // inclusive; 0 = unbounded
  size_t limit = 0;       // 0 = options.default_limit
  bool forward = false;   // default backward: newest first
};

using Fields = std::vector<std::pair<std::string, std::string>>;

struct LogsStats {
  uint64_t chunks_read = 0;
  uint64_t records_scanned = 0;  // records the filters ran on
  uint64_t records_matched = 0;  // before the limit
};

struct LogsResult {
  // The selected records in answer order: walking resources → scope_logs → log_records yields
  // them first to last (a resource/scope group is repeated when records of different groups
  // interleave). Owns its bytes.
  model::Logs records;
  // Per record, in the same order (always one entry per record): the fields `| json` lifted
  // (key, value as text, in the line's order); empty when the query has no json stage.
  std::vector<Fields> fields;
  bool forward = false;
  size_t limit = 0;  // the limit applied
  // More records matched than `limit`, or the scan stopped early (chunk ordering contract)
  // with chunks left unread that might hold more.
  bool truncated = false;
  LogsStats stats;
};

// One series of a metric query over logs.
struct LogSeries {
  Fields labels;                                   // sorted by name
  std::vector<std::pair<int64_t, double>> points;  // (unix ms, value), ascending
};

struct LogMetricsResult {
  std::vector<LogSeries> series;  // sorted by labels
  LogsStats stats;
};

class LogsService {
 public:
  explicit LogsService(storage::logs::LogReader& reader, LogsServiceOptions options = {});

  // A log query (not a metric query: INVALID_ARGUMENT naming that). Parse errors are
  // INVALID_ARGUMENT with the parser's "line:col: parse error: …" message.
  Result<LogsResult> query(const LogsRequest& request) const;
  // A metric query evaluated at start, start + step, … ≤ end (ms); a log query is refused.
  // Each step's value covers the records in (t - range, t].
  Result<LogMetricsResult> queryRange(std::string_view query, int64_t start_ms, int64_t end_ms,
                                      int64_t step_ms) const;
  // Every stored record of a trace (16 raw bytes), oldest first.
  Result<model::Logs> traceLogs(std::string_view trace_id) const;
  // Distinct values of a resource attribute (for UI pickers), sorted.
  Result<std::vector<std::string>> resourceValues(std::string_view key) const;

  // Live tail: `query` is a log query whose stream selector and filters are applied to every
  // newly stored batch; matching records are handed to on_match (on the writer's thread; it
  // must not block — see storage::logs::TailCallback) as a batch plus the lifted fields of
  // each record. `| limit`/`| direction` are refused here (INVALID_ARGUMENT).
  using TailSink = std::function<void(model::Logs&& matched, std::vector<Fields>&& fields)>;
  Result<std::unique_ptr<storage::logs::TailSubscription>> tail(std::string_view query,
                                                                TailSink on_match) const;

 private:
  storage::logs::LogReader& reader_;
  LogsServiceOptions options_;
};

}  // namespace periscope::query
