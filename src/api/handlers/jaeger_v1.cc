#include "api/handlers/jaeger_v1.h"

#include <limits>
#include <map>
#include <set>
#include <utility>

#include "api/handlers/search_params.h"
#include "api/http/params.h"
#include "api/json/jaeger_encoder.h"

namespace periscope::api {
namespace {

using model::otlp::JsonWriter;

constexpr std::string_view kServiceRequired = "parameter 'service' is required";
constexpr std::string_view kTraceNotFound = "trace not found";
constexpr uint64_t kNsPerMs = 1'000'000;
constexpr uint64_t kNsPerUs = 1'000;

// Jaeger's envelope around already-encoded `data`. Jaeger fills `total` only for lists of
// services and operations; limit and offset are always 0.
http::Response envelope(std::string_view data, size_t total, std::string_view errors = "null") {
  std::string body;
  body.reserve(data.size() + 64);
  body += "{\"data\":";
  body += data;
  body += ",\"total\":";
  body += std::to_string(total);
  body += ",\"limit\":0,\"offset\":0,\"errors\":";
  body += errors;
  body += '}';
  return jsonResponse(200, std::move(body));
}

http::Response fail(const Status& st) {
  http::Response r = jaegerV1Error(httpStatusFor(st), st.message());
  if (st.retryAfterSeconds() > 0)
    r.setHeader("Retry-After", std::to_string(st.retryAfterSeconds()));
  return r;
}

// An optional non-negative integer time in units of `unit_ns`, as nanoseconds; 0 when absent.
Result<uint64_t> timeParam(const QueryParams& q, std::string_view name, uint64_t unit_ns,
                           std::string_view what) {
  auto text = q.get(name);
  if (!text || text->empty()) return uint64_t{0};
  auto v = parseInt64(*text);
  if (!v || *v < 0 || static_cast<uint64_t>(*v) > std::numeric_limits<uint64_t>::max() / unit_ns)
    return invalidArgument(cannotParse(name, *text, what));
  return static_cast<uint64_t>(*v) * unit_ns;
}

// The search window's length. The Jaeger UI also offers "2d" and "7d", which are not Go
// durations, and sends "custom" when the user picked start and end.
Result<uint64_t> lookbackParam(std::string_view text) {
  if (text == "custom") return uint64_t{0};
  if (text.size() > 1 && text.back() == 'd') {
    auto days = parseInt64(text.substr(0, text.size() - 1));
    if (days && *days >= 0 && *days <= 100'000)
      return static_cast<uint64_t>(*days) * 86'400 * 1'000'000'000;
  }
  return parseDurationParam("lookback", text);
}

std::string tracesJson(const std::vector<model::Traces>& traces) {
  std::string data;
  JsonWriter w(data);
  w.beginArray();
  for (const model::Traces& t : traces) writeJaegerTrace(w, data, t);
  w.endArray();
  return data;
}

http::Response services(query::TraceService& ts, const ApiRequest&) {
  auto names = ts.services();
  if (!names.isOk()) return fail(names.status());
  std::string data;
  JsonWriter w(data);
  w.beginArray();
  for (const std::string& n : *names) w.string(n);
  w.endArray();
  return envelope(data, names->size());
}

// The UI's original endpoint: operation names of every span kind, each once.
http::Response serviceOperations(query::TraceService& ts, const ApiRequest& req) {
  auto ops = ts.operations(req.pathParam("service"), std::nullopt);
  if (!ops.isOk()) return fail(ops.status());
  std::set<std::string_view> seen;
  std::string data;
  JsonWriter w(data);
  w.beginArray();
  for (const query::OperationInfo& op : *ops) {
    if (seen.insert(op.name).second) w.string(op.name);
  }
  w.endArray();
  return envelope(data, seen.size());
}

http::Response operations(query::TraceService& ts, const ApiRequest& req) {
  std::string_view service = req.query.get("service").value_or("");
  if (service.empty()) return jaegerV1Error(400, kServiceRequired);
  std::optional<int32_t> kind;
  if (auto text = req.query.get("spanKind"); text && !text->empty()) {
    kind = otlpSpanKind(*text);
    if (!kind) {
      return jaegerV1Error(
          400, cannotParse("spanKind", *text,
                           "a span kind (server, client, producer, consumer or internal)"));
    }
  }
  auto ops = ts.operations(service, kind);
  if (!ops.isOk()) return fail(ops.status());
  std::string data;
  JsonWriter w(data);
  w.beginArray();
  for (const query::OperationInfo& op : *ops) {
    w.beginObject();
    w.key("name");
    w.string(op.name);
    w.key("spanKind");
    w.string(jaegerSpanKind(op.span_kind));
    w.endObject();
  }
  w.endArray();
  return envelope(data, ops->size());
}

// /api/traces?traceID=…&traceID=…: Jaeger lists the ids it does not know in `errors`.
http::Response tracesByIds(query::TraceService& ts, const std::vector<std::string_view>& ids,
                           uint64_t start_ns, uint64_t end_ns) {
  std::string data, errors;
  JsonWriter w(data), ew(errors);
  w.beginArray();
  ew.beginArray();
  bool missing = false;
  for (std::string_view text : ids) {
    auto id = parseTraceId(text);
    if (!id)
      return jaegerV1Error(400, cannotParse("traceID", text, "a trace id (1 to 32 hex digits)"));
    auto trace = ts.getTrace(*id, start_ns, end_ns);
    if (!trace.isOk() && trace.status().code() != StatusCode::kNotFound)
      return fail(trace.status());
    if (!trace.isOk() || trace->empty()) {
      missing = true;
      ew.beginObject();
      ew.key("msg");
      ew.string(kTraceNotFound);
      ew.key("traceID");
      ew.string(jaegerTraceId(*id));
      ew.endObject();
      continue;
    }
    writeJaegerTrace(w, data, *trace);
  }
  w.endArray();
  ew.endArray();
  return envelope(data, 0, missing ? std::string_view(errors) : "null");
}

http::Response search(query::TraceService& ts, const ApiRequest& req) {
  const QueryParams& q = req.query;
  auto start = timeParam(q, "start", kNsPerUs, "microseconds since the epoch");
  if (!start.isOk()) return fail(start.status());
  auto end = timeParam(q, "end", kNsPerUs, "microseconds since the epoch");
  if (!end.isOk()) return fail(end.status());
  if (auto ids = q.all("traceID"); !ids.empty()) return tracesByIds(ts, ids, *start, *end);

  query::TraceQuery tq;
  tq.service = q.get("service").value_or("");
  if (tq.service.empty()) return jaegerV1Error(400, kServiceRequired);
  tq.operation = q.get("operation").value_or("");
  tq.start_time_min_ns = *start;
  tq.start_time_max_ns = *end;
  if (auto text = q.get("lookback"); text && !text->empty() && *start == 0) {
    auto lookback = lookbackParam(*text);
    if (!lookback.isOk()) return fail(lookback.status());
    if (*lookback > 0) {
      uint64_t until = *end != 0 ? *end : ts.nowNs();
      tq.start_time_max_ns = until;
      tq.start_time_min_ns = until > *lookback ? until - *lookback : 1;
    }
  }
  if (auto text = q.get("limit"); text && !text->empty()) {
    auto limit = parseInt64(*text);
    if (!limit || *limit < 0)
      return jaegerV1Error(400, cannotParse("limit", *text, "a non-negative integer"));
    tq.limit = static_cast<size_t>(*limit);
  } else {
    tq.limit = 0;  // TraceService's default
  }
  for (std::string_view name : {"minDuration", "maxDuration"}) {
    auto text = q.get(name);
    if (!text || text->empty()) continue;
    auto d = parseDurationParam(name, *text);
    if (!d.isOk()) return fail(d.status());
    (name == "minDuration" ? tq.min_duration_ns : tq.max_duration_ns) = *d;
  }
  for (std::string_view text : q.all("tags")) {
    if (text.empty()) continue;
    if (Status st = addJsonTagFilters("tags", text, tq); !st.isOk()) return fail(st);
  }
  for (std::string_view text : q.all("tag")) {
    if (Status st = addPairTagFilter("tag", text, ':', tq); !st.isOk()) return fail(st);
  }
  auto traces = ts.findTraces(std::move(tq));
  if (!traces.isOk()) return fail(traces.status());
  return envelope(tracesJson(*traces), 0);
}

http::Response getTrace(query::TraceService& ts, const ApiRequest& req) {
  std::string_view text = req.pathParam("traceID");
  auto id = parseTraceId(text);
  if (!id)
    return jaegerV1Error(400, cannotParse("traceID", text, "a trace id (1 to 32 hex digits)"));
  auto start = timeParam(req.query, "start", kNsPerUs, "microseconds since the epoch");
  if (!start.isOk()) return fail(start.status());
  auto end = timeParam(req.query, "end", kNsPerUs, "microseconds since the epoch");
  if (!end.isOk()) return fail(end.status());
  auto trace = ts.getTrace(*id, *start, *end);
  if (!trace.isOk() && trace.status().code() != StatusCode::kNotFound) return fail(trace.status());
  if (!trace.isOk() || trace->empty()) return jaegerV1Error(404, kTraceNotFound);
  std::string data;
  JsonWriter w(data);
  w.beginArray();
  writeJaegerTrace(w, data, *trace);
  w.endArray();
  return envelope(data, 0);
}

http::Response dependencies(query::TraceService& ts, const ApiRequest& req) {
  auto end = timeParam(req.query, "endTs", kNsPerMs, "milliseconds since the epoch");
  if (!end.isOk()) return fail(end.status());
  auto lookback = timeParam(req.query, "lookback", kNsPerMs, "milliseconds");
  if (!lookback.isOk()) return fail(lookback.status());
  auto links = ts.dependencies(*end, *lookback);
  if (!links.isOk()) return fail(links.status());
  // Jaeger sums links per (parent, child) and can narrow them to one service.
  std::string_view service = req.query.get("service").value_or("");
  std::map<std::pair<std::string_view, std::string_view>, uint64_t> calls;
  for (const query::DependencyLink& l : *links) {
    if (!service.empty() && l.parent != service && l.child != service) continue;
    calls[{l.parent, l.child}] += l.call_count;
  }
  std::string data;
  JsonWriter w(data);
  w.beginArray();
  for (const auto& [pair, count] : calls) {
    w.beginObject();
    w.key("parent");
    w.string(pair.first);
    w.key("child");
    w.string(pair.second);
    w.key("callCount");
    w.integer(static_cast<int64_t>(count));
    w.endObject();
  }
  w.endArray();
  return envelope(data, 0);
}

}  // namespace

http::Response jaegerV1Error(int status, std::string_view message) {
  std::string body = "{\"data\":null,\"total\":0,\"limit\":0,\"offset\":0,\"errors\":";
  JsonWriter w(body);
  w.beginArray();
  w.beginObject();
  w.key("code");
  w.integer(status);
  w.key("msg");
  w.string(message);
  w.endObject();
  w.endArray();
  body += '}';
  return jsonResponse(status, std::move(body));
}

void registerJaegerV1(Router& router, query::TraceService& traces) {
  auto bind = [&traces](http::Response (*f)(query::TraceService&, const ApiRequest&)) {
    return [&traces, f](const ApiRequest& req) { return f(traces, req); };
  };
  router.add("GET", "/api/services", bind(services));
  router.add("GET", "/api/services/{service}/operations", bind(serviceOperations));
  router.add("GET", "/api/operations", bind(operations));
  router.add("GET", "/api/traces", bind(search));
  router.add("GET", "/api/traces/{traceID}", bind(getTrace));
  router.add("GET", "/api/dependencies", bind(dependencies));
}

}  // namespace periscope::api
