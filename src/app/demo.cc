#include "app/demo.h"

#include <atomic>
#include <cstdlib>
#include <thread>

#include "app/loadgen/loadgen.h"
#include "common/logging.h"

namespace periscope::app {
namespace {

class DemoImpl final : public Demo {
 public:
  DemoImpl() {
    thread_ = std::thread([this] {
      loadgen::Options o;
      const char* ep = std::getenv("PERISCOPE_OTLP_GRPC_ENDPOINT");
      o.endpoint = ep ? ep : "127.0.0.1:4317";
      o.rate = 200;
      o.spans_per_request = 20;
      o.connections = 1;
      o.duration = std::chrono::hours(24 * 365);
      o.quiet = true;
      o.live = true;       // fresh trace ids and current timestamps, so the store fills up
      o.with_logs = true;  // and the logs written while serving them (same trace ids)
      o.cancel = &stop_;
      log::info("demo", "sending synthetic traffic",
                {{"endpoint", o.endpoint}, {"spans_per_second", "200"}, {"with_logs", "true"}});
      loadgen::run(o);
    });
  }
  ~DemoImpl() override {
    stop_ = true;
    thread_.join();
  }

 private:
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace

std::unique_ptr<Demo> startDemo() {
  return std::make_unique<DemoImpl>();
}

}  // namespace periscope::app
