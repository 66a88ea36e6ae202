#include <gtest/gtest.h>

#include <future>

#include "components/processors/batch/batcher.h"
#include "support/fake_consumer.h"
#include "support/null_host.h"

namespace periscope::components::batch {
namespace {

using testing::makeSpans;
using testing::RecordingConsumer;

struct Fixture {
  explicit Fixture(Config c)
      : config(c), batcher({{"batch", ""}, component::Kind::kProcessor, "traces"}, config, &sink) {
    EXPECT_TRUE(batcher.start(host).isOk());
  }
  ~Fixture() { (void)batcher.shutdown(std::chrono::steady_clock::now()); }
  std::future<Status> send(size_t spans) {
    auto p = std::make_shared<std::promise<Status>>();
    auto f = p->get_future();
    batcher.consume(makeSpans(spans), [p](Status st) { p->set_value(st); });
    return f;
  }
  Config config;
  testing::NullHost host;
  RecordingConsumer<model::Traces> sink;
  Batcher<model::Traces> batcher;
};

Config cfg(uint32_t size, uint32_t max, std::chrono::milliseconds timeout) {
  Config c;
  c.send_batch_size = size;
  c.send_batch_max_size = max;
  c.timeout = timeout;
  return c;
}

TEST(Batch, SendsWhenSizeIsReachedAndAnswersCallersAfterExport) {
  Fixture f(cfg(10, 0, std::chrono::hours(1)));
  f.sink.hold = true;  // the exporter has not finished yet
  auto a = f.send(4);
  auto b = f.send(6);
  ASSERT_TRUE(f.sink.waitForBatches(1));
  EXPECT_EQ(f.sink.counts[0], 10u);
  // Batched, but not exported yet: nobody may have been answered.
  EXPECT_EQ(a.wait_for(std::chrono::milliseconds(0)), std::future_status::timeout);
  f.sink.releaseHeld(Status::ok());
  EXPECT_TRUE(a.get().isOk());
  EXPECT_TRUE(b.get().isOk());
}

TEST(Batch, SendsPartialBatchAfterTimeout) {
  Fixture f(cfg(1000, 0, std::chrono::milliseconds(20)));
  auto a = f.send(3);
  EXPECT_TRUE(a.get().isOk());  // only the timeout can have sent it
  EXPECT_EQ(f.sink.counts, (std::vector<size_t>{3}));
}

TEST(Batch, SplitsAtMaxSizeAndAnswersOnlyWhenAllPartsAreSent) {
  Fixture f(cfg(5, 5, std::chrono::hours(1)));
  f.sink.hold = true;
  auto a = f.send(12);  // → 5 + 5 now, 2 pending until more data or shutdown
  ASSERT_TRUE(f.sink.waitForBatches(2));
  f.sink.releaseHeld(Status::ok());
  EXPECT_EQ(a.wait_for(std::chrono::milliseconds(0)), std::future_status::timeout);
  auto b = f.send(3);  // 2 + 3 = 5 → the third batch
  ASSERT_TRUE(f.sink.waitForBatches(3));
  f.sink.releaseHeld(Status::ok());
  EXPECT_TRUE(a.get().isOk());
  EXPECT_TRUE(b.get().isOk());
  EXPECT_EQ(f.sink.counts, (std::vector<size_t>{5, 5, 5}));
}

TEST(Batch, PropagatesExportErrorsToEveryCaller) {
  Fixture f(cfg(4, 0, std::chrono::hours(1)));
  f.sink.answer = unavailable("down");
  auto a = f.send(2);
  auto b = f.send(2);
  EXPECT_EQ(a.get().code(), StatusCode::kUnavailable);
  EXPECT_EQ(b.get().code(), StatusCode::kUnavailable);
}

TEST(Batch, ShutdownFlushesPendingData) {
  auto f = std::make_unique<Fixture>(cfg(1000, 0, std::chrono::hours(1)));
  auto a = f->send(7);
  ASSERT_TRUE(
      f->batcher.shutdown(std::chrono::steady_clock::now() + std::chrono::seconds(1)).isOk());
  EXPECT_TRUE(a.get().isOk());
  EXPECT_EQ(f->sink.totalItems(), 7u);
}

TEST(Batch, KeepsEverySpanInOrderAcrossSplits) {
  Fixture f(cfg(7, 7, std::chrono::milliseconds(10)));
  std::string expected;
  std::vector<std::future<Status>> futures;
  for (int i = 0; i < 5; ++i) futures.push_back(f.send(static_cast<size_t>(3 + i)));
  for (auto& fu : futures) EXPECT_TRUE(fu.get().isOk());
  EXPECT_EQ(f.sink.totalItems(), 3u + 4 + 5 + 6 + 7);
  for (size_t c : f.sink.counts) EXPECT_LE(c, 7u);
}

TEST(BatchConfig, RejectsMaxBelowSize) {
  Config c = cfg(100, 10, std::chrono::seconds(1));
  EXPECT_EQ(c.validate().message(),
            "send_batch_max_size must be greater or equal to send_batch_size");
}

}  // namespace
}  // namespace periscope::components::batch

namespace periscope::components::batch {
namespace {

TEST(Batch, BeginShutdownSendsHeldDataWithoutWaitingForTheTimer) {
  Fixture f(cfg(1000, 0, std::chrono::hours(1)));
  auto a = f.send(5);
  f.batcher.beginShutdown();
  EXPECT_TRUE(a.get().isOk());  // would block for an hour without the hook
  EXPECT_EQ(f.sink.totalItems(), 5u);
  auto b = f.send(2);  // after it: passed straight through
  EXPECT_TRUE(b.get().isOk());
  EXPECT_EQ(f.sink.counts, (std::vector<size_t>{5, 2}));
}

}  // namespace
}  // namespace periscope::components::batch

namespace periscope::components::batch {
namespace {

TEST(Batch, RefusesWithRetryableErrorWhenTooMuchIsPending) {
  Fixture f(cfg(10, 0, std::chrono::hours(1)));
  f.sink.setBlock(true);  // the exporter is stuck inside its call
  std::vector<std::future<Status>> accepted;
  accepted.push_back(f.send(10));
  ASSERT_TRUE(f.sink.waitForBatches(1));  // the flusher is now blocked in the exporter
  for (int i = 0; i < 8; ++i) accepted.push_back(f.send(10));  // 8 batches' worth may wait
  Status st = f.send(1).get();
  EXPECT_EQ(st.code(), StatusCode::kUnavailable);
  EXPECT_EQ(st.retryAfterSeconds(), 1);
  f.sink.setBlock(false);
  for (auto& a : accepted) EXPECT_TRUE(a.get().isOk());  // everything accepted is delivered
  EXPECT_EQ(f.sink.totalItems(), 90u);
}

}  // namespace
}  // namespace periscope::components::batch
