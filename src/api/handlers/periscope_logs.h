// Periscope's logs API on the query listener: GET /api/periscope/logs (log and metric queries),
// /api/periscope/logs/values (resource attribute values for pickers),
// /api/periscope/traces/{traceID}/logs (every record of a trace) and /api/periscope/logs/tail
// (live tail, logs_tail.h). Reference: docs/api.md, "Logs". Reads only through a LogsBackend,
// which must outlive the router; safe from any number of threads.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

#include "api/handlers/logs_backend.h"
#include "api/handlers/logs_tail.h"
#include "api/http/router.h"
#include "query/logs/ast.h"

namespace periscope::api {

struct LogsApiOptions {
  // Wall clock in ns since the epoch (the default end of a query); injectable for tests.
  std::function<uint64_t()> now_ns;
  LogsTailOptions tail;
  LogsTailCounters* tail_counters = nullptr;  // optional; must outlive the router
};

void registerPeriscopeLogs(Router& router, const LogsBackend& logs, LogsApiOptions options);

// The `query` parameter parsed; INVALID_ARGUMENT naming `query` when it is missing or does not
// parse (with the parser's "line:col: parse error: …"). `text` is set to the parameter's value.
Result<query::logs::Expr> parseLogsQuery(const QueryParams& params, std::string_view& text);

// Periscope's own error envelope: {"error":{"code":status,"message":message}}.
http::Response periscopeError(int status, std::string_view message);
// A query-layer error in that envelope: status by httpStatusFor, Retry-After when it has one.
http::Response periscopeFailure(const Status& status);

}  // namespace periscope::api
