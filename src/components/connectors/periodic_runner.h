// PeriodicRunner: one background thread that calls a function every `interval` of real time
// until stop(). The connectors use it for flushes and store expiry; the work itself reads the
// injected Clock, so tests skip the runner and call the work directly.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace periscope::components::connectors {

class PeriodicRunner {
 public:
  PeriodicRunner() = default;
  PeriodicRunner(const PeriodicRunner&) = delete;
  PeriodicRunner& operator=(const PeriodicRunner&) = delete;
  ~PeriodicRunner() { stop(); }

  // Starts the thread; a zero or negative interval starts nothing.
  void start(std::chrono::nanoseconds interval, std::function<void()> fn);
  // Stops and joins the thread; idempotent. `fn` is not called after stop() returns.
  void stop();

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace periscope::components::connectors
