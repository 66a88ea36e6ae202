// Sleeper: the clock and the interruptible waits of the exporter helper (retry backoff, an open
// circuit). One per exporter; stop() at shutdown wakes every waiting sender at once.
// Tests substitute a subclass with virtual time (now() and sleepUntil() are virtual), so backoff
// and Retry-After timing are asserted without real waiting.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace periscope::pipeline {

class Sleeper {
 public:
  using Clock = std::chrono::steady_clock;
  enum class Wake { kElapsed, kNotified, kStopped };

  virtual ~Sleeper() = default;
  virtual Clock::time_point now() const { return Clock::now(); }
  // Waits until `t`, an earlier notifyAll() (the reason to wait may be gone: re-check), or
  // stop(). Returns at once with kStopped after stop().
  virtual Wake sleepUntil(Clock::time_point t);
  // Wakes current sleepers with kNotified (e.g. a circuit closed).
  void notifyAll();
  // Wakes everyone; every later sleepUntil() returns kStopped at once.
  void stop();
  bool stopped() const;

 protected:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  uint64_t generation_ = 0;  // bumped by notifyAll()
  bool stopped_ = false;
};

}  // namespace periscope::pipeline
