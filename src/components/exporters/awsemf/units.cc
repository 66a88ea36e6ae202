#include "components/exporters/awsemf/units.h"

#include <algorithm>
#include <array>
#include <utility>

namespace periscope::components::awsemf_exporter {

namespace {

constexpr std::array<std::string_view, 27> kCloudWatchUnits = {"Seconds",
                                                               "Microseconds",
                                                               "Milliseconds",
                                                               "Bytes",
                                                               "Kilobytes",
                                                               "Megabytes",
                                                               "Gigabytes",
                                                               "Terabytes",
                                                               "Bits",
                                                               "Kilobits",
                                                               "Megabits",
                                                               "Gigabits",
                                                               "Terabits",
                                                               "Percent",
                                                               "Count",
                                                               "Bytes/Second",
                                                               "Kilobytes/Second",
                                                               "Megabytes/Second",
                                                               "Gigabytes/Second",
                                                               "Terabytes/Second",
                                                               "Bits/Second",
                                                               "Kilobits/Second",
                                                               "Megabits/Second",
                                                               "Gigabits/Second",
                                                               "Terabits/Second",
                                                               "Count/Second",
                                                               "None"};

constexpr std::array<std::pair<std::string_view, std::string_view>, 10> kOtelToCloudWatch = {{
    {"ms", "Milliseconds"},
    {"s", "Seconds"},
    {"us", "Microseconds"},
    {"By", "Bytes"},
    {"Bi", "Bits"},
    {"bit", "Bits"},
    {"%", "Percent"},
    {"By/s", "Bytes/Second"},
    {"1", ""},
    {"ns", ""},  // CloudWatch has no nanoseconds
}};

}  // namespace

bool isCloudWatchUnit(std::string_view unit) {
  return std::find(kCloudWatchUnits.begin(), kCloudWatchUnits.end(), unit) !=
         kCloudWatchUnits.end();
}

std::string_view cloudWatchUnit(std::string_view otel_unit) {
  for (const auto& [from, to] : kOtelToCloudWatch) {
    if (from == otel_unit) return to;
  }
  return isCloudWatchUnit(otel_unit) ? otel_unit : std::string_view();
}

}  // namespace periscope::components::awsemf_exporter
