#include "app/logs_cli.h"

#include <csignal>
#include <iostream>
#include <nlohmann/json.hpp>

#include "api/http/params.h"
#include "app/query_cli.h"
#include "app/traces_cli.h"
#include "config/duration.h"

namespace periscope::app::logs_cli {
namespace {

using nlohmann::json;

constexpr const char* kUsage =
    "Usage: periscope logs [options] 'QUERY'\n\n"
    "  --since D          records of the last D (default 1h), e.g. 15m, 2h\n"
    "  --until T          end of the range: RFC 3339, Unix seconds/ms/ns, or a duration ago\n"
    "  --limit N          at most N records (default: the server's, 1000)\n"
    "  --forward          oldest first (default: newest first)\n"
    "  --follow, -f       stream new records as they are stored, until Ctrl-C\n"
    "  --output text|json one line per record (default), or the API's JSON\n"
    "  --server URL       query API of a running server (default http://127.0.0.1:16686)\n\n"
    "QUERY is a log query ({service.name=\"checkout\"} |= \"timeout\") or a metric query\n"
    "(sum by (service.name) (rate({severity>=\"ERROR\"}[5m]))); see docs/logs.md.\n";

std::string_view severityName(int number) {
  static constexpr std::string_view kNames[] = {"TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"};
  return number >= 1 && number <= 24 ? kNames[(number - 1) / 4] : "-";
}

// One record per terminal line: line breaks and tabs are escaped, other control characters
// (which could move the cursor or recolour the terminal) become '?'.
std::string escapeLine(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7F) {
      out += '?';
    } else if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(s[i + 1]) <= 0x9F) {
      out += '?';  // a C1 control character in UTF-8
      ++i;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string stringField(const json& o, const char* key) {
  auto it = o.find(key);
  return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The message to print for a non-2xx answer: the envelope's error.message when there is one.
std::string serverError(long status, std::string_view body) {
  json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_object() && j.contains("error") && j["error"].is_object()) {
    std::string message = stringField(j["error"], "message");
    if (!message.empty()) return escapeLine(message) + " (HTTP " + std::to_string(status) + ")";
  }
  std::string excerpt = escapeLine(body.substr(0, std::min(body.find('\n'), size_t{200})));
  return "the server answered HTTP " + std::to_string(status) +
         (excerpt.empty() ? "" : ": " + excerpt);
}

std::optional<std::chrono::milliseconds> positiveDuration(const std::string& text) {
  auto d = config::parseDuration(text);
  if (!d || *d <= config::Duration::zero()) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::milliseconds>(*d);
}

int follow(const LogsArgs& args, const Io& io, std::ostream& out, std::ostream& err) {
  SseSplitter splitter;
  std::string error_body;
  long error_status = 0;
  auto on_event = [&](std::string_view event, std::string_view data) {
    if (event == "dropped") {
      json j = json::parse(data, nullptr, false);
      uint64_t n = j.is_object() ? j.value("dropped", uint64_t{0}) : 0;
      err << "periscope logs: " << n << " records dropped (the terminal did not keep up)\n";
    } else if (event == "log") {
      if (args.json) {
        out << data << "\n";
      } else {
        json record = json::parse(data, nullptr, false);
        if (record.is_object()) out << renderRecord(record);
      }
    }
    out.flush();
  };
  HttpResponse r = io.stream(tailUrl(args), [&](long status, std::string_view data) {
    if (status != 200) {
      error_status = status;
      if (error_body.size() < 64 << 10) error_body.append(data);
    } else {
      splitter.feed(data, on_event);
    }
    return !io.interrupted();
  });
  if (io.interrupted()) return 0;
  if (r.outcome != HttpResponse::Outcome::kOk) {
    err << "periscope logs: " << traces::transportError(args.server, r) << "\n";
    return 1;
  }
  if (error_status != 0) {
    err << "periscope logs: " << serverError(error_status, error_body) << "\n";
    return 1;
  }
  err << "periscope logs: the server ended the tail\n";
  return 1;
}

}  // namespace

std::optional<std::string> parseArgs(const std::vector<std::string>& args, LogsArgs& a) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    auto value = [&]() -> std::optional<std::string> {
      if (i + 1 >= args.size()) return std::nullopt;
      return args[++i];
    };
    if (arg == "--help" || arg == "-h") {
      a.help = true;
      return std::nullopt;
    }
    if (arg == "--forward") {
      a.forward = true;
    } else if (arg == "--follow" || arg == "-f") {
      a.follow = true;
    } else if (arg == "--since" || arg == "--until" || arg == "--limit" || arg == "--output" ||
               arg == "--server") {
      auto v = value();
      if (!v) return arg + " needs a value";
      if (arg == "--server") {
        a.server = *v;
      } else if (arg == "--until") {
        a.until = *v;
      } else if (arg == "--since") {
        auto d = positiveDuration(*v);
        if (!d) return "--since: \"" + *v + "\" is not a positive duration such as 15m or 2h";
        a.since = *d;
      } else if (arg == "--limit") {
        auto n = api::parseInt64(*v);
        if (!n || *n <= 0) return "--limit: \"" + *v + "\" is not a positive integer";
        a.limit = *n;
      } else if (*v == "text" || *v == "json") {
        a.json = *v == "json";
      } else {
        return "--output: \"" + *v + "\" is neither text nor json";
      }
    } else if (arg.starts_with("-") && arg.size() > 1) {
      return "unknown option \"" + arg + "\"";
    } else if (a.query.empty()) {
      a.query = arg;
    } else {
      return "one query only (quote it): unexpected \"" + arg + "\"";
    }
  }
  if (a.query.empty()) return "a QUERY is required";
  if (a.follow && (a.until || a.limit || a.forward))
    return "--follow shows new records as they come: it takes no --until, --limit or --forward";
  return std::nullopt;
}

std::optional<std::string> queryUrl(const LogsArgs& a, int64_t now_ns, std::string& url) {
  int64_t end_ns = now_ns;
  if (a.until) {
    if (auto t = api::parseLogTime(*a.until)) {
      end_ns = static_cast<int64_t>(*t);
    } else if (auto d = config::parseDuration(*a.until); d && *d >= config::Duration::zero()) {
      end_ns = now_ns - d->count();
    } else {
      return "--until: \"" + *a.until +
             "\" is neither a time (RFC 3339, Unix seconds, ms or ns) nor a duration ago";
    }
  }
  int64_t start_ns = std::max<int64_t>(0, end_ns - a.since.count() * 1'000'000);
  url = a.server + "/api/periscope/logs?query=" + percentEncode(a.query) +
        "&start=" + std::to_string(start_ns) + "&end=" + std::to_string(end_ns);
  if (a.limit) url += "&limit=" + std::to_string(*a.limit);
  if (a.forward) url += "&direction=forward";
  return std::nullopt;
}

std::string tailUrl(const LogsArgs& a) {
  return a.server + "/api/periscope/logs/tail?query=" + percentEncode(a.query);
}

std::string renderRecord(const json& record) {
  int64_t ns = 0;
  std::string ts = stringField(record, "timestamp");
  if (auto v = api::parseInt64(ts)) ns = *v;
  std::string severity = stringField(record, "severityText");
  if (severity.empty()) {
    auto it = record.find("severityNumber");
    severity = severityName(it != record.end() && it->is_number_integer() ? it->get<int>() : 0);
  }
  std::string service;
  if (auto res = record.find("resource"); res != record.end() && res->is_object())
    service = stringField(*res, "service.name");
  std::string line = traces::formatTimestamp(ns / 1000) + " " + escapeLine(severity) + " " +
                     (service.empty() ? "-" : escapeLine(service)) + " " +
                     escapeLine(stringField(record, "line"));
  if (std::string trace = stringField(record, "traceId"); !trace.empty())
    line += " trace_id=" + escapeLine(trace);
  return line + "\n";
}

std::string renderAnswer(const json& answer) {
  if (answer.value("resultType", "") == "matrix") {
    // The matrix in Prometheus's shape, so that it prints as `periscope query --range` does.
    json result = json::array();
    for (const json& series : answer.value("series", json::array())) {
      json values = json::array();
      for (const json& p : series.value("points", json::array())) {
        if (!p.is_array() || p.size() != 2) continue;
        values.push_back({p[0], p[1].is_string() ? p[1] : json(p[1].dump())});
      }
      result.push_back({{"metric", series.value("labels", json::object())}, {"values", values}});
    }
    return query_cli::renderResult({{"resultType", "matrix"}, {"result", result}});
  }
  const json records = answer.value("records", json::array());
  if (records.empty()) return "(no records)\n";
  std::string out;
  for (const json& record : records) {
    if (record.is_object()) out += renderRecord(record);
  }
  return out;
}

void SseSplitter::feed(std::string_view bytes, const OnEvent& on_event) {
  buffer_.append(bytes);
  size_t start = 0;
  size_t end;
  while ((end = buffer_.find("\n\n", start)) != std::string::npos) {
    std::string_view block(buffer_.data() + start, end - start);
    std::string_view event = "message";
    std::string data;
    while (!block.empty()) {
      size_t eol = block.find('\n');
      std::string_view line = block.substr(0, eol);
      block = eol == std::string_view::npos ? std::string_view() : block.substr(eol + 1);
      if (line.starts_with("event:")) {
        event = line.substr(line.starts_with("event: ") ? 7 : 6);
      } else if (line.starts_with("data:")) {
        if (!data.empty()) data += '\n';
        data += line.substr(line.starts_with("data: ") ? 6 : 5);
      }
    }
    if (!data.empty()) on_event(event, data);
    start = end + 2;
  }
  buffer_.erase(0, start);
}

int run(const std::vector<std::string>& args, const Io& io, std::ostream& out, std::ostream& err,
        int64_t now_ns) {
  LogsArgs a;
  if (auto problem = parseArgs(args, a)) {
    err << "periscope logs: " << *problem << "\n\n" << kUsage;
    return 2;
  }
  if (a.help) {
    out << kUsage;
    return 0;
  }
  if (a.follow) return follow(a, io, out, err);
  std::string url;
  if (auto problem = queryUrl(a, now_ns, url)) {
    err << "periscope logs: " << *problem << "\n";
    return 2;
  }
  HttpResponse r = io.fetch(url);
  if (r.outcome != HttpResponse::Outcome::kOk) {
    err << "periscope logs: " << traces::transportError(a.server, r) << "\n";
    return 1;
  }
  if (r.status < 200 || r.status >= 300) {
    err << "periscope logs: " << serverError(r.status, r.body) << "\n";
    return 1;
  }
  json answer = json::parse(r.body, nullptr, false);
  if (!answer.is_object()) {
    err << "periscope logs: the server's answer is not JSON (is --server the query API?)\n";
    return 1;
  }
  if (a.json) {
    out << r.body << "\n";
    return 0;
  }
  out << renderAnswer(answer);
  if (answer.value("truncated", false)) {
    err << "periscope logs: the limit of " << answer.value("limit", 0)
        << " was reached and more records may match; use --limit or a narrower range\n";
  }
  return 0;
}

namespace {
volatile std::sig_atomic_t g_interrupted = 0;
extern "C" void onInterrupt(int) {
  g_interrupted = 1;
}
}  // namespace

int runCli(int argc, char** argv) {
  std::vector<std::string> args(argv, argv + argc);
  HttpClient client({"Accept: application/json"});
  HttpClient tail_client({"Accept: text/event-stream"});
  Io io;
  io.fetch = [&client](const std::string& url) {
    return client.get(url, std::chrono::seconds(120));
  };
  io.interrupted = [] { return g_interrupted != 0; };
  io.stream = [&tail_client, &io](const std::string& url,
                                  const std::function<bool(long, std::string_view)>& on_data) {
    // Only a tail turns Ctrl-C into a clean exit; a plain query keeps the default (terminate).
    std::signal(SIGINT, onInterrupt);
    return tail_client.stream(url, on_data, io.interrupted, std::chrono::seconds(10));
  };
  int64_t now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  return run(args, io, std::cout, std::cerr, now);
}

}  // namespace periscope::app::logs_cli
