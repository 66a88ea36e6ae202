#include "api/handlers/periscope_logs.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <memory>
#include <string>
#include <utility>

#include "api/http/params.h"
#include "api/json/json_helpers.h"
#include "api/json/log_record_encoder.h"
#include "model/otlp/json_writer.h"
#include "query/logs/parser.h"

namespace periscope::api {
namespace {

using model::otlp::JsonWriter;

constexpr uint64_t kNsPerMs = 1'000'000;
constexpr uint64_t kDefaultWindowNs = uint64_t{3'600} * 1'000'000'000;  // 1 h
constexpr std::string_view kTimeForms =
    "a time (RFC 3339, or Unix seconds, milliseconds or nanoseconds)";

struct Window {
  uint64_t start_ns = 0;
  uint64_t end_ns = 0;
};

// start/end: end defaults to now, start to an hour before end.
Result<Window> window(const QueryParams& q, uint64_t now_ns) {
  Window w;
  w.end_ns = now_ns;
  if (auto p = q.get("end"); p && !p->empty()) {
    auto t = parseLogTime(*p);
    if (!t) return invalidArgument(cannotParse("end", *p, kTimeForms));
    w.end_ns = *t;
  }
  w.start_ns = w.end_ns > kDefaultWindowNs ? w.end_ns - kDefaultWindowNs : 0;
  if (auto p = q.get("start"); p && !p->empty()) {
    auto t = parseLogTime(*p);
    if (!t) return invalidArgument(cannotParse("start", *p, kTimeForms));
    w.start_ns = *t;
  }
  if (w.start_ns > w.end_ns) return invalidArgument("start: must not be after end");
  return w;
}

// A Go/Prometheus-style duration ("15s", "1m30s") or a number of seconds ("15", "0.5"), in ms.
std::optional<int64_t> parseStepMs(std::string_view text) {
  if (auto ns = parseGoDuration(text)) return *ns / static_cast<int64_t>(kNsPerMs);
  double seconds = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(seconds) ||
      seconds > 1e12)
    return std::nullopt;
  return static_cast<int64_t>(std::llround(seconds * 1000));
}

http::Response metricAnswer(const query::LogMetricsResult& result, int64_t start_ms, int64_t end_ms,
                            int64_t step_ms) {
  std::string body;
  JsonWriter w(body);
  w.beginObject();
  w.key("resultType");
  w.string("matrix");
  w.key("series");
  w.beginArray();
  for (const query::LogSeries& series : result.series) {
    w.beginObject();
    w.key("labels");
    w.beginObject();
    for (const auto& [name, value] : series.labels) {
      writeDataKey(w, name);
      w.string(value);
    }
    w.endObject();
    w.key("points");
    w.beginArray();
    for (const auto& [t_ms, value] : series.points) {
      w.beginArray();
      w.integer(t_ms);
      w.dbl(value);
      w.endArray();
    }
    w.endArray();
    w.endObject();
  }
  w.endArray();
  w.key("start");
  w.integer(start_ms);
  w.key("end");
  w.integer(end_ms);
  w.key("step");
  w.integer(step_ms);
  w.key("stats");
  writeLogsStats(w, result.stats);
  w.endObject();
  return jsonResponse(200, std::move(body));
}

http::Response recordsAnswer(const query::LogsResult& result) {
  std::string body;
  JsonWriter w(body);
  w.beginObject();
  w.key("resultType");
  w.string("records");
  w.key("records");
  writeLogRecords(w, body, result.records, result.fields);
  w.key("direction");
  w.string(result.forward ? "forward" : "backward");
  w.key("limit");
  w.integer(static_cast<int64_t>(result.limit));
  w.key("truncated");
  w.boolean(result.truncated);
  w.key("stats");
  writeLogsStats(w, result.stats);
  w.endObject();
  return jsonResponse(200, std::move(body));
}

http::Response queryLogs(const LogsBackend& logs, const LogsApiOptions& options,
                         const ApiRequest& req) {
  const QueryParams& q = req.query;
  std::string_view text;
  auto expr = parseLogsQuery(q, text);
  if (!expr.isOk()) return periscopeFailure(expr.status());
  auto win = window(q, options.now_ns());
  if (!win.isOk()) return periscopeFailure(win.status());
  size_t limit = 0;
  if (auto p = q.get("limit"); p && !p->empty()) {
    auto n = parseInt64(*p);
    if (!n || *n < 0)
      return periscopeError(400, cannotParse("limit", *p, "a non-negative integer"));
    limit = static_cast<size_t>(*n);
  }
  bool forward = false;
  if (auto p = q.get("direction"); p && !p->empty()) {
    std::string d(*p);
    std::ranges::transform(d, d.begin(), [](unsigned char c) { return std::tolower(c); });
    if (d != "forward" && d != "backward")
      return periscopeError(400, cannotParse("direction", *p, "forward or backward"));
    forward = d == "forward";
  }
  if (expr->isMetric()) {
    auto start_ms = static_cast<int64_t>(win->start_ns / kNsPerMs);
    auto end_ms = static_cast<int64_t>(win->end_ns / kNsPerMs);
    // Loki's default: about 250 points over the range, at least one second apart.
    int64_t step_ms = std::max<int64_t>(1, (end_ms - start_ms) / 250 / 1000) * 1000;
    if (auto p = q.get("step"); p && !p->empty()) {
      auto s = parseStepMs(*p);
      if (!s || *s <= 0)
        return periscopeError(
            400, cannotParse("step", *p, "a positive duration (e.g. 15s) or number of seconds"));
      step_ms = *s;
    }
    auto result = logs.queryRange(text, start_ms, end_ms, step_ms);
    if (!result.isOk()) return periscopeFailure(result.status());
    return metricAnswer(*result, start_ms, end_ms, step_ms);
  }
  query::LogsRequest request;
  request.query = std::string(text);
  request.start_ns = win->start_ns;
  request.end_ns = win->end_ns;
  request.limit = limit;
  request.forward = forward;
  auto result = logs.query(request);
  if (!result.isOk()) return periscopeFailure(result.status());
  return recordsAnswer(*result);
}

http::Response resourceValues(const LogsBackend& logs, const ApiRequest& req) {
  std::string_view key = req.query.get("key").value_or("");
  if (key.empty())
    return periscopeError(400, "key: missing; a resource attribute such as service.name");
  auto values = logs.resourceValues(key);
  if (!values.isOk()) return periscopeFailure(values.status());
  std::string body;
  JsonWriter w(body);
  w.beginObject();
  w.key("key");
  w.string(key);
  w.key("values");
  w.beginArray();
  for (const std::string& v : *values) w.string(v);
  w.endArray();
  w.endObject();
  return jsonResponse(200, std::move(body));
}

std::optional<std::string> parseFullTraceId(std::string_view hex) {
  if (hex.size() != 32) return std::nullopt;
  std::string raw(16, '\0');
  for (size_t i = 0; i < 16; ++i) {
    unsigned v = 0;
    auto [end, ec] = std::from_chars(hex.data() + 2 * i, hex.data() + 2 * i + 2, v, 16);
    if (ec != std::errc() || end != hex.data() + 2 * i + 2) return std::nullopt;
    raw[i] = static_cast<char>(v);
  }
  return raw;
}

http::Response traceLogs(const LogsBackend& logs, const ApiRequest& req) {
  std::string_view text = req.pathParam("traceID");
  auto id = parseFullTraceId(text);
  if (!id) return periscopeError(400, cannotParse("traceID", text, "a trace id (32 hex digits)"));
  auto records = logs.traceLogs(*id);
  if (!records.isOk()) return periscopeFailure(records.status());
  std::string body;
  JsonWriter w(body);
  w.beginObject();
  w.key("traceId");
  w.hex(*id);
  w.key("records");
  writeLogRecords(w, body, *records, {});
  w.endObject();
  return jsonResponse(200, std::move(body));
}

}  // namespace

Result<query::logs::Expr> parseLogsQuery(const QueryParams& q, std::string_view& text) {
  text = q.get("query").value_or("");
  if (text.empty())
    return invalidArgument("query: missing; a log query such as {service.name=\"checkout\"}");
  auto expr = query::logs::parse(text);
  if (!expr.isOk()) return invalidArgument("query: " + std::string(expr.status().message()));
  return expr;
}

http::Response periscopeError(int status, std::string_view message) {
  std::string body;
  JsonWriter w(body);
  w.beginObject();
  w.key("error");
  w.beginObject();
  w.key("code");
  w.integer(status);
  w.key("message");
  w.string(message);
  w.endObject();
  w.endObject();
  return jsonResponse(status, std::move(body));
}

http::Response periscopeFailure(const Status& st) {
  http::Response r = periscopeError(httpStatusFor(st), st.message());
  if (st.retryAfterSeconds() > 0)
    r.setHeader("Retry-After", std::to_string(st.retryAfterSeconds()));
  return r;
}

void registerPeriscopeLogs(Router& router, const LogsBackend& logs, LogsApiOptions options) {
  if (!options.now_ns) {
    options.now_ns = [] {
      return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                       std::chrono::system_clock::now().time_since_epoch())
                                       .count());
    };
  }
  // Shared by the route handlers, which the router copies.
  auto shared = std::make_shared<const LogsApiOptions>(options);
  auto tail = std::make_shared<LogsTail>(logs, options.tail, options.tail_counters);
  router.add("GET", "/api/periscope/logs",
             [&logs, shared](const ApiRequest& req) { return queryLogs(logs, *shared, req); });
  router.add("GET", "/api/periscope/logs/values",
             [&logs](const ApiRequest& req) { return resourceValues(logs, req); });
  router.add("GET", "/api/periscope/logs/tail",
             [tail](const ApiRequest& req) { return tail->handle(req); });
  router.add("GET", "/api/periscope/traces/{traceID}/logs",
             [&logs](const ApiRequest& req) { return traceLogs(logs, req); });
}

}  // namespace periscope::api
