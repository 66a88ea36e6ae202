// OpenTelemetry (UCUM) units → CloudWatch units, as the collector's awsemfexporter maps them.
#pragma once

#include <string_view>

namespace periscope::components::awsemf_exporter {

// True for the units CloudWatch accepts in a MetricDefinition (Seconds, Bytes/Second, None, ...).
bool isCloudWatchUnit(std::string_view unit);

// "ms"→Milliseconds, "s"→Seconds, "us"→Microseconds, "By"→Bytes, "Bi"→Bits (the collector's
// table), plus "bit"→Bits, "%"→Percent and "By/s"→Bytes/Second; "1", "ns" and annotations like
// "{req}" become "" (no unit). A CloudWatch unit passes through; anything else becomes "" because
// CloudWatch rejects unknown units.
std::string_view cloudWatchUnit(std::string_view otel_unit);

}  // namespace periscope::components::awsemf_exporter
