// Golden log query tests: declarative files in testdata/*.test run through LogsService over
// an in-memory LogReader. Each failure names the file:line of its command.
//
//   # comment                      (also blank lines between commands)
//   options max_series=2 max_points=10 default_limit=3 max_limit=5
//   write                          the JSON lines that follow (log_test_records.h) are one
//   {"t":1,"svc":"a","body":"x"}   batch, i.e. one chunk of the reader, until a blank line
//   clear                          drop every stored record
//   query [start=S] [end=S] [limit=N] [forward]
//   <log query>                    then the expected answer until a blank line:
//   line text                        each record's line (or `(empty line)`), in answer order,
//                                    followed by
//   line text  ## k=v k=v            `  ## ` and its lifted fields when it has any;
//   (truncated)                      last, when the answer says so
//   error: <message>                 or the exact error message
//   range start=S end=S step=S     (seconds; fractions allowed)
//   <metric query>                 then one line per series, sorted:
//   {a="b", c="d"} 10:1 20:2.5       labels, then time(s):value for each point
#include <gtest/gtest.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "model/log_line.h"
#include "query/logs/logs_service.h"
#include "support/memory_log_reader.h"
#include "unit/query/logs/log_test_records.h"

namespace periscope::query {
namespace {

std::string number(double v) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

std::vector<std::string> printRecords(const LogsResult& result) {
  std::vector<std::string> out;
  std::string line;
  size_t i = 0;
  for (const auto& rl : result.records.resources()) {
    for (const auto& sl : rl.scope_logs) {
      for (const auto& r : sl.log_records) {
        model::logLine(r, line);
        std::string text = line.empty() ? "(empty line)" : line;
        if (i < result.fields.size() && !result.fields[i].empty()) {
          text += "  ##";
          for (const auto& [k, v] : result.fields[i]) text += " " + k + "=" + v;
        }
        out.push_back(text);
        ++i;
      }
    }
  }
  if (i != result.fields.size())
    out.push_back("(fields for " + std::to_string(result.fields.size()) + " records)");
  if (result.truncated) out.push_back("(truncated)");
  return out;
}

std::vector<std::string> printSeries(const LogMetricsResult& result) {
  std::vector<std::string> out;
  for (const auto& s : result.series) {
    std::string text = "{";
    for (size_t i = 0; i < s.labels.size(); ++i) {
      if (i > 0) text += ", ";
      text += s.labels[i].first + "=\"" + s.labels[i].second + "\"";
    }
    text += "}";
    for (const auto& [t, v] : s.points)
      text += " " + number(static_cast<double>(t) / 1000) + ":" + number(v);
    out.push_back(text);
  }
  return out;
}

std::map<std::string, std::string> parseArgs(std::istringstream& in,
                                             std::vector<std::string>& flags) {
  std::map<std::string, std::string> args;
  std::string word;
  while (in >> word) {
    size_t eq = word.find('=');
    if (eq == std::string::npos) {
      flags.push_back(word);
    } else {
      args[word.substr(0, eq)] = word.substr(eq + 1);
    }
  }
  return args;
}

int64_t millisOf(const std::string& seconds) {
  return std::llround(std::stod(seconds) * 1000);
}
uint64_t nanosOf(const std::string& seconds) {
  return static_cast<uint64_t>(std::llround(std::stod(seconds) * 1e9));
}

void runFile(const std::filesystem::path& path) {
  std::ifstream file(path);
  ASSERT_TRUE(file) << path;
  std::vector<std::string> lines;
  for (std::string l; std::getline(file, l);) lines.push_back(l);

  auto reader = std::make_unique<testing::MemoryLogReader>();
  LogsServiceOptions options;
  size_t evals = 0;
  size_t i = 0;
  auto blockUntilBlank = [&](size_t from) {
    std::vector<std::string> block;
    size_t j = from;
    while (j < lines.size() && !lines[j].empty()) block.push_back(lines[j++]);
    return std::pair(block, j);
  };
  while (i < lines.size()) {
    const std::string& line = lines[i];
    std::string where = path.filename().string() + ":" + std::to_string(i + 1);
    if (line.empty() || line[0] == '#') {
      ++i;
      continue;
    }
    std::istringstream words(line);
    std::string command;
    words >> command;
    std::vector<std::string> flags;
    auto args = parseArgs(words, flags);
    if (command == "options") {
      if (args.count("max_series")) options.max_series = std::stoul(args["max_series"]);
      if (args.count("max_points")) options.max_points = std::stoul(args["max_points"]);
      if (args.count("default_limit")) options.default_limit = std::stoul(args["default_limit"]);
      if (args.count("max_limit")) options.max_limit = std::stoul(args["max_limit"]);
      ++i;
    } else if (command == "clear") {
      reader = std::make_unique<testing::MemoryLogReader>();
      ++i;
    } else if (command == "write") {
      auto [block, next] = blockUntilBlank(i + 1);
      logs::testing::BatchBuilder batch;
      for (const auto& json : block) batch.addJson(json);
      reader->write(batch.take());
      i = next;
    } else if (command == "query" || command == "range") {
      ASSERT_LT(i + 1, lines.size()) << where << ": the query line is missing";
      const std::string& query = lines[i + 1];
      auto [expected, next] = blockUntilBlank(i + 2);
      std::vector<std::string> got;
      LogsService service(*reader, options);
      if (command == "query") {
        LogsRequest request;
        request.query = query;
        if (args.count("start")) request.start_ns = nanosOf(args["start"]);
        if (args.count("end")) request.end_ns = nanosOf(args["end"]);
        if (args.count("limit")) request.limit = std::stoul(args["limit"]);
        request.forward = std::find(flags.begin(), flags.end(), "forward") != flags.end();
        auto result = service.query(request);
        if (result.isOk()) {
          got = printRecords(*result);
        } else {
          got = {"error: " + std::string(result.status().message())};
        }
      } else {
        auto result = service.queryRange(query, millisOf(args["start"]), millisOf(args["end"]),
                                         millisOf(args["step"]));
        if (result.isOk()) {
          got = printSeries(*result);
        } else {
          got = {"error: " + std::string(result.status().message())};
        }
      }
      EXPECT_EQ(got, expected) << where << ": " << query;
      ++evals;
      i = next;
    } else {
      FAIL() << where << ": unknown command " << command;
    }
  }
  EXPECT_GT(evals, 0u) << path;
}

TEST(LogsGolden, Testdata) {
  std::filesystem::path dir =
      std::filesystem::path(PERISCOPE_SOURCE_DIR) / "tests/unit/query/logs/testdata";
  size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".test") continue;
    SCOPED_TRACE(entry.path().filename().string());
    runFile(entry.path());
    ++files;
  }
  EXPECT_GE(files, 6u);
}

}  // namespace
}  // namespace periscope::query
