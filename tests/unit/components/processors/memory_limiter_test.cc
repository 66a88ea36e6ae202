#include "components/processors/memory_limiter/memory_limiter.h"

#include <gtest/gtest.h>

#include "support/fake_consumer.h"

namespace periscope::components::memory_limiter {
namespace {

Config mib(uint32_t limit, uint32_t spike) {
  Config c;
  c.check_interval = std::chrono::seconds(1);
  c.limit_mib = limit;
  c.spike_limit_mib = spike;
  return c;
}

TEST(MemoryLimiter, SoftLimitIsHardMinusSpike) {
  Limiter l(mib(100, 30), 0);
  EXPECT_EQ(l.hardLimitBytes(), 100u << 20);
  EXPECT_EQ(l.softLimitBytes(), 70u << 20);
  Limiter d(mib(100, 0), 0);  // default spike = 20%
  EXPECT_EQ(d.softLimitBytes(), (100u << 20) - (20u << 20));
}

TEST(MemoryLimiter, PercentagesUseTotalMemory) {
  Config c;
  c.check_interval = std::chrono::seconds(1);
  c.limit_percentage = 50;
  c.spike_limit_percentage = 10;
  Limiter l(c, 1000u << 20);
  EXPECT_EQ(l.hardLimitBytes(), 500u << 20);
  EXPECT_EQ(l.softLimitBytes(), 400u << 20);
}

TEST(MemoryLimiter, RefusesAboveSoftLimitWithRetryableError) {
  auto limiter = std::make_shared<Limiter>(mib(100, 20), 0);
  testing::RecordingConsumer<model::Traces> sink;
  MemoryLimiter<model::Traces> p({{"memory_limiter", ""}, component::Kind::kProcessor, "traces"},
                                 limiter, &sink);
  limiter->check(50u << 20);
  EXPECT_TRUE(pipeline::consumeAndWait<model::Traces>(p, testing::makeSpans(3)).isOk());
  limiter->check(85u << 20);  // above soft (80 MiB)
  Status st = pipeline::consumeAndWait<model::Traces>(p, testing::makeSpans(3));
  EXPECT_EQ(st.code(), StatusCode::kUnavailable);
  EXPECT_TRUE(st.isRetryable());
  EXPECT_EQ(st.retryAfterSeconds(), 1);
  EXPECT_EQ(sink.totalItems(), 3u);  // the refused batch never reached the next consumer
  limiter->check(10u << 20);         // recovers
  EXPECT_TRUE(pipeline::consumeAndWait<model::Traces>(p, testing::makeSpans(2)).isOk());
}

TEST(MemoryLimiter, ConfigValidation) {
  Config c;
  EXPECT_EQ(c.validate().message(), "check_interval must be greater than zero");
  c.check_interval = std::chrono::seconds(1);
  EXPECT_EQ(c.validate().message(), "either limit_mib or limit_percentage must be set");
  c.limit_mib = 10;
  c.spike_limit_mib = 10;
  EXPECT_EQ(c.validate().message(), "spike_limit_mib must be smaller than limit_mib");
  c.spike_limit_mib = 2;
  EXPECT_TRUE(c.validate().isOk());
}

TEST(MemoryLimiter, MeasuresThisProcess) {
  EXPECT_GT(currentRssBytes(), 1u << 20);
  EXPECT_GT(totalMemoryBytes(), currentRssBytes());
}

}  // namespace
}  // namespace periscope::components::memory_limiter
