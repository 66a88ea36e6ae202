// Trace-id epoch policy, the 64 KB document limit and the 50-documents-per-call split.
#include <gtest/gtest.h>

#include "components/exporters/awsxray/segment_sender.h"
#include "components/exporters/awsxray/translator/document_size.h"
#include "components/exporters/awsxray/translator/ids.h"
#include "unit/components/exporters/awsxray/xray_test_util.h"

namespace periscope::components::awsxray_exporter {
namespace {

using namespace testing;  // NOLINT: test-local helpers
using json = nlohmann::json;
using model::SpanKind;

TEST(AwsXrayIds, TraceIdFormatAndEpochWindow) {
  EXPECT_EQ(translator::xrayTraceId(bytesOfHex("4bf92f3577b34da6a3ce929d0e0e4736")),
            "1-4bf92f35-77b34da6a3ce929d0e0e4736");
  const auto id = bytesOfHex(kTraceHex);  // epoch 1700000000
  EXPECT_TRUE(translator::hasRecentEpoch(id, 1700000000));
  EXPECT_TRUE(translator::hasRecentEpoch(id, 1700000000 + 28 * 86400));
  EXPECT_FALSE(translator::hasRecentEpoch(id, 1700000000 + 28 * 86400 + 1));
  EXPECT_TRUE(translator::hasRecentEpoch(id, 1700000000 - 300));
  EXPECT_FALSE(translator::hasRecentEpoch(id, 1700000000 - 301));
}

TEST(AwsXrayIds, InvalidTraceIdPassThroughByDefaultOrDropped) {
  // A random W3C id: its first bytes are no recent epoch.
  const SpanSpec random_id = {.kind = SpanKind::kServer,
                              .trace_hex = "f3c1a2b477b34da6a3ce929d0e0e4736"};
  translator::TranslationStats stats;
  auto passed = translate(makeTraces({}, {random_id}), {}, &stats);
  ASSERT_EQ(passed.size(), 1u);
  EXPECT_EQ(passed[0]["trace_id"], "1-f3c1a2b4-77b34da6a3ce929d0e0e4736");
  EXPECT_EQ(stats.passed_invalid_trace_id, 1u);
  EXPECT_EQ(stats.dropped_invalid_trace_id, 0u);

  translator::BatchOptions drop;
  drop.invalid_trace_id = translator::InvalidTraceIdPolicy::kDrop;
  translator::TranslationStats drop_stats;
  auto dropped =
      translate(makeTraces({}, {random_id, {.kind = SpanKind::kServer}}), drop, &drop_stats);
  ASSERT_EQ(dropped.size(), 1u);
  EXPECT_EQ(dropped[0]["trace_id"], kXrayTraceId);
  EXPECT_EQ(drop_stats.dropped_invalid_trace_id, 1u);
  EXPECT_EQ(drop_stats.passed_invalid_trace_id, 0u);
}

TEST(AwsXrayLimits, OversizedDocumentLosesMetadataFirst) {
  translator::TranslationStats stats;
  auto docs = translate(
      makeTraces({},
                 {{.kind = SpanKind::kServer,
                   .attrs = {{"blob", str(std::string(70000, 'x'))}, {"enduser.id", str("u")}}}}),
      {}, &stats);
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_FALSE(docs[0].contains("metadata"));
  EXPECT_EQ(docs[0]["user"], "u");
  EXPECT_EQ(stats.trimmed_too_large, 1u);
  EXPECT_EQ(stats.dropped_too_large, 0u);
}

TEST(AwsXrayLimits, DocumentStillTooLargeIsDroppedAndCounted) {
  translator::TranslationStats stats;
  auto docs = translate(
      makeTraces({},
                 {{.kind = SpanKind::kServer,
                   .events = {{"exception", {{"exception.message", str(std::string(70000, 'm'))}}}},
                   .status = model::StatusCode::kError},
                  {.kind = SpanKind::kServer}}),
      {}, &stats);
  EXPECT_EQ(docs.size(), 1u);
  EXPECT_EQ(stats.dropped_too_large, 1u);
}

TEST(AwsXrayLimits, StackFramesGoBeforeDropping) {
  nlohmann::json doc = {
      {"name", "n"},
      {"metadata", {{"default", {{"k", std::string(100, 'x')}}}}},
      {"cause", {{"exceptions", {{{"id", "1"}, {"stack", {{{"path", std::string(200, 'p')}}}}}}}}}};
  translator::SizeOutcome outcome;
  auto text = translator::serializeWithinLimit(doc, 150, outcome);
  ASSERT_TRUE(text.has_value());
  EXPECT_EQ(json::parse(*text), json::parse(R"({"name":"n","cause":{"exceptions":[{"id":"1"}]}})"));
  EXPECT_EQ(outcome, translator::SizeOutcome::kTrimmed);
}

class RecordingSender final : public SegmentSender {
 public:
  size_t maxDocumentBytes() const override { return translator::kMaxDocumentBytes; }
  Status send(std::span<const std::string> documents) override {
    calls.emplace_back(documents.begin(), documents.end());
    return Status::ok();
  }
  std::vector<std::vector<std::string>> calls;
};

TEST(AwsXrayBatching, AtMostFiftyDocumentsPerCall) {
  std::vector<std::string> docs;
  for (int i = 0; i < 120; ++i) docs.push_back("{\"n\":" + std::to_string(i) + "}");
  RecordingSender sender;
  ASSERT_TRUE(sendInCalls(sender, docs).isOk());
  ASSERT_EQ(sender.calls.size(), 3u);
  EXPECT_EQ(sender.calls[0].size(), 50u);
  EXPECT_EQ(sender.calls[1].size(), 50u);
  EXPECT_EQ(sender.calls[2].size(), 20u);
  EXPECT_EQ(sender.calls[2].back(), "{\"n\":119}");
  RecordingSender exact;
  ASSERT_TRUE(sendInCalls(exact, std::span(docs).first(50)).isOk());
  EXPECT_EQ(exact.calls.size(), 1u);
}

}  // namespace
}  // namespace periscope::components::awsxray_exporter
