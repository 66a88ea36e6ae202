// `prometheusremotewrite` exporter (metrics only): OTLP metrics → Prometheus series through
// model::prom::Translator (names, suffixes, target_info, delta→cumulative), POSTed as
// snappy-compressed prometheus.WriteRequest (remote write 1.0) with the headers Prometheus
// servers check. 2xx is success; 5xx and 429 are retryable (Retry-After honoured); any other
// answer is permanent and the batch is dropped and counted. Uses the shared http::Client.
#pragma once

#include <memory>
#include <string>

#include "common/status.h"
#include "pipeline/factories.h"

namespace periscope::components::prometheusremotewrite_exporter {

std::unique_ptr<pipeline::ExporterFactory> makeFactory();

// Maps an HTTP answer to a Status (exposed for tests).
Status statusFromHttp(long code, const std::string& retry_after, const std::string& body_text);

}  // namespace periscope::components::prometheusremotewrite_exporter
