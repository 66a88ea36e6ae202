// Circuit breaker states: closed → open after consecutive failures, one half-open probe, and
// back — driven with explicit times.
#include "pipeline/helpers/circuit_breaker.h"

#include <gtest/gtest.h>

namespace periscope::pipeline {
namespace {

using State = CircuitBreaker::State;
using std::chrono::seconds;

struct Fixture {
  CircuitBreakerSettings settings;
  std::vector<State> changes;
  std::unique_ptr<CircuitBreaker> breaker;
  CircuitBreaker::Clock::time_point t0 = CircuitBreaker::Clock::time_point(std::chrono::hours(1));
  Fixture() {
    settings.failure_threshold = 3;
    settings.open_duration = seconds(10);
    breaker = std::make_unique<CircuitBreaker>(settings, seconds(2),
                                               [this](State s) { changes.push_back(s); });
  }
  void fail(CircuitBreaker::Clock::time_point at) {
    auto p = breaker->acquire(at);
    ASSERT_TRUE(p.allowed);
    breaker->record(p, unavailable("down"), at);
  }
};

TEST(CircuitBreaker, OpensAfterConsecutiveRetryableFailuresOnly) {
  Fixture f;
  f.fail(f.t0);
  f.fail(f.t0);
  // A success in between resets the count.
  auto p = f.breaker->acquire(f.t0);
  f.breaker->record(p, Status::ok(), f.t0);
  f.fail(f.t0);
  f.fail(f.t0);
  EXPECT_EQ(f.breaker->state(), State::kClosed);
  f.fail(f.t0);
  EXPECT_EQ(f.breaker->state(), State::kOpen);
  EXPECT_EQ(f.changes, std::vector<State>{State::kOpen});
}

TEST(CircuitBreaker, PermanentErrorsDoNotCountAsEndpointFailures) {
  Fixture f;
  for (int i = 0; i < 10; ++i) {
    auto p = f.breaker->acquire(f.t0);
    f.breaker->record(p, invalidArgument("bad data"), f.t0);
  }
  EXPECT_EQ(f.breaker->state(), State::kClosed);
}

TEST(CircuitBreaker, OpenRefusesUntilOpenDurationThenLetsOneProbeThrough) {
  Fixture f;
  for (int i = 0; i < 3; ++i) f.fail(f.t0);
  auto refused = f.breaker->acquire(f.t0 + seconds(9));
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_at, f.t0 + seconds(10));

  auto probe = f.breaker->acquire(f.t0 + seconds(10));
  EXPECT_TRUE(probe.allowed);
  EXPECT_TRUE(probe.probe);
  EXPECT_EQ(f.breaker->state(), State::kHalfOpen);
  auto other = f.breaker->acquire(f.t0 + seconds(11));
  EXPECT_FALSE(other.allowed) << "only one probe at a time";
  EXPECT_EQ(other.retry_at, f.t0 + seconds(12)) << "asks again when the probe times out";

  f.breaker->record(probe, Status::ok(), f.t0 + seconds(11));
  EXPECT_EQ(f.breaker->state(), State::kClosed);
  EXPECT_TRUE(f.breaker->acquire(f.t0 + seconds(11)).allowed);
  EXPECT_EQ(f.changes, (std::vector<State>{State::kOpen, State::kHalfOpen, State::kClosed}));
}

TEST(CircuitBreaker, FailedProbeReopensForAnotherOpenDuration) {
  Fixture f;
  for (int i = 0; i < 3; ++i) f.fail(f.t0);
  auto probe = f.breaker->acquire(f.t0 + seconds(10));
  ASSERT_TRUE(probe.probe);
  f.breaker->record(probe, unavailable("still down"), f.t0 + seconds(11));
  EXPECT_EQ(f.breaker->state(), State::kOpen);
  auto p = f.breaker->acquire(f.t0 + seconds(20));
  EXPECT_FALSE(p.allowed);
  EXPECT_EQ(p.retry_at, f.t0 + seconds(21));
}

TEST(CircuitBreaker, ALostProbeIsReplacedAfterTheProbeTimeout) {
  Fixture f;
  for (int i = 0; i < 3; ++i) f.fail(f.t0);
  ASSERT_TRUE(f.breaker->acquire(f.t0 + seconds(10)).probe);
  auto second = f.breaker->acquire(f.t0 + seconds(12));
  EXPECT_TRUE(second.allowed);
  EXPECT_TRUE(second.probe);
}

TEST(CircuitBreaker, DisabledAlwaysAllows) {
  CircuitBreakerSettings s;
  s.enabled = false;
  s.failure_threshold = 1;
  CircuitBreaker b(s, seconds(1));
  auto now = CircuitBreaker::Clock::now();
  for (int i = 0; i < 5; ++i) {
    auto p = b.acquire(now);
    ASSERT_TRUE(p.allowed);
    b.record(p, unavailable("down"), now);
  }
  EXPECT_EQ(b.state(), State::kClosed);
}

}  // namespace
}  // namespace periscope::pipeline
