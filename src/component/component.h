// Component: the lifecycle every receiver, processor, exporter and extension implements.
// Contract (as in the OpenTelemetry Collector):
//  - start(host) returns quickly; long work (listening, connecting) continues in the background
//    and failures after start are reported through Host::reportFatalError.
//  - shutdown(deadline) is idempotent, safe to call without start, flushes what the component
//    holds, and returns by the deadline.
// The service starts components exporters-first and stops them receivers-first.
#pragma once

#include <chrono>
#include <string>

#include "common/status.h"
#include "component/component_id.h"

namespace periscope::component {

using Deadline = std::chrono::steady_clock::time_point;

class Host;

class Component {
 public:
  virtual ~Component() = default;
  virtual Status start(Host& host) = 0;
  virtual Status shutdown(Deadline deadline) = 0;
  // Called on every component before any is shut down. Components that hold data back for
  // later (the batch processor's timer) send it on now and stop holding, so that receivers
  // draining in-flight requests get their answers promptly. Default: nothing to do.
  virtual void beginShutdown() {}
};

// Config is what users write: one subclass per component type, decoded by a config::Schema.
class Config {
 public:
  virtual ~Config() = default;
  // Semantic checks across fields; messages name the field ("send_batch_max_size must be ...").
  virtual Status validate() const { return Status::ok(); }
};

// Settings is what code passes: identity and shared services.
struct Settings {
  ComponentId id;
  Kind kind = Kind::kReceiver;
  std::string pipeline;  // for per-pipeline instances (processors), e.g. "traces/2"
};

// Implemented by extensions that report overall readiness (health_check): the service calls
// ready() once everything has started and notReady() when shutdown begins.
class PipelineWatcher {
 public:
  virtual ~PipelineWatcher() = default;
  virtual void ready() = 0;
  virtual void notReady() = 0;
};

// Host is the running service as seen by a component.
class Host {
 public:
  virtual ~Host() = default;
  // An extension by id (e.g. a storage extension), or nullptr.
  virtual Component* extension(const ComponentId& id) = 0;
  // A component that fails after start asks the service to stop.
  virtual void reportFatalError(const ComponentId& id, const Status& status) = 0;
};

}  // namespace periscope::component
