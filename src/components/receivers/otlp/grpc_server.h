// OTLP/gRPC server: TraceService, MetricsService and LogsService Export, served through gRPC's
// generic callback API so request bytes reach our zero-copy decoder without a libprotobuf parse.
#pragma once

#include <memory>

#include "components/receivers/otlp/config.h"
#include "pipeline/consumer.h"
#include "pipeline/obsreport.h"

namespace periscope::components::otlp_receiver {

class GrpcServer {
 public:
  virtual ~GrpcServer() = default;
  static Result<std::unique_ptr<GrpcServer>> start(const GrpcServerConfig& config,
                                                   const pipeline::Consumers& next,
                                                   const component::ComponentId& id);
  virtual int port() const = 0;
  // Stops accepting calls and waits (until `deadline`) for in-flight calls to be answered.
  virtual void shutdown(std::chrono::steady_clock::time_point deadline) = 0;
};

}  // namespace periscope::components::otlp_receiver
