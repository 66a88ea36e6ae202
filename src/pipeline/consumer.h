// Consumer<T>: the one-way edge of a pipeline. Receivers push into consumers; processors are
// consumers that push to the next; exporters are the last consumers.
// consume() takes the batch by && and calls `done` exactly once — possibly later, on another
// thread — when the data has been handed on as far as the pipeline promises (exported, or
// durably queued), or with the error that stopped it. A receiver answers its client from `done`,
// so no client sees success for data a crash could still lose.
#pragma once

#include <functional>

#include "common/status.h"
#include "component/component_id.h"
#include "model/batch.h"

namespace periscope::pipeline {

using Done = std::function<void(Status)>;

template <typename T>
class Consumer {
 public:
  virtual ~Consumer() = default;
  virtual void consume(T&& data, Done done) = 0;
  // True if this consumer modifies batches it receives; fan-out then gives it a private copy.
  virtual bool mutatesData() const { return false; }
};

using TracesConsumer = Consumer<model::Traces>;
using MetricsConsumer = Consumer<model::Metrics>;
using LogsConsumer = Consumer<model::Logs>;

// The consumers a component feeds (or offers), one slot per signal; null = signal not used.
struct Consumers {
  TracesConsumer* traces = nullptr;
  MetricsConsumer* metrics = nullptr;
  LogsConsumer* logs = nullptr;

  template <typename T>
  Consumer<T>* get() const;
  void set(component::Signal s, void* consumer);
};

template <>
inline Consumer<model::Traces>* Consumers::get<model::Traces>() const {
  return traces;
}
template <>
inline Consumer<model::Metrics>* Consumers::get<model::Metrics>() const {
  return metrics;
}
template <>
inline Consumer<model::Logs>* Consumers::get<model::Logs>() const {
  return logs;
}

template <typename T>
constexpr component::Signal signalOf();
template <>
constexpr component::Signal signalOf<model::Traces>() {
  return component::Signal::kTraces;
}
template <>
constexpr component::Signal signalOf<model::Metrics>() {
  return component::Signal::kMetrics;
}
template <>
constexpr component::Signal signalOf<model::Logs>() {
  return component::Signal::kLogs;
}

// Blocks the calling thread until `done` is called; for tests and synchronous callers.
template <typename T>
Status consumeAndWait(Consumer<T>& consumer, T&& data);

}  // namespace periscope::pipeline
