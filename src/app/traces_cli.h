// `periscope traces get|search`: reads traces back from a running server's Jaeger-compatible
// query API (GET /api/traces/{id}, GET /api/traces?service=...) and prints them for a terminal:
// a span tree for one trace, a table for a search. Everything between the HTTP answer and the
// printed text is a pure function here, so tests feed fixtures instead of running a server.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/http_client.h"

namespace periscope::app::traces {

inline constexpr const char* kDefaultServer = "http://127.0.0.1:16686";

// "450µs", "1.23ms", "2.1s", "1m5s": three significant digits below a minute, Go-style above.
std::string formatDuration(int64_t micros);
// Microseconds since the Unix epoch as ISO 8601 UTC with milliseconds: "2024-05-01T12:34:56.789Z".
std::string formatTimestamp(int64_t unix_micros);

// One Jaeger trace object ({traceID, spans, processes}) as a header line and a span tree.
std::string renderTrace(const nlohmann::json& trace);
// An array of Jaeger trace objects as a table, one row per trace in the given order.
std::string renderSearchTable(const nlohmann::json& traces);

// Checks a query API answer. Returns the message to show when it is an error (HTTP status not
// 2xx, the Jaeger envelope's errors[0].msg when there is one, or a body that is not JSON);
// otherwise nullopt with the parsed envelope in `envelope`.
std::optional<std::string> checkResponse(long status, std::string_view body,
                                         nlohmann::json& envelope);
// The one-line message for a request that got no HTTP answer at all.
std::string transportError(const std::string& server, const HttpResponse& response);

struct SearchQuery {
  std::string service;
  std::string operation;
  std::vector<std::pair<std::string, std::string>> tags;  // later duplicates win
  std::optional<std::chrono::microseconds> min_duration;
  std::optional<std::chrono::microseconds> max_duration;
  std::optional<std::chrono::microseconds> lookback;
  int limit = 20;
};

std::string traceUrl(const std::string& server, const std::string& trace_id);
// `now` anchors the lookback window: it is sent both as `lookback` and as explicit `start`/`end`
// (µs) because Jaeger's own query service reads only the latter.
std::string searchUrl(const std::string& server, const SearchQuery& query,
                      std::chrono::system_clock::time_point now);

// The whole subcommand with its I/O injected: `args` are the words after `traces`, `fetch`
// performs one GET. Exit codes: 0 ok, 1 request or server error, 2 bad usage.
using Fetch = std::function<HttpResponse(const std::string& url)>;
int run(const std::vector<std::string>& args, const Fetch& fetch, std::ostream& out,
        std::ostream& err, std::chrono::system_clock::time_point now);

// Entry point from `periscope traces ...` (argv after the word `traces`).
int runCli(int argc, char** argv);

}  // namespace periscope::app::traces
