#include "components/exporters/nop/nop_exporter.h"

#include "pipeline/helpers/sync_exporter.h"

namespace periscope::components::nop_exporter {
namespace {

struct Config : component::Config {
  static const config::Schema<Config>& schema() {
    static const config::Schema<Config> s;
    return s;
  }
};

class Exporter final : public pipeline::SyncExporter {
 public:
  using SyncExporter::SyncExporter;

 protected:
  Status push(const model::Traces&) override { return Status::ok(); }
  Status push(const model::Metrics&) override { return Status::ok(); }
  Status push(const model::Logs&) override { return Status::ok(); }
};

class Factory final : public component::FactoryWithConfig<Config, pipeline::ExporterFactory> {
 public:
  std::string_view type() const override { return "nop"; }
  std::string_view description() const override {
    return "Discards everything it receives (benchmarks, tests).";
  }
  bool supports(pipeline::Signal) const override { return true; }
  Result<std::unique_ptr<pipeline::ConsumerComponent>> create(
      const component::Settings& s, const component::Config&,
      const std::vector<pipeline::Signal>& signals) const override {
    return std::unique_ptr<pipeline::ConsumerComponent>(std::make_unique<Exporter>(s, signals));
  }
};

}  // namespace

std::unique_ptr<pipeline::ExporterFactory> makeFactory() {
  return std::make_unique<Factory>();
}

}  // namespace periscope::components::nop_exporter
