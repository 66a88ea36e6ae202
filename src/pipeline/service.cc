#include "pipeline/service.h"

#include <algorithm>
#include <map>
#include <ranges>

#include "common/logging.h"
#include "pipeline/fanout.h"

namespace periscope::pipeline {

using component::ComponentId;
using component::Kind;
using component::Signal;

struct Service::Graph {
  std::vector<Node> extensions;
  std::vector<Node> exporters;
  std::vector<Node> connectors;
  std::vector<std::vector<Node>> processors;  // per pipeline (config order), in pipeline order
  std::vector<size_t> upstream_first;         // pipeline indexes, the reverse of build order
  // For each connector (index into `connectors`), the pipelines that export to it.
  std::vector<std::vector<size_t>> connector_sources;
  std::vector<Node> receivers;
  // Fan-outs are owned here; consumers point into them.
  std::vector<std::unique_ptr<FanOut<model::Traces>>> traces_fanouts;
  std::vector<std::unique_ptr<FanOut<model::Metrics>>> metrics_fanouts;
  std::vector<std::unique_ptr<FanOut<model::Logs>>> logs_fanouts;

  template <typename T>
  std::vector<std::unique_ptr<FanOut<T>>>& fanouts();

  // A consumer that feeds all of `targets` (directly when there is one).
  template <typename T>
  Consumer<T>* join(const std::vector<Consumer<T>*>& targets) {
    if (targets.size() == 1) return targets[0];
    fanouts<T>().push_back(std::make_unique<FanOut<T>>(targets));
    return fanouts<T>().back().get();
  }

  void* joinAny(Signal s, const std::vector<void*>& targets) {
    switch (s) {
      case Signal::kTraces:
        return joinTyped<model::Traces>(targets);
      case Signal::kMetrics:
        return joinTyped<model::Metrics>(targets);
      case Signal::kLogs:
        return joinTyped<model::Logs>(targets);
    }
    return nullptr;
  }

  template <typename T>
  void* joinTyped(const std::vector<void*>& targets) {
    std::vector<Consumer<T>*> typed;
    for (void* t : targets) typed.push_back(static_cast<Consumer<T>*>(t));
    return join<T>(typed);
  }
};

template <>
std::vector<std::unique_ptr<FanOut<model::Traces>>>& Service::Graph::fanouts<model::Traces>() {
  return traces_fanouts;
}
template <>
std::vector<std::unique_ptr<FanOut<model::Metrics>>>& Service::Graph::fanouts<model::Metrics>() {
  return metrics_fanouts;
}
template <>
std::vector<std::unique_ptr<FanOut<model::Logs>>>& Service::Graph::fanouts<model::Logs>() {
  return logs_fanouts;
}

namespace {

void* consumerFor(const Consumers& c, Signal s) {
  switch (s) {
    case Signal::kTraces:
      return c.traces;
    case Signal::kMetrics:
      return c.metrics;
    case Signal::kLogs:
      return c.logs;
  }
  return nullptr;
}

std::string describe(Kind kind, const ComponentId& id) {
  return std::string(component::kindName(kind)) + " \"" + id.toString() + "\"";
}

}  // namespace

Service::Service() = default;
Service::~Service() {
  if (started_ && !stopped_) {
    (void)shutdown(std::chrono::steady_clock::now() + std::chrono::seconds(5));
  }
}

Status Service::build(const ServiceConfig& config) {
  graph_ = std::make_unique<Graph>();
  Graph& g = *graph_;

  for (const ComponentId& id : config.extensions) {
    const ComponentEntry* e = config.find(Kind::kExtension, id);
    auto* f = static_cast<const ExtensionFactory*>(e->factory);
    auto created = f->create({id, Kind::kExtension, ""}, *e->config);
    if (!created.isOk())
      return {created.status().code(),
              describe(Kind::kExtension, id) + ": " + std::string(created.status().message())};
    g.extensions.push_back({id, Kind::kExtension, "", std::move(created.value()), nullptr});
  }

  // Exporters: one instance per id, told every signal it serves.
  std::map<ComponentId, std::vector<Signal>> exporter_signals;
  for (const auto& p : config.pipelines) {
    for (const auto& id : p.exporters) {
      auto& v = exporter_signals[id];
      if (std::find(v.begin(), v.end(), p.signal) == v.end()) v.push_back(p.signal);
    }
  }
  std::map<ComponentId, ConsumerComponent*> exporters;
  for (const auto& [id, signals] : exporter_signals) {
    const ComponentEntry* e = config.find(Kind::kExporter, id);
    auto* f = static_cast<const ExporterFactory*>(e->factory);
    auto created = f->create({id, Kind::kExporter, ""}, *e->config, signals);
    if (!created.isOk())
      return {created.status().code(),
              describe(Kind::kExporter, id) + ": " + std::string(created.status().message())};
    exporters[id] = created.value().get();
    g.exporters.push_back({id, Kind::kExporter, "", nullptr, std::move(created.value())});
  }

  // Pipelines, built back to front (exporters ← processors ← entry point), downstream
  // pipelines first so that a connector's outputs exist before it is created.
  std::vector<size_t> order = config.build_order;
  if (order.size() != config.pipelines.size()) {
    order.clear();
    for (size_t i = 0; i < config.pipelines.size(); ++i) order.push_back(i);
  }
  g.processors.resize(config.pipelines.size());
  std::map<std::pair<ComponentId, Signal>, std::vector<void*>> receiver_targets;
  std::map<std::pair<ComponentId, Signal>, std::vector<void*>> connector_targets;
  std::map<ComponentId, ConsumerComponent*> connectors;
  auto connectorFor = [&](const ComponentId& id) -> Result<ConsumerComponent*> {
    if (auto it = connectors.find(id); it != connectors.end()) return it->second;
    std::vector<Signal> from;
    std::vector<size_t> sources;
    for (size_t i = 0; i < config.pipelines.size(); ++i) {
      const auto& q = config.pipelines[i];
      if (std::find(q.exporter_connectors.begin(), q.exporter_connectors.end(), id) ==
          q.exporter_connectors.end())
        continue;
      sources.push_back(i);
      if (std::find(from.begin(), from.end(), q.signal) == from.end()) from.push_back(q.signal);
    }
    Consumers next;
    for (const auto& [key, targets] : connector_targets) {
      if (key.first == id) next.set(key.second, g.joinAny(key.second, targets));
    }
    const ComponentEntry* e = config.find(Kind::kConnector, id);
    auto* f = static_cast<const ConnectorFactory*>(e->factory);
    auto created = f->create({id, Kind::kConnector, ""}, *e->config, from, next);
    if (!created.isOk())
      return Status{created.status().code(), describe(Kind::kConnector, id) + ": " +
                                                 std::string(created.status().message())};
    connectors[id] = created.value().get();
    g.connector_sources.push_back(std::move(sources));
    g.connectors.push_back({id, Kind::kConnector, "", nullptr, std::move(created.value())});
    return connectors[id];
  };
  for (size_t index : order) {
    const PipelineSpec& p = config.pipelines[index];
    std::vector<void*> outs;
    for (const auto& id : p.exporters)
      outs.push_back(consumerFor(exporters[id]->input(), p.signal));
    for (const auto& id : p.exporter_connectors) {
      auto conn = connectorFor(id);
      if (!conn.isOk()) return conn.status();
      void* in = consumerFor((*conn)->input(), p.signal);
      if (in == nullptr)
        return internalError(describe(Kind::kConnector, id) + " offers no " +
                             std::string(component::signalName(p.signal)) + " input");
      outs.push_back(in);
    }
    void* next = g.joinAny(p.signal, outs);
    std::vector<Node> procs;
    for (auto it = p.processors.rbegin(); it != p.processors.rend(); ++it) {
      const ComponentEntry* e = config.find(Kind::kProcessor, *it);
      auto* f = static_cast<const ProcessorFactory*>(e->factory);
      Consumers nc;
      nc.set(p.signal, next);
      auto created = f->create(p.signal, {*it, Kind::kProcessor, p.name}, *e->config, nc);
      if (!created.isOk())
        return {created.status().code(), describe(Kind::kProcessor, *it) + " in pipeline " +
                                             p.name + ": " +
                                             std::string(created.status().message())};
      next = consumerFor(created.value()->input(), p.signal);
      procs.insert(procs.begin(),
                   Node{*it, Kind::kProcessor, p.name, nullptr, std::move(created.value())});
    }
    g.processors[index] = std::move(procs);
    for (const auto& id : p.receivers) receiver_targets[{id, p.signal}].push_back(next);
    for (const auto& id : p.receiver_connectors) connector_targets[{id, p.signal}].push_back(next);
  }
  g.upstream_first.assign(order.rbegin(), order.rend());

  // Receivers: one instance per id with one consumer per signal it feeds.
  std::map<ComponentId, Consumers> receiver_consumers;
  for (const auto& [key, targets] : receiver_targets) {
    receiver_consumers[key.first].set(key.second, g.joinAny(key.second, targets));
  }
  for (const auto& [id, consumers] : receiver_consumers) {
    const ComponentEntry* e = config.find(Kind::kReceiver, id);
    auto* f = static_cast<const ReceiverFactory*>(e->factory);
    auto created = f->create({id, Kind::kReceiver, ""}, *e->config, consumers);
    if (!created.isOk())
      return {created.status().code(),
              describe(Kind::kReceiver, id) + ": " + std::string(created.status().message())};
    g.receivers.push_back({id, Kind::kReceiver, "", std::move(created.value()), nullptr});
  }
  for (const auto& c : config.components) {
    if (c.kind != Kind::kExtension && !(c.kind == Kind::kConnector && connectors.count(c.id)) &&
        !(c.kind == Kind::kReceiver && receiver_consumers.count(c.id)) &&
        !(c.kind == Kind::kExporter && exporters.count(c.id))) {
      bool used = false;
      for (const auto& p : config.pipelines) {
        for (const auto& id : p.processors)
          used = used || (c.kind == Kind::kProcessor && id == c.id);
      }
      if (!used)
        log::warn("service", "component is configured but not used in any pipeline",
                  {{"component", describe(c.kind, c.id)}});
    }
  }
  return Status::ok();
}

Status Service::start() {
  if (!graph_) return internalError("service not built");
  Graph& g = *graph_;
  auto startNode = [this](Node& n) -> Status {
    Status st = n.component()->start(*this);
    if (!st.isOk()) {
      return {st.code(),
              "failed to start " + describe(n.kind, n.id) + ": " + std::string(st.message())};
    }
    return Status::ok();
  };
  started_ = true;
  for (auto& n : g.extensions) PERISCOPE_RETURN_IF_ERROR(startNode(n));
  for (auto& n : g.exporters) PERISCOPE_RETURN_IF_ERROR(startNode(n));
  // Downstream first: a connector starts after the pipelines it feeds, before those feeding it.
  for (size_t index : g.upstream_first | std::views::reverse) {
    auto& procs = g.processors[index];
    for (auto it = procs.rbegin(); it != procs.rend(); ++it)
      PERISCOPE_RETURN_IF_ERROR(startNode(*it));
  }
  for (auto& n : g.connectors) PERISCOPE_RETURN_IF_ERROR(startNode(n));
  for (auto& n : g.receivers) PERISCOPE_RETURN_IF_ERROR(startNode(n));
  for (auto& n : g.extensions) {
    if (auto* w = dynamic_cast<component::PipelineWatcher*>(n.component())) w->ready();
  }
  return Status::ok();
}

Status Service::shutdown(component::Deadline deadline) {
  if (!graph_ || stopped_) return Status::ok();
  stopped_ = true;
  Graph& g = *graph_;
  Status first;
  for (auto& n : g.extensions) {
    if (auto* w = dynamic_cast<component::PipelineWatcher*>(n.component())) w->notReady();
  }
  for (auto& procs : g.processors) {
    for (auto& n : procs) n.component()->beginShutdown();
  }
  for (auto& n : g.connectors) n.component()->beginShutdown();
  for (auto& n : g.exporters) n.component()->beginShutdown();
  auto stopNode = [&](Node& n) {
    Status st = n.component()->shutdown(deadline);
    if (!st.isOk()) {
      log::error("service", "shutdown failed",
                 {{"component", describe(n.kind, n.id)}, {"error", st.toString()}});
      if (first.isOk()) first = st;
    }
  };
  for (auto& n : g.receivers) stopNode(n);
  // Upstream pipelines first; a connector stops once every pipeline feeding it has stopped, so
  // what they flush on shutdown still reaches the pipelines it feeds.
  std::vector<bool> pipeline_stopped(g.processors.size(), false);
  std::vector<bool> connector_stopped(g.connectors.size(), false);
  auto stopReadyConnectors = [&] {
    for (size_t c = 0; c < g.connectors.size(); ++c) {
      bool ready = !connector_stopped[c];
      for (size_t src : g.connector_sources[c]) ready = ready && pipeline_stopped[src];
      if (!ready) continue;
      connector_stopped[c] = true;
      stopNode(g.connectors[c]);
    }
  };
  for (size_t index : g.upstream_first) {
    for (auto& n : g.processors[index]) stopNode(n);
    pipeline_stopped[index] = true;
    stopReadyConnectors();
  }
  for (size_t c = 0; c < g.connectors.size(); ++c) {
    if (!connector_stopped[c]) stopNode(g.connectors[c]);
  }
  for (auto& n : g.exporters) stopNode(n);
  for (auto it = g.extensions.rbegin(); it != g.extensions.rend(); ++it) stopNode(*it);
  return first;
}

component::Component* Service::extension(const ComponentId& id) {
  if (!graph_) return nullptr;
  for (auto& n : graph_->extensions) {
    if (n.id == id) return n.component();
  }
  return nullptr;
}

void Service::reportFatalError(const ComponentId& id, const Status& status) {
  std::lock_guard lock(mu_);
  log::error("service", "fatal component error",
             {{"component", id.toString()}, {"error", status.toString()}});
  if (fatal_.isOk()) fatal_ = status;
}

Status Service::fatalError() const {
  std::lock_guard lock(mu_);
  return fatal_;
}

}  // namespace periscope::pipeline
