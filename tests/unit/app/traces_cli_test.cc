// `periscope traces`: rendering and error paths on Jaeger JSON fixtures (no server), the whole
// subcommand with an injected fetch, and the real binary against a real HTTP server and against
// a port where nothing listens.
#include "app/traces_cli.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/http/server.h"

namespace periscope::app::traces {
namespace {

using nlohmann::json;

// A Jaeger /api/traces/{id} answer, spans deliberately not in start order: frontend calls
// render and checkout, checkout calls Reserve and payment (which failed); SELECT stock's parent
// "ff" is not in the trace.
constexpr const char* kTraceAnswer = R"({"data":[{"traceID":"4bf92f3577b34da6a3ce929d0e0e4736",
 "spans":[
  {"traceID":"4bf92f3577b34da6a3ce929d0e0e4736","spanID":"a1","operationName":"GET /checkout",
   "references":[],"startTime":1714566896789000,"duration":2100000,
   "tags":[{"key":"http.status_code","type":"int64","value":500}],"logs":[],"processID":"p1"},
  {"traceID":"4bf92f3577b34da6a3ce929d0e0e4736","spanID":"b2","operationName":"PlaceOrder",
   "references":[{"refType":"CHILD_OF","traceID":"4bf92f3577b34da6a3ce929d0e0e4736","spanID":"a1"}],
   "startTime":1714566896801300,"duration":1900000,"tags":[],"logs":[],"processID":"p2"},
  {"traceID":"4bf92f3577b34da6a3ce929d0e0e4736","spanID":"c3","operationName":"Charge",
   "references":[{"refType":"CHILD_OF","traceID":"4bf92f3577b34da6a3ce929d0e0e4736","spanID":"b2"}],
   "startTime":1714566896810000,"duration":450,
   "tags":[{"key":"error","type":"bool","value":true}],"logs":[],"processID":"p3"},
  {"traceID":"4bf92f3577b34da6a3ce929d0e0e4736","spanID":"d4","operationName":"render",
   "references":[{"refType":"CHILD_OF","traceID":"4bf92f3577b34da6a3ce929d0e0e4736","spanID":"a1"}],
   "startTime":1714566896791000,"duration":1230,"tags":[],"logs":[],"processID":"p1"},
  {"traceID":"4bf92f3577b34da6a3ce929d0e0e4736","spanID":"e5","operationName":"SELECT stock",
   "references":[{"refType":"CHILD_OF","traceID":"4bf92f3577b34da6a3ce929d0e0e4736","spanID":"ff"}],
   "startTime":1714566896795000,"duration":12345,"tags":[],"logs":[],"processID":"p2"},
  {"traceID":"4bf92f3577b34da6a3ce929d0e0e4736","spanID":"f6","operationName":"Reserve",
   "references":[{"refType":"CHILD_OF","traceID":"4bf92f3577b34da6a3ce929d0e0e4736","spanID":"b2"}],
   "startTime":1714566896805000,"duration":30000,"tags":[],"logs":[],"processID":"p2"}],
 "processes":{"p1":{"serviceName":"frontend","tags":[]},"p2":{"serviceName":"checkout","tags":[]},
              "p3":{"serviceName":"payment","tags":[]}}}],
 "total":1,"limit":0,"offset":0,"errors":null})";

constexpr const char* kTraceTree =
    "Trace 4bf92f3577b34da6a3ce929d0e0e4736: 6 spans, 3 services (checkout, frontend, payment), "
    "2.1s\n"
    "\n"
    "SPAN                     DURATION   OFFSET\n"
    "frontend: GET /checkout      2.1s     +0µs\n"
    "├─ frontend: render        1.23ms     +2ms\n"
    "└─ checkout: PlaceOrder      1.9s  +12.3ms\n"
    "   ├─ checkout: Reserve      30ms    +16ms\n"
    "   └─ payment: Charge       450µs    +21ms  ✗ error\n"
    "checkout: SELECT stock     12.3ms     +6ms  (parent missing)\n";

constexpr const char* kNotFoundAnswer =
    R"({"data":null,"total":0,"limit":0,"offset":0,"errors":[{"code":404,"msg":"trace not found"}]})";

// One span in Jaeger's shape; `parent` empty for none.
json span(const std::string& id, const std::string& op, int64_t start, int64_t duration,
          const std::string& parent = "", const std::string& ref_type = "CHILD_OF",
          json tags = json::array()) {
  json refs = json::array();
  if (!parent.empty())
    refs.push_back({{"refType", ref_type}, {"traceID", "t1"}, {"spanID", parent}});
  return {{"traceID", "t1"},         {"spanID", id},          {"operationName", op},
          {"references", refs},      {"startTime", start},    {"duration", duration},
          {"tags", std::move(tags)}, {"logs", json::array()}, {"processID", "p1"}};
}

json trace(const std::string& id, json spans, const std::string& service = "svc") {
  return {{"traceID", id},
          {"spans", std::move(spans)},
          {"processes", {{"p1", {{"serviceName", service}, {"tags", json::array()}}}}}};
}

json errorTag(json value) {
  return json::array({{{"key", "error"}, {"type", "bool"}, {"value", std::move(value)}}});
}

TEST(TracesFormat, DurationsUseThreeSignificantDigitsAndTheLargestFittingUnit) {
  EXPECT_EQ(formatDuration(0), "0µs");
  EXPECT_EQ(formatDuration(450), "450µs");
  EXPECT_EQ(formatDuration(999), "999µs");
  EXPECT_EQ(formatDuration(1000), "1ms");
  EXPECT_EQ(formatDuration(1234), "1.23ms");
  EXPECT_EQ(formatDuration(1236), "1.24ms");  // rounds, not truncates
  EXPECT_EQ(formatDuration(12345), "12.3ms");
  EXPECT_EQ(formatDuration(123456), "123ms");
  EXPECT_EQ(formatDuration(999499), "999ms");
  EXPECT_EQ(formatDuration(999500), "1s");  // would round to "1000ms"
  EXPECT_EQ(formatDuration(2100000), "2.1s");
  EXPECT_EQ(formatDuration(59940000), "59.9s");
  EXPECT_EQ(formatDuration(59950000), "1m0s");  // would round to "60s"
  EXPECT_EQ(formatDuration(65000000), "1m5s");
  EXPECT_EQ(formatDuration(3723000000), "1h2m3s");
  EXPECT_EQ(formatDuration(-1500), "-1.5ms");
}

TEST(TracesFormat, TimestampsAreIsoUtcWithMilliseconds) {
  EXPECT_EQ(formatTimestamp(1714566896789000), "2024-05-01T12:34:56.789Z");
  EXPECT_EQ(formatTimestamp(1714566896789999), "2024-05-01T12:34:56.789Z");
  EXPECT_EQ(formatTimestamp(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(formatTimestamp(-1000), "1969-12-31T23:59:59.999Z");
}

TEST(TracesTree, NestsChildrenByStartTimeAndShowsOrphansAsRoots) {
  json answer = json::parse(kTraceAnswer);
  EXPECT_EQ(renderTrace(answer["data"][0]), kTraceTree);
}

TEST(TracesTree, SiblingsAreOrderedByStartTimeThenByServerOrder) {
  std::string out = renderTrace(trace(
      "t1", json::array({span("r", "root", 100, 50), span("c", "third", 130, 1, "r"),
                         span("a", "first", 110, 1, "r"), span("b", "second", 110, 1, "r")})));
  size_t first = out.find("├─ svc: first"), second = out.find("├─ svc: second"),
         third = out.find("└─ svc: third");
  ASSERT_NE(first, std::string::npos) << out;
  ASSERT_NE(second, std::string::npos) << out;
  ASSERT_NE(third, std::string::npos) << out;
  EXPECT_LT(first, second);
  EXPECT_LT(second, third);
}

TEST(TracesTree, MissingParentsBecomeMarkedRootsInStartOrder) {
  std::string out = renderTrace(trace(
      "t1", json::array({span("x", "late orphan", 300, 10, "gone1"), span("r", "root", 100, 500),
                         span("y", "early orphan", 200, 10, "gone2")})));
  EXPECT_EQ(out,
            "Trace t1: 3 spans, 1 service (svc), 500µs\n"
            "\n"
            "SPAN               DURATION  OFFSET\n"
            "svc: root             500µs    +0µs\n"
            "svc: early orphan      10µs  +100µs  (parent missing)\n"
            "svc: late orphan       10µs  +200µs  (parent missing)\n");
}

TEST(TracesTree, ErrorMarkOnlyForErrorTagTrue) {
  std::string out = renderTrace(trace(
      "t1", json::array(
                {span("r", "root", 0, 10), span("a", "bool", 1, 1, "r", "CHILD_OF", errorTag(true)),
                 span("b", "string", 2, 1, "r", "CHILD_OF", errorTag("true")),
                 span("c", "false", 3, 1, "r", "CHILD_OF", errorTag(false)),
                 span("d", "other", 4, 1, "r", "CHILD_OF",
                      json::array({{{"key", "err"}, {"type", "bool"}, {"value", true}}}))})));
  auto line = [&](const std::string& op) {
    size_t at = out.find("svc: " + op);
    return at == std::string::npos ? std::string() : out.substr(at, out.find('\n', at) - at);
  };
  EXPECT_NE(line("bool").find("✗ error"), std::string::npos) << out;
  EXPECT_NE(line("string").find("✗ error"), std::string::npos) << out;
  EXPECT_EQ(line("false").find("error"), std::string::npos) << out;
  EXPECT_EQ(line("other").find("error"), std::string::npos) << out;
  EXPECT_EQ(line("root").find("error"), std::string::npos) << out;
}

TEST(TracesTree, FollowsFromNestsButChildOfWins) {
  json producer = span("p", "publish", 0, 10);
  json consumer = span("c", "consume", 20, 10, "p", "FOLLOWS_FROM");
  json both = span("b", "both", 25, 1, "p", "FOLLOWS_FROM");
  both["references"].push_back({{"refType", "CHILD_OF"}, {"traceID", "t1"}, {"spanID", "c"}});
  std::string out = renderTrace(trace("t1", json::array({producer, consumer, both})));
  EXPECT_NE(out.find("└─ svc: consume"), std::string::npos) << out;
  EXPECT_NE(out.find("(follows from)"), std::string::npos) << out;
  EXPECT_NE(out.find("   └─ svc: both"), std::string::npos) << out;  // under consume, not publish
}

TEST(TracesTree, ParentCyclesAreShownNotDropped) {
  std::string out = renderTrace(
      trace("t1", json::array({span("a", "alpha", 10, 1, "b"), span("b", "beta", 20, 1, "a")})));
  EXPECT_NE(out.find("svc: alpha"), std::string::npos) << out;
  EXPECT_NE(out.find("└─ svc: beta"), std::string::npos) << out;
  EXPECT_NE(out.find("(parent cycle)"), std::string::npos) << out;
}

TEST(TracesTree, ControlCharactersInNamesAreNeutralized) {
  std::string out =
      renderTrace(trace("t1", json::array({span("a", "evil\x1b[2Jop\nx", 0, 1)}), "svc\x07"));
  EXPECT_EQ(out.find('\x1b'), std::string::npos);
  EXPECT_EQ(out.find('\x07'), std::string::npos);
  EXPECT_NE(out.find("svc?: evil?[2Jop?x"), std::string::npos) << out;
}

TEST(TracesTree, TraceWithoutSpans) {
  EXPECT_EQ(renderTrace(trace("t1", json::array())),
            "Trace t1: 0 spans, 0 services, 0µs\n(no spans)\n");
}

TEST(TracesTable, OneRowPerTraceInServerOrder) {
  json traces = json::array();
  traces.push_back(json::parse(kTraceAnswer)["data"][0]);
  traces.push_back(trace("00aa",
                         json::array({span("x", "orphan", 1714566900000000, 500, "gone"),
                                      span("r", "GET /", 1714566900000100, 3000000)}),
                         "web"));
  EXPECT_EQ(renderSearchTable(traces),
            "TRACE ID                          ROOT                     SPANS  ERRORS  DURATION  "
            "START\n"
            "4bf92f3577b34da6a3ce929d0e0e4736  frontend: GET /checkout      6       1      2.1s  "
            "2024-05-01T12:34:56.789Z\n"
            "00aa                              web: GET /                   2       0        3s  "
            "2024-05-01T12:35:00.000Z\n");
}

TEST(TracesTable, LongRootNamesAreCutAndEmptyResultsSaySo) {
  std::string op(100, 'o');
  std::string table =
      renderSearchTable(json::array({trace("t1", json::array({span("r", op, 0, 1)}))}));
  EXPECT_NE(table.find("svc: " + std::string(54, 'o') + "…  "), std::string::npos) << table;
  EXPECT_EQ(table.find(std::string(56, 'o')), std::string::npos) << table;
  EXPECT_EQ(renderSearchTable(json::array()), "No traces found.\n");
  EXPECT_EQ(renderSearchTable(json()), "No traces found.\n");
}

TEST(TracesResponse, JaegerErrorMessagesAreShown) {
  json envelope;
  EXPECT_EQ(checkResponse(404, kNotFoundAnswer, envelope), "trace not found (HTTP 404)");
  EXPECT_EQ(
      checkResponse(500, R"({"data":null,"errors":[{"code":500,"msg":"storage down"}]})", envelope),
      "storage down (HTTP 500)");
  EXPECT_EQ(checkResponse(502, "<html>Bad gateway</html>\nmore", envelope),
            "the server answered HTTP 502: <html>Bad gateway</html>");
  EXPECT_EQ(checkResponse(503, "", envelope), "the server answered HTTP 503");
  EXPECT_EQ(checkResponse(200, "OK", envelope),
            "the server's answer is not a Jaeger JSON response (is --server the query API?)");
  EXPECT_EQ(
      checkResponse(200, R"({"data":null,"errors":[{"code":400,"msg":"bad tags"}]})", envelope),
      "bad tags");
  EXPECT_EQ(checkResponse(200, kTraceAnswer, envelope), std::nullopt);
  EXPECT_EQ(envelope["data"][0]["traceID"], "4bf92f3577b34da6a3ce929d0e0e4736");
}

TEST(TracesResponse, TransportErrorsNameTheServer) {
  HttpResponse r;
  r.outcome = HttpResponse::Outcome::kConnectFailed;
  r.error = "Connection refused";
  EXPECT_EQ(transportError("http://h:1", r),
            "cannot connect to http://h:1 (Connection refused); is `periscope serve` running?");
  r.outcome = HttpResponse::Outcome::kTimeout;
  r.error = "timed out";
  EXPECT_EQ(transportError("http://h:1", r), "no answer from http://h:1 in time (timed out)");
  r.outcome = HttpResponse::Outcome::kResolveFailed;
  EXPECT_NE(transportError("http://h:1", r).find("cannot resolve the host of http://h:1"),
            std::string::npos);
}

TEST(TracesUrl, SearchCarriesEveryFilter) {
  SearchQuery q;
  q.service = "check out";
  q.operation = "POST /pay";
  q.tags = {{"http.status_code", "500"}, {"error", "true"}};
  q.min_duration = std::chrono::milliseconds(200);
  q.max_duration = std::chrono::milliseconds(1500);
  q.lookback = std::chrono::hours(1);
  q.limit = 5;
  auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'000));
  EXPECT_EQ(searchUrl("http://s:16686", q, now),
            "http://s:16686/api/traces?service=check%20out&operation=POST%20%2Fpay"
            "&tags=%7B%22error%22%3A%22true%22%2C%22http.status_code%22%3A%22500%22%7D"
            "&minDuration=200ms&maxDuration=1500ms&lookback=1h"
            "&start=1699996400000000&end=1700000000000000&limit=5");
  SearchQuery minimal;
  minimal.service = "a";
  EXPECT_EQ(searchUrl("http://s", minimal, now), "http://s/api/traces?service=a&limit=20");
  EXPECT_EQ(traceUrl("http://s", "abc"), "http://s/api/traces/abc");
  EXPECT_EQ(percentEncode("a-_.~ /{}\"é"), "a-_.~%20%2F%7B%7D%22%C3%A9");
}

// ---- The subcommand with a fake fetch.

struct FakeServer {
  HttpResponse answer;
  std::vector<std::string> urls;
  Fetch fetch() {
    return [this](const std::string& url) {
      urls.push_back(url);
      return answer;
    };
  }
};

HttpResponse ok(long status, std::string body) {
  HttpResponse r;
  r.outcome = HttpResponse::Outcome::kOk;
  r.status = status;
  r.body = std::move(body);
  return r;
}

struct CliRun {
  int code;
  std::string out, err;
};

CliRun runTraces(std::vector<std::string> args, FakeServer& server) {
  std::ostringstream out, err;
  int code = run(args, server.fetch(), out, err,
                 std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'000)));
  return {code, out.str(), err.str()};
}

TEST(TracesCommand, GetPrintsTheTreeOrTheRawAnswer) {
  FakeServer server{ok(200, kTraceAnswer), {}};
  CliRun r = runTraces({"get", "4bf92f3577b34da6a3ce929d0e0e4736", "--server", "h:1/"}, server);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, kTraceTree);
  EXPECT_EQ(r.err, "");
  ASSERT_EQ(server.urls.size(), 1u);
  EXPECT_EQ(server.urls[0], "http://h:1/api/traces/4bf92f3577b34da6a3ce929d0e0e4736");

  r = runTraces({"get", "--json", "--server=http://h:2", "4bf9"}, server);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, std::string(kTraceAnswer) + "\n");
  EXPECT_EQ(server.urls.back(), "http://h:2/api/traces/4bf9");
}

TEST(TracesCommand, ServerAndConnectionErrorsExitOne) {
  FakeServer server{ok(404, kNotFoundAnswer), {}};
  CliRun r = runTraces({"get", "abc"}, server);
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "periscope traces: trace not found (HTTP 404)\n");

  server.answer = ok(200, R"({"data":[],"errors":null})");
  r = runTraces({"get", "abc"}, server);
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "periscope traces: trace abc not found on http://127.0.0.1:16686\n");

  server.answer = HttpResponse{};
  server.answer.outcome = HttpResponse::Outcome::kConnectFailed;
  server.answer.error = "Connection refused";
  r = runTraces({"search", "--service", "x", "--server", "http://127.0.0.1:9"}, server);
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err,
            "periscope traces: cannot connect to http://127.0.0.1:9 (Connection refused); is "
            "`periscope serve` running?\n");
}

TEST(TracesCommand, SearchBuildsTheQueryAndPrintsTheTable) {
  FakeServer server{ok(200, std::string(R"({"data":[)") +
                                json::parse(kTraceAnswer)["data"][0].dump() + R"(],"total":1})"),
                    {}};
  CliRun r =
      runTraces({"search", "--service", "frontend", "--errors", "--tag", "k=v=w", "--min-duration",
                 "1.5ms", "--max-duration", "24h", "--lookback", "2d", "--limit", "1"},
                server);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("TRACE ID", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("frontend: GET /checkout"), std::string::npos) << r.out;
  EXPECT_EQ(r.err, "(showing the first 1; raise --limit for more)\n");
  ASSERT_EQ(server.urls.size(), 1u);
  EXPECT_EQ(server.urls[0],
            "http://127.0.0.1:16686/api/traces?service=frontend"
            "&tags=%7B%22error%22%3A%22true%22%2C%22k%22%3A%22v%3Dw%22%7D&minDuration=1500us"
            "&maxDuration=24h&lookback=48h&start=1699827200000000&end=1700000000000000&limit=1");
}

TEST(TracesCommand, BadFlagsPrintUsageAndExitTwoWithoutARequest) {
  FakeServer server{ok(200, kTraceAnswer), {}};
  const std::vector<std::vector<std::string>> bad = {
      {},
      {"list"},
      {"get"},
      {"get", "a", "b"},
      {"get", "not-hex"},
      {"get", "abc", "--verbose"},
      {"get", "abc", "--server"},
      {"get", "abc", "--server", "ftp://x"},
      {"search"},
      {"search", "--service"},
      {"search", "--service", "s", "--tag", "novalue"},
      {"search", "--service", "s", "--tag", "=v"},
      {"search", "--service", "s", "--limit", "0"},
      {"search", "--service", "s", "--limit", "3x"},
      {"search", "--service", "s", "--min-duration", "fast"},
      {"search", "--service", "s", "--lookback", "0s"},
      {"search", "--service", "s", "--min-duration", "2s", "--max-duration", "1s"},
      {"search", "--service", "s", "--errors=yes"},
  };
  for (const auto& args : bad) {
    CliRun r = runTraces(args, server);
    std::string joined;
    for (const auto& a : args) joined += a + " ";
    EXPECT_EQ(r.code, 2) << joined;
    EXPECT_NE(r.err.find("Usage: periscope traces"), std::string::npos) << joined << r.err;
    EXPECT_EQ(r.out, "") << joined;
  }
  EXPECT_TRUE(server.urls.empty());
}

TEST(TracesCommand, HelpGoesToStdoutAndExitsZero) {
  FakeServer server;
  for (auto args : std::vector<std::vector<std::string>>{{"--help"},
                                                         {"get", "--help"},
                                                         {"search", "-h"},
                                                         {"search", "--service", "x", "--help"}}) {
    CliRun r = runTraces(args, server);
    EXPECT_EQ(r.code, 0);
    EXPECT_NE(r.out.find("Usage: periscope traces"), std::string::npos);
    EXPECT_EQ(r.err, "");
  }
  EXPECT_TRUE(server.urls.empty());
}

// ---- The real binary.

struct Process {
  int code;
  std::string output;  // stdout, or stderr when asked for
};

Process runBinary(const std::string& args, bool capture_stderr) {
  std::string cmd = std::string(PERISCOPE_BINARY) + " " + args +
                    (capture_stderr ? " 2>&1 >/dev/null" : " 2>/dev/null");
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return {-1, "popen failed"};
  std::string out;
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

TEST(TracesBinary, NothingListeningGivesOneLineAndExitOne) {
  // A socket bound but not listening: the port is ours, so connecting is refused for certain
  // (no other process can be listening on it meanwhile).
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  std::string server = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port));

  Process p = runBinary("traces get 4bf92f3577b34da6a3ce929d0e0e4736 --server " + server, true);
  close(fd);
  EXPECT_EQ(p.code, 1) << p.output;
  EXPECT_EQ(p.output.rfind("periscope traces: cannot connect to " + server + " (", 0), 0u)
      << p.output;
  EXPECT_NE(p.output.find("is `periscope serve` running?\n"), std::string::npos) << p.output;
  EXPECT_EQ(std::count(p.output.begin(), p.output.end(), '\n'), 1) << p.output;
}

TEST(TracesBinary, RendersWhatARealServerAnswers) {
  std::mutex mu;
  std::vector<std::string> targets;
  auto started = http::Server::start({}, [&](http::Request&& req, http::Respond respond) {
    {
      std::lock_guard lock(mu);
      targets.push_back(req.target);
    }
    if (req.path == "/api/traces/4bf92f3577b34da6a3ce929d0e0e4736")
      respond(http::Response::text(200, kTraceAnswer, "application/json"));
    else
      respond(http::Response::text(404, kNotFoundAnswer, "application/json"));
  });
  ASSERT_TRUE(started.isOk()) << started.status().toString();
  std::string server = "http://127.0.0.1:" + std::to_string((*started)->port());

  Process found =
      runBinary("traces get 4bf92f3577b34da6a3ce929d0e0e4736 --server " + server, false);
  EXPECT_EQ(found.code, 0);
  EXPECT_EQ(found.output, kTraceTree);
  Process missing = runBinary("traces get 0123 --server " + server, true);
  EXPECT_EQ(missing.code, 1);
  EXPECT_EQ(missing.output, "periscope traces: trace not found (HTTP 404)\n");
  (*started)->stop();
  std::lock_guard lock(mu);
  EXPECT_EQ(targets, (std::vector<std::string>{"/api/traces/4bf92f3577b34da6a3ce929d0e0e4736",
                                               "/api/traces/0123"}));
}

}  // namespace
}  // namespace periscope::app::traces
