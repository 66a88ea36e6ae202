// Shared by the filter and transform tests: decoding a processor config from YAML and a consumer
// that keeps what it receives.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "config/diagnostics.h"
#include "config/loader.h"
#include "pipeline/consumer.h"

namespace periscope::ottl::testdata {

// Decodes `yaml` (the processor's own map) with Config::schema().
template <typename Config>
Config decodeConfig(const std::string& yaml, config::Diagnostics& d) {
  config::Value root = config::loadYamlString(yaml, "config.yaml", d);
  Config c;
  Config::schema().decode(root, c, d);
  return c;
}

// Decodes `yaml` (a whole config) and returns the errors of `processors.<name>`.
template <typename Config>
std::string configErrors(const std::string& yaml, const std::string& name) {
  config::Diagnostics d;
  config::Value root = config::loadYamlString(yaml, "config.yaml", d);
  Config c;
  Config::schema().decode(*root.find("processors")->find(name), c, d);
  return d.format();
}

template <typename T>
struct Capture : pipeline::Consumer<T> {
  std::vector<T> got;
  void consume(T&& data, pipeline::Done done) override {
    got.push_back(std::move(data));
    done(Status::ok());
  }
};

template <typename P, typename T>
Status runProcessor(P& processor, T batch) {
  Status result = internalError("not answered");
  processor.consume(std::move(batch), [&](Status s) { result = std::move(s); });
  return result;
}

}  // namespace periscope::ottl::testdata
