#include "components/receivers/otlp/config.h"

#include "common/compression.h"

namespace periscope::components::otlp_receiver {

const config::Schema<GrpcServerConfig>& GrpcServerConfig::schema() {
  static const auto s =
      config::Schema<GrpcServerConfig>()
          .field("endpoint", &GrpcServerConfig::endpoint, "host:port to listen on.")
          .field("max_recv_msg_size_mib", &GrpcServerConfig::max_recv_msg_size_mib,
                 "Largest accepted message (after decompression), in MiB; larger ones get "
                 "RESOURCE_EXHAUSTED.")
          .field("max_concurrent_streams", &GrpcServerConfig::max_concurrent_streams,
                 "Concurrent streams per HTTP/2 connection (0 = gRPC default).")
          .field("include_metadata", &GrpcServerConfig::include_metadata,
                 "Accepted for compatibility; client metadata is not propagated yet.");
  return s;
}

const config::Schema<CorsConfig>& CorsConfig::schema() {
  static const auto s =
      config::Schema<CorsConfig>()
          .field("allowed_origins", &CorsConfig::allowed_origins,
                 "Origins allowed to send browser requests; `*` wildcards allowed (e.g. "
                 "https://*.example.com).")
          .field("allowed_headers", &CorsConfig::allowed_headers,
                 "Extra request headers allowed besides the CORS-safelisted ones.")
          .field("max_age", &CorsConfig::max_age,
                 "Seconds a browser may cache a preflight answer.");
  return s;
}

const config::Schema<HttpServerConfig>& HttpServerConfig::schema() {
  static const auto s =
      config::Schema<HttpServerConfig>()
          .field("endpoint", &HttpServerConfig::endpoint, "host:port to listen on.")
          .field("max_request_body_size", &HttpServerConfig::max_request_body_size,
                 "Largest body in bytes, enforced after decompression (413 past it).")
          .field("include_metadata", &HttpServerConfig::include_metadata,
                 "Accepted for compatibility; client metadata is not propagated yet.")
          .field("cors", &HttpServerConfig::cors, "Cross-origin requests from browsers.")
          .field("traces_url_path", &HttpServerConfig::traces_url_path, "Path for traces.")
          .field("metrics_url_path", &HttpServerConfig::metrics_url_path, "Path for metrics.")
          .field("logs_url_path", &HttpServerConfig::logs_url_path, "Path for logs.")
          .field("compression_algorithms", &HttpServerConfig::compression_algorithms,
                 "Accepted Content-Encodings (\"\" = uncompressed).")
          .field("read_header_timeout", &HttpServerConfig::read_header_timeout,
                 "Time allowed to receive request headers on a new connection.")
          .field("idle_timeout", &HttpServerConfig::idle_timeout,
                 "Keep-alive connections idle longer than this are closed.");
  return s;
}

const config::Schema<Protocols>& Protocols::schema() {
  static const auto s =
      config::Schema<Protocols>()
          .field("grpc", &Protocols::grpc, "OTLP/gRPC server; present = enabled.")
          .field("http", &Protocols::http, "OTLP/HTTP server; present = enabled.");
  return s;
}

const config::Schema<Config>& Config::schema() {
  static const auto s = config::Schema<Config>().field("protocols", &Config::protocols,
                                                       "Which protocols to serve (at least one).");
  return s;
}

Status Config::validate() const {
  if (!protocols.grpc && !protocols.http) {
    return invalidArgument("must specify at least one protocol (protocols.grpc or protocols.http)");
  }
  if (protocols.grpc && (protocols.grpc->max_recv_msg_size_mib <= 0 ||
                         protocols.grpc->max_recv_msg_size_mib > 2047)) {
    return invalidArgument("protocols.grpc.max_recv_msg_size_mib must be between 1 and 2047");
  }
  if (protocols.http) {
    if (protocols.http->max_request_body_size <= 0) {
      return invalidArgument("protocols.http.max_request_body_size must be positive");
    }
    for (const auto& a : protocols.http->compression_algorithms) {
      compression::Encoding e;
      if (!compression::parseEncoding(a, e)) {
        return invalidArgument("protocols.http.compression_algorithms: unsupported \"" + a + "\"");
      }
    }
    for (const auto* p : {&protocols.http->traces_url_path, &protocols.http->metrics_url_path,
                          &protocols.http->logs_url_path}) {
      if (p->empty() || (*p)[0] != '/') return invalidArgument("url paths must start with '/'");
    }
  }
  return Status::ok();
}

}  // namespace periscope::components::otlp_receiver
