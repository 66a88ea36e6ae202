#include "app/query_cli.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>
#include <nlohmann/json.hpp>

#include "config/duration.h"

namespace periscope::app::query_cli {
namespace {

using nlohmann::json;

constexpr const char* kUsage =
    "Usage: periscope query [--server URL] [--range D [--step D]] [--json] 'PROMQL'\n\n"
    "  --server URL   query API of a running server (default http://127.0.0.1:16686)\n"
    "  --range D      range query over the last D (e.g. 1h), printed as sparklines\n"
    "  --step D       resolution of a range query (default: range / 60, at least 1s)\n"
    "  --json         print the API's JSON answer as it is\n";

// Prometheus sends sample values as strings ("1.5", "+Inf", "NaN").
double parseValue(const json& v) {
  if (!v.is_string()) return std::nan("");
  const std::string& s = v.get_ref<const std::string&>();
  if (s == "+Inf") return INFINITY;
  if (s == "-Inf") return -INFINITY;
  char* end = nullptr;
  double d = std::strtod(s.c_str(), &end);
  return end == s.c_str() ? std::nan("") : d;
}

std::string formatValue(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

std::string padRight(const std::string& s, size_t width) {
  return s.size() >= width ? s : s + std::string(width - s.size(), ' ');
}

std::string table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()));
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i)
      line += i + 1 == row.size() ? row[i] : padRight(row[i], widths[i]) + "  ";
    out += line + "\n";
  }
  return out;
}

std::optional<std::chrono::milliseconds> durationArg(const std::string& text) {
  auto d = config::parseDuration(text);
  if (!d || *d <= config::Duration::zero()) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::milliseconds>(*d);
}

std::string seconds(int64_t ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", static_cast<double>(ms) / 1000.0);
  return buf;
}

}  // namespace

std::string seriesName(const json& metric) {
  std::string name;
  std::string labels;
  if (metric.is_object()) {
    for (const auto& [k, v] : metric.items()) {
      std::string value = v.is_string() ? v.get<std::string>() : v.dump();
      if (k == "__name__") {
        name = value;
        continue;
      }
      if (!labels.empty()) labels += ", ";
      labels += k + "=" + json(value).dump();
    }
  }
  if (labels.empty()) return name.empty() ? "{}" : name;
  return name + "{" + labels + "}";
}

std::string sparkline(const std::vector<double>& values, size_t width) {
  static const char* kBlocks[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
  if (values.empty() || width == 0) return {};
  std::vector<double> cols;
  size_t n = std::min(width, values.size());
  for (size_t c = 0; c < n; ++c) cols.push_back(values[(c + 1) * values.size() / n - 1]);
  double lo = INFINITY, hi = -INFINITY;
  for (double v : cols) {
    if (std::isfinite(v)) {
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  }
  std::string out;
  for (double v : cols) {
    if (!std::isfinite(v)) {
      out += ' ';
      continue;
    }
    size_t level = hi > lo ? static_cast<size_t>(std::lround((v - lo) / (hi - lo) * 7)) : 3;
    out += kBlocks[std::min<size_t>(level, 7)];
  }
  return out;
}

std::string renderResult(const json& data) {
  std::string type = data.value("resultType", "");
  const json& result = data.contains("result") ? data["result"] : json();
  if (type == "scalar" || type == "string") {
    if (!result.is_array() || result.size() != 2) return "(no result)\n";
    return type == "string" ? result[1].get<std::string>() + "\n"
                            : formatValue(parseValue(result[1])) + "\n";
  }
  if (!result.is_array() || result.empty()) return "(no series)\n";
  std::vector<std::vector<std::string>> rows;
  if (type == "vector") {
    rows.push_back({"SERIES", "VALUE"});
    for (const auto& s : result) {
      const json& v = s.contains("value") ? s["value"] : json();
      rows.push_back({seriesName(s.value("metric", json::object())),
                      v.is_array() && v.size() == 2 ? formatValue(parseValue(v[1])) : "?"});
    }
    return table(rows);
  }
  rows.push_back({"SERIES", "LAST", "MIN", "MAX", "TREND"});
  for (const auto& s : result) {
    std::vector<double> values;
    if (s.contains("values") && s["values"].is_array()) {
      for (const auto& p : s["values"]) {
        if (p.is_array() && p.size() == 2) values.push_back(parseValue(p[1]));
      }
    }
    double lo = INFINITY, hi = -INFINITY;
    for (double v : values) {
      if (!std::isnan(v)) {
        lo = std::min(lo, v);
        hi = std::max(hi, v);
      }
    }
    rows.push_back({seriesName(s.value("metric", json::object())),
                    values.empty() ? "-" : formatValue(values.back()),
                    std::isfinite(lo) || std::isinf(lo) ? formatValue(lo) : "-",
                    std::isfinite(hi) || std::isinf(hi) ? formatValue(hi) : "-",
                    sparkline(values, 60)});
  }
  return table(rows);
}

std::string requestUrl(const QueryRequest& r, int64_t now_ms) {
  std::string url = r.server;
  if (!r.range)
    return url + "/api/v1/query?query=" + percentEncode(r.query) + "&time=" + seconds(now_ms);
  int64_t range = r.range->count();
  int64_t step = r.step ? r.step->count() : std::max<int64_t>(1000, range / 60 / 1000 * 1000);
  return url + "/api/v1/query_range?query=" + percentEncode(r.query) +
         "&start=" + seconds(now_ms - range) + "&end=" + seconds(now_ms) + "&step=" + seconds(step);
}

int run(const std::vector<std::string>& args, const Fetch& fetch, std::ostream& out,
        std::ostream& err, int64_t now_ms) {
  QueryRequest r;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&]() -> std::optional<std::string> {
      if (i + 1 >= args.size()) return std::nullopt;
      return args[++i];
    };
    if (a == "--help" || a == "-h") {
      out << kUsage;
      return 0;
    } else if (a == "--json") {
      r.json = true;
    } else if (a == "--server" || a == "--range" || a == "--step") {
      auto v = value();
      if (!v) {
        err << "periscope query: " << a << " needs a value\n";
        return 2;
      }
      if (a == "--server") {
        r.server = *v;
        continue;
      }
      auto d = durationArg(*v);
      if (!d) {
        err << "periscope query: " << a << ": \"" << *v
            << "\" is not a positive duration such as 30s, 5m or 1h\n";
        return 2;
      }
      (a == "--range" ? r.range : r.step) = *d;
    } else if (a.starts_with("--")) {
      err << "periscope query: unknown option \"" << a << "\"\n\n" << kUsage;
      return 2;
    } else if (r.query.empty()) {
      r.query = a;
    } else {
      err << "periscope query: one query only (quote it): unexpected \"" << a << "\"\n";
      return 2;
    }
  }
  if (r.query.empty()) {
    err << kUsage;
    return 2;
  }
  if (r.step && !r.range) {
    err << "periscope query: --step needs --range\n";
    return 2;
  }
  HttpResponse response = fetch(requestUrl(r, now_ms));
  if (response.outcome != HttpResponse::Outcome::kOk) {
    err << "periscope query: cannot reach " << r.server << ": " << response.error << "\n";
    return 1;
  }
  json answer = json::parse(response.body, nullptr, false);
  if (answer.is_discarded() || !answer.is_object()) {
    err << "periscope query: HTTP " << response.status << " with a body that is not JSON\n";
    return 1;
  }
  if (answer.value("status", "") != "success") {
    err << "periscope query: " << answer.value("errorType", "error") << ": "
        << answer.value("error", "HTTP " + std::to_string(response.status)) << "\n";
    return 1;
  }
  if (r.json) {
    out << response.body << "\n";
    return 0;
  }
  out << renderResult(answer.value("data", json::object()));
  if (answer.contains("warnings"))
    for (const auto& w : answer["warnings"]) err << "warning: " << w.get<std::string>() << "\n";
  return 0;
}

int runCli(int argc, char** argv) {
  std::vector<std::string> args(argv, argv + argc);
  HttpClient client({"Accept: application/json"});
  Fetch fetch = [&client](const std::string& url) {
    return client.get(url, std::chrono::seconds(120));
  };
  int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  return run(args, fetch, std::cout, std::cerr, now);
}

}  // namespace periscope::app::query_cli
