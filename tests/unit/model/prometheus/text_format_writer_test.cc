#include "model/prometheus/text_format_writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

namespace periscope::model::prom {
namespace {

std::string text(double v) {
  std::string s;
  appendFloat(s, v);
  return s;
}

TEST(TextFormatWriter, FloatsAreFormattedAsGoDoes) {
  const std::vector<std::pair<double, std::string>> cases = {
      {0, "0"},
      {-0.0, "0"},
      {1, "1"},
      {-1, "-1"},
      {0.5, "0.5"},
      {123456, "123456"},
      {1e6, "1e+06"},
      {1234567, "1.234567e+06"},
      {0.0001, "0.0001"},
      {0.00001, "1e-05"},
      {0.1 + 0.2, "0.30000000000000004"},
      {1.5e-300, "1.5e-300"},
      {1.7976931348623157e308, "1.7976931348623157e+308"},
      {5e-324, "5e-324"},
      {100, "100"},
      {-2.5, "-2.5"},
      {1672531200.123, "1.672531200123e+09"},
      {std::numeric_limits<double>::infinity(), "+Inf"},
      {-std::numeric_limits<double>::infinity(), "-Inf"},
      {std::nan(""), "NaN"},
  };
  for (const auto& [v, want] : cases) EXPECT_EQ(text(v), want) << want;
}

TEST(TextFormatWriter, FamilyHeaderEscapesHelp) {
  std::string out;
  appendFamilyHeader(out, "http_requests_total", MetricKind::kCounter,
                     "Requests with a \\ backslash\nand \"quotes\"");
  EXPECT_EQ(out,
            "# HELP http_requests_total Requests with a \\\\ backslash\\nand \"quotes\"\n"
            "# TYPE http_requests_total counter\n");
  out.clear();
  appendFamilyHeader(out, "x", MetricKind::kUnknown, "");
  EXPECT_EQ(out, "# HELP x \n# TYPE x untyped\n");
}

TEST(TextFormatWriter, SampleEscapesLabelValuesAndSkipsEmptyOnes) {
  std::string out;
  std::vector<LabelRef> labels = {{"code", "200"}, {"empty", ""}, {"path", "/a\"b\\c\nd"}};
  appendSample(out, "http_requests_total", labels, 1027, 1395066363000);
  appendSample(out, "up", {}, 1);
  appendSample(out, "temp", {}, -std::numeric_limits<double>::infinity());
  EXPECT_EQ(out,
            "http_requests_total{code=\"200\",path=\"/a\\\"b\\\\c\\nd\"} 1027 1395066363000\n"
            "up 1\n"
            "temp -Inf\n");
}

}  // namespace
}  // namespace periscope::model::prom
