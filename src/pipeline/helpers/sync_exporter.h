// SyncExporter: turns per-signal `push` functions into an exporter component that counts
// otelcol_exporter_sent_* / send_failed_* and answers `done` with the push result.
// push() runs on the caller's thread and may be called concurrently from several pipelines;
// implementations guard their own shared state.
#pragma once

#include <vector>

#include "pipeline/factories.h"
#include "pipeline/obsreport.h"

namespace periscope::pipeline {

class SyncExporter : public ConsumerComponent {
 public:
  SyncExporter(const Settings& settings, const std::vector<Signal>& signals);
  Consumers input() override;
  Status start(component::Host&) override { return Status::ok(); }
  Status shutdown(component::Deadline) override { return Status::ok(); }

 protected:
  virtual Status push(const model::Traces& data);
  virtual Status push(const model::Metrics& data);
  virtual Status push(const model::Logs& data);
  const Settings& settings() const { return settings_; }

 private:
  template <typename T>
  class Adapter final : public Consumer<T> {
   public:
    explicit Adapter(SyncExporter& owner) : owner_(owner) {}
    void consume(T&& data, Done done) override;

   private:
    SyncExporter& owner_;
  };

  Settings settings_;
  std::vector<Signal> signals_;
  ExporterObs obs_;
  Adapter<model::Traces> traces_{*this};
  Adapter<model::Metrics> metrics_{*this};
  Adapter<model::Logs> logs_{*this};
};

// The factory of an exporter that handles every signal and is built as
// ExporterT(settings, config, signals): the common case, written once.
template <typename ConfigT, typename ExporterT>
class AllSignalsExporterFactory final
    : public component::FactoryWithConfig<ConfigT, ExporterFactory> {
 public:
  AllSignalsExporterFactory(std::string_view type, std::string_view description)
      : type_(type), description_(description) {}
  std::string_view type() const override { return type_; }
  std::string_view description() const override { return description_; }
  bool supports(Signal) const override { return true; }
  Result<std::unique_ptr<ConsumerComponent>> create(
      const Settings& settings, const Config& config,
      const std::vector<Signal>& signals) const override {
    return std::unique_ptr<ConsumerComponent>(
        std::make_unique<ExporterT>(settings, static_cast<const ConfigT&>(config), signals));
  }

 private:
  std::string_view type_;
  std::string_view description_;
};

}  // namespace periscope::pipeline
