#include "app/self_metrics.h"

#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>

#include "common/telemetry/metrics.h"

namespace periscope::app {
namespace {

double cpuSeconds() {
  std::ifstream in("/proc/self/stat");
  std::string line;
  std::getline(in, line);
  // Fields after the parenthesised command name: state is field 3; utime=14, stime=15.
  auto close = line.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream rest(line.substr(close + 2));
  std::string field;
  double utime = 0, stime = 0;
  for (int i = 3; i <= 15 && rest >> field; ++i) {
    if (i == 14) utime = std::stod(field);
    if (i == 15) stime = std::stod(field);
  }
  return (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double rssBytes() {
  std::ifstream in("/proc/self/statm");
  double size = 0, resident = 0;
  in >> size >> resident;
  return resident * static_cast<double>(sysconf(_SC_PAGESIZE));
}

}  // namespace

void registerProcessMetrics() {
  auto& reg = telemetry::globalRegistry();
  static const auto start = std::chrono::steady_clock::now();
  reg.callbackCounter("otelcol_process_uptime", "Uptime of the process in seconds", {}, [] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  });
  reg.callbackCounter("otelcol_process_cpu_seconds", "Total CPU user and system time in seconds",
                      {}, cpuSeconds);
  reg.callbackGauge("otelcol_process_memory_rss",
                    "Total physical memory (resident set size) in bytes", {}, rssBytes);
}

Result<std::unique_ptr<http::Server>> startSelfMetrics(const pipeline::MetricsTelemetry& config) {
  if (config.level == "none") return std::unique_ptr<http::Server>();
  http::ServerOptions opts;
  opts.endpoint = config.address;
  opts.threads = 1;
  opts.max_body_bytes = 1 << 10;
  opts.name = "self-metrics";
  auto server = http::Server::start(opts, [](http::Request&& req, http::Respond respond) {
    if (req.path != "/metrics") {
      respond(http::Response::text(404, "404 page not found\n"));
      return;
    }
    respond(http::Response::text(200, telemetry::globalRegistry().renderPrometheus(),
                                 "text/plain; version=0.0.4; charset=utf-8"));
  });
  if (!server.isOk()) {
    return Status(server.status().code(),
                  "service.telemetry.metrics: " + std::string(server.status().message()));
  }
  return std::move(server).value();
}

}  // namespace periscope::app
