#include "pipeline/helpers/sync_exporter.h"

#include <algorithm>

namespace periscope::pipeline {

ExporterHelperConfig SyncExporter::passThrough() {
  ExporterHelperConfig c;
  c.sending_queue.enabled = false;
  c.retry_on_failure.enabled = false;
  c.circuit_breaker.enabled = false;
  return c;
}

SyncExporter::SyncExporter(const Settings& settings, const std::vector<Signal>& signals,
                           const ExporterHelperConfig& helper)
    : settings_(settings), signals_(signals), helper_(helper), obs_(settings.id) {
  if (helper_.circuit_breaker.enabled) {
    auto& registry = telemetry::globalRegistry();
    telemetry::Labels labels = {{"exporter", settings.id.toString()}};
    auto* state = &registry.gauge("periscope_exporter_circuit_state",
                                  "Circuit breaker state: 0 closed, 1 open, 2 half-open.", labels);
    auto* opened = &registry.counter("periscope_exporter_circuit_opened",
                                     "Times the circuit breaker opened.", labels);
    state->set(0);
    breaker_ = std::make_unique<CircuitBreaker>(helper_.circuit_breaker, helper_.timeout,
                                                [this, state, opened](CircuitBreaker::State s) {
                                                  state->set(static_cast<double>(s));
                                                  if (s == CircuitBreaker::State::kOpen)
                                                    opened->add();
                                                  // Senders waiting out an open circuit re-check
                                                  // now.
                                                  if (s == CircuitBreaker::State::kClosed)
                                                    sleeper_.notifyAll();
                                                });
  }
  auto has = [&](Signal s) {
    return std::find(signals_.begin(), signals_.end(), s) != signals_.end();
  };
  traces_sender_ = makeSender<model::Traces>(has(Signal::kTraces));
  metrics_sender_ = makeSender<model::Metrics>(has(Signal::kMetrics));
  logs_sender_ = makeSender<model::Logs>(has(Signal::kLogs));
}

SyncExporter::~SyncExporter() {
  // Contract: the owner called shutdown() (the service does), so no consumer thread is in a
  // derived push() any more; this only cleans up after a component that never started.
  sleeper_.stop();
  traces_sender_.reset();
  metrics_sender_.reset();
  logs_sender_.reset();
}

template <typename T>
std::unique_ptr<QueueSender<T>> SyncExporter::makeSender(bool serves) {
  if (!serves) return nullptr;
  return std::make_unique<QueueSender<T>>(
      settings_.id, helper_, [this](const T& data) { return push(data); }, breaker_.get(), sleeper_,
      obs_);
}

Consumers SyncExporter::input() {
  Consumers c;
  if (traces_sender_) c.traces = &traces_;
  if (metrics_sender_) c.metrics = &metrics_;
  if (logs_sender_) c.logs = &logs_;
  return c;
}

Status SyncExporter::start(component::Host& host) {
  if (sendsEncoded()) {  // virtual: asked here, not in the constructor
    auto encoded = [this](Signal s) {
      return [this, s](std::string_view body) { return pushEncoded(s, body); };
    };
    if (traces_sender_) traces_sender_->usePushEncoded(encoded(Signal::kTraces));
    if (metrics_sender_) metrics_sender_->usePushEncoded(encoded(Signal::kMetrics));
    if (logs_sender_) logs_sender_->usePushEncoded(encoded(Signal::kLogs));
  }
  if (traces_sender_) PERISCOPE_RETURN_IF_ERROR(traces_sender_->start(host));
  if (metrics_sender_) PERISCOPE_RETURN_IF_ERROR(metrics_sender_->start(host));
  if (logs_sender_) PERISCOPE_RETURN_IF_ERROR(logs_sender_->start(host));
  return Status::ok();
}

Status SyncExporter::shutdown(component::Deadline deadline) {
  if (stopped_) return Status::ok();
  stopped_ = true;
  if (traces_sender_) traces_sender_->drain(deadline);
  if (metrics_sender_) metrics_sender_->drain(deadline);
  if (logs_sender_) logs_sender_->drain(deadline);
  sleeper_.stop();  // interrupts backoff and open-circuit waits
  if (traces_sender_) traces_sender_->stop();
  if (metrics_sender_) metrics_sender_->stop();
  if (logs_sender_) logs_sender_->stop();
  return Status::ok();
}

Status SyncExporter::pushEncoded(Signal, std::string_view) {
  return {StatusCode::kUnimplemented, "this exporter sends decoded batches only"};
}

Status SyncExporter::push(const model::Traces&) {
  return {StatusCode::kUnimplemented, "traces not supported"};
}
Status SyncExporter::push(const model::Metrics&) {
  return {StatusCode::kUnimplemented, "metrics not supported"};
}
Status SyncExporter::push(const model::Logs&) {
  return {StatusCode::kUnimplemented, "logs not supported"};
}

template <typename T>
void SyncExporter::Adapter<T>::consume(T&& data, Done done) {
  QueueSender<T>* sender = nullptr;
  if constexpr (std::is_same_v<T, model::Traces>) sender = owner_.traces_sender_.get();
  if constexpr (std::is_same_v<T, model::Metrics>) sender = owner_.metrics_sender_.get();
  if constexpr (std::is_same_v<T, model::Logs>) sender = owner_.logs_sender_.get();
  sender->consume(std::move(data), std::move(done));
}

template class SyncExporter::Adapter<model::Traces>;
template class SyncExporter::Adapter<model::Metrics>;
template class SyncExporter::Adapter<model::Logs>;

}  // namespace periscope::pipeline
