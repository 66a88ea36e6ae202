#include "app/traces_cli.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "config/duration.h"

namespace periscope::app::traces {
namespace {

using nlohmann::json;

// ---- JSON access that never throws: the server is another program, its answer may be partial.

std::string getString(const json& o, const char* key) {
  if (!o.is_object()) return {};
  auto it = o.find(key);
  return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
}

int64_t getInt(const json& o, const char* key) {
  if (!o.is_object()) return 0;
  auto it = o.find(key);
  if (it == o.end()) return 0;
  if (it->is_number_integer()) return it->get<int64_t>();
  if (it->is_number_float()) return std::llround(it->get<double>());
  return 0;
}

const json& getArray(const json& o, const char* key) {
  static const json kEmpty = json::array();
  if (!o.is_object()) return kEmpty;
  auto it = o.find(key);
  return it != o.end() && it->is_array() ? *it : kEmpty;
}

// ---- Terminal text.

// Span names come from whoever sent the telemetry: control characters (C0, DEL, and C1 as
// UTF-8) could move the cursor or recolour the terminal, so each becomes '?'.
std::string sanitize(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7F) {
      out += '?';
    } else if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(s[i + 1]) <= 0x9F) {
      out += '?';
      ++i;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

// Columns on screen: one per code point (the box-drawing characters and µ are narrow).
size_t displayWidth(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string truncateDisplay(const std::string& s, size_t width) {
  if (displayWidth(s) <= width) return s;
  size_t cols = 0, i = 0;
  for (; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && ++cols == width) break;
  }
  return s.substr(0, i) + "…";  // the code point at i is dropped, "…" takes its column
}

std::string padRight(const std::string& s, size_t width) {
  size_t w = displayWidth(s);
  return w >= width ? s : s + std::string(width - w, ' ');
}

std::string padLeft(const std::string& s, size_t width) {
  size_t w = displayWidth(s);
  return w >= width ? s : std::string(width - w, ' ') + s;
}

std::string trimmedFixed(double v, int decimals) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s = buf;
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  return s;
}

// Three significant digits for v in [1, 1000).
std::string threeDigits(double v) {
  return trimmedFixed(v, v < 10 ? 2 : v < 100 ? 1 : 0);
}

// ---- The trace as a tree.

struct SpanInfo {
  std::string service;
  std::string operation;
  int64_t start = 0;
  int64_t duration = 0;
  bool error = false;
  std::string parent_ref;     // spanID of the reference used as parent ("" = none)
  bool follows_from = false;  // that reference is FOLLOWS_FROM
  int parent = -1;            // index in spans, -1 for a root
  std::vector<int> children;  // sorted by start time
};

struct TraceModel {
  std::string trace_id;
  std::vector<SpanInfo> spans;
  std::vector<int> roots;  // spans without a parent in this trace, sorted by start time
  std::set<std::string> services;
  int64_t start = 0;
  int64_t end = 0;
  int errors = 0;
};

bool isErrorTag(const json& tag) {
  if (getString(tag, "key") != "error") return false;
  auto it = tag.find("value");
  if (it == tag.end()) return false;
  return (it->is_boolean() && it->get<bool>()) ||
         (it->is_string() && it->get<std::string>() == "true");
}

TraceModel buildModel(const json& trace) {
  TraceModel m;
  m.trace_id = getString(trace, "traceID");
  const json& spans = getArray(trace, "spans");
  const json* processes = nullptr;
  if (trace.is_object() && trace.contains("processes") && trace["processes"].is_object())
    processes = &trace["processes"];
  std::map<std::string, int> index;  // first span with each ID
  for (const json& s : spans) {
    SpanInfo info;
    std::string pid = getString(s, "processID");
    if (processes != nullptr && processes->contains(pid))
      info.service = getString((*processes)[pid], "serviceName");
    if (info.service.empty() && s.is_object() && s.contains("process"))
      info.service = getString(s["process"], "serviceName");  // inline form of older servers
    if (info.service.empty()) info.service = "unknown";
    info.service = sanitize(info.service);
    info.operation = sanitize(getString(s, "operationName"));
    info.start = getInt(s, "startTime");
    info.duration = getInt(s, "duration");
    for (const json& tag : getArray(s, "tags")) info.error = info.error || isErrorTag(tag);
    // The tree follows CHILD_OF. A span with only FOLLOWS_FROM (async work such as a queued
    // job) hangs under that span too, as Jaeger's UI does, rather than floating as a root.
    for (const json& ref : getArray(s, "references")) {
      std::string type = getString(ref, "refType");
      if (type == "CHILD_OF") {
        info.parent_ref = getString(ref, "spanID");
        info.follows_from = false;
        break;
      }
      if (type == "FOLLOWS_FROM" && info.parent_ref.empty()) {
        info.parent_ref = getString(ref, "spanID");
        info.follows_from = true;
      }
    }
    if (m.trace_id.empty()) m.trace_id = getString(s, "traceID");
    index.emplace(getString(s, "spanID"), static_cast<int>(m.spans.size()));
    m.spans.push_back(std::move(info));
  }
  m.trace_id = sanitize(m.trace_id);
  for (size_t i = 0; i < m.spans.size(); ++i) {
    SpanInfo& s = m.spans[i];
    if (i == 0 || s.start < m.start) m.start = s.start;
    if (i == 0 || s.start + s.duration > m.end) m.end = s.start + s.duration;
    m.services.insert(s.service);
    m.errors += s.error;
    auto it = s.parent_ref.empty() ? index.end() : index.find(s.parent_ref);
    if (it != index.end() && it->second != static_cast<int>(i)) {
      s.parent = it->second;
      m.spans[s.parent].children.push_back(static_cast<int>(i));
    } else {
      m.roots.push_back(static_cast<int>(i));
    }
  }
  auto byStart = [&](int a, int b) { return m.spans[a].start < m.spans[b].start; };
  std::stable_sort(m.roots.begin(), m.roots.end(), byStart);
  for (SpanInfo& s : m.spans) std::stable_sort(s.children.begin(), s.children.end(), byStart);
  return m;
}

// The span a search row names: the earliest true root, else the earliest span whose parent is
// missing, else (every span in a parent cycle) the earliest span.
int rootSpan(const TraceModel& m) {
  for (int r : m.roots)
    if (m.spans[r].parent_ref.empty()) return r;
  if (!m.roots.empty()) return m.roots.front();
  int best = -1;
  for (size_t i = 0; i < m.spans.size(); ++i)
    if (best < 0 || m.spans[i].start < m.spans[best].start) best = static_cast<int>(i);
  return best;
}

std::string plural(size_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

// ---- Command line.

constexpr const char* kTracesUsage =
    "Usage: periscope traces <get|search> [options]\n\n"
    "Reads traces from a running server's Jaeger query API (default http://127.0.0.1:16686).\n\n"
    "  get TRACE_ID      print one trace as a span tree\n"
    "  search --service  list the traces matching a query\n\n"
    "Run `periscope traces get --help` or `periscope traces search --help` for options.\n";

constexpr const char* kGetUsage =
    "Usage: periscope traces get TRACE_ID [--server URL] [--json]\n\n"
    "Prints the trace as a tree: one line per span under its parent, with service, operation,\n"
    "duration, start offset from the trace start, and marks for errors and missing parents.\n\n"
    "  --server URL   query API base URL (default http://127.0.0.1:16686)\n"
    "  --json         print the server's JSON answer unchanged\n";

constexpr const char* kSearchUsage =
    "Usage: periscope traces search --service S [options]\n\n"
    "Lists the matching traces in the order the server returns them.\n\n"
    "  --service S         service name (required)\n"
    "  --operation O       operation (span) name\n"
    "  --tag KEY=VALUE     span tag to match; repeatable\n"
    "  --errors            only traces with an error span (same as --tag error=true)\n"
    "  --min-duration D    e.g. 200ms\n"
    "  --max-duration D    e.g. 1s\n"
    "  --lookback D        how far back from now, e.g. 1h, 30m, 2d (default: the server's)\n"
    "  --limit N           at most N traces (default 20)\n"
    "  --server URL        query API base URL (default http://127.0.0.1:16686)\n"
    "  --json              print the server's JSON answer unchanged\n";

int usageError(std::ostream& err, const char* cmd, const std::string& problem, const char* usage) {
  err << "periscope traces " << cmd << ": " << problem << "\n\n" << usage;
  return 2;
}

// "http://host:port" with no trailing slash; a bare host:port gets http://.
std::optional<std::string> normalizeServer(std::string s) {
  if (s.find("://") == std::string::npos) s = "http://" + s;
  if (s.rfind("http://", 0) != 0 && s.rfind("https://", 0) != 0) return std::nullopt;
  while (!s.empty() && s.back() == '/') s.pop_back();
  if (s.size() <= 8) return std::nullopt;
  return s;
}

std::optional<std::chrono::microseconds> parseFlagDuration(const std::string& text,
                                                           bool allow_days) {
  // Jaeger's UI offers lookbacks in days ("2d"); Go durations stop at hours.
  if (allow_days && text.size() > 1 && text.back() == 'd') {
    int days = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size() - 1, days);
    if (ec != std::errc() || p != text.data() + text.size() - 1 || days <= 0) return std::nullopt;
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::hours(24 * days));
  }
  auto d = config::parseDuration(text);
  if (!d || d->count() < 0) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::microseconds>(*d);
}

// The wire format for durations: servers parse them with Go's time.ParseDuration, which has no
// unit above hours, so this stops there (config::formatDuration may not).
std::string goDuration(std::chrono::microseconds d) {
  int64_t us = d.count();
  if (us == 0) return "0s";
  if (us % 3'600'000'000 == 0) return std::to_string(us / 3'600'000'000) + "h";
  if (us % 60'000'000 == 0) return std::to_string(us / 60'000'000) + "m";
  if (us % 1'000'000 == 0) return std::to_string(us / 1'000'000) + "s";
  if (us % 1'000 == 0) return std::to_string(us / 1'000) + "ms";
  return std::to_string(us) + "us";
}

// Walks "--name value" and "--name=value" alike.
class Flags {
 public:
  explicit Flags(const std::vector<std::string>& args) : args_(args) {}
  bool next() {
    if (++i_ >= args_.size()) return false;
    const std::string& a = args_[i_];
    size_t eq = a.find('=');
    inline_value_.reset();
    if (a.rfind("--", 0) == 0 && eq != std::string::npos) {
      name_ = a.substr(0, eq);
      inline_value_ = a.substr(eq + 1);
    } else {
      name_ = a;
    }
    return true;
  }
  const std::string& name() const { return name_; }
  bool hasInlineValue() const { return inline_value_.has_value(); }
  std::optional<std::string> value() {
    if (inline_value_) return inline_value_;
    if (i_ + 1 >= args_.size()) return std::nullopt;
    return args_[++i_];
  }

 private:
  const std::vector<std::string>& args_;
  size_t i_ = static_cast<size_t>(-1);
  std::string name_;
  std::optional<std::string> inline_value_;
};

bool isHelp(const std::string& a) {
  return a == "--help" || a == "-h";
}

// Performs the request and turns every failure into one line on `err`. Returns the envelope
// on success.
std::optional<json> fetchEnvelope(const Fetch& fetch, const std::string& server,
                                  const std::string& url, std::string& raw, std::ostream& err) {
  HttpResponse r = fetch(url);
  if (r.outcome != HttpResponse::Outcome::kOk) {
    err << "periscope traces: " << transportError(server, r) << "\n";
    return std::nullopt;
  }
  json envelope;
  if (auto problem = checkResponse(r.status, r.body, envelope)) {
    err << "periscope traces: " << *problem << "\n";
    return std::nullopt;
  }
  // A 200 may still carry errors beside partial data (Jaeger does this for some storage
  // failures): show the data, but do not hide that it may be incomplete.
  for (const json& e : getArray(envelope, "errors"))
    err << "periscope traces: warning: " << sanitize(getString(e, "msg")) << "\n";
  raw = std::move(r.body);
  return envelope;
}

void printRaw(std::ostream& out, const std::string& raw) {
  out << raw;
  if (raw.empty() || raw.back() != '\n') out << '\n';
}

int runGet(const std::vector<std::string>& args, const Fetch& fetch, std::ostream& out,
           std::ostream& err) {
  std::string server = kDefaultServer;
  std::string id;
  bool raw_json = false;
  Flags f(args);
  while (f.next()) {
    const std::string& a = f.name();
    if (isHelp(a)) {
      out << kGetUsage;
      return 0;
    } else if (a == "--server") {
      auto v = f.value();
      auto s = v ? normalizeServer(*v) : std::nullopt;
      if (!s)
        return usageError(err, "get", "--server needs a URL like http://host:16686", kGetUsage);
      server = *s;
    } else if (a == "--json" && !f.hasInlineValue()) {
      raw_json = true;
    } else if (a.rfind("-", 0) == 0) {
      return usageError(err, "get", "unknown option \"" + a + "\"", kGetUsage);
    } else if (!id.empty()) {
      return usageError(err, "get", "expected one TRACE_ID, got \"" + id + "\" and \"" + a + "\"",
                        kGetUsage);
    } else {
      id = a;
    }
  }
  if (id.empty()) return usageError(err, "get", "TRACE_ID is required", kGetUsage);
  // Jaeger IDs are 1 to 32 hex digits; checking here turns a typo into a usage error instead of
  // a confusing 400 from the server.
  bool hex = id.size() <= 32 && std::all_of(id.begin(), id.end(), [](char c) {
               return std::isxdigit(static_cast<unsigned char>(c)) != 0;
             });
  if (!hex)
    return usageError(
        err, "get", "TRACE_ID must be 1 to 32 hex digits, got \"" + sanitize(id) + "\"", kGetUsage);

  std::string raw;
  auto envelope = fetchEnvelope(fetch, server, traceUrl(server, id), raw, err);
  if (!envelope) return 1;
  if (raw_json) {
    printRaw(out, raw);
    return 0;
  }
  const json& data = getArray(*envelope, "data");
  if (data.empty()) {
    err << "periscope traces: trace " << id << " not found on " << server << "\n";
    return 1;
  }
  for (size_t i = 0; i < data.size(); ++i) out << (i > 0 ? "\n" : "") << renderTrace(data[i]);
  return 0;
}

int runSearch(const std::vector<std::string>& args, const Fetch& fetch, std::ostream& out,
              std::ostream& err, std::chrono::system_clock::time_point now) {
  std::string server = kDefaultServer;
  SearchQuery q;
  bool raw_json = false;
  Flags f(args);
  while (f.next()) {
    const std::string& a = f.name();
    auto need = [&](std::optional<std::string>& v) {
      v = f.value();
      return v.has_value() && !v->empty();
    };
    std::optional<std::string> v;
    if (isHelp(a)) {
      out << kSearchUsage;
      return 0;
    } else if (a == "--server") {
      auto s = need(v) ? normalizeServer(*v) : std::nullopt;
      if (!s)
        return usageError(err, "search", "--server needs a URL like http://host:16686",
                          kSearchUsage);
      server = *s;
    } else if (a == "--service") {
      if (!need(v)) return usageError(err, "search", "--service needs a name", kSearchUsage);
      q.service = *v;
    } else if (a == "--operation") {
      if (!need(v)) return usageError(err, "search", "--operation needs a name", kSearchUsage);
      q.operation = *v;
    } else if (a == "--tag") {
      size_t eq = need(v) ? v->find('=') : std::string::npos;
      if (eq == std::string::npos || eq == 0)
        return usageError(err, "search", "--tag needs KEY=VALUE", kSearchUsage);
      q.tags.emplace_back(v->substr(0, eq), v->substr(eq + 1));
    } else if (a == "--errors" && !f.hasInlineValue()) {
      q.tags.emplace_back("error", "true");
    } else if (a == "--min-duration" || a == "--max-duration" || a == "--lookback") {
      auto d = need(v) ? parseFlagDuration(*v, a == "--lookback") : std::nullopt;
      if (!d || (a == "--lookback" && d->count() == 0))
        return usageError(
            err, "search",
            a + " needs a duration like 200ms, 1.5s or 1h" + (a == "--lookback" ? " (or 2d)" : ""),
            kSearchUsage);
      (a == "--min-duration"   ? q.min_duration
       : a == "--max-duration" ? q.max_duration
                               : q.lookback) = d;
    } else if (a == "--limit") {
      int n = 0;
      bool ok = need(v);
      if (ok) {
        auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
        ok = ec == std::errc() && p == v->data() + v->size() && n > 0;
      }
      if (!ok) return usageError(err, "search", "--limit needs a positive number", kSearchUsage);
      q.limit = n;
    } else if (a == "--json" && !f.hasInlineValue()) {
      raw_json = true;
    } else {
      return usageError(err, "search", "unknown option \"" + a + "\"", kSearchUsage);
    }
  }
  if (q.service.empty()) return usageError(err, "search", "--service is required", kSearchUsage);
  if (q.min_duration && q.max_duration && *q.min_duration > *q.max_duration)
    return usageError(err, "search", "--min-duration is above --max-duration", kSearchUsage);

  std::string raw;
  auto envelope = fetchEnvelope(fetch, server, searchUrl(server, q, now), raw, err);
  if (!envelope) return 1;
  if (raw_json) {
    printRaw(out, raw);
    return 0;
  }
  const json& data = getArray(*envelope, "data");
  out << renderSearchTable(data);
  if (data.size() >= static_cast<size_t>(q.limit))
    err << "(showing the first " << q.limit << "; raise --limit for more)\n";
  return 0;
}

}  // namespace

std::string formatDuration(int64_t micros) {
  if (micros < 0) return "-" + formatDuration(micros == INT64_MIN ? INT64_MAX : -micros);
  if (micros < 1000) return std::to_string(micros) + "µs";
  double ms = static_cast<double>(micros) / 1e3;
  if (ms < 999.5) return threeDigits(ms) + "ms";  // below that, rounding stays under 1000
  double s = static_cast<double>(micros) / 1e6;
  if (s < 59.95) return threeDigits(s) + "s";
  int64_t total = std::llround(s);
  int64_t h = total / 3600, m = total % 3600 / 60, sec = total % 60;
  std::string out = h > 0 ? std::to_string(h) + "h" : "";
  return out + std::to_string(m) + "m" + std::to_string(sec) + "s";
}

std::string formatTimestamp(int64_t unix_micros) {
  int64_t secs = unix_micros / 1'000'000;
  int64_t rem = unix_micros % 1'000'000;
  if (rem < 0) {  // floor, so times before 1970 keep a positive fraction
    rem += 1'000'000;
    --secs;
  }
  std::time_t t = static_cast<std::time_t>(secs);
  std::tm tm{};
  if (gmtime_r(&t, &tm) == nullptr) return "?";
  char buf[64];
  size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(buf + n, sizeof buf - n, ".%03dZ", static_cast<int>(rem / 1000));
  return buf;
}

std::string renderTrace(const json& trace) {
  TraceModel m = buildModel(trace);
  std::string services;
  for (const auto& s : m.services) services += (services.empty() ? "" : ", ") + s;
  std::string out = "Trace " + (m.trace_id.empty() ? std::string("(no id)") : m.trace_id) + ": " +
                    plural(m.spans.size(), "span") + ", " + plural(m.services.size(), "service") +
                    (services.empty() ? "" : " (" + services + ")") + ", " +
                    formatDuration(m.end - m.start) + "\n";
  if (m.spans.empty()) return out + "(no spans)\n";

  struct Row {
    std::string name, duration, offset, marks;
  };
  std::vector<Row> rows;
  std::vector<bool> visited(m.spans.size(), false);
  struct Frame {
    int span;
    std::string line_prefix;   // drawn before this span's name
    std::string child_prefix;  // carried to this span's children
    const char* extra_mark;
  };
  // Iterative depth-first walk: traces can be deep enough to exhaust the stack by recursion.
  auto walk = [&](int root, const char* root_mark) {
    std::vector<Frame> stack{{root, "", "", root_mark}};
    while (!stack.empty()) {
      Frame fr = std::move(stack.back());
      stack.pop_back();
      if (visited[fr.span]) continue;
      visited[fr.span] = true;
      const SpanInfo& s = m.spans[fr.span];
      Row row{fr.line_prefix + s.service + ": " + s.operation, formatDuration(s.duration),
              "+" + formatDuration(s.start - m.start), ""};
      auto mark = [&row](const std::string& text) {
        row.marks += (row.marks.empty() ? "" : "  ") + text;
      };
      if (s.error) mark("✗ error");
      if (fr.extra_mark != nullptr) mark(fr.extra_mark);
      if (s.follows_from && s.parent >= 0 && fr.extra_mark == nullptr) mark("(follows from)");
      rows.push_back(std::move(row));
      std::vector<int> kids;
      for (int c : s.children)
        if (!visited[c]) kids.push_back(c);
      for (size_t k = kids.size(); k-- > 0;) {
        bool last = k + 1 == kids.size();
        stack.push_back({kids[k], fr.child_prefix + (last ? "└─ " : "├─ "),
                         fr.child_prefix + (last ? "   " : "│  "), nullptr});
      }
    }
  };
  for (int r : m.roots) walk(r, m.spans[r].parent_ref.empty() ? nullptr : "(parent missing)");
  // Spans whose parents form a cycle are reachable from no root; show them rather than drop them.
  std::vector<int> rest;
  for (size_t i = 0; i < m.spans.size(); ++i)
    if (!visited[i]) rest.push_back(static_cast<int>(i));
  std::stable_sort(rest.begin(), rest.end(),
                   [&](int a, int b) { return m.spans[a].start < m.spans[b].start; });
  for (int r : rest) walk(r, "(parent cycle)");

  size_t wn = displayWidth("SPAN"), wd = displayWidth("DURATION"), wo = displayWidth("OFFSET");
  for (const Row& r : rows) {
    wn = std::max(wn, displayWidth(r.name));
    wd = std::max(wd, displayWidth(r.duration));
    wo = std::max(wo, displayWidth(r.offset));
  }
  out += "\n" + padRight("SPAN", wn) + "  " + padLeft("DURATION", wd) + "  " +
         padLeft("OFFSET", wo) + "\n";
  for (const Row& r : rows) {
    out += padRight(r.name, wn) + "  " + padLeft(r.duration, wd) + "  " + padLeft(r.offset, wo);
    if (!r.marks.empty()) out += "  " + r.marks;
    out += "\n";
  }
  return out;
}

std::string renderSearchTable(const json& traces) {
  if (!traces.is_array() || traces.empty()) return "No traces found.\n";
  constexpr size_t kRootWidth = 60;  // long operation names would push the numbers off screen
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"TRACE ID", "ROOT", "SPANS", "ERRORS", "DURATION", "START"});
  for (const json& t : traces) {
    TraceModel m = buildModel(t);
    int root = rootSpan(m);
    std::string root_name =
        root < 0 ? "(no spans)" : m.spans[root].service + ": " + m.spans[root].operation;
    rows.push_back({m.trace_id, truncateDisplay(root_name, kRootWidth),
                    std::to_string(m.spans.size()), std::to_string(m.errors),
                    formatDuration(m.end - m.start),
                    m.spans.empty() ? "-" : formatTimestamp(m.start)});
  }
  constexpr bool kRightAligned[] = {false, false, true, true, true, false};
  std::vector<size_t> width(rows[0].size(), 0);
  for (const auto& r : rows)
    for (size_t c = 0; c < r.size(); ++c) width[c] = std::max(width[c], displayWidth(r[c]));
  std::string out;
  for (const auto& r : rows) {
    std::string line;
    for (size_t c = 0; c < r.size(); ++c) {
      if (c > 0) line += "  ";
      bool last = c + 1 == r.size();
      line += kRightAligned[c] ? padLeft(r[c], width[c]) : last ? r[c] : padRight(r[c], width[c]);
    }
    out += line + "\n";
  }
  return out;
}

std::optional<std::string> checkResponse(long status, std::string_view body, json& envelope) {
  envelope = json::parse(body, nullptr, /*allow_exceptions=*/false);
  std::string server_msg;
  if (!envelope.is_discarded()) {
    const json& errors = getArray(envelope, "errors");
    if (!errors.empty()) server_msg = sanitize(getString(errors[0], "msg"));
  }
  if (status < 200 || status >= 300) {
    if (!server_msg.empty()) return server_msg + " (HTTP " + std::to_string(status) + ")";
    // Not a Jaeger error body (a proxy, another program on the port): show where it starts.
    std::string excerpt = sanitize(body.substr(0, std::min(body.find('\n'), size_t{200})));
    return "the server answered HTTP " + std::to_string(status) +
           (excerpt.empty() ? "" : ": " + excerpt);
  }
  if (envelope.is_discarded() || !envelope.is_object())
    return "the server's answer is not a Jaeger JSON response (is --server the query API?)";
  auto data = envelope.find("data");
  bool no_data = data == envelope.end() || data->is_null();
  if (no_data && !server_msg.empty()) return server_msg;
  return std::nullopt;
}

std::string transportError(const std::string& server, const HttpResponse& r) {
  switch (r.outcome) {
    case HttpResponse::Outcome::kConnectFailed:
      return "cannot connect to " + server + " (" + r.error + "); is `periscope serve` running?";
    case HttpResponse::Outcome::kResolveFailed:
      return "cannot resolve the host of " + server + " (" + r.error + ")";
    case HttpResponse::Outcome::kTimeout:
      return "no answer from " + server + " in time (" + r.error + ")";
    case HttpResponse::Outcome::kOk:
    case HttpResponse::Outcome::kOtherError:
      break;
  }
  return "request to " + server + " failed: " + r.error;
}

std::string traceUrl(const std::string& server, const std::string& trace_id) {
  return server + "/api/traces/" + percentEncode(trace_id);
}

std::string searchUrl(const std::string& server, const SearchQuery& q,
                      std::chrono::system_clock::time_point now) {
  std::string url = server + "/api/traces?service=" + percentEncode(q.service);
  if (!q.operation.empty()) url += "&operation=" + percentEncode(q.operation);
  if (!q.tags.empty()) {
    json tags = json::object();
    for (const auto& [k, v] : q.tags) tags[k] = v;
    url += "&tags=" + percentEncode(tags.dump());
  }
  if (q.min_duration) url += "&minDuration=" + percentEncode(goDuration(*q.min_duration));
  if (q.max_duration) url += "&maxDuration=" + percentEncode(goDuration(*q.max_duration));
  if (q.lookback) {
    int64_t end =
        std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count();
    url += "&lookback=" + percentEncode(goDuration(*q.lookback)) +
           "&start=" + std::to_string(end - q.lookback->count()) + "&end=" + std::to_string(end);
  }
  url += "&limit=" + std::to_string(q.limit);
  return url;
}

int run(const std::vector<std::string>& args, const Fetch& fetch, std::ostream& out,
        std::ostream& err, std::chrono::system_clock::time_point now) {
  if (args.empty()) {
    err << kTracesUsage;
    return 2;
  }
  const std::string& sub = args[0];
  std::vector<std::string> rest(args.begin() + 1, args.end());
  if (isHelp(sub) || sub == "help") {
    out << kTracesUsage;
    return 0;
  }
  if (sub == "get") return runGet(rest, fetch, out, err);
  if (sub == "search") return runSearch(rest, fetch, out, err, now);
  err << "periscope traces: unknown subcommand \"" << sub << "\"\n\n" << kTracesUsage;
  return 2;
}

int runCli(int argc, char** argv) {
  std::vector<std::string> args(argv, argv + argc);
  HttpClient client({"Accept: application/json"});
  Fetch fetch = [&client](const std::string& url) {
    return client.get(url, std::chrono::seconds(30));
  };
  return run(args, fetch, std::cout, std::cerr, std::chrono::system_clock::now());
}

}  // namespace periscope::app::traces
