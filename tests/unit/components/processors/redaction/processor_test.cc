// The processor on each signal: every attribute list of traces and metrics, log records and
// bodies; built through the registered factory.
#include <gtest/gtest.h>

#include "components/processors/redaction/factory.h"
#include "components/processors/redaction/redaction_processor.h"
#include "redaction_test_support.h"
#include "support/fake_consumer.h"

namespace periscope::components::redaction {
namespace {

using test::attrs;
using test::show;
using test::str;

Config emailConfig() {
  Config c;
  c.allowed_keys = {"service.name", "m"};
  c.detectors = {"email"};
  c.summary = "info";
  return c;
}

TEST(RedactionProcessor, TracesEveryAttributeList) {
  model::Traces t;
  Arena& a = t.arena();
  model::ResourceSpans rs;
  rs.resource.attributes = attrs(a, {{"service.name", str(a, "svc")}, {"host", str(a, "h")}});
  auto scopes = a.allocArray<model::ScopeSpans>(1);
  scopes[0].scope.attributes = attrs(a, {{"m", str(a, "s@x.io")}});
  auto spans = a.allocArray<model::Span>(1);
  spans[0].attributes = attrs(a, {{"m", str(a, "to a@b.io")}, {"drop", str(a, "x")}});
  auto events = a.allocArray<model::SpanEvent>(1);
  events[0].attributes = attrs(a, {{"m", str(a, "e@f.io")}});
  auto links = a.allocArray<model::SpanLink>(1);
  links[0].attributes = attrs(a, {{"m", str(a, "l@k.io")}});
  spans[0].events = events;
  spans[0].links = links;
  scopes[0].spans = spans;
  rs.scope_spans = scopes;
  t.resources().push_back(rs);

  auto r = test::make(emailConfig());
  redactBatch(*r, t);
  const auto& out = t.resources()[0];
  EXPECT_EQ(show(out.resource.attributes), "service.name=svc; redaction.redacted.count=i:1");
  EXPECT_EQ(show(out.scope_spans[0].scope.attributes), "m=****; redaction.masked.count=i:1");
  const auto& span = out.scope_spans[0].spans[0];
  EXPECT_EQ(show(span.attributes),
            "m=to ****; redaction.redacted.count=i:1; redaction.masked.count=i:1");
  EXPECT_EQ(show(span.events[0].attributes), "m=****; redaction.masked.count=i:1");
  EXPECT_EQ(show(span.links[0].attributes), "m=****; redaction.masked.count=i:1");
}

TEST(RedactionProcessor, MetricsDataPointsOfEveryType) {
  model::Metrics m;
  Arena& a = m.arena();
  model::ResourceMetrics rm;
  auto scopes = a.allocArray<model::ScopeMetrics>(1);
  auto metrics = a.allocArray<model::Metric>(1);
  auto numbers = a.allocArray<model::NumberDataPoint>(1);
  numbers[0].attributes = attrs(a, {{"m", str(a, "n@x.io")}});
  auto histograms = a.allocArray<model::HistogramDataPoint>(1);
  histograms[0].attributes = attrs(a, {{"m", str(a, "h@x.io")}});
  auto exponential = a.allocArray<model::ExponentialHistogramDataPoint>(1);
  exponential[0].attributes = attrs(a, {{"m", str(a, "e@x.io")}});
  auto summaries = a.allocArray<model::SummaryDataPoint>(1);
  summaries[0].attributes = attrs(a, {{"m", str(a, "s@x.io")}, {"q", str(a, "1")}});
  metrics[0].number_points = numbers;
  metrics[0].histogram_points = histograms;
  metrics[0].exponential_points = exponential;
  metrics[0].summary_points = summaries;
  scopes[0].metrics = metrics;
  rm.scope_metrics = scopes;
  m.resources().push_back(rm);

  Config c = emailConfig();
  c.summary = "silent";
  auto r = test::make(c);
  redactBatch(*r, m);
  const auto& metric = m.resources()[0].scope_metrics[0].metrics[0];
  EXPECT_EQ(show(metric.number_points[0].attributes), "m=****");
  EXPECT_EQ(show(metric.histogram_points[0].attributes), "m=****");
  EXPECT_EQ(show(metric.exponential_points[0].attributes), "m=****");
  EXPECT_EQ(show(metric.summary_points[0].attributes), "m=****");
}

TEST(RedactionProcessor, FactoryBuildsALogsProcessorThatForwards) {
  auto factory = makeFactory();
  EXPECT_EQ(factory->type(), "redaction");
  testing::RecordingConsumer<model::Logs> sink;
  pipeline::Consumers next;
  next.set(component::Signal::kLogs, static_cast<pipeline::Consumer<model::Logs>*>(&sink));
  Config c = emailConfig();
  auto created = factory->create(component::Signal::kLogs,
                                 {{"redaction", ""}, component::Kind::kProcessor, "logs"}, c, next);
  ASSERT_TRUE(created.isOk()) << created.status().message();
  auto* consumer = created.value()->input().get<model::Logs>();
  ASSERT_NE(consumer, nullptr);
  model::Logs logs = test::oneLog([](Arena& a, model::LogRecord& rec) {
    rec.body = str(a, "hello bob@example.com");
    rec.attributes = attrs(a, {{"m", str(a, "x")}, {"user.id", str(a, "42")}});
  });
  EXPECT_TRUE(pipeline::consumeAndWait<model::Logs>(*consumer, std::move(logs)).isOk());
  ASSERT_EQ(sink.totalItems(), 1u);
  ASSERT_EQ(sink.encodings.size(), 1u);
  EXPECT_EQ(sink.encodings[0].find("bob@example.com"), std::string::npos);
  EXPECT_NE(sink.encodings[0].find("hello ****"), std::string::npos);
  EXPECT_EQ(sink.encodings[0].find("user.id"), std::string::npos);
}

TEST(RedactionProcessor, FactoryRejectsABadConfig) {
  auto factory = makeFactory();
  testing::RecordingConsumer<model::Logs> sink;
  pipeline::Consumers next;
  next.set(component::Signal::kLogs, static_cast<pipeline::Consumer<model::Logs>*>(&sink));
  Config c;
  c.detectors = {"nope"};
  auto created = factory->create(component::Signal::kLogs,
                                 {{"redaction", ""}, component::Kind::kProcessor, "logs"}, c, next);
  EXPECT_FALSE(created.isOk());
}

}  // namespace
}  // namespace periscope::components::redaction
