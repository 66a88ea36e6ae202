// Config of the `otlp` receiver, with the OpenTelemetry Collector's keys:
//   receivers: { otlp: { protocols: { grpc: {endpoint, max_recv_msg_size_mib, ...},
//                                      http: {endpoint, max_request_body_size, cors, ...} } } }
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "component/component.h"
#include "config/schema.h"

namespace periscope::components::otlp_receiver {

struct GrpcServerConfig {
  std::string endpoint = "127.0.0.1:4317";
  int max_recv_msg_size_mib = 4;
  uint32_t max_concurrent_streams = 0;
  bool include_metadata = false;
  static const config::Schema<GrpcServerConfig>& schema();
};

struct CorsConfig {
  std::vector<std::string> allowed_origins;
  std::vector<std::string> allowed_headers;
  int max_age = 0;
  static const config::Schema<CorsConfig>& schema();
};

struct HttpServerConfig {
  std::string endpoint = "127.0.0.1:4318";
  int64_t max_request_body_size = 20 << 20;
  bool include_metadata = false;
  CorsConfig cors;
  std::string traces_url_path = "/v1/traces";
  std::string metrics_url_path = "/v1/metrics";
  std::string logs_url_path = "/v1/logs";
  std::vector<std::string> compression_algorithms = {"",       "gzip",    "zstd", "zlib",
                                                     "snappy", "deflate", "lz4"};
  config::Duration read_header_timeout = std::chrono::minutes(1);
  config::Duration idle_timeout = std::chrono::minutes(1);
  static const config::Schema<HttpServerConfig>& schema();
};

struct Protocols {
  std::optional<GrpcServerConfig> grpc;
  std::optional<HttpServerConfig> http;
  static const config::Schema<Protocols>& schema();
};

struct Config : component::Config {
  Protocols protocols;
  static const config::Schema<Config>& schema();
  Status validate() const override;
};

}  // namespace periscope::components::otlp_receiver
