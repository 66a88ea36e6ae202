// Service: builds the running graph from a ServiceConfig — one instance per receiver and
// exporter id (shared by every pipeline naming it), processors per pipeline, fan-outs where a
// receiver feeds several pipelines or a pipeline several exporters — then starts it
// exporters-first and stops it receivers-first so that queues drain downstream.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "component/registry.h"
#include "pipeline/factories.h"
#include "pipeline/service_config.h"

namespace periscope::pipeline {

class Service : public component::Host {
 public:
  Service();
  ~Service() override;

  // Instantiates every component; errors name the component that failed.
  Status build(const ServiceConfig& config);
  Status start();
  // Stops everything within `deadline`; safe to call twice or without start.
  Status shutdown(component::Deadline deadline);

  // Host
  component::Component* extension(const component::ComponentId& id) override;
  void reportFatalError(const component::ComponentId& id, const Status& status) override;
  // The first fatal error reported after start, if any.
  Status fatalError() const;

 private:
  struct Node {
    component::ComponentId id;
    component::Kind kind;
    std::string pipeline;
    std::unique_ptr<component::Component> owned_component;
    std::unique_ptr<ConsumerComponent> owned_consumer;
    component::Component* component() const {
      return owned_component ? owned_component.get() : owned_consumer.get();
    }
  };
  struct Graph;

  std::unique_ptr<Graph> graph_;
  bool started_ = false;
  bool stopped_ = false;
  mutable std::mutex mu_;
  Status fatal_;
};

}  // namespace periscope::pipeline
