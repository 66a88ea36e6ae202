#include "components/receivers/otlp/factory.h"

#include <thread>

#include "common/logging.h"
#include "components/receivers/otlp/config.h"
#include "components/receivers/otlp/grpc_server.h"
#include "components/receivers/otlp/http_receiver.h"

namespace periscope::components::otlp_receiver {
namespace {

class Receiver final : public component::Component {
 public:
  Receiver(const component::Settings& settings, const Config& config,
           const pipeline::Consumers& next)
      : settings_(settings), config_(config), next_(next) {}

  Status start(component::Host&) override {
    if (config_.protocols.grpc) {
      auto s = GrpcServer::start(*config_.protocols.grpc, next_, settings_.id);
      if (!s.isOk()) return s.status();
      grpc_ = std::move(s).value();
      log::info(settings_.id.toString(), "OTLP/gRPC listening",
                {{"endpoint", config_.protocols.grpc->endpoint},
                 {"port", std::to_string(grpc_->port())}});
    }
    if (config_.protocols.http) {
      http_ = std::make_unique<HttpReceiver>(*config_.protocols.http, next_, settings_.id);
      PERISCOPE_RETURN_IF_ERROR(http_->start());
      log::info(settings_.id.toString(), "OTLP/HTTP listening",
                {{"endpoint", config_.protocols.http->endpoint},
                 {"port", std::to_string(http_->port())}});
    }
    return Status::ok();
  }

  Status shutdown(component::Deadline deadline) override {
    // Both drain at once: gRPC's shutdown waits for its calls, and HTTP should not be left
    // with a deadline that already passed.
    std::thread grpc_stop;
    if (grpc_) grpc_stop = std::thread([this, deadline] { grpc_->shutdown(deadline); });
    if (http_) http_->shutdown(deadline);
    if (grpc_stop.joinable()) grpc_stop.join();
    return Status::ok();
  }

 private:
  component::Settings settings_;
  Config config_;
  pipeline::Consumers next_;
  std::unique_ptr<GrpcServer> grpc_;
  std::unique_ptr<HttpReceiver> http_;
};

class Factory final : public component::FactoryWithConfig<Config, pipeline::ReceiverFactory> {
 public:
  std::string_view type() const override { return "otlp"; }
  std::string_view description() const override {
    return "Receives OTLP traces, metrics and logs over gRPC and HTTP (protobuf and JSON).";
  }
  bool supports(pipeline::Signal) const override { return true; }
  Result<std::unique_ptr<component::Component>> create(
      const component::Settings& settings, const component::Config& config,
      const pipeline::Consumers& next) const override {
    return std::unique_ptr<component::Component>(
        std::make_unique<Receiver>(settings, static_cast<const Config&>(config), next));
  }
};

}  // namespace

std::unique_ptr<pipeline::ReceiverFactory> makeFactory() {
  return std::make_unique<Factory>();
}

}  // namespace periscope::components::otlp_receiver
