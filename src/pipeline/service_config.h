// ServiceConfig: the whole collector-shaped document, decoded and validated against the
// component registry. Reports every problem at once (unknown component types and keys, bad
// values, pipelines naming undefined components, signals a component cannot handle).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "component/component_id.h"
#include "component/registry.h"
#include "config/diagnostics.h"
#include "config/schema.h"
#include "config/value.h"

namespace periscope::pipeline {

struct ComponentEntry {
  component::ComponentId id;
  component::Kind kind;
  const component::Factory* factory = nullptr;
  std::unique_ptr<component::Config> config;
};

struct PipelineSpec {
  std::string name;  // "traces" or "traces/backup"
  component::Signal signal;
  std::vector<component::ComponentId> receivers;
  std::vector<component::ComponentId> processors;
  std::vector<component::ComponentId> exporters;
  // Connectors named in `receivers` / `exporters` (kept apart from receivers and exporters so
  // each list holds one kind): this pipeline receives from / exports to them.
  std::vector<component::ComponentId> receiver_connectors;
  std::vector<component::ComponentId> exporter_connectors;
};

struct MetricsTelemetry {
  std::string level = "normal";  // none|basic|normal|detailed
  std::string address = "127.0.0.1:8888";
  static const config::Schema<MetricsTelemetry>& schema();
};

struct LogsTelemetry {
  std::string level = "info";
  std::string encoding = "console";  // console|json
  static const config::Schema<LogsTelemetry>& schema();
};

struct TelemetryConfig {
  MetricsTelemetry metrics;
  LogsTelemetry logs;
  static const config::Schema<TelemetryConfig>& schema();
};

struct ServiceConfig {
  std::vector<ComponentEntry> components;  // all kinds, in document order
  std::vector<component::ComponentId> extensions;
  std::vector<PipelineSpec> pipelines;
  TelemetryConfig telemetry;
  // Pipeline indexes, downstream first: a pipeline that receives from a connector comes before
  // every pipeline that exports to it (the service builds in this order; no cycles).
  std::vector<size_t> build_order;

  const ComponentEntry* find(component::Kind kind, const component::ComponentId& id) const;
};

// Top-level sections Periscope accepts beside the collector's (validated by their own areas).
const std::vector<std::string>& periscopeSections();

// Decodes and validates `root`. Returns false if any error was reported.
bool buildServiceConfig(const config::Value& root, const component::Registry& registry,
                        ServiceConfig& out, config::Diagnostics& diags);

}  // namespace periscope::pipeline
