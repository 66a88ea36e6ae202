// `otlphttp` exporter: POSTs batches to an OTLP/HTTP server as protobuf or JSON, optionally
// compressed, and maps the answer to OTLP semantics (429/502/503/504 retryable with
// Retry-After; every other non-2xx answer permanent). Uses libcurl; at most 4 MiB of a response
// body is kept.
#pragma once

#include <map>
#include <memory>

#include "component/component.h"
#include "config/schema.h"
#include "pipeline/factories.h"
#include "pipeline/helpers/exporter_helper_config.h"

namespace periscope::components::otlphttp_exporter {

struct Config : pipeline::ExporterHelperConfig {
  Config() { timeout = std::chrono::seconds(30); }  // the collector's otlphttp default
  std::string endpoint;                             // base URL; /v1/traces etc. are appended
  std::string traces_endpoint;
  std::string metrics_endpoint;
  std::string logs_endpoint;
  std::string encoding = "proto";
  std::string compression = "gzip";
  std::map<std::string, std::string> headers;
  static const config::Schema<Config>& schema();
  Status validate() const override;
};

std::unique_ptr<pipeline::ExporterFactory> makeFactory();

// Maps an HTTP answer to a Status (exposed for tests).
Status statusFromHttp(long code, const std::string& retry_after, const std::string& body_text);

}  // namespace periscope::components::otlphttp_exporter
