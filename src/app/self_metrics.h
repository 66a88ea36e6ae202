// Periscope's own metrics endpoint (service.telemetry.metrics.address, default 127.0.0.1:8888,
// Prometheus text on /metrics) and the process metrics it always exports:
// otelcol_process_uptime, otelcol_process_cpu_seconds, otelcol_process_memory_rss.
#pragma once

#include <memory>

#include "common/http/server.h"
#include "pipeline/service_config.h"

namespace periscope::app {

void registerProcessMetrics();

// nullptr when level is "none".
Result<std::unique_ptr<http::Server>> startSelfMetrics(const pipeline::MetricsTelemetry& config);

}  // namespace periscope::app
