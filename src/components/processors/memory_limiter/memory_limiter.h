// MemoryLimiter<T>: refuses data with a retryable error (UNAVAILABLE + Retry-After → HTTP 503)
// while resident memory is above the soft limit (limit - spike), so clients back off and retry
// instead of the process being OOM-killed. Above the hard limit it also returns freed heap to
// the OS (malloc_trim), the closest thing to the Go collector's forced GC.
// A background thread measures RSS every check_interval; consume() only reads an atomic flag.
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "common/telemetry/metrics.h"
#include "components/processors/memory_limiter/config.h"
#include "pipeline/factories.h"

namespace periscope::components::memory_limiter {

// Measures and decides; shared by every pipeline's processor instance with the same id.
class Limiter {
 public:
  Limiter(const Config& config, uint64_t total_memory_bytes);
  ~Limiter();
  // Reference-counted: the measuring thread runs while any pipeline's processor is started.
  void start();
  void stop();
  bool refusing() const { return refusing_.load(std::memory_order_relaxed); }
  uint64_t hardLimitBytes() const { return hard_; }
  uint64_t softLimitBytes() const { return soft_; }
  // One measurement and decision (also used by tests with an injected reading).
  void check(uint64_t rss_bytes);

 private:
  Config config_;
  uint64_t hard_ = 0;
  uint64_t soft_ = 0;
  std::atomic<bool> refusing_{false};
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  int users_ = 0;  // pipelines that started it
  std::thread thread_;
};

uint64_t currentRssBytes();
uint64_t totalMemoryBytes();  // cgroup v2/v1 limit when set, else MemTotal

template <typename T>
class MemoryLimiter final : public pipeline::ConsumerComponent, public pipeline::Consumer<T> {
 public:
  MemoryLimiter(const component::Settings& settings, std::shared_ptr<Limiter> limiter,
                pipeline::Consumer<T>* next);
  Status start(component::Host&) override;
  Status shutdown(component::Deadline) override;
  pipeline::Consumers input() override;
  void consume(T&& data, pipeline::Done done) override;

 private:
  std::shared_ptr<Limiter> limiter_;  // shared: one measurement thread per processor id
  pipeline::Consumer<T>* next_;
  telemetry::Counter* refused_;
  std::atomic<bool> started_{false};
};

}  // namespace periscope::components::memory_limiter
