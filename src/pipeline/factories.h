// Signal-aware factories. One receiver or exporter instance serves every pipeline that names
// it (a receiver gets one consumer per signal); processors are created per pipeline.
// Implementations write one template over the signal type, not three copies.
#pragma once

#include <memory>
#include <vector>

#include "component/factory.h"
#include "pipeline/consumer.h"

namespace periscope::pipeline {

using component::Config;
using component::Settings;
using component::Signal;

// Calls `fn.template operator()<T>()` with T the batch type of `signal` (model::Traces, ...), so
// a factory writes its per-signal creation once as a template lambda.
template <typename Fn>
auto withBatchType(Signal signal, Fn&& fn) {
  switch (signal) {
    case Signal::kMetrics:
      return fn.template operator()<model::Metrics>();
    case Signal::kLogs:
      return fn.template operator()<model::Logs>();
    case Signal::kTraces:
      break;
  }
  return fn.template operator()<model::Traces>();
}

class ReceiverFactory : public component::Factory {
 public:
  component::Kind kind() const override { return component::Kind::kReceiver; }
  virtual bool supports(Signal s) const = 0;
  virtual Result<std::unique_ptr<component::Component>> create(const Settings& settings,
                                                               const Config& config,
                                                               const Consumers& next) const = 0;
};

// A processor or exporter: a component that is also the consumer(s) for its signal(s).
class ConsumerComponent : public component::Component {
 public:
  virtual Consumers input() = 0;
};

class ProcessorFactory : public component::Factory {
 public:
  component::Kind kind() const override { return component::Kind::kProcessor; }
  virtual bool supports(Signal s) const = 0;
  virtual Result<std::unique_ptr<ConsumerComponent>> create(Signal signal, const Settings& settings,
                                                            const Config& config,
                                                            const Consumers& next) const = 0;
};

class ExporterFactory : public component::Factory {
 public:
  component::Kind kind() const override { return component::Kind::kExporter; }
  virtual bool supports(Signal s) const = 0;
  // `signals`: every signal of the pipelines that use this exporter.
  virtual Result<std::unique_ptr<ConsumerComponent>> create(
      const Settings& settings, const Config& config, const std::vector<Signal>& signals) const = 0;
};

// A connector is an exporter in some pipelines and a receiver in others (e.g. spanmetrics:
// traces in, metrics out). One instance per id: `from` are the signals of the pipelines that
// export to it, `next` has one consumer per signal of the pipelines that receive from it.
class ConnectorFactory : public component::Factory {
 public:
  component::Kind kind() const override { return component::Kind::kConnector; }
  virtual bool supports(Signal from, Signal to) const = 0;
  virtual Result<std::unique_ptr<ConsumerComponent>> create(const Settings& settings,
                                                            const Config& config,
                                                            const std::vector<Signal>& from,
                                                            const Consumers& next) const = 0;
};

class ExtensionFactory : public component::Factory {
 public:
  component::Kind kind() const override { return component::Kind::kExtension; }
  virtual Result<std::unique_ptr<component::Component>> create(const Settings& settings,
                                                               const Config& config) const = 0;
};

}  // namespace periscope::pipeline
