// SyncExporter: the exporter helper. An exporter implements per-signal `push()` (one attempt,
// synchronous, returning the OTLP-classified result) and gets, from its ExporterHelperConfig:
// the sending queue (memory or persistent), retries with backoff, the circuit breaker, and the
// collector's self-metrics (otelcol_exporter_sent_*, send_failed_*, queue_size, ...).
// push() may run concurrently on several consumer threads; implementations guard their state.
#pragma once

#include <memory>
#include <vector>

#include "pipeline/factories.h"
#include "pipeline/helpers/circuit_breaker.h"
#include "pipeline/helpers/exporter_helper_config.h"
#include "pipeline/helpers/queue_sender.h"
#include "pipeline/helpers/sleeper.h"
#include "pipeline/obsreport.h"

namespace periscope::pipeline {

class SyncExporter : public ConsumerComponent {
 public:
  SyncExporter(const Settings& settings, const std::vector<Signal>& signals,
               const ExporterHelperConfig& helper = passThrough());
  ~SyncExporter() override;
  Consumers input() override;
  // Derived classes that override start() call SyncExporter::start() last.
  Status start(component::Host& host) override;
  Status shutdown(component::Deadline deadline) override;

  // No queue, no retries, no circuit breaker: each batch is pushed on the caller's thread and
  // the result is the caller's answer (debug, nop).
  static ExporterHelperConfig passThrough();

 protected:
  virtual Status push(const model::Traces& data);
  virtual Status push(const model::Metrics& data);
  virtual Status push(const model::Logs& data);
  // Exporters that can send an OTLP protobuf request body as it is return true from
  // sendsEncoded() and implement pushEncoded(); persistent queues then skip decoding.
  virtual bool sendsEncoded() const { return false; }
  virtual Status pushEncoded(Signal signal, std::string_view otlp_protobuf);
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
  template <typename T>
  std::unique_ptr<QueueSender<T>> makeSender(bool serves);

  Settings settings_;
  std::vector<Signal> signals_;
  ExporterHelperConfig helper_;
  ExporterObs obs_;
  Sleeper sleeper_;  // declared before the senders, which use it until they are destroyed
  std::unique_ptr<CircuitBreaker> breaker_;
  std::unique_ptr<QueueSender<model::Traces>> traces_sender_;
  std::unique_ptr<QueueSender<model::Metrics>> metrics_sender_;
  std::unique_ptr<QueueSender<model::Logs>> logs_sender_;
  Adapter<model::Traces> traces_{*this};
  Adapter<model::Metrics> metrics_{*this};
  Adapter<model::Logs> logs_{*this};
  bool stopped_ = false;
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
