// Prometheus HTTP API v1 (the subset Grafana's Prometheus data source and promtool use):
// /api/v1/query, /api/v1/query_range (GET and form POST), /api/v1/series (GET, POST),
// /api/v1/labels, /api/v1/label/{name}/values, /api/v1/metadata, /api/v1/status/buildinfo.
// Answers use Prometheus's envelope {"status":"success","data":…} / {"status":"error",
// "errorType":…,"error":…} with its HTTP statuses and parameter error messages.
// Reads only through query::MetricsService, which must outlive the router.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "api/http/router.h"
#include "query/metrics/metrics_service.h"

namespace periscope::api {

struct PrometheusApiOptions {
  std::string version = "0.0.0";  // reported by /api/v1/status/buildinfo
  // Wall clock in ms since the epoch (default time of instant queries); injectable for tests.
  std::function<int64_t()> now_ms;
};

void registerPrometheusV1(Router& router, const query::MetricsService& metrics,
                          PrometheusApiOptions options);

// {"status":"error","errorType":type,"error":message}.
http::Response prometheusError(int status, std::string_view type, std::string_view message);

// Prometheus's number formats, exposed for tests: sample values as Go's
// strconv.FormatFloat(v, 'f', -1, 64) ("+Inf", "-Inf", "NaN"), and timestamps of vector and
// matrix points as seconds with a 3-digit millisecond fraction when non-zero (1.5 s → 1.500).
std::string formatSampleValue(double v);
std::string formatPointTime(int64_t t_ms);

}  // namespace periscope::api
