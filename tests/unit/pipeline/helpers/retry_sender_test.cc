// RetrySender on virtual time: which answers are retried, how long it waits (backoff vs
// Retry-After), when it gives up, and how shutdown and an open circuit interrupt it.
#include "pipeline/helpers/retry_sender.h"

#include <gtest/gtest.h>

#include <deque>

#include "unit/pipeline/helpers/fake_sleeper.h"

namespace periscope::pipeline {
namespace {

using Outcome = RetrySender::Outcome;
using std::chrono::milliseconds;
using std::chrono::seconds;

RetrySettings fixedRetry() {
  RetrySettings s;
  s.initial_interval = seconds(1);
  s.max_interval = seconds(4);
  s.multiplier = 2;
  s.randomization_factor = 0;
  s.max_elapsed_time = seconds(60);
  return s;
}

// Answers attempts from a script; OK once the script is exhausted.
struct Script {
  std::deque<Status> answers;
  int calls = 0;
  RetrySender::Attempt fn() {
    return [this] {
      ++calls;
      if (answers.empty()) return Status::ok();
      Status s = answers.front();
      answers.pop_front();
      return s;
    };
  }
};

TEST(RetrySender, RetriesRetryableFailuresWithExponentialWaitsUntilSuccess) {
  testing::FakeSleeper sleeper;
  telemetry::Registry registry;
  auto& retries = registry.counter("r", "", {});
  RetrySender sender(fixedRetry(), nullptr, sleeper, &retries, 1);
  Script script{{unavailable("a"), unavailable("b"), unavailable("c"), unavailable("d")}};
  auto r = sender.send(script.fn());
  EXPECT_EQ(r.outcome, Outcome::kSent);
  EXPECT_EQ(r.attempts, 5u);
  EXPECT_EQ(script.calls, 5);
  EXPECT_EQ(retries.value(), 4);
  EXPECT_EQ(sleeper.waits, (std::vector<std::chrono::nanoseconds>{seconds(1), seconds(2),
                                                                  seconds(4), seconds(4)}));
}

TEST(RetrySender, RetryAfterLongerThanTheBackoffIsHonoured) {
  testing::FakeSleeper sleeper;
  RetrySender sender(fixedRetry(), nullptr, sleeper, nullptr, 1);
  Status throttled = unavailable("slow down");
  throttled.withRetryAfter(7);
  Status brief = unavailable("slow down a bit");
  brief.withRetryAfter(1);
  Script script{{throttled, unavailable("x"), brief}};
  auto r = sender.send(script.fn());
  EXPECT_EQ(r.outcome, Outcome::kSent);
  // 7 s (Retry-After beats the 1 s backoff), 2 s backoff, then 4 s backoff beats Retry-After 1.
  EXPECT_EQ(sleeper.waits,
            (std::vector<std::chrono::nanoseconds>{seconds(7), seconds(2), seconds(4)}));
}

TEST(RetrySender, PermanentErrorsAreNotRetried) {
  testing::FakeSleeper sleeper;
  RetrySender sender(fixedRetry(), nullptr, sleeper, nullptr, 1);
  Script script{{invalidArgument("HTTP 400"), unavailable("never reached")}};
  auto r = sender.send(script.fn());
  EXPECT_EQ(r.outcome, Outcome::kPermanent);
  EXPECT_EQ(r.status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(script.calls, 1);
  EXPECT_TRUE(sleeper.waits.empty());
}

TEST(RetrySender, GivesUpWhenTheNextWaitWouldPassMaxElapsedTime) {
  testing::FakeSleeper sleeper;
  RetrySettings s = fixedRetry();
  s.max_elapsed_time = seconds(10);
  RetrySender sender(s, nullptr, sleeper, nullptr, 1);
  Script script{std::deque<Status>(100, unavailable("down"))};
  auto r = sender.send(script.fn());
  EXPECT_EQ(r.outcome, Outcome::kRetriesExhausted);
  // Waits 1 + 2 + 4 = 7 s; the next 4 s would end at 11 s > 10 s.
  EXPECT_EQ(script.calls, 4);
  EXPECT_EQ(r.status.code(), StatusCode::kUnavailable);
}

TEST(RetrySender, ZeroMaxElapsedTimeRetriesForever) {
  testing::FakeSleeper sleeper;
  RetrySettings s = fixedRetry();
  s.max_elapsed_time = seconds(0);
  RetrySender sender(s, nullptr, sleeper, nullptr, 1);
  Script script{std::deque<Status>(500, unavailable("down"))};
  auto r = sender.send(script.fn());
  EXPECT_EQ(r.outcome, Outcome::kSent);
  EXPECT_EQ(script.calls, 501);
}

TEST(RetrySender, DisabledRetriesMakeOneAttempt) {
  testing::FakeSleeper sleeper;
  RetrySettings s = fixedRetry();
  s.enabled = false;
  RetrySender sender(s, nullptr, sleeper, nullptr, 1);
  Script script{{unavailable("down")}};
  auto r = sender.send(script.fn());
  EXPECT_EQ(r.outcome, Outcome::kRetriesExhausted);
  EXPECT_EQ(script.calls, 1);
}

TEST(RetrySender, ShutdownDuringABackoffStopsWithoutAnotherAttempt) {
  testing::FakeSleeper sleeper;
  sleeper.stop_after_waits = 2;
  RetrySender sender(fixedRetry(), nullptr, sleeper, nullptr, 1);
  Script script{std::deque<Status>(100, unavailable("down"))};
  auto r = sender.send(script.fn());
  EXPECT_EQ(r.outcome, Outcome::kStopped);
  EXPECT_EQ(script.calls, 2);
}

TEST(RetrySender, AnExceptionFromTheExporterIsAPermanentFailure) {
  testing::FakeSleeper sleeper;
  RetrySender sender(fixedRetry(), nullptr, sleeper, nullptr, 1);
  auto r = sender.send([]() -> Status { throw std::runtime_error("boom"); });
  EXPECT_EQ(r.outcome, Outcome::kPermanent);
  EXPECT_NE(r.status.message().find("boom"), std::string_view::npos);
}

TEST(RetrySender, AnOpenCircuitIsWaitedOutInsteadOfAttempted) {
  testing::FakeSleeper sleeper;
  CircuitBreakerSettings cb;
  cb.failure_threshold = 2;
  cb.open_duration = seconds(30);
  CircuitBreaker breaker(cb, seconds(5));
  RetrySettings s = fixedRetry();
  s.max_elapsed_time = seconds(0);
  RetrySender sender(s, &breaker, sleeper, nullptr, 1);
  Script script{{unavailable("1"), unavailable("2"), unavailable("3")}};
  auto r = sender.send(script.fn());
  EXPECT_EQ(r.outcome, Outcome::kSent);
  // Two failures (1 s backoff between) open the circuit; after the 2 s backoff the sender waits
  // for the open circuit (28 s more), probes (fails: reopen for 30 s) and probes again.
  EXPECT_EQ(script.calls, 4);
  ASSERT_GE(sleeper.waits.size(), 4u);
  EXPECT_EQ(sleeper.waits[0], seconds(1));
  EXPECT_EQ(sleeper.waits[1], seconds(2));
  EXPECT_EQ(sleeper.waits[2], seconds(28));
  EXPECT_EQ(breaker.state(), CircuitBreaker::State::kClosed);
}

TEST(RetrySender, WithRetriesOffAnOpenCircuitIsWaitedOutAndTheRequestGetsItsAttempt) {
  testing::FakeSleeper sleeper;
  CircuitBreakerSettings cb;
  cb.failure_threshold = 1;
  cb.open_duration = seconds(30);
  CircuitBreaker breaker(cb, seconds(5));
  RetrySettings s = fixedRetry();
  s.enabled = false;
  RetrySender sender(s, &breaker, sleeper, nullptr, 1);
  Script failing{{unavailable("down")}};
  EXPECT_EQ(sender.send(failing.fn()).outcome, Outcome::kRetriesExhausted);  // opens it
  ASSERT_EQ(breaker.state(), CircuitBreaker::State::kOpen);
  Script next;  // succeeds
  auto r = sender.send(next.fn());
  EXPECT_EQ(r.outcome, Outcome::kSent) << "not dropped unattempted because the circuit was open";
  EXPECT_EQ(next.calls, 1);
  EXPECT_EQ(sleeper.waits, std::vector<std::chrono::nanoseconds>{seconds(30)});
}

TEST(RetrySender, SendOnceRefusesAtOnceWhileTheCircuitIsOpen) {
  testing::FakeSleeper sleeper;
  CircuitBreakerSettings cb;
  cb.failure_threshold = 1;
  cb.open_duration = seconds(30);
  CircuitBreaker breaker(cb, seconds(5));
  RetrySender sender(fixedRetry(), &breaker, sleeper, nullptr, 1);
  Script script{{unavailable("down")}};
  auto first = sender.sendOnce(script.fn());
  EXPECT_EQ(first.outcome, Outcome::kRefused);
  auto second = sender.sendOnce(script.fn());
  EXPECT_EQ(second.outcome, Outcome::kRefused);
  EXPECT_EQ(script.calls, 1) << "no attempt while open";
  EXPECT_EQ(second.status.code(), StatusCode::kUnavailable);
  EXPECT_GE(second.status.retryAfterSeconds(), 30);
  EXPECT_TRUE(sleeper.waits.empty());
}

}  // namespace
}  // namespace periscope::pipeline
