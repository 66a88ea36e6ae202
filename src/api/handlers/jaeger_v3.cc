#include "api/handlers/jaeger_v3.h"

#include <utility>

#include "api/handlers/search_params.h"
#include "api/http/params.h"
#include "api/json/jaeger_encoder.h"
#include "model/otlp/json_encoder.h"
#include "model/otlp/json_writer.h"

namespace periscope::api {
namespace {

using model::otlp::JsonWriter;

constexpr std::string_view kRfc3339 = "an RFC 3339 time (e.g. 2024-05-01T12:00:00Z)";

http::Response fail(const Status& st) {
  http::Response r = jaegerV3Error(httpStatusFor(st), st.message());
  if (st.retryAfterSeconds() > 0)
    r.setHeader("Retry-After", std::to_string(st.retryAfterSeconds()));
  return r;
}

// An optional RFC 3339 time under any of `names`, as ns since the epoch; 0 when absent.
Result<uint64_t> timeParam(const QueryParams& q, std::initializer_list<std::string_view> names) {
  auto p = q.first(names);
  if (!p) return uint64_t{0};
  auto t = parseRfc3339(p->second);
  if (!t) return invalidArgument(cannotParse(p->first, p->second, kRfc3339));
  return *t;
}

// rawTraces asks Jaeger to skip its clock-skew adjusters; Periscope never adjusts, so the flag
// is only validated.
Status checkRawTraces(const QueryParams& q, std::initializer_list<std::string_view> names) {
  auto p = q.first(names);
  if (p && !parseBool(p->second))
    return invalidArgument(cannotParse(p->first, p->second, "a boolean"));
  return Status::ok();
}

http::Response result(const model::Traces& traces) {
  std::string body = "{\"result\":";
  model::otlp::encodeJson(traces, body);
  body += '}';
  return jsonResponse(200, std::move(body));
}

http::Response services(query::TraceService& ts, const ApiRequest&) {
  auto names = ts.services();
  if (!names.isOk()) return fail(names.status());
  std::string body;
  JsonWriter w(body);
  w.beginObject();
  w.key("services");
  w.beginArray();
  for (const std::string& n : *names) w.string(n);
  w.endArray();
  w.endObject();
  return jsonResponse(200, std::move(body));
}

http::Response operations(query::TraceService& ts, const ApiRequest& req) {
  std::optional<int32_t> kind;
  if (auto p = req.query.first({"spanKind", "span_kind"})) {
    kind = otlpSpanKind(p->second);
    if (!kind) {
      return jaegerV3Error(
          400, cannotParse(p->first, p->second,
                           "a span kind (server, client, producer, consumer or internal)"));
    }
  }
  auto ops = ts.operations(req.query.get("service").value_or(""), kind);
  if (!ops.isOk()) return fail(ops.status());
  std::string body;
  JsonWriter w(body);
  w.beginObject();
  w.key("operations");
  w.beginArray();
  for (const query::OperationInfo& op : *ops) {
    w.beginObject();
    w.key("name");
    w.string(op.name);
    w.key("spanKind");
    // Jaeger's v3 gateway reports operations without a kind as internal.
    std::string_view k = jaegerSpanKind(op.span_kind);
    w.string(k.empty() ? "internal" : k);
    w.endObject();
  }
  w.endArray();
  w.endObject();
  return jsonResponse(200, std::move(body));
}

http::Response findTraces(query::TraceService& ts, const ApiRequest& req) {
  const QueryParams& q = req.query;
  query::TraceQuery tq;
  if (auto p = q.first({"query.serviceName", "query.service_name"})) tq.service = p->second;
  if (auto p = q.first({"query.operationName", "query.operation_name"})) tq.operation = p->second;
  auto min = timeParam(q, {"query.startTimeMin", "query.start_time_min"});
  if (!min.isOk()) return fail(min.status());
  auto max = timeParam(q, {"query.startTimeMax", "query.start_time_max"});
  if (!max.isOk()) return fail(max.status());
  tq.start_time_min_ns = *min;
  tq.start_time_max_ns = *max;
  tq.limit = 0;  // TraceService's default
  if (auto p = q.first({"query.searchDepth", "query.num_traces", "query.search_depth"})) {
    auto n = parseInt64(p->second);
    if (!n || *n < 0)
      return jaegerV3Error(400, cannotParse(p->first, p->second, "a non-negative integer"));
    tq.limit = static_cast<size_t>(*n);
  }
  if (auto p = q.first({"query.durationMin", "query.duration_min"})) {
    auto d = parseDurationParam(p->first, p->second);
    if (!d.isOk()) return fail(d.status());
    tq.min_duration_ns = *d;
  }
  if (auto p = q.first({"query.durationMax", "query.duration_max"})) {
    auto d = parseDurationParam(p->first, p->second);
    if (!d.isOk()) return fail(d.status());
    tq.max_duration_ns = *d;
  }
  if (Status st = checkRawTraces(q, {"query.rawTraces", "query.raw_traces"}); !st.isOk())
    return fail(st);
  // Jaeger's own gateway ignores attributes; Periscope takes a JSON object or key=value pairs.
  for (std::string_view text : q.all("query.attributes")) {
    if (text.empty()) continue;
    Status st = text.front() == '{' ? addJsonTagFilters("query.attributes", text, tq)
                                    : addPairTagFilter("query.attributes", text, '=', tq);
    if (!st.isOk()) return fail(st);
  }
  auto traces = ts.findTraces(std::move(tq));
  if (!traces.isOk()) return fail(traces.status());
  // As Jaeger does: no match is 404, and the matches' resources are concatenated into one
  // TracesData.
  if (traces->empty()) return jaegerV3Error(404, "No traces found");
  model::Traces all;
  for (model::Traces& t : *traces) all.append(std::move(t));
  return result(all);
}

http::Response getTrace(query::TraceService& ts, const ApiRequest& req) {
  std::string_view text = req.pathParam("trace_id");
  auto id = parseTraceId(text);
  if (!id)
    return jaegerV3Error(400, cannotParse("trace_id", text, "a trace id (1 to 32 hex digits)"));
  auto start = timeParam(req.query, {"startTime", "start_time"});
  if (!start.isOk()) return fail(start.status());
  auto end = timeParam(req.query, {"endTime", "end_time"});
  if (!end.isOk()) return fail(end.status());
  if (Status st = checkRawTraces(req.query, {"rawTraces", "raw_traces"}); !st.isOk())
    return fail(st);
  auto trace = ts.getTrace(*id, *start, *end);
  if (!trace.isOk() && trace.status().code() != StatusCode::kNotFound) return fail(trace.status());
  if (!trace.isOk() || trace->empty()) return jaegerV3Error(404, "trace not found");
  return result(*trace);
}

}  // namespace

http::Response jaegerV3Error(int status, std::string_view message) {
  std::string body;
  JsonWriter w(body);
  w.beginObject();
  w.key("error");
  w.beginObject();
  w.key("httpCode");
  w.integer(status);
  w.key("message");
  w.string(message);
  w.endObject();
  w.endObject();
  return jsonResponse(status, std::move(body));
}

void registerJaegerV3(Router& router, query::TraceService& traces) {
  auto bind = [&traces](http::Response (*f)(query::TraceService&, const ApiRequest&)) {
    return [&traces, f](const ApiRequest& req) { return f(traces, req); };
  };
  router.add("GET", "/api/v3/services", bind(services));
  router.add("GET", "/api/v3/operations", bind(operations));
  router.add("GET", "/api/v3/traces", bind(findTraces));
  router.add("GET", "/api/v3/traces/{trace_id}", bind(getTrace));
}

}  // namespace periscope::api
