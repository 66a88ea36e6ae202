#include "components/receivers/prometheusremotewrite/config.h"

#include "common/http/server.h"

namespace periscope::components::prometheusremotewrite_receiver {

const config::Schema<Config>& Config::schema() {
  static const auto s =
      config::Schema<Config>()
          .field("endpoint", &Config::endpoint,
                 "host:port to listen on; remote write is accepted at POST /api/v1/write.")
          .field("max_request_body_size", &Config::max_request_body_size,
                 "Largest body in bytes, compressed and after snappy decompression (413 past "
                 "it).")
          .field("time_threshold", &Config::time_threshold,
                 "Samples older than this many hours are dropped and counted as refused (0 "
                 "keeps all).")
          .field("read_header_timeout", &Config::read_header_timeout,
                 "Time allowed to receive request headers on a new connection.")
          .field("idle_timeout", &Config::idle_timeout,
                 "Keep-alive connections idle longer than this are closed.");
  return s;
}

Status Config::validate() const {
  std::string host;
  uint16_t port = 0;
  PERISCOPE_RETURN_IF_ERROR(http::splitHostPort(endpoint, host, port));
  if (max_request_body_size <= 0) return invalidArgument("max_request_body_size must be positive");
  if (time_threshold < 0) return invalidArgument("time_threshold must not be negative");
  return Status::ok();
}

}  // namespace periscope::components::prometheusremotewrite_receiver
