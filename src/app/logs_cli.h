// `periscope logs 'QUERY'`: runs a log query against a running server's logs API
// (/api/periscope/logs) and prints one line per record (or, for a metric query, a table of
// series); with --follow it streams the live tail (/api/periscope/logs/tail, server-sent events)
// until interrupted. Parsing, URLs and rendering are pure; the subcommand takes its I/O injected
// so tests run without a server.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/http_client.h"

namespace periscope::app::logs_cli {

struct LogsArgs {
  std::string server = "http://127.0.0.1:16686";
  std::string query;
  std::chrono::milliseconds since{std::chrono::hours(1)};
  std::optional<std::string> until;  // a time (RFC 3339 or Unix) or a duration ago
  std::optional<int64_t> limit;
  bool forward = false;
  bool follow = false;
  bool json = false;  // --output json
  bool help = false;
};

// The words after `logs`; a usage error's message (exit code 2) or nullopt.
std::optional<std::string> parseArgs(const std::vector<std::string>& args, LogsArgs& out);

// /api/periscope/logs?query=…&start=…&end=… (ns) for wall-clock `now_ns`; a message when
// --until cannot be read.
std::optional<std::string> queryUrl(const LogsArgs& args, int64_t now_ns, std::string& url);
std::string tailUrl(const LogsArgs& args);

// One record of the API's JSON as a terminal line: time (UTC, ms), severity, service.name, the
// line (control characters escaped, so one record stays one line), and trace_id when present.
std::string renderRecord(const nlohmann::json& record);
// A /api/periscope/logs answer: the records, or for a metric query a table of series with
// their last, min and max values and a sparkline (as `periscope query --range`).
std::string renderAnswer(const nlohmann::json& answer);

// Splits a server-sent event stream fed in arbitrary pieces into (event, data) pairs;
// comments (keep-alives) are skipped.
class SseSplitter {
 public:
  using OnEvent = std::function<void(std::string_view event, std::string_view data)>;
  void feed(std::string_view bytes, const OnEvent& on_event);

 private:
  std::string buffer_;
};

struct Io {
  std::function<HttpResponse(const std::string& url)> fetch;
  // A streamed GET: the body goes to on_data (status, bytes) as it arrives; see
  // HttpClient::stream.
  std::function<HttpResponse(const std::string& url,
                             const std::function<bool(long, std::string_view)>& on_data)>
      stream;
  std::function<bool()> interrupted;  // Ctrl-C was pressed
};

// Exit codes: 0 ok (also --follow ended by Ctrl-C), 1 request or server error (the server's
// message is printed), 2 bad usage.
int run(const std::vector<std::string>& args, const Io& io, std::ostream& out, std::ostream& err,
        int64_t now_ns);
int runCli(int argc, char** argv);

}  // namespace periscope::app::logs_cli
