#include "components/exporters/awsemf/put_log_events_batcher.h"

#include <gtest/gtest.h>

namespace periscope::components::awsemf_exporter {
namespace {

std::vector<LogEvent> events(size_t n, size_t bytes, int64_t t0 = 1000, int64_t step = 0) {
  std::vector<LogEvent> out;
  for (size_t i = 0; i < n; ++i) {
    out.push_back({t0 + static_cast<int64_t>(i) * step, std::string(bytes, 'x')});
  }
  return out;
}

TEST(PutLogEventsBatcher, SortsEventsChronologically) {
  auto b = batchForPutLogEvents({{30, "c"}, {10, "a"}, {20, "b"}, {10, "a2"}});
  ASSERT_EQ(b.requests.size(), 1u);
  std::vector<std::string> order;
  for (const auto& e : b.requests[0]) order.push_back(e.message);
  EXPECT_EQ(order, (std::vector<std::string>{"a", "a2", "b", "c"}));
}

TEST(PutLogEventsBatcher, AtMost10000EventsPerRequest) {
  auto b = batchForPutLogEvents(events(10'001, 10));
  ASSERT_EQ(b.requests.size(), 2u);
  EXPECT_EQ(b.requests[0].size(), 10'000u);
  EXPECT_EQ(b.requests[1].size(), 1u);
}

TEST(PutLogEventsBatcher, AtMostOneMegabyteCountingTheOverhead) {
  // 100,000 + 26 bytes each: 10 fit in 1,048,576 bytes, the 11th does not.
  auto b = batchForPutLogEvents(events(25, 100'000));
  ASSERT_EQ(b.requests.size(), 3u);
  EXPECT_EQ(b.requests[0].size(), 10u);
  EXPECT_EQ(b.requests[1].size(), 10u);
  EXPECT_EQ(b.requests[2].size(), 5u);
  // Exactly at the limit: 2 events of (1,048,576 / 2 − 26) bytes share a request.
  auto exact = batchForPutLogEvents(events(2, kPutLogEventsMaxBytes / 2 - 26));
  EXPECT_EQ(exact.requests.size(), 1u);
  auto over = batchForPutLogEvents(events(2, kPutLogEventsMaxBytes / 2 - 25));
  EXPECT_EQ(over.requests.size(), 2u);
}

TEST(PutLogEventsBatcher, AtMost24HoursPerRequest) {
  const int64_t day = 24LL * 60 * 60 * 1000;
  EXPECT_EQ(batchForPutLogEvents({{0, "a"}, {day, "b"}}).requests.size(), 1u);
  auto b = batchForPutLogEvents({{day + 1, "c"}, {0, "a"}, {day, "b"}});
  ASSERT_EQ(b.requests.size(), 2u);
  EXPECT_EQ(b.requests[0].size(), 2u);
  EXPECT_EQ(b.requests[1][0].message, "c");
}

TEST(PutLogEventsBatcher, DropsAndCountsAnEventLargerThanARequest) {
  auto b = batchForPutLogEvents({{1, std::string(kMaxEventBytes + 1, 'x')}, {2, "ok"}});
  EXPECT_EQ(b.dropped_oversized, 1u);
  ASSERT_EQ(b.requests.size(), 1u);
  EXPECT_EQ(b.requests[0][0].message, "ok");
  EXPECT_TRUE(batchForPutLogEvents({}).requests.empty());
}

}  // namespace
}  // namespace periscope::components::awsemf_exporter
