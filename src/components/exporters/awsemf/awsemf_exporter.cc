#include "components/exporters/awsemf/awsemf_exporter.h"

#include <chrono>
#include <mutex>

#include "common/logging.h"
#include "components/exporters/awsemf/emf_translator.h"
#include "pipeline/helpers/sync_exporter.h"

namespace periscope::components::awsemf_exporter {

Result<std::unique_ptr<LogEventSink>> makeSink(const Config& config) {
  if (config.output_destination == "stdout") {
    return std::unique_ptr<LogEventSink>(std::make_unique<StreamSink>(stdout));
  }
  if (config.output_destination == "file") {
    auto sink = FileSink::open(config.path);
    if (!sink.isOk()) return sink.status();
    return std::unique_ptr<LogEventSink>(std::move(sink).value());
  }
  return invalidArgument(
      "output_destination: cloudwatch (PutLogEvents) is not available in this build; use "
      "stdout or file");
}

namespace {

class Exporter final : public pipeline::SyncExporter {
 public:
  Exporter(const component::Settings& s, const Config& c,
           const std::vector<pipeline::Signal>& signals)
      : SyncExporter(s, signals, c), config_(c), translator_(c) {}

  Status start(component::Host& host) override {
    auto sink = makeSink(config_);
    if (!sink.isOk()) return sink.status();
    sink_ = std::move(sink).value();
    return SyncExporter::start(host);
  }

 protected:
  Status push(const model::Metrics& data) override {
    std::vector<LogEvent> events;
    TranslateStats stats;
    {
      std::lock_guard lock(translate_mu_);  // cumulative → delta state is shared
      int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
      stats = translator_.translate(data, now_ms, events);
    }
    report(stats);
    if (events.empty()) return Status::ok();
    return sink_->put(std::move(events));
  }

 private:
  void report(const TranslateStats& s) const {
    if (s.non_finite_values + s.oversized_metrics + s.dimension_set_splits + s.invalid_dimensions +
            s.directive_splits ==
        0) {
      return;
    }
    log::warn(settings().id.toString(), "EMF limits applied",
              {{"non_finite_values_dropped", std::to_string(s.non_finite_values)},
               {"oversized_metrics_dropped", std::to_string(s.oversized_metrics)},
               {"labels_not_usable_as_dimensions", std::to_string(s.invalid_dimensions)},
               {"dimension_sets_split", std::to_string(s.dimension_set_splits)},
               {"extra_events_for_100_metric_limit", std::to_string(s.directive_splits)}});
  }

  Config config_;
  std::mutex translate_mu_;
  EmfTranslator translator_;
  std::unique_ptr<LogEventSink> sink_;
};

class Factory final : public component::FactoryWithConfig<Config, pipeline::ExporterFactory> {
 public:
  std::string_view type() const override { return "awsemf"; }
  std::string_view description() const override {
    return "Writes metrics as CloudWatch Embedded Metric Format log events (stdout, file).";
  }
  bool supports(pipeline::Signal s) const override { return s == pipeline::Signal::kMetrics; }
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

}  // namespace periscope::components::awsemf_exporter
