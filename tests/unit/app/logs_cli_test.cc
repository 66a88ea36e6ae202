// `periscope logs`: argument parsing, URLs, rendering of the logs API's answers (fixtures), the
// SSE splitter, and the subcommand's exit codes and messages with injected I/O (no server).
#include "app/logs_cli.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

namespace periscope::app::logs_cli {
namespace {

using nlohmann::json;

constexpr int64_t kNowNs = 1'700'000'000'000'000'000;

constexpr const char* kRecord = R"({"timestamp":"1700000000123456789","observedTimestamp":"0",
  "severityNumber":17,"severityText":"ERROR","body":"x","line":"payment failed\nretrying",
  "attributes":{},"resource":{"service.name":"checkout"},"scope":{"name":"","version":""},
  "traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","fields":{}})";

HttpResponse ok(std::string body, long status = 200) {
  HttpResponse r;
  r.outcome = HttpResponse::Outcome::kOk;
  r.status = status;
  r.body = std::move(body);
  return r;
}

struct CliRun {
  int code = -1;
  std::string out, err, url;
};

// Runs the subcommand; a query is answered `answer`, a tail gets `tail_pieces` (status, bytes)
// and then ends as `tail_end` says, or with Ctrl-C when `interrupt_after_tail`.
struct Fake {
  HttpResponse answer = ok("{}");
  std::vector<std::pair<long, std::string>> tail_pieces;
  HttpResponse tail_end = ok("");
  bool interrupt_after_tail = false;

  CliRun run(const std::vector<std::string>& args) {
    CliRun r;
    bool interrupted = false;
    Io io;
    io.fetch = [&](const std::string& url) {
      r.url = url;
      return answer;
    };
    io.stream = [&](const std::string& url,
                    const std::function<bool(long, std::string_view)>& on_data) {
      r.url = url;
      for (const auto& [status, bytes] : tail_pieces) {
        if (!on_data(status, bytes)) break;
      }
      interrupted = interrupt_after_tail;
      return tail_end;
    };
    io.interrupted = [&] { return interrupted; };
    std::ostringstream out, err;
    r.code = logs_cli::run(args, io, out, err, kNowNs);
    r.out = out.str();
    r.err = err.str();
    return r;
  }
};

TEST(LogsCli, ParsesEveryOption) {
  LogsArgs a;
  ASSERT_EQ(parseArgs({"--since", "15m", "--until", "2023-11-14T22:13:20Z", "--limit", "50",
                       "--forward", "--output", "json", "--server", "http://h:1", "{a=\"b\"}"},
                      a),
            std::nullopt);
  EXPECT_EQ(a.query, "{a=\"b\"}");
  EXPECT_EQ(a.since, std::chrono::minutes(15));
  EXPECT_EQ(a.until, "2023-11-14T22:13:20Z");
  EXPECT_EQ(a.limit, 50);
  EXPECT_TRUE(a.forward);
  EXPECT_TRUE(a.json);
  EXPECT_EQ(a.server, "http://h:1");
  EXPECT_FALSE(a.follow);
  LogsArgs f;
  ASSERT_EQ(parseArgs({"-f", "{a=\"b\"}"}, f), std::nullopt);
  EXPECT_TRUE(f.follow);
  EXPECT_EQ(f.since, std::chrono::hours(1));
  EXPECT_FALSE(f.json);
}

TEST(LogsCli, UsageErrorsSayWhatIsWrong) {
  const std::pair<std::vector<std::string>, std::string> cases[] = {
      {{}, "a QUERY is required"},
      {{"--since", "soon", "q"}, "--since: \"soon\" is not a positive duration such as 15m or 2h"},
      {{"--since", "0s", "q"}, "--since: \"0s\" is not a positive duration such as 15m or 2h"},
      {{"--limit", "0", "q"}, "--limit: \"0\" is not a positive integer"},
      {{"--output", "xml", "q"}, "--output: \"xml\" is neither text nor json"},
      {{"--limit"}, "--limit needs a value"},
      {{"--tail", "q"}, "unknown option \"--tail\""},
      {{"q1", "q2"}, "one query only (quote it): unexpected \"q2\""},
      {{"--follow", "--limit", "5", "q"},
       "--follow shows new records as they come: it takes no --until, --limit or --forward"},
  };
  for (const auto& [args, message] : cases) {
    LogsArgs a;
    EXPECT_EQ(parseArgs(args, a), message);
    CliRun r = Fake().run(args);
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.starts_with("periscope logs: " + message + "\n")) << r.err;
    EXPECT_EQ(r.url, "");
  }
}

TEST(LogsCli, QueryUrlCoversSinceUntilLimitAndDirection) {
  LogsArgs a;
  a.query = "{a=\"b\"} |= \"x y\"";
  std::string url;
  ASSERT_EQ(queryUrl(a, kNowNs, url), std::nullopt);
  EXPECT_EQ(
      url,
      "http://127.0.0.1:16686/api/periscope/logs?query=%7Ba%3D%22b%22%7D%20%7C%3D%20%22x%20y%22"
      "&start=1699996400000000000&end=1700000000000000000");
  a.since = std::chrono::minutes(15);
  a.until = "5m";  // a duration ago
  a.limit = 10;
  a.forward = true;
  ASSERT_EQ(queryUrl(a, kNowNs, url), std::nullopt);
  EXPECT_TRUE(
      url.ends_with("&start=1699998800000000000&end=1699999700000000000&limit=10"
                    "&direction=forward"))
      << url;
  a.until = "1690000000";  // Unix seconds
  ASSERT_EQ(queryUrl(a, kNowNs, url), std::nullopt);
  EXPECT_NE(url.find("&end=1690000000000000000"), std::string::npos) << url;
  a.until = "tomorrow";
  EXPECT_EQ(queryUrl(a, kNowNs, url),
            "--until: \"tomorrow\" is neither a time (RFC 3339, Unix seconds, ms or ns) nor a "
            "duration ago");
  EXPECT_EQ(tailUrl(a),
            "http://127.0.0.1:16686/api/periscope/logs/tail?query="
            "%7Ba%3D%22b%22%7D%20%7C%3D%20%22x%20y%22");
}

TEST(LogsCli, RendersOneLinePerRecord) {
  EXPECT_EQ(renderRecord(json::parse(kRecord)),
            "2023-11-14T22:13:20.123Z ERROR checkout payment failed\\nretrying "
            "trace_id=5b8efff798038103d269b633813fc60c\n");
  json bare = json::parse(R"({"timestamp":"1700000000000000000","severityNumber":10,
      "severityText":"","line":"\u001b[31mred","resource":{},"traceId":""})");
  EXPECT_EQ(renderRecord(bare), "2023-11-14T22:13:20.000Z INFO - ?[31mred\n");
}

TEST(LogsCli, RendersMatricesAsSeriesTables) {
  json answer = json::parse(R"({"resultType":"matrix","series":[
      {"labels":{"service.name":"checkout"},"points":[[1000,1],[2000,3]]}],"stats":{}})");
  std::string text = renderAnswer(answer);
  EXPECT_TRUE(text.starts_with("SERIES")) << text;
  EXPECT_NE(text.find("{service.name=\"checkout\"}  3     1    3"), std::string::npos) << text;
  EXPECT_EQ(renderAnswer(json::parse(R"({"resultType":"records","records":[]})")),
            "(no records)\n");
}

TEST(LogsCli, SplitsEventsFedInAnyPieces) {
  SseSplitter s;
  std::vector<std::pair<std::string, std::string>> got;
  auto on = [&](std::string_view e, std::string_view d) { got.emplace_back(e, d); };
  s.feed(": keep-alive\n\nevent: lo", on);
  s.feed("g\ndata: {\"a\":1}\n", on);
  EXPECT_TRUE(got.empty());
  s.feed("\nevent: dropped\ndata: {\"dropped\":3}\n\n", on);
  EXPECT_EQ(got, (std::vector<std::pair<std::string, std::string>>{
                     {"log", "{\"a\":1}"}, {"dropped", "{\"dropped\":3}"}}));
}

TEST(LogsCli, QueryPrintsRecordsAndReportsTruncation) {
  Fake fake;
  fake.answer = ok(std::string(R"({"resultType":"records","records":[)") + kRecord +
                   R"(],"direction":"backward","limit":1,"truncated":true,"stats":{}})");
  CliRun r = fake.run({"{service.name=\"checkout\"}"});
  EXPECT_EQ(r.code, 0);
  EXPECT_TRUE(r.url.starts_with("http://127.0.0.1:16686/api/periscope/logs?query=")) << r.url;
  EXPECT_EQ(r.out,
            "2023-11-14T22:13:20.123Z ERROR checkout payment failed\\nretrying "
            "trace_id=5b8efff798038103d269b633813fc60c\n");
  EXPECT_EQ(
      r.err,
      "periscope logs: the limit of 1 was reached and more records may match; use --limit or a "
      "narrower "
      "range\n");
  CliRun j = fake.run({"--output", "json", "{service.name=\"checkout\"}"});
  EXPECT_EQ(j.code, 0);
  EXPECT_EQ(j.out, fake.answer.body + "\n");
}

TEST(LogsCli, ServerAndTransportErrorsExit1) {
  Fake fake;
  fake.answer =
      ok(R"({"error":{"code":400,"message":"query: 1:5: parse error: unexpected end"}})", 400);
  CliRun r = fake.run({"{a="});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "periscope logs: query: 1:5: parse error: unexpected end (HTTP 400)\n");
  fake.answer = HttpResponse{HttpResponse::Outcome::kConnectFailed, 0, "", "refused"};
  r = fake.run({"{a=\"b\"}"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err,
            "periscope logs: cannot connect to http://127.0.0.1:16686 (refused); is `periscope "
            "serve` running?\n");
  fake.answer = ok("<html>proxy</html>", 502);
  r = fake.run({"{a=\"b\"}"});
  EXPECT_EQ(r.err, "periscope logs: the server answered HTTP 502: <html>proxy</html>\n");
}

TEST(LogsCli, FollowPrintsEventsUntilCtrlC) {
  Fake fake;
  std::string event = std::string("event: log\ndata: ") + json::parse(kRecord).dump() + "\n\n";
  fake.tail_pieces = {{200, ": keep-alive\n\n" + event.substr(0, 20)},
                      {200, event.substr(20)},
                      {200, "event: dropped\ndata: {\"dropped\":7}\n\n"}};
  fake.interrupt_after_tail = true;
  fake.tail_end = HttpResponse{HttpResponse::Outcome::kOtherError, 0, "", "cancelled"};
  CliRun r = fake.run({"--follow", "{service.name=\"checkout\"}"});
  EXPECT_EQ(r.code, 0);
  EXPECT_TRUE(r.url.starts_with("http://127.0.0.1:16686/api/periscope/logs/tail?query="));
  EXPECT_EQ(r.out,
            "2023-11-14T22:13:20.123Z ERROR checkout payment failed\\nretrying "
            "trace_id=5b8efff798038103d269b633813fc60c\n");
  EXPECT_EQ(r.err, "periscope logs: 7 records dropped (the terminal did not keep up)\n");
}

TEST(LogsCli, FollowErrorsExit1) {
  Fake fake;
  fake.tail_pieces = {
      {429, R"j({"error":{"code":429,"message":"too many live tails (limit 64)"}})j"}};
  CliRun r = fake.run({"-f", "{a=\"b\"}"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "periscope logs: too many live tails (limit 64) (HTTP 429)\n");
  Fake ended;
  r = ended.run({"-f", "{a=\"b\"}"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "periscope logs: the server ended the tail\n");
}

}  // namespace
}  // namespace periscope::app::logs_cli
