#include "model/prometheus/text_format_parser.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "model/prometheus/text_format_writer.h"
#include "model/prometheus/translate.h"

namespace periscope::model::prom {
namespace {

// Renders every entry as one line so a whole parse compares as a list of strings.
Result<std::vector<std::string>> entries(std::string_view text,
                                         TextFormat format = TextFormat::kPrometheus) {
  TextParser p(text, format);
  std::vector<std::string> out;
  for (;;) {
    auto e = p.next();
    if (!e.isOk()) return e.status();
    switch (*e) {
      case TextParser::Entry::kEnd:
        return out;
      case TextParser::Entry::kHelp:
        out.push_back("HELP " + std::string(p.name()) + " [" + std::string(p.help()) + "]");
        break;
      case TextParser::Entry::kType:
        out.push_back("TYPE " + std::string(p.name()) + " " +
                      std::string(metricKindName(p.kind())) + " (" + std::string(p.typeWord()) +
                      ")");
        break;
      case TextParser::Entry::kUnit:
        out.push_back("UNIT " + std::string(p.name()) + " " + std::string(p.unit()));
        break;
      case TextParser::Entry::kComment:
        out.push_back("COMMENT");
        break;
      case TextParser::Entry::kSample: {
        std::string s = "SAMPLE " + std::string(p.name()) + " {";
        for (const LabelRef& l : p.labels())
          s += std::string(l.name) + "=[" + std::string(l.value) + "] ";
        s += "} " + std::string(formatFloat(p.value()).view());
        if (p.timestampMs()) s += " @" + std::to_string(*p.timestampMs());
        s += " line " + std::to_string(p.line());
        out.push_back(s);
        break;
      }
    }
  }
}

TEST(TextFormatParser, ParsesTheExpositionFormatExample) {
  const std::string text =
      "# HELP http_requests_total The total number of HTTP requests.\n"
      "# TYPE http_requests_total counter\n"
      "http_requests_total{method=\"post\",code=\"200\"} 1027 1395066363000\n"
      "http_requests_total{method=\"post\",code=\"400\"}    3 1395066363000\n"
      "\n"
      "# Escaping in label values:\n"
      "msdos_file_access_time_seconds{path=\"C:\\\\DIR\\\\FILE.TXT\",error=\"Cannot find "
      "file:\\n\\\"FILE.TXT\\\"\"} 1.458255915e9\n"
      "metric_without_timestamp_and_labels 12.47\n"
      "something_weird{problem=\"division by zero\"} +Inf -3982045\n"
      "# HELP rpc_duration_seconds A summary\\nwith \\\\ escapes.\n"
      "# TYPE rpc_duration_seconds summary\n"
      "rpc_duration_seconds{quantile=\"0.5\"} 4773\n"
      "rpc_duration_seconds_sum 1.7560473e+07\n"
      "\t rpc_duration_seconds_count{} 2693 \n"
      "x{a=\"1\",} NaN\n"
      "# TYPE y untyped\n"
      "y{a=\"\\t\"} -Inf";
  auto got = entries(text);
  ASSERT_TRUE(got.isOk()) << got.status().toString();
  const std::vector<std::string> want = {
      "HELP http_requests_total [The total number of HTTP requests.]",
      "TYPE http_requests_total counter (counter)",
      "SAMPLE http_requests_total {method=[post] code=[200] } 1027 @1395066363000 line 3",
      "SAMPLE http_requests_total {method=[post] code=[400] } 3 @1395066363000 line 4",
      "COMMENT",
      "SAMPLE msdos_file_access_time_seconds {path=[C:\\DIR\\FILE.TXT] error=[Cannot find "
      "file:\n\"FILE.TXT\"] } 1.458255915e+09 line 7",
      "SAMPLE metric_without_timestamp_and_labels {} 12.47 line 8",
      "SAMPLE something_weird {problem=[division by zero] } +Inf @-3982045 line 9",
      "HELP rpc_duration_seconds [A summary\nwith \\ escapes.]",
      "TYPE rpc_duration_seconds summary (summary)",
      "SAMPLE rpc_duration_seconds {quantile=[0.5] } 4773 line 12",
      "SAMPLE rpc_duration_seconds_sum {} 1.7560473e+07 line 13",
      "SAMPLE rpc_duration_seconds_count {} 2693 line 14",
      "SAMPLE x {a=[1] } NaN line 15",
      "TYPE y unknown (untyped)",
      "SAMPLE y {a=[\\t] } -Inf line 17",
  };
  EXPECT_EQ(*got, want);
}

TEST(TextFormatParser, AcceptsOpenMetricsBasics) {
  const std::string text =
      "# TYPE foo counter\n"
      "# UNIT foo seconds\n"
      "# HELP foo Foo.\n"
      "foo_total{a=\"b\"} 17.0 1520879607.789 # {trace_id=\"KOO5S4vxi0o\"} 0.67\n"
      "foo_created{a=\"b\"} 1520430000.123\n"
      "# TYPE bar info\n"
      "bar_info{v=\"1\"} 1\n"
      "# EOF\n";
  auto got = entries(text, TextFormat::kOpenMetrics);
  ASSERT_TRUE(got.isOk()) << got.status().toString();
  const std::vector<std::string> want = {
      "TYPE foo counter (counter)",
      "UNIT foo seconds",
      "HELP foo [Foo.]",
      "SAMPLE foo_total {a=[b] } 17 @1520879607789 line 4",
      "SAMPLE foo_created {a=[b] } 1.520430000123e+09 line 5",
      "TYPE bar unknown (info)",
      "SAMPLE bar_info {v=[1] } 1 line 7",
  };
  EXPECT_EQ(*got, want);
  EXPECT_EQ(textFormatFromContentType("application/openmetrics-text; version=1.0.0"),
            TextFormat::kOpenMetrics);
  EXPECT_EQ(textFormatFromContentType("text/plain; version=0.0.4"), TextFormat::kPrometheus);
}

TEST(TextFormatParser, ReportsLineAndColumn) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"a 1\nb{x=\"1\" 2\n", "2:9: parse error: expected ',' or '}' in label set"},
      {"a{x=1} 2", "1:5: parse error: expected '\"' to open a label value"},
      {"a{x=\"1\"}", "1:9: parse error: expected a sample value"},
      {"a{x=\"1} 2", "1:10: parse error: unterminated label value"},
      {"a{x=\"1\nb 2", "1:7: parse error: unterminated label value"},
      {"a{x=\"1\",x=\"2\"} 1", "1:9: parse error: duplicate label name \"x\""},
      {"a{__name__=\"b\"} 1", "1:3: parse error: label name __name__ is reserved"},
      {"a{1=\"b\"} 1", "1:3: parse error: expected a label name"},
      {"a{x\"b\"} 1", "1:4: parse error: expected '=' after label name \"x\""},
      {"a{", "1:3: parse error: unexpected end of input in label set"},
      {"a one", "1:3: parse error: invalid sample value \"one\""},
      {"a 1 2.5", "1:5: parse error: invalid timestamp \"2.5\""},
      {"a 1 2 3", "1:7: parse error: unexpected text at the end of the line"},
      {"9a 1", "1:1: parse error: expected a metric name"},
      {"a-b 1", "1:2: parse error: invalid sample value \"-b\""},
      {"# TYPE a countr\n", "1:10: parse error: unknown metric type \"countr\""},
      {"# TYPE a\n", "1:9: parse error: expected a metric type"},
      {"# TYPE 1a counter", "1:8: parse error: expected a metric name after # TYPE"},
      {"# HELP a-b x", "1:9: parse error: invalid character in metric name"},
      {"a 1\n# EOF\n\nb 2\n", "4:1: parse error: content after # EOF"},
      {"a nan(1)", "1:3: parse error: invalid sample value \"nan(1)\""},
      {"a ++1", "1:3: parse error: invalid sample value \"++1\""},
  };
  for (const auto& [text, want] : cases) {
    auto got = entries(text);
    ASSERT_FALSE(got.isOk()) << text;
    EXPECT_EQ(got.status().message(), want) << text;
  }
}

TEST(TextFormatParser, ValuesFollowGoParseFloat) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"1e3", "1000"}, {"-0.5", "-0.5"}, {"+Inf", "+Inf"},  {"inf", "+Inf"}, {"-Infinity", "-Inf"},
      {"nan", "NaN"},  {"0x10", "16"},   {"1e999", "+Inf"}, {"1e-999", "0"}, {".5", "0.5"},
  };
  for (const auto& [word, want] : cases) {
    auto got = entries("m " + word + "\n");
    ASSERT_TRUE(got.isOk()) << word << ": " << got.status().toString();
    EXPECT_EQ(got->at(0), "SAMPLE m {} " + want + " line 1") << word;
  }
}

TEST(TextFormatParser, CommentsThatAreNotKeywords) {
  auto got = entries("#HELP a b\n# help a b\n#\n# TYPEx a counter\na 1\n");
  ASSERT_TRUE(got.isOk()) << got.status().toString();
  EXPECT_EQ(*got, (std::vector<std::string>{"COMMENT", "COMMENT", "COMMENT", "COMMENT",
                                            "SAMPLE a {} 1 line 5"}));
}

TEST(TextFormatParser, WriterOutputParsesBack) {
  std::string text;
  appendFamilyHeader(text, "m", MetricKind::kGauge, "odd \\ help\n");
  std::vector<LabelRef> labels = {{"a", "x\"y\\z\nw"}, {"b", "plain"}};
  appendSample(text, "m", labels, 0.1, 42);
  auto got = entries(text);
  ASSERT_TRUE(got.isOk()) << got.status().toString();
  EXPECT_EQ(*got,
            (std::vector<std::string>{"HELP m [odd \\ help\n]", "TYPE m gauge (gauge)",
                                      "SAMPLE m {a=[x\"y\\z\nw] b=[plain] } 0.1 @42 line 3"}));
}

}  // namespace
}  // namespace periscope::model::prom
