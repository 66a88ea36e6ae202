#include "components/receivers/prometheusremotewrite/factory.h"

#include "common/logging.h"
#include "components/receivers/prometheusremotewrite/config.h"
#include "components/receivers/prometheusremotewrite/write_server.h"

namespace periscope::components::prometheusremotewrite_receiver {
namespace {

class Receiver final : public component::Component {
 public:
  Receiver(const component::Settings& settings, const Config& config,
           const pipeline::Consumers& next)
      : settings_(settings),
        server_(config, next.metrics, settings.id),
        endpoint_(config.endpoint) {}

  Status start(component::Host&) override {
    PERISCOPE_RETURN_IF_ERROR(server_.start());
    log::info(settings_.id.toString(), "Prometheus remote write listening",
              {{"endpoint", endpoint_}, {"port", std::to_string(server_.port())}});
    return Status::ok();
  }

  Status shutdown(component::Deadline deadline) override {
    server_.shutdown(deadline);
    return Status::ok();
  }

 private:
  component::Settings settings_;
  WriteServer server_;
  std::string endpoint_;
};

class Factory final : public component::FactoryWithConfig<Config, pipeline::ReceiverFactory> {
 public:
  std::string_view type() const override { return "prometheusremotewrite"; }
  std::string_view description() const override {
    return "Receives Prometheus remote write 1.0 (POST /api/v1/write, snappy + protobuf) as "
           "metrics.";
  }
  bool supports(pipeline::Signal s) const override { return s == pipeline::Signal::kMetrics; }
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

}  // namespace periscope::components::prometheusremotewrite_receiver
