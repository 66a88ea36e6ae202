// BatchProcessor<T>: the processor helper for processors that edit or drop data synchronously
// (attributes, resource, redaction, filter, transform, probabilistic_sampler...). A processor
// implements process(batch) only; the helper forwards what is left, answers `done` itself when
// nothing is left (dropped data is a success, as in the collector), and counts items in and out:
//   otelcol_processor_incoming_items{processor, otel_signal}
//   otelcol_processor_outgoing_items{processor, otel_signal}
// It declares mutatesData(), so fan-out hands it a private copy.
#pragma once

#include "common/telemetry/metrics.h"
#include "pipeline/factories.h"

namespace periscope::pipeline {

// The collector's processor item counters for one processor instance and signal.
class ProcessorObs {
 public:
  ProcessorObs(const component::ComponentId& id, component::Signal signal,
               telemetry::Registry& registry = telemetry::globalRegistry());
  void incoming(size_t n) { incoming_->add(static_cast<double>(n)); }
  void outgoing(size_t n) { outgoing_->add(static_cast<double>(n)); }

 private:
  telemetry::Counter* incoming_;
  telemetry::Counter* outgoing_;
};

template <typename T>
class BatchProcessor : public ConsumerComponent, public Consumer<T> {
 public:
  BatchProcessor(const component::Settings& settings, Consumer<T>* next)
      : obs_(settings.id, signalOf<T>()), next_(next) {}

  Status start(component::Host&) override { return Status::ok(); }
  Status shutdown(component::Deadline) override { return Status::ok(); }
  Consumers input() override {
    Consumers c;
    c.set(signalOf<T>(), static_cast<Consumer<T>*>(this));
    return c;
  }
  bool mutatesData() const override { return true; }

  void consume(T&& data, Done done) final {
    obs_.incoming(data.itemCount());
    Status status = process(data);
    if (!status.isOk()) {
      done(std::move(status));
      return;
    }
    size_t out = data.itemCount();
    obs_.outgoing(out);
    if (out == 0) {
      done(Status::ok());
      return;
    }
    next_->consume(std::move(data), std::move(done));
  }

 protected:
  // Edits `data` in place (it may remove every item). An error stops the batch and goes back to
  // the receiver; processors with an `error_mode` decide themselves what is an error.
  virtual Status process(T& data) = 0;
  Consumer<T>* next() const { return next_; }

 private:
  ProcessorObs obs_;
  Consumer<T>* next_;
};

}  // namespace periscope::pipeline
