// Service graph: shared receivers and exporters, per-pipeline processors, fan-out, and the
// start (exporters first) / stop (receivers first) order — with fake components.
#include "pipeline/service.h"

#include <gtest/gtest.h>

#include "config/loader.h"
#include "model/otlp/proto_decoder.h"
#include "support/fake_consumer.h"

namespace periscope::pipeline {
namespace {

using testing::makeSpans;

std::vector<std::string>* g_events = nullptr;

struct EmptyConfig : component::Config {
  static const config::Schema<EmptyConfig>& schema() {
    static const config::Schema<EmptyConfig> s;
    return s;
  }
};

class Recorder : public component::Component {
 public:
  explicit Recorder(std::string name) : name_(std::move(name)) {}
  Status start(component::Host&) override {
    g_events->push_back("start " + name_);
    return Status::ok();
  }
  Status shutdown(component::Deadline) override {
    g_events->push_back("stop " + name_);
    return Status::ok();
  }

 protected:
  std::string name_;
};

Consumers g_receiver_out;  // what the fake receiver was given

class FakeReceiver final : public Recorder {
 public:
  using Recorder::Recorder;
};

class FakeReceiverFactory final
    : public component::FactoryWithConfig<EmptyConfig, ReceiverFactory> {
 public:
  std::string_view type() const override { return "fake"; }
  std::string_view description() const override { return ""; }
  bool supports(Signal s) const override { return s != Signal::kLogs; }
  Result<std::unique_ptr<component::Component>> create(const Settings& s, const Config&,
                                                       const Consumers& next) const override {
    g_receiver_out = next;
    return std::unique_ptr<component::Component>(
        std::make_unique<FakeReceiver>("receiver " + s.id.toString()));
  }
};

// Tags every span with the processor's name so the test can see the path data took.
class TagProcessor final : public ConsumerComponent, public Consumer<model::Traces> {
 public:
  TagProcessor(std::string name, Consumer<model::Traces>* next)
      : name_(std::move(name)), next_(next) {}
  Status start(component::Host&) override {
    g_events->push_back("start " + name_);
    return Status::ok();
  }
  Status shutdown(component::Deadline) override {
    g_events->push_back("stop " + name_);
    return Status::ok();
  }
  Consumers input() override {
    Consumers c;
    c.traces = this;
    return c;
  }
  void consume(model::Traces&& d, Done done) override {
    for (auto& r : d.resources()) {
      for (auto& ss : r.scope_spans) {
        for (auto& s : ss.spans) s.trace_state = name_tag_;
      }
    }
    next_->consume(std::move(d), std::move(done));
  }
  bool mutatesData() const override { return true; }

 private:
  std::string name_;
  std::string name_tag_ = name_;
  Consumer<model::Traces>* next_;
};

class TagProcessorFactory final
    : public component::FactoryWithConfig<EmptyConfig, ProcessorFactory> {
 public:
  std::string_view type() const override { return "tag"; }
  std::string_view description() const override { return ""; }
  bool supports(Signal s) const override { return s == Signal::kTraces; }
  Result<std::unique_ptr<ConsumerComponent>> create(Signal, const Settings& s, const Config&,
                                                    const Consumers& next) const override {
    return std::unique_ptr<ConsumerComponent>(
        std::make_unique<TagProcessor>(s.id.toString() + "@" + s.pipeline, next.traces));
  }
};

std::map<std::string, testing::RecordingConsumer<model::Traces>*> g_exporters;

class FakeExporter final : public ConsumerComponent {
 public:
  explicit FakeExporter(std::string name) : name_(std::move(name)) { g_exporters[name_] = &sink_; }
  Status start(component::Host&) override {
    g_events->push_back("start " + name_);
    return Status::ok();
  }
  Status shutdown(component::Deadline) override {
    g_events->push_back("stop " + name_);
    return Status::ok();
  }
  Consumers input() override {
    Consumers c;
    c.traces = &sink_;
    return c;
  }

 private:
  std::string name_;
  testing::RecordingConsumer<model::Traces> sink_;
};

class FakeExporterFactory final
    : public component::FactoryWithConfig<EmptyConfig, ExporterFactory> {
 public:
  std::string_view type() const override { return "sink"; }
  std::string_view description() const override { return ""; }
  bool supports(Signal) const override { return true; }
  Result<std::unique_ptr<ConsumerComponent>> create(const Settings& s, const Config&,
                                                    const std::vector<Signal>&) const override {
    return std::unique_ptr<ConsumerComponent>(
        std::make_unique<FakeExporter>("exporter " + s.id.toString()));
  }
};

// A traces→traces connector that forwards what it gets and records its lifecycle.
class RelayConnector final : public ConsumerComponent, public Consumer<model::Traces> {
 public:
  RelayConnector(std::string name, Consumer<model::Traces>* next)
      : name_(std::move(name)), next_(next) {}
  Status start(component::Host&) override {
    g_events->push_back("start " + name_);
    return Status::ok();
  }
  Status shutdown(component::Deadline) override {
    g_events->push_back("stop " + name_);
    return Status::ok();
  }
  Consumers input() override {
    Consumers c;
    c.traces = this;
    return c;
  }
  void consume(model::Traces&& d, Done done) override {
    next_->consume(std::move(d), std::move(done));
  }

 private:
  std::string name_;
  Consumer<model::Traces>* next_;
};

class RelayConnectorFactory final
    : public component::FactoryWithConfig<EmptyConfig, ConnectorFactory> {
 public:
  std::string_view type() const override { return "relay"; }
  std::string_view description() const override { return ""; }
  bool supports(Signal from, Signal to) const override {
    return from == Signal::kTraces && to == Signal::kTraces;
  }
  Result<std::unique_ptr<ConsumerComponent>> create(const Settings& s, const Config&,
                                                    const std::vector<Signal>& from,
                                                    const Consumers& next) const override {
    EXPECT_EQ(from, std::vector<Signal>{Signal::kTraces});
    return std::unique_ptr<ConsumerComponent>(
        std::make_unique<RelayConnector>("connector " + s.id.toString(), next.traces));
  }
};

class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    g_events = &events_;
    g_exporters.clear();
    registry_.add(std::make_unique<FakeReceiverFactory>());
    registry_.add(std::make_unique<TagProcessorFactory>());
    registry_.add(std::make_unique<FakeExporterFactory>());
    registry_.add(std::make_unique<RelayConnectorFactory>());
  }
  std::string configErrors(const std::string& yaml) {
    config::Diagnostics d;
    config::Value root = config::loadYamlString(yaml, "t.yaml", d);
    ServiceConfig cfg;
    EXPECT_FALSE(buildServiceConfig(root, registry_, cfg, d));
    return d.format();
  }
  void build(const std::string& yaml) {
    config::Diagnostics d;
    config::Value root = config::loadYamlString(yaml, "t.yaml", d);
    ASSERT_TRUE(buildServiceConfig(root, registry_, config_, d)) << d.format();
    ASSERT_TRUE(service_.build(config_).isOk());
  }
  std::vector<std::string> events_;
  component::Registry registry_;
  ServiceConfig config_;
  Service service_;
};

TEST_F(ServiceTest, SharedReceiverFeedsEveryPipelineAndOrderIsRight) {
  build(R"(
receivers: {fake: }
processors: {tag/a: , tag/b: }
exporters: {sink/1: , sink/2: }
service:
  pipelines:
    traces/one: {receivers: [fake], processors: [tag/a, tag/b], exporters: [sink/1, sink/2]}
    traces/two: {receivers: [fake], exporters: [sink/2]}
)");
  ASSERT_TRUE(service_.start().isOk());
  // Exporters first, then each pipeline's processors back to front, receivers last.
  EXPECT_EQ(events_, (std::vector<std::string>{"start exporter sink/1", "start exporter sink/2",
                                               "start tag/b@traces/one", "start tag/a@traces/one",
                                               "start receiver fake"}));
  ASSERT_NE(g_receiver_out.traces, nullptr);
  EXPECT_EQ(g_receiver_out.metrics, nullptr);
  Status st = consumeAndWait(*g_receiver_out.traces, makeSpans(5));
  EXPECT_TRUE(st.isOk());
  // sink/1 gets pipeline one's data; sink/2 gets both pipelines' data (one instance, shared).
  EXPECT_EQ(g_exporters["exporter sink/1"]->totalItems(), 5u);
  EXPECT_EQ(g_exporters["exporter sink/2"]->totalItems(), 10u);
  events_.clear();
  ASSERT_TRUE(service_.shutdown(std::chrono::steady_clock::now() + std::chrono::seconds(1)).isOk());
  EXPECT_EQ(events_, (std::vector<std::string>{"stop receiver fake", "stop tag/a@traces/one",
                                               "stop tag/b@traces/one", "stop exporter sink/1",
                                               "stop exporter sink/2"}));
  events_.clear();
  ASSERT_TRUE(service_.shutdown(std::chrono::steady_clock::now()).isOk());  // idempotent
  EXPECT_TRUE(events_.empty());
}

TEST_F(ServiceTest, ProcessorsRunInPipelineOrder) {
  build(R"(
receivers: {fake: }
processors: {tag/a: , tag/b: }
exporters: {sink: }
service:
  pipelines:
    traces: {receivers: [fake], processors: [tag/a, tag/b], exporters: [sink]}
)");
  ASSERT_TRUE(service_.start().isOk());
  ASSERT_TRUE(consumeAndWait(*g_receiver_out.traces, makeSpans(1)).isOk());
  // tag/b ran last, so its tag is what the exporter sees.
  model::Traces got;
  std::string bytes = g_exporters["exporter sink"]->encodings.at(0);
  std::string_view view = got.arena().adopt(std::move(bytes));
  ASSERT_TRUE(model::otlp::decode(view, got).isOk());
  EXPECT_EQ(got.resources()[0].scope_spans[0].spans[0].trace_state, "tag/b@traces");
}

TEST_F(ServiceTest, RejectsSignalAComponentDoesNotSupport) {
  config::Diagnostics d;
  config::Value root = config::loadYamlString(R"(
receivers: {fake: }
exporters: {sink: }
service:
  pipelines:
    logs: {receivers: [fake], exporters: [sink]}
)",
                                              "t.yaml", d);
  EXPECT_FALSE(buildServiceConfig(root, registry_, config_, d));
  EXPECT_EQ(d.format(),
            "t.yaml:6:24: service.pipelines.logs.receivers[0]: receiver \"fake\" does not support "
            "logs\n");
}

TEST_F(ServiceTest, ConnectorJoinsPipelinesAndStartsAndStopsBetweenThem) {
  // The downstream pipeline is written first and the upstream one second, so the build order
  // cannot come from document order.
  build(R"(
receivers: {fake: }
processors: {tag/a: , tag/b: }
exporters: {sink: }
connectors: {relay: }
service:
  pipelines:
    traces/out: {receivers: [relay], processors: [tag/b], exporters: [sink]}
    traces/in: {receivers: [fake], processors: [tag/a], exporters: [relay]}
)");
  ASSERT_TRUE(service_.start().isOk());
  EXPECT_EQ(events_, (std::vector<std::string>{"start exporter sink", "start tag/b@traces/out",
                                               "start tag/a@traces/in", "start connector relay",
                                               "start receiver fake"}));
  ASSERT_TRUE(consumeAndWait(*g_receiver_out.traces, makeSpans(3)).isOk());
  ASSERT_EQ(g_exporters["exporter sink"]->totalItems(), 3u);
  model::Traces got;
  std::string bytes = g_exporters["exporter sink"]->encodings.at(0);
  std::string_view view = got.arena().adopt(std::move(bytes));
  ASSERT_TRUE(model::otlp::decode(view, got).isOk());
  EXPECT_EQ(got.resources()[0].scope_spans[0].spans[0].trace_state, "tag/b@traces/out");
  events_.clear();
  ASSERT_TRUE(service_.shutdown(std::chrono::steady_clock::now() + std::chrono::seconds(1)).isOk());
  // Upstream first: what the upstream processors flush on shutdown still crosses the connector.
  EXPECT_EQ(events_, (std::vector<std::string>{"stop receiver fake", "stop tag/a@traces/in",
                                               "stop connector relay", "stop tag/b@traces/out",
                                               "stop exporter sink"}));
}

TEST_F(ServiceTest, ConnectorMisuseIsReported) {
  EXPECT_EQ(configErrors(R"(
receivers: {fake: }
exporters: {sink: }
connectors: {relay: }
service:
  pipelines:
    traces: {receivers: [fake], exporters: [relay]}
)"),
            "t.yaml:7:5: service.pipelines: connector \"relay\" is an exporter in pipeline traces "
            "but no pipeline lists it as a receiver\n");
  EXPECT_EQ(configErrors(R"(
receivers: {fake: }
exporters: {sink: }
connectors: {relay: }
service:
  pipelines:
    traces/a: {receivers: [fake, relay], exporters: [relay]}
)"),
            "t.yaml:7:5: service.pipelines: pipelines traces/a form a cycle through connectors; "
            "data would loop forever\n");
  EXPECT_EQ(configErrors(R"(
receivers: {fake: }
exporters: {sink: }
connectors: {relay: }
service:
  pipelines:
    metrics: {receivers: [relay], exporters: [sink]}
    traces: {receivers: [fake], exporters: [relay]}
)"),
            "t.yaml:7:5: service.pipelines: connector \"relay\" is an exporter in pipeline traces "
            "but no pipeline lists it as a receiver\n"
            "t.yaml:7:27: service.pipelines.metrics.receivers[0]: connector \"relay\" cannot emit "
            "metrics\n");
}

}  // namespace
}  // namespace periscope::pipeline
