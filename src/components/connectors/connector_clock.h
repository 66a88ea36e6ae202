// The time source of the connectors: wall-clock nanoseconds for data point timestamps, store
// expiry and series expiration. The service passes the system clock; tests pass a ManualClock and
// drive flushes and expiry by calling the connector directly, so nothing depends on sleeping.
// Thread-safe: now() may be called from the consume path and the flush thread at once.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>

namespace periscope::components::connectors {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual uint64_t nowUnixNanos() const = 0;
};

class SystemClock final : public Clock {
 public:
  uint64_t nowUnixNanos() const override {
    return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count());
  }
};

// A clock that moves only when told to.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(uint64_t start_unix_nanos) : now_(start_unix_nanos) {}
  uint64_t nowUnixNanos() const override { return now_.load(std::memory_order_relaxed); }
  void advance(std::chrono::nanoseconds d) {
    now_.fetch_add(static_cast<uint64_t>(d.count()), std::memory_order_relaxed);
  }

 private:
  std::atomic<uint64_t> now_;
};

// Shared because the factory outlives no component but every component it makes holds the clock.
inline std::shared_ptr<const Clock> systemClock() {
  static const auto clock = std::make_shared<SystemClock>();
  return clock;
}

}  // namespace periscope::components::connectors
