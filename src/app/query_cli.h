// `periscope query 'PROMQL'`: runs a PromQL query against a running server's Prometheus API
// (/api/v1/query, or /api/v1/query_range with --range) and prints a table: one row per series
// with its value, or for a range its last/min/max and a sparkline. Rendering is pure so tests
// feed fixtures; the subcommand takes an injected fetch.
#pragma once

#include <chrono>
#include <functional>
#include <iosfwd>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app/http_client.h"

namespace periscope::app::query_cli {

// A Prometheus API "data" object ({resultType, result}) as terminal text.
std::string renderResult(const nlohmann::json& data);
// Unicode block sparkline of `values` (NaN as a space), resampled to at most `width` columns
// by taking each column's last value.
std::string sparkline(const std::vector<double>& values, size_t width);
// {__name__="x", a="b"} → x{a="b"}: how Prometheus prints series.
std::string seriesName(const nlohmann::json& metric);

struct QueryRequest {
  std::string server = "http://127.0.0.1:16686";
  std::string query;
  std::optional<std::chrono::milliseconds> range;  // absent: instant query
  std::optional<std::chrono::milliseconds> step;   // default: range / 60, at least 1 s
  bool json = false;                               // print the raw answer
};
// The URL for `request` at wall-clock `now_ms`.
std::string requestUrl(const QueryRequest& request, int64_t now_ms);

using Fetch = std::function<HttpResponse(const std::string& url)>;
// Exit codes: 0 ok, 1 request or query error (the server's message is printed), 2 bad usage.
int run(const std::vector<std::string>& args, const Fetch& fetch, std::ostream& out,
        std::ostream& err, int64_t now_ms);
int runCli(int argc, char** argv);

}  // namespace periscope::app::query_cli
