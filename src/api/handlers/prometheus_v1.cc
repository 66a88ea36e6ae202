#include "api/handlers/prometheus_v1.h"

#include <charconv>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <optional>

#include "api/http/params.h"
#include "api/json/json_helpers.h"
#include "query/promql/duration.h"
#include "query/promql/parser.h"

namespace periscope::api {
namespace {

using model::otlp::JsonWriter;
using query::promql::QueryResult;
using query::promql::ValueType;

constexpr int64_t kMinTimeMs = std::numeric_limits<int64_t>::min() / 2;
constexpr int64_t kMaxTimeMs = std::numeric_limits<int64_t>::max() / 2;
// Prometheus refuses range queries of more points per series than this (web/api/v1/api.go).
constexpr int64_t kMaxPointsPerSeries = 11'000;

// Parameters as Prometheus reads them (Go's Request.FormValue): a form-encoded POST body
// first, then the URL's query string.
class Form {
 public:
  explicit Form(const ApiRequest& req) : url_(req.query) {
    if (req.http.method == "POST" &&
        req.http.header("content-type").starts_with("application/x-www-form-urlencoded")) {
      auto parsed = QueryParams::parse(req.http.body);
      if (parsed.isOk())
        body_ = std::move(*parsed);
      else
        error_ = std::string(parsed.status().message());
    }
  }
  const std::string& error() const { return error_; }
  std::string value(std::string_view name) const {
    if (auto v = body_.get(name)) return std::string(*v);
    if (auto v = url_.get(name)) return std::string(*v);
    return {};
  }
  bool has(std::string_view name) const { return body_.get(name) || url_.get(name); }
  std::vector<std::string> values(std::string_view name) const {
    std::vector<std::string> out;
    for (auto v : body_.all(name)) out.emplace_back(v);
    for (auto v : url_.all(name)) out.emplace_back(v);
    return out;
  }

 private:
  const QueryParams& url_;
  QueryParams body_;
  std::string error_;
};

http::Response success(std::string_view data_json, const std::vector<std::string>& warnings = {}) {
  std::string out = R"({"status":"success","data":)";
  out.append(data_json);
  if (!warnings.empty()) {
    out.append(R"(,"warnings":)");
    JsonWriter w(out);
    w.beginArray();
    for (const auto& warning : warnings) w.string(warning);
    w.endArray();
  }
  out.push_back('}');
  return jsonResponse(200, std::move(out));
}

http::Response badData(std::string_view message) {
  return prometheusError(400, "bad_data", message);
}

std::string invalidParam(std::string_view param, std::string_view message) {
  return "invalid parameter \"" + std::string(param) + "\": " + std::string(message);
}

// Prometheus's parseTime: Unix seconds with a fraction (rounded to ms), or RFC 3339.
std::optional<int64_t> parseTime(std::string_view text) {
  double seconds = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (ec == std::errc() && end == text.data() + text.size() && std::isfinite(seconds)) {
    double whole = std::trunc(seconds);
    double ms = std::round((seconds - whole) * 1000);
    if (std::fabs(whole) > 9.2e15) return std::nullopt;
    return static_cast<int64_t>(whole) * 1000 + static_cast<int64_t>(ms);
  }
  if (auto ns = parseRfc3339(text)) return static_cast<int64_t>(*ns / 1'000'000);
  return std::nullopt;
}

// Prometheus's parseDuration: seconds as a float, or a Prometheus duration ("15s", "1m30s").
std::optional<int64_t> parseDurationParam(std::string_view text) {
  double seconds = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (ec == std::errc() && end == text.data() + text.size()) {
    double ms = seconds * 1000;
    if (!(std::fabs(ms) < 9.2e15)) return std::nullopt;
    return static_cast<int64_t>(ms);
  }
  return query::promql::parseDurationMs(text);
}

std::string cannotParseTime(std::string_view value) {
  return "cannot parse \"" + std::string(value) + "\" to a valid timestamp";
}

// Reads an optional time parameter the way the series/labels/query endpoints do ("Invalid time
// value for '<name>': …"); `fallback` when absent.
std::optional<http::Response> optionalTime(const Form& form, std::string_view name,
                                           int64_t fallback, int64_t& out) {
  if (!form.has(name) || form.value(name).empty()) {
    out = fallback;
    return std::nullopt;
  }
  std::string text = form.value(name);
  auto t = parseTime(text);
  if (!t)
    return badData(invalidParam(
        name, "Invalid time value for '" + std::string(name) + "': " + cannotParseTime(text)));
  out = *t;
  return std::nullopt;
}

std::optional<http::Response> checkTimeout(const Form& form) {
  if (!form.has("timeout")) return std::nullopt;
  std::string text = form.value("timeout");
  if (!parseDurationParam(text))
    return badData(invalidParam("timeout", "cannot parse \"" + text + "\" to a valid duration"));
  return std::nullopt;
}

void writeLabels(JsonWriter& w, const model::prom::Labels& labels) {
  w.beginObject();
  for (const auto& l : labels) {
    writeDataKey(w, l.name);
    w.string(l.value);
  }
  w.endObject();
}

// Go's strconv.FormatFloat(v, 'f', -1, 64): the shortest digits that round-trip, written in
// fixed notation (1e30 → "1" and 30 zeros, not the exact binary expansion).
std::string shortestFixed(double v) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<size_t>(r.ptr - buf));  // [-]d[.ddd]e±XX
  std::string out;
  if (sci.front() == '-') {
    out.push_back('-');
    sci.remove_prefix(1);
  }
  size_t e = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e))
    if (c != '.') digits.push_back(c);
  int exp = std::stoi(std::string(sci.substr(e + 1)));
  // The decimal point goes after digit number exp + 1.
  int point = exp + 1;
  if (point <= 0) {
    out += "0.";
    out.append(static_cast<size_t>(-point), '0');
    out += digits;
  } else if (static_cast<size_t>(point) >= digits.size()) {
    out += digits;
    out.append(static_cast<size_t>(point) - digits.size(), '0');
  } else {
    out += digits.substr(0, static_cast<size_t>(point));
    out.push_back('.');
    out += digits.substr(static_cast<size_t>(point));
  }
  return out;
}

// The time of scalar and string results, which Prometheus marshals as float seconds with Go's
// encoding/json (shortest round-trip, fixed notation in this range).
std::string formatFloatSeconds(int64_t t_ms) {
  return shortestFixed(static_cast<double>(t_ms) / 1000.0);
}

void writePoint(JsonWriter& w, std::string& out, int64_t t_ms, double v) {
  w.beginArray();
  writeRaw(w, out, formatPointTime(t_ms));
  w.string(formatSampleValue(v));
  w.endArray();
}

std::string renderResult(const QueryResult& r) {
  std::string out;
  JsonWriter w(out);
  w.beginObject();
  w.key("resultType");
  switch (r.type) {
    case ValueType::kScalar:
    case ValueType::kString: {
      w.string(r.type == ValueType::kScalar ? "scalar" : "string");
      w.key("result");
      w.beginArray();
      writeRaw(w, out, formatFloatSeconds(r.scalar.t));
      w.string(r.type == ValueType::kScalar ? formatSampleValue(r.scalar.v) : r.string_value);
      w.endArray();
      break;
    }
    case ValueType::kVector:
    case ValueType::kMatrix: {
      bool matrix = r.type == ValueType::kMatrix;
      w.string(matrix ? "matrix" : "vector");
      w.key("result");
      w.beginArray();
      for (const auto& s : r.series) {
        w.beginObject();
        w.key("metric");
        writeLabels(w, s.labels);
        if (matrix) {
          w.key("values");
          w.beginArray();
          for (const auto& p : s.points) writePoint(w, out, p.t, p.v);
          w.endArray();
        } else if (!s.points.empty()) {
          w.key("value");
          writePoint(w, out, s.points.front().t, s.points.front().v);
        }
        w.endObject();
      }
      w.endArray();
      break;
    }
  }
  w.endObject();
  return out;
}

// Engine errors as Prometheus's returnAPIError classifies them.
http::Response queryError(const Status& st) {
  switch (st.code()) {
    case StatusCode::kInvalidArgument:
      return badData(invalidParam("query", st.message()));
    case StatusCode::kDeadlineExceeded:
      return prometheusError(503, "timeout", st.message());
    case StatusCode::kCancelled:
      return prometheusError(503, "canceled", st.message());
    case StatusCode::kUnavailable:
    case StatusCode::kInternal:
    case StatusCode::kDataLoss:
      return prometheusError(500, "internal", st.message());
    default:
      return prometheusError(422, "execution", st.message());
  }
}

// Runtime errors the engine reports as INVALID_ARGUMENT (e.g. vector matching) are execution
// errors in Prometheus; only a query that does not parse is bad data.
http::Response runQuery(std::string_view query, const std::function<Result<QueryResult>()>& run) {
  auto parsed = query::promql::parse(query);
  if (!parsed.isOk()) return badData(invalidParam("query", parsed.status().message()));
  auto result = run();
  if (!result.isOk()) {
    if (result.status().code() == StatusCode::kInvalidArgument)
      return prometheusError(422, "execution", result.status().message());
    return queryError(result.status());
  }
  return success(renderResult(*result), result->warnings);
}

// Errors of series/label lookups: a bad selector names the `match[]` parameter, as Prometheus
// does, except its own "no match[] parameter provided".
http::Response lookupError(const Status& st, std::string_view param) {
  if (st.code() != StatusCode::kInvalidArgument) return queryError(st);
  if (st.message().starts_with("no match[]")) return badData(st.message());
  return badData(invalidParam(param, st.message()));
}

http::Response stringList(const std::vector<std::string>& values) {
  std::string out;
  JsonWriter w(out);
  w.beginArray();
  for (const auto& v : values) w.string(v);
  w.endArray();
  return success(out);
}

}  // namespace

std::string formatSampleValue(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (v == 0) return std::signbit(v) ? "-0" : "0";
  return shortestFixed(v);
}

std::string formatPointTime(int64_t t_ms) {
  std::string out;
  if (t_ms < 0) {
    out.push_back('-');
    t_ms = -t_ms;
  }
  out += std::to_string(t_ms / 1000);
  int64_t fraction = t_ms % 1000;
  if (fraction != 0) {
    out.push_back('.');
    if (fraction < 100) out.push_back('0');
    if (fraction < 10) out.push_back('0');
    out += std::to_string(fraction);
  }
  return out;
}

http::Response prometheusError(int status, std::string_view type, std::string_view message) {
  std::string out;
  JsonWriter w(out);
  w.beginObject();
  w.key("status");
  w.string("error");
  w.key("errorType");
  w.string(type);
  w.key("error");
  w.string(message);
  w.endObject();
  return jsonResponse(status, std::move(out));
}

void registerPrometheusV1(Router& router, const query::MetricsService& metrics,
                          PrometheusApiOptions options) {
  auto now = options.now_ms ? options.now_ms : [] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  };

  auto instant = [&metrics, now](const ApiRequest& req) {
    Form form(req);
    if (!form.error().empty()) return badData(form.error());
    int64_t t = 0;
    if (auto err = optionalTime(form, "time", now(), t)) return *err;
    if (auto err = checkTimeout(form)) return *err;
    std::string q = form.value("query");
    return runQuery(q, [&] { return metrics.instant(q, t); });
  };
  auto range = [&metrics](const ApiRequest& req) {
    Form form(req);
    if (!form.error().empty()) return badData(form.error());
    int64_t start = 0, end = 0;
    for (auto [name, out] : {std::pair<const char*, int64_t*>{"start", &start}, {"end", &end}}) {
      std::string text = form.value(name);
      auto t = parseTime(text);
      if (!t) return badData(invalidParam(name, cannotParseTime(text)));
      *out = *t;
    }
    if (end < start)
      return badData(invalidParam("end", "end timestamp must not be before start time"));
    std::string step_text = form.value("step");
    auto step = parseDurationParam(step_text);
    if (!step)
      return badData(
          invalidParam("step", "cannot parse \"" + step_text + "\" to a valid duration"));
    if (*step <= 0)
      return badData(invalidParam("step",
                                  "zero or negative query resolution step widths are not "
                                  "accepted. Try a positive integer"));
    if ((end - start) / *step > kMaxPointsPerSeries)
      return badData(
          "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the "
          "query resolution (?step=XX)");
    if (auto err = checkTimeout(form)) return *err;
    std::string q = form.value("query");
    int64_t step_ms = *step;
    return runQuery(q, [&] { return metrics.range(q, start, end, step_ms); });
  };
  auto series = [&metrics](const ApiRequest& req) {
    Form form(req);
    if (!form.error().empty()) return badData(form.error());
    int64_t start = 0, end = 0;
    if (auto err = optionalTime(form, "start", kMinTimeMs, start)) return *err;
    if (auto err = optionalTime(form, "end", kMaxTimeMs, end)) return *err;
    auto got = metrics.series(form.values("match[]"), start, end);
    if (!got.isOk()) return lookupError(got.status(), "match[]");
    std::string out;
    JsonWriter w(out);
    w.beginArray();
    for (const auto& labels : *got) writeLabels(w, labels);
    w.endArray();
    return success(out);
  };
  auto labels = [&metrics](const ApiRequest& req) {
    Form form(req);
    if (!form.error().empty()) return badData(form.error());
    int64_t start = 0, end = 0;
    if (auto err = optionalTime(form, "start", kMinTimeMs, start)) return *err;
    if (auto err = optionalTime(form, "end", kMaxTimeMs, end)) return *err;
    auto got = metrics.labelNames(form.values("match[]"), start, end);
    if (!got.isOk()) return lookupError(got.status(), "match[]");
    return stringList(*got);
  };
  auto values = [&metrics](const ApiRequest& req) {
    Form form(req);
    if (!form.error().empty()) return badData(form.error());
    std::string name(req.pathParam("name"));
    if (!model::prom::isValidLabelName(name))
      return badData("invalid label name: \"" + name + "\"");
    int64_t start = 0, end = 0;
    if (auto err = optionalTime(form, "start", kMinTimeMs, start)) return *err;
    if (auto err = optionalTime(form, "end", kMaxTimeMs, end)) return *err;
    auto got = metrics.labelValues(name, form.values("match[]"), start, end);
    if (!got.isOk()) return lookupError(got.status(), "match[]");
    return stringList(*got);
  };
  auto metadata = [&metrics](const ApiRequest& req) {
    Form form(req);
    if (!form.error().empty()) return badData(form.error());
    size_t limit = 0;
    if (form.has("limit")) {
      auto n = parseInt64(form.value("limit"));
      if (!n) return badData("limit must be a number");
      limit = *n < 0 ? 0 : static_cast<size_t>(*n);
    }
    // Grouped by family in name order, at most `limit` families (Prometheus's meaning).
    std::map<std::string, std::vector<model::prom::MetricMetadata>> by_family;
    for (auto& md : metrics.metadata(form.value("metric"), 0)) {
      auto& list = by_family[md.family];
      bool dup = false;
      for (const auto& e : list)
        dup = dup || (e.kind == md.kind && e.help == md.help && e.unit == md.unit);
      if (!dup) list.push_back(std::move(md));
    }
    std::string out;
    JsonWriter w(out);
    w.beginObject();
    size_t n = 0;
    for (const auto& [family, list] : by_family) {
      if (limit != 0 && n++ >= limit) break;
      writeDataKey(w, family);
      w.beginArray();
      for (const auto& md : list) {
        w.beginObject();
        w.key("type");
        w.string(model::prom::metricKindName(md.kind));
        w.key("help");
        w.string(md.help);
        w.key("unit");
        w.string(md.unit);
        w.endObject();
      }
      w.endArray();
    }
    w.endObject();
    return success(out);
  };
  auto buildinfo = [version = options.version](const ApiRequest&) {
    std::string out;
    JsonWriter w(out);
    w.beginObject();
    for (auto [k, v] : {std::pair<const char*, std::string>{"version", version},
                        {"revision", "periscope"},
                        {"branch", ""},
                        {"buildUser", ""},
                        {"buildDate", ""},
                        {"goVersion", ""}}) {
      w.key(k);
      w.string(v);
    }
    w.endObject();
    return success(out);
  };

  for (const char* method : {"GET", "POST"}) {
    router.add(method, "/api/v1/query", instant);
    router.add(method, "/api/v1/query_range", range);
    router.add(method, "/api/v1/series", series);
    router.add(method, "/api/v1/labels", labels);
  }
  router.add("GET", "/api/v1/label/{name}/values", values);
  router.add("GET", "/api/v1/metadata", metadata);
  router.add("GET", "/api/v1/status/buildinfo", buildinfo);
}

}  // namespace periscope::api
