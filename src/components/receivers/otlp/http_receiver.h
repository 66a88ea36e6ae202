// OTLP/HTTP server: POST /v1/{traces,metrics,logs} with protobuf or JSON bodies, compressed or
// not, answering with the OTLP status codes (200 + partial success, 400, 413, 415, 429, 503).
#pragma once

#include <memory>

#include "common/http/server.h"
#include "components/receivers/otlp/config.h"
#include "pipeline/consumer.h"
#include "pipeline/obsreport.h"

namespace periscope::components::otlp_receiver {

class HttpReceiver {
 public:
  HttpReceiver(const HttpServerConfig& config, const pipeline::Consumers& next,
               const component::ComponentId& id);
  ~HttpReceiver();
  Status start();
  int port() const { return server_ ? server_->port() : 0; }
  void shutdown(std::chrono::steady_clock::time_point deadline);
  // The whole request → response logic, without sockets (unit-testable).
  void handle(http::Request&& req, http::Respond respond);

 private:
  bool originAllowed(std::string_view origin) const;

  HttpServerConfig config_;
  pipeline::Consumers next_;
  pipeline::ReceiverObs obs_;
  std::unique_ptr<http::Server> server_;
};

// `*` matches any run of characters; used for CORS allowed_origins.
bool globMatch(std::string_view pattern, std::string_view text);

}  // namespace periscope::components::otlp_receiver
