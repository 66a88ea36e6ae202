// `periscope serve`: load config, build and start the service, wait for SIGINT/SIGTERM (or a
// fatal component error), then drain within the shutdown deadline and exit.
#pragma once

#include <chrono>
#include <string>

namespace periscope::app {

struct ServeOptions {
  std::string config_path;  // empty = built-in all-in-one
  std::string data_dir;     // overrides storage.path when set
  bool demo = false;
  std::string log_format;  // overrides service.telemetry.logs.encoding when set
  std::string log_level;   // overrides service.telemetry.logs.level when set
  std::chrono::seconds shutdown_timeout{15};
};

int runServe(const ServeOptions& options);

}  // namespace periscope::app
