#include "pipeline/fanout.h"

#include <gtest/gtest.h>

#include "support/fake_consumer.h"

namespace periscope::pipeline {
namespace {

using testing::makeSpans;
using testing::RecordingConsumer;

TEST(FanOut, EveryConsumerGetsTheSameDataAndDoneWaitsForAll) {
  RecordingConsumer<model::Traces> a, b(/*mutates=*/true), c;
  b.hold = true;
  FanOut<model::Traces> fan({&a, &b, &c});
  Status result = internalError("not called");
  int calls = 0;
  fan.consume(makeSpans(10, 2), [&](Status st) {
    result = st;
    ++calls;
  });
  EXPECT_EQ(calls, 0);  // b has not answered yet
  ASSERT_EQ(a.encodings.size(), 1u);
  EXPECT_EQ(a.encodings[0], b.encodings[0]);
  EXPECT_EQ(a.encodings[0], c.encodings[0]);
  EXPECT_EQ(a.counts[0], 10u);
  b.releaseHeld(Status::ok());
  EXPECT_EQ(calls, 1);
  EXPECT_TRUE(result.isOk());
}

TEST(FanOut, ReportsTheFirstError) {
  RecordingConsumer<model::Traces> a, b;
  b.answer = unavailable("backend down");
  FanOut<model::Traces> fan({&a, &b});
  Status result;
  fan.consume(makeSpans(3), [&](Status st) { result = st; });
  EXPECT_EQ(result.code(), StatusCode::kUnavailable);
  EXPECT_EQ(a.counts.size(), 1u);  // the healthy consumer still got the data
}

// A consumer that edits every span name: the others must not see its edits.
class Renamer : public Consumer<model::Traces> {
 public:
  void consume(model::Traces&& data, Done done) override {
    for (auto& r : data.resources()) {
      for (auto& ss : r.scope_spans) {
        for (auto& s : ss.spans) s.name = "renamed";
      }
    }
    done(Status::ok());
  }
  bool mutatesData() const override { return true; }
};

TEST(FanOut, MutatingConsumerGetsAPrivateCopy) {
  Renamer renamer;
  RecordingConsumer<model::Traces> reader;
  FanOut<model::Traces> fan({&renamer, &reader});
  model::Traces data = makeSpans(4);
  std::string before;
  model::otlp::encode(data, before);
  fan.consume(std::move(data), [](Status) {});
  ASSERT_EQ(reader.encodings.size(), 1u);
  EXPECT_EQ(reader.encodings[0], before);
}

}  // namespace
}  // namespace periscope::pipeline
