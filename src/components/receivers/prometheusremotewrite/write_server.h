// The receiver's HTTP side: POST /api/v1/write with a snappy-compressed prometheus.WriteRequest
// (remote write 1.0), answered the way Prometheus's senders expect: 204 when the pipeline took
// the data; 400 for a body that can never succeed (Prometheus drops it, never retries), with
// the reason and the offending series; 413 past max_request_body_size; 415 for other content
// types (remote write 2.0 included); 503 + Retry-After when the pipeline refuses for now
// (Prometheus retries 5xx; it retries 429 only with retry_on_http_429, so 429 is not used).
#pragma once

#include <functional>
#include <memory>

#include "common/http/server.h"
#include "components/receivers/prometheusremotewrite/config.h"
#include "components/receivers/prometheusremotewrite/metadata_cache.h"
#include "pipeline/consumer.h"
#include "pipeline/obsreport.h"

namespace periscope::components::prometheusremotewrite_receiver {

inline constexpr std::string_view kWritePath = "/api/v1/write";

class WriteServer {
 public:
  using Clock = std::function<int64_t()>;  // Unix milliseconds; tests pass a fixed one
  WriteServer(const Config& config, pipeline::Consumer<model::Metrics>* next,
              const component::ComponentId& id, Clock now_ms = systemNowMs);
  ~WriteServer();
  Status start();
  uint16_t port() const { return server_ ? server_->port() : 0; }
  void shutdown(std::chrono::steady_clock::time_point deadline);
  // The whole request → response logic, without sockets (unit-testable).
  void handle(http::Request&& req, http::Respond respond);

 private:
  static int64_t systemNowMs();

  Config config_;
  Clock now_ms_;
  pipeline::Consumer<model::Metrics>* next_;
  std::string id_;
  pipeline::ReceiverObs obs_;
  MetadataCache metadata_;
  std::unique_ptr<http::Server> server_;
};

}  // namespace periscope::components::prometheusremotewrite_receiver
