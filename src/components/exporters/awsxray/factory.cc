#include "components/exporters/awsxray/factory.h"

#include "component/factory.h"
#include "components/exporters/awsxray/exporter.h"

namespace periscope::components::awsxray_exporter {

namespace {

class Factory final : public component::FactoryWithConfig<Config, pipeline::ExporterFactory> {
 public:
  std::string_view type() const override { return "awsxray"; }
  std::string_view description() const override {
    return "Sends traces to AWS X-Ray (segment documents, UDP daemon or PutTraceSegments).";
  }
  bool supports(pipeline::Signal s) const override { return s == pipeline::Signal::kTraces; }
  Result<std::unique_ptr<pipeline::ConsumerComponent>> create(
      const component::Settings& settings, const component::Config& config,
      const std::vector<pipeline::Signal>& signals) const override {
    return std::unique_ptr<pipeline::ConsumerComponent>(
        std::make_unique<Exporter>(settings, static_cast<const Config&>(config), signals));
  }
};

}  // namespace

std::unique_ptr<pipeline::ExporterFactory> makeFactory() {
  return std::make_unique<Factory>();
}

}  // namespace periscope::components::awsxray_exporter
