#include "app/serve.h"

#include <signal.h>

#include <cstdio>
#include <thread>

#include "app/config_loader.h"
#include "app/demo.h"
#include "app/self_metrics.h"
#include "common/logging.h"
#include "components/builtin_components.h"
#include "pipeline/service.h"

namespace periscope::app {

int runServe(const ServeOptions& options) {
  // Block termination signals before any thread starts so that only sigtimedwait sees them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  component::Registry registry;
  components::registerBuiltins(registry);
  pipeline::ServiceConfig config;
  config::Diagnostics diags;
  if (!loadServiceConfig(options.config_path, registry, config, diags)) {
    std::fprintf(stderr, "invalid configuration:\n%s", diags.format().c_str());
    return 1;
  }
  log::Level level = log::Level::kInfo;
  log::parseLevel(options.log_level.empty() ? config.telemetry.logs.level : options.log_level,
                  level);
  std::string format =
      options.log_format.empty() ? config.telemetry.logs.encoding : options.log_format;
  log::configure(level, format == "json" ? log::Format::kJson : log::Format::kConsole);

  registerProcessMetrics();
  auto metrics_server = startSelfMetrics(config.telemetry.metrics);
  if (!metrics_server.isOk()) {
    log::error("periscope", "cannot start self-metrics",
               {{"error", metrics_server.status().toString()}});
    return 1;
  }
  if (*metrics_server) {
    log::info("periscope", "self-metrics listening",
              {{"endpoint", config.telemetry.metrics.address},
               {"port", std::to_string((*metrics_server)->port())}});
  }

  pipeline::Service service;
  Status st = service.build(config);
  if (st.isOk()) st = service.start();
  if (!st.isOk()) {
    log::error("periscope", "cannot start", {{"error", st.toString()}});
    (void)service.shutdown(std::chrono::steady_clock::now() + options.shutdown_timeout);
    return 1;
  }
  log::info(
      "periscope", "everything is ready; waiting for data",
      {{"config", options.config_path.empty() ? "built-in all-in-one" : options.config_path}});

  std::unique_ptr<Demo> demo;
  if (options.demo) demo = startDemo();

  int exit_code = 0;
  while (true) {
    timespec tick{0, 200'000'000};
    int sig = sigtimedwait(&signals, nullptr, &tick);
    if (sig == SIGINT || sig == SIGTERM) {
      log::info("periscope", "shutting down", {{"signal", sig == SIGINT ? "SIGINT" : "SIGTERM"}});
      break;
    }
    if (!service.fatalError().isOk()) {
      exit_code = 1;
      break;
    }
  }
  demo.reset();
  auto deadline = std::chrono::steady_clock::now() + options.shutdown_timeout;
  Status down = service.shutdown(deadline);
  if (*metrics_server) (*metrics_server)->stop();
  if (!down.isOk())
    log::warn("periscope", "shutdown finished with errors", {{"error", down.toString()}});
  log::info("periscope", "stopped");
  return exit_code;
}

}  // namespace periscope::app
