// BatchProcessor: forwards what process() leaves, answers done itself when nothing is left or
// process() fails, and counts items in and out.
#include "pipeline/helpers/batch_processor.h"

#include <gtest/gtest.h>

#include "model/batch_filter.h"
#include "support/fake_consumer.h"

namespace periscope::pipeline {
namespace {

using testing::makeSpans;
using testing::RecordingConsumer;

// Keeps the first `keep` spans; fails when `fail` is set.
class KeepFirst final : public BatchProcessor<model::Traces> {
 public:
  KeepFirst(const component::Settings& s, Consumer<model::Traces>* next, size_t keep)
      : BatchProcessor(s, next), keep_(keep) {}
  bool fail = false;

 protected:
  Status process(model::Traces& data) override {
    if (fail) return invalidArgument("bad batch");
    size_t seen = 0;
    model::removeSpansIf(data,
                         [&](const auto&, const auto&, const auto&) { return seen++ >= keep_; });
    return Status::ok();
  }

 private:
  size_t keep_;
};

component::Settings settings(const std::string& name) {
  component::Settings s;
  s.id = component::ComponentId::parse(name).value();
  s.kind = component::Kind::kProcessor;
  return s;
}

double counter(const std::string& name, const std::string& processor) {
  return telemetry::globalRegistry().value(name,
                                           {{"processor", processor}, {"otel_signal", "traces"}});
}

TEST(BatchProcessorTest, ForwardsWhatIsLeftAndCounts) {
  RecordingConsumer<model::Traces> next;
  next.hold = true;
  KeepFirst p(settings("test/forwards"), &next, 3);
  EXPECT_TRUE(p.mutatesData());
  int calls = 0;
  p.consume(makeSpans(10), [&](Status st) {
    EXPECT_TRUE(st.isOk());
    ++calls;
  });
  ASSERT_EQ(next.counts.size(), 1u);
  EXPECT_EQ(next.counts[0], 3u);
  EXPECT_EQ(calls, 0);  // the answer comes from downstream
  next.releaseHeld(Status::ok());
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(counter("otelcol_processor_incoming_items", "test/forwards"), 10);
  EXPECT_EQ(counter("otelcol_processor_outgoing_items", "test/forwards"), 3);
}

TEST(BatchProcessorTest, EmptyResultIsAnsweredWithoutForwarding) {
  RecordingConsumer<model::Traces> next;
  KeepFirst p(settings("test/empty"), &next, 0);
  Status result = internalError("not called");
  p.consume(makeSpans(4), [&](Status st) { result = st; });
  EXPECT_TRUE(result.isOk());
  EXPECT_TRUE(next.counts.empty());
  EXPECT_EQ(counter("otelcol_processor_outgoing_items", "test/empty"), 0);
}

TEST(BatchProcessorTest, ProcessErrorGoesBackToTheCaller) {
  RecordingConsumer<model::Traces> next;
  KeepFirst p(settings("test/error"), &next, 5);
  p.fail = true;
  Status result;
  p.consume(makeSpans(4), [&](Status st) { result = st; });
  EXPECT_EQ(result.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(next.counts.empty());
}

}  // namespace
}  // namespace periscope::pipeline
