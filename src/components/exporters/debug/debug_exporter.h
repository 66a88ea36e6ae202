// `debug` exporter: writes what it receives to stderr. verbosity basic = one summary line per
// batch; normal = one line per span/point/record; detailed = every field.
// sampling_initial / sampling_thereafter thin the output per second, as in the collector.
#pragma once

#include <memory>

#include "component/component.h"
#include "config/schema.h"
#include "pipeline/factories.h"

namespace periscope::components::debug_exporter {

struct Config : component::Config {
  std::string verbosity = "basic";
  int sampling_initial = 2;
  int sampling_thereafter = 1;
  static const config::Schema<Config>& schema();
};

std::unique_ptr<pipeline::ExporterFactory> makeFactory();

// Rendering is separate from writing so that tests can check it.
std::string render(const model::Traces& data, const std::string& verbosity);
std::string render(const model::Metrics& data, const std::string& verbosity);
std::string render(const model::Logs& data, const std::string& verbosity);

}  // namespace periscope::components::debug_exporter
