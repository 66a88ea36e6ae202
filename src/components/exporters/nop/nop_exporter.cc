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
  Exporter(const component::Settings& s, const Config&,
           const std::vector<pipeline::Signal>& signals)
      : SyncExporter(s, signals) {}

 protected:
  Status push(const model::Traces&) override { return Status::ok(); }
  Status push(const model::Metrics&) override { return Status::ok(); }
  Status push(const model::Logs&) override { return Status::ok(); }
};

}  // namespace

std::unique_ptr<pipeline::ExporterFactory> makeFactory() {
  return std::make_unique<pipeline::AllSignalsExporterFactory<Config, Exporter>>(
      "nop", "Discards everything it receives (benchmarks, tests).");
}

}  // namespace periscope::components::nop_exporter
