#include "pipeline/consumer.h"

#include <future>

namespace periscope::pipeline {

void Consumers::set(component::Signal s, void* consumer) {
  switch (s) {
    case component::Signal::kTraces:
      traces = static_cast<TracesConsumer*>(consumer);
      break;
    case component::Signal::kMetrics:
      metrics = static_cast<MetricsConsumer*>(consumer);
      break;
    case component::Signal::kLogs:
      logs = static_cast<LogsConsumer*>(consumer);
      break;
  }
}

template <typename T>
Status consumeAndWait(Consumer<T>& consumer, T&& data) {
  auto promise = std::make_shared<std::promise<Status>>();
  auto future = promise->get_future();
  consumer.consume(std::move(data), [promise](Status st) { promise->set_value(std::move(st)); });
  return future.get();
}

template Status consumeAndWait(Consumer<model::Traces>&, model::Traces&&);
template Status consumeAndWait(Consumer<model::Metrics>&, model::Metrics&&);
template Status consumeAndWait(Consumer<model::Logs>&, model::Logs&&);

}  // namespace periscope::pipeline
