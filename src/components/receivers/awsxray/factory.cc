#include "components/receivers/awsxray/factory.h"

#include "common/logging.h"
#include "components/receivers/awsxray/config.h"
#include "components/receivers/awsxray/segment_ingest.h"
#include "components/receivers/awsxray/udp_server.h"

namespace periscope::components::awsxray_receiver {
namespace {

class Receiver final : public component::Component {
 public:
  Receiver(const component::Settings& settings, const Config& config,
           const pipeline::Consumers& next)
      : settings_(settings),
        config_(config),
        ingest_(settings.id, next.traces),
        server_(config.endpoint, ingest_) {}

  Status start(component::Host&) override {
    if (config_.proxy_server) {
      log::warn(settings_.id.toString(),
                "proxy_server is accepted but not implemented: X-Ray SDK sampling-rule requests "
                "are not served",
                {{"endpoint", config_.proxy_server->endpoint}});
    }
    PERISCOPE_RETURN_IF_ERROR(server_.start());
    log::info(settings_.id.toString(), "AWS X-Ray UDP listening",
              {{"endpoint", config_.endpoint}, {"port", std::to_string(server_.port())}});
    return Status::ok();
  }

  Status shutdown(component::Deadline) override {
    server_.shutdown();
    return Status::ok();
  }

 private:
  component::Settings settings_;
  Config config_;
  SegmentIngest ingest_;
  UdpServer server_;
};

class Factory final : public component::FactoryWithConfig<Config, pipeline::ReceiverFactory> {
 public:
  std::string_view type() const override { return "awsxray"; }
  std::string_view description() const override {
    return "Receives AWS X-Ray segment documents over UDP (the X-Ray daemon protocol) as traces.";
  }
  bool supports(pipeline::Signal s) const override { return s == pipeline::Signal::kTraces; }
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

}  // namespace periscope::components::awsxray_receiver
