// QueueSender: the sending queue in memory and on (fake) persistent storage — admission and
// refusal with exact counts, delivery after retries, drops by reason, shutdown, redelivery.
#include "pipeline/helpers/queue_sender.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <future>
#include <map>

#include "model/otlp/proto_encoder.h"
#include "support/fake_consumer.h"
#include "support/null_host.h"

namespace periscope::pipeline {
namespace {

using std::chrono::milliseconds;
using testing::makeSpans;

// The exporter's push(): records what it got, answers from a script (then `then`), and can be
// held at a gate to keep requests in flight.
struct FakePush {
  std::mutex mu;
  std::condition_variable cv;
  bool gate_open = true;
  std::deque<Status> script;
  Status then;
  std::vector<size_t> sent_counts;
  std::vector<std::string> sent_encodings;
  int calls = 0;

  QueueSender<model::Traces>::Push fn() {
    return [this](const model::Traces& t) {
      std::unique_lock lock(mu);
      ++calls;
      cv.notify_all();
      cv.wait(lock, [&] { return gate_open; });
      Status st = then;
      if (!script.empty()) {
        st = script.front();
        script.pop_front();
      }
      if (st.isOk()) {
        sent_counts.push_back(t.itemCount());
        std::string bytes;
        model::otlp::encode(t, bytes);
        sent_encodings.push_back(std::move(bytes));
      }
      return st;
    };
  }
  void setGate(bool open) {
    {
      std::lock_guard lock(mu);
      gate_open = open;
    }
    cv.notify_all();
  }
  void waitCalls(int n) {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return calls >= n; });
  }
};

// In-memory PersistentQueueLog whose contents outlive the sender (a "restart" reopens it).
struct FakeLogState {
  std::mutex mu;
  std::condition_variable cv;                          // a damaged record was met
  std::map<uint64_t, PersistentQueueLog::Item> items;  // not acknowledged
  std::set<uint64_t> handed_out;
  uint64_t next_id = 1;
  Status fail_append;
  bool damage_next = false;  // the next read finds its record damaged: lost
  uint64_t lost_items = 0;
  int appends = 0;
  int acks = 0;
};

class FakeLog : public PersistentQueueLog {
 public:
  explicit FakeLog(FakeLogState& s) : s_(s) { recovered_ = s.items.size(); }
  Result<uint64_t> append(std::string_view payload, uint32_t items) override {
    std::lock_guard lock(s_.mu);
    if (!s_.fail_append.isOk()) return s_.fail_append;
    ++s_.appends;
    uint64_t id = s_.next_id++;
    s_.items[id] = {id, items, std::string(payload)};
    return id;
  }
  Result<std::optional<Item>> next() override {
    std::lock_guard lock(s_.mu);
    if (s_.damage_next && !s_.items.empty()) {
      s_.damage_next = false;
      s_.lost_items += s_.items.begin()->second.items;
      s_.items.erase(s_.items.begin());
      s_.cv.notify_all();
      return Status(StatusCode::kDataLoss, "checksum mismatch");
    }
    for (auto& [id, item] : s_.items) {
      if (s_.handed_out.insert(id).second) return std::optional<Item>(item);
    }
    return std::optional<Item>();
  }
  Status ack(uint64_t id) override {
    std::lock_guard lock(s_.mu);
    ++s_.acks;
    s_.handed_out.erase(id);
    return s_.items.erase(id) ? Status::ok() : notFound("no such item");
  }
  void requeue(uint64_t id) override {
    std::lock_guard lock(s_.mu);
    s_.handed_out.erase(id);
  }
  Size size() const override {
    std::lock_guard lock(s_.mu);
    Size sz;
    for (auto& [id, item] : s_.items) {
      ++sz.requests;
      sz.items += item.items;
      sz.bytes += item.payload.size();
    }
    return sz;
  }
  uint64_t recovered() const override { return recovered_; }
  uint64_t lostItems() const override {
    std::lock_guard lock(s_.mu);
    return s_.lost_items;
  }

 private:
  FakeLogState& s_;
  uint64_t recovered_;
};

class FakeStorage : public component::Component, public QueueStorage {
 public:
  explicit FakeStorage(FakeLogState& s) : s_(s) {}
  Status start(component::Host&) override { return Status::ok(); }
  Status shutdown(component::Deadline) override { return Status::ok(); }
  Result<std::unique_ptr<PersistentQueueLog>> openQueue(const std::string& name) override {
    opened.push_back(name);
    s_.handed_out.clear();  // a new process: nothing is in flight
    return std::unique_ptr<PersistentQueueLog>(std::make_unique<FakeLog>(s_));
  }
  std::vector<std::string> opened;

 private:
  FakeLogState& s_;
};

class HostWith : public component::Host {
 public:
  explicit HostWith(component::Component* ext) : ext_(ext) {}
  component::Component* extension(const component::ComponentId& id) override {
    return id.toString() == "file_storage" ? ext_ : nullptr;
  }
  void reportFatalError(const component::ComponentId&, const Status&) override {}

 private:
  component::Component* ext_;
};

ExporterHelperConfig fastConfig() {
  ExporterHelperConfig c;
  c.retry_on_failure.initial_interval = milliseconds(1);
  c.retry_on_failure.max_interval = milliseconds(2);
  c.circuit_breaker.enabled = false;
  c.sending_queue.num_consumers = 1;
  return c;
}

struct Harness {
  telemetry::Registry registry;
  component::ComponentId id{"otlp", "test"};
  ExporterObs obs{id, registry};
  Sleeper sleeper;
  FakePush push;
  std::unique_ptr<QueueSender<model::Traces>> sender;

  explicit Harness(const ExporterHelperConfig& c) {
    sender = std::make_unique<QueueSender<model::Traces>>(id, c, push.fn(), nullptr, sleeper, obs,
                                                          registry);
  }
  Status consume(size_t spans, uint8_t seed = 1) {
    std::promise<Status> answered;
    sender->consume(makeSpans(spans, 1, seed), [&](Status st) { answered.set_value(st); });
    return answered.get_future().get();
  }
  void shutdown() {
    sender->drain(std::chrono::steady_clock::now() + std::chrono::seconds(30));
    sleeper.stop();
    sender->stop();
  }
  double metric(const std::string& name, const telemetry::Labels& labels) {
    return registry.value(name, labels);
  }
  // Metrics labelled by exporter, or by exporter and data_type.
  double exporterMetric(const std::string& name) {
    return metric(name, {{"exporter", "otlp/test"}});
  }
  double queueMetric(const std::string& name) {
    return metric(name, {{"exporter", "otlp/test"}, {"data_type", "traces"}});
  }
  double dropped(const char* reason) {
    return metric("periscope_exporter_dropped_spans",
                  {{"exporter", "otlp/test"}, {"reason", reason}});
  }
};

TEST(QueueSender, MemoryQueueAnswersOnceQueuedAndDeliversInTheBackground) {
  Harness h(fastConfig());
  testing::NullHost host;
  ASSERT_TRUE(h.sender->start(host).isOk());
  h.push.setGate(false);
  EXPECT_TRUE(h.consume(3).isOk());  // answered while the push is held at the gate
  EXPECT_TRUE(h.consume(4).isOk());
  h.push.setGate(true);
  h.shutdown();
  EXPECT_EQ(h.push.sent_counts, (std::vector<size_t>{3, 4}));
  EXPECT_EQ(h.exporterMetric("otelcol_exporter_sent_spans"), 7);
  EXPECT_EQ(h.sender->size(), 0u);
}

TEST(QueueSender, FullMemoryQueueRefusesWithRetryAfterAndCountsExactly) {
  ExporterHelperConfig c = fastConfig();
  c.sending_queue.queue_size = 2;
  Harness h(c);
  testing::NullHost host;
  ASSERT_TRUE(h.sender->start(host).isOk());
  h.push.setGate(false);
  ASSERT_TRUE(h.consume(5).isOk());
  ASSERT_TRUE(h.consume(6).isOk());
  EXPECT_EQ(h.queueMetric("otelcol_exporter_queue_size"), 2);
  Status refused = h.consume(7);
  EXPECT_EQ(refused.code(), StatusCode::kUnavailable);
  EXPECT_EQ(refused.retryAfterSeconds(), 1);
  EXPECT_NE(refused.message().find("full"), std::string_view::npos);
  EXPECT_EQ(h.exporterMetric("otelcol_exporter_enqueue_failed_spans"), 7);
  EXPECT_EQ(h.queueMetric("otelcol_exporter_queue_capacity"), 2);
  h.push.setGate(true);
  h.shutdown();
  EXPECT_EQ(h.push.sent_counts, (std::vector<size_t>{5, 6}));
}

TEST(QueueSender, ItemsSizerCountsSpans) {
  ExporterHelperConfig c = fastConfig();
  c.sending_queue.sizer = "items";
  c.sending_queue.queue_size = 10;
  Harness h(c);
  testing::NullHost host;
  ASSERT_TRUE(h.sender->start(host).isOk());
  h.push.setGate(false);
  ASSERT_TRUE(h.consume(4).isOk());
  ASSERT_TRUE(h.consume(4).isOk());
  EXPECT_FALSE(h.consume(3).isOk());
  EXPECT_TRUE(h.consume(2).isOk());
  EXPECT_EQ(h.sender->size(), 10u);
  h.push.setGate(true);
  h.shutdown();
  EXPECT_EQ(h.push.sent_counts, (std::vector<size_t>{4, 4, 2}));
}

TEST(QueueSender, BlockOnOverflowWaitsForRoomInsteadOfRefusing) {
  ExporterHelperConfig c = fastConfig();
  c.sending_queue.queue_size = 1;
  c.sending_queue.block_on_overflow = true;
  Harness h(c);
  testing::NullHost host;
  ASSERT_TRUE(h.sender->start(host).isOk());
  h.push.setGate(false);
  ASSERT_TRUE(h.consume(1).isOk());
  auto second = std::async(std::launch::async, [&] { return h.consume(2); });
  h.push.waitCalls(1);
  h.push.setGate(true);
  EXPECT_TRUE(second.get().isOk());
  h.shutdown();
  EXPECT_EQ(h.push.sent_counts, (std::vector<size_t>{1, 2}));
  EXPECT_EQ(h.exporterMetric("otelcol_exporter_enqueue_failed_spans"), 0);
}

TEST(QueueSender, RetryableFailuresAreRetriedUntilDelivered) {
  Harness h(fastConfig());
  h.push.script = {unavailable("down"), unavailable("down"), Status::ok()};
  testing::NullHost host;
  ASSERT_TRUE(h.sender->start(host).isOk());
  ASSERT_TRUE(h.consume(3).isOk());
  h.shutdown();
  EXPECT_EQ(h.push.sent_counts, std::vector<size_t>{3});
  EXPECT_EQ(h.queueMetric("periscope_exporter_retries"), 2);
  EXPECT_EQ(h.dropped("retries_exhausted"), 0);
}

TEST(QueueSender, PermanentErrorsAreDroppedAndCountedByReason) {
  Harness h(fastConfig());
  h.push.then = invalidArgument("HTTP 400");
  testing::NullHost host;
  ASSERT_TRUE(h.sender->start(host).isOk());
  ASSERT_TRUE(h.consume(3).isOk());
  ASSERT_TRUE(h.consume(2).isOk());
  h.shutdown();
  EXPECT_EQ(h.push.calls, 2) << "one attempt each";
  EXPECT_EQ(h.dropped("permanent"), 5);
  EXPECT_EQ(h.exporterMetric("otelcol_exporter_send_failed_spans"), 5);
}

TEST(QueueSender, RetriesEndAfterMaxElapsedTimeAndAreCounted) {
  ExporterHelperConfig c = fastConfig();
  c.retry_on_failure.max_elapsed_time = milliseconds(20);
  Harness h(c);
  h.push.then = unavailable("down");
  testing::NullHost host;
  ASSERT_TRUE(h.sender->start(host).isOk());
  ASSERT_TRUE(h.consume(4).isOk());
  h.shutdown();
  EXPECT_EQ(h.dropped("retries_exhausted"), 4);
  EXPECT_GE(h.push.calls, 2);
}

TEST(QueueSender, ShutdownCountsWhatTheMemoryQueueCouldNotSend) {
  ExporterHelperConfig c = fastConfig();
  c.retry_on_failure.max_elapsed_time = std::chrono::seconds(0);  // forever
  Harness h(c);
  h.push.then = unavailable("down");
  testing::NullHost host;
  ASSERT_TRUE(h.sender->start(host).isOk());
  ASSERT_TRUE(h.consume(3).isOk());
  ASSERT_TRUE(h.consume(4).isOk());
  h.push.waitCalls(1);
  h.sender->drain(std::chrono::steady_clock::now() + milliseconds(20));
  EXPECT_EQ(h.consume(1).code(), StatusCode::kUnavailable) << "closed for new data";
  h.sleeper.stop();
  h.sender->stop();
  EXPECT_EQ(h.dropped("shutdown"), 7);
  EXPECT_TRUE(h.push.sent_counts.empty());
}

TEST(QueueSender, DisabledQueueAnswersWithTheAttemptsResult) {
  ExporterHelperConfig c = fastConfig();
  c.sending_queue.enabled = false;
  Harness h(c);
  testing::NullHost host;
  ASSERT_TRUE(h.sender->start(host).isOk());
  EXPECT_TRUE(h.consume(2).isOk());
  EXPECT_EQ(h.push.sent_counts, std::vector<size_t>{2}) << "sent before the answer";
  h.push.then = unavailable("down");
  Status st = h.consume(3);
  EXPECT_EQ(st.code(), StatusCode::kUnavailable);
  EXPECT_EQ(h.push.calls, 2) << "no retry on the caller's thread: its client retries";
  h.shutdown();
}

TEST(QueueSender, PersistentQueueAnswersAfterTheAppendAndAcksAfterDelivery) {
  FakeLogState state;
  FakeStorage storage(state);
  HostWith host(&storage);
  ExporterHelperConfig c = fastConfig();
  c.sending_queue.storage = "file_storage";
  Harness h(c);
  ASSERT_TRUE(h.sender->start(host).isOk());
  EXPECT_EQ(storage.opened, std::vector<std::string>{"exporter_otlp_test_traces"});
  h.push.setGate(false);
  ASSERT_TRUE(h.consume(3, 7).isOk());
  {
    std::lock_guard lock(state.mu);
    EXPECT_EQ(state.appends, 1) << "on disk before the answer";
    EXPECT_EQ(state.items.size(), 1u) << "not acknowledged while the send is held";
  }
  h.push.waitCalls(1);  // the consumer is inside push(): its answer is awaited at shutdown
  h.push.setGate(true);
  h.shutdown();
  EXPECT_EQ(state.items.size(), 0u);
  EXPECT_EQ(state.acks, 1);
  std::string expected;
  model::otlp::encode(makeSpans(3, 1, 7), expected);
  ASSERT_EQ(h.push.sent_encodings.size(), 1u);
  EXPECT_EQ(h.push.sent_encodings[0], expected) << "the request survives the disk round trip";
}

TEST(QueueSender, PersistentQueueHandsStoredBytesToAnExporterThatSendsThemAsTheyAre) {
  FakeLogState state;
  FakeStorage storage(state);
  HostWith host(&storage);
  ExporterHelperConfig c = fastConfig();
  c.sending_queue.storage = "file_storage";
  Harness h(c);
  std::promise<std::string> sent;
  h.sender->usePushEncoded([&](std::string_view body) {
    sent.set_value(std::string(body));
    return Status::ok();
  });
  ASSERT_TRUE(h.sender->start(host).isOk());
  ASSERT_TRUE(h.consume(3, 9).isOk());
  std::string body = sent.get_future().get();
  h.shutdown();
  std::string expected;
  model::otlp::encode(makeSpans(3, 1, 9), expected);
  EXPECT_EQ(body, expected);
  EXPECT_EQ(h.push.calls, 0) << "no decode and re-encode through push()";
  EXPECT_EQ(h.exporterMetric("otelcol_exporter_sent_spans"), 3);
}

TEST(QueueSender, PersistentQueueKeepsUndeliveredRequestsAcrossARestart) {
  FakeLogState state;
  FakeStorage storage(state);
  HostWith host(&storage);
  ExporterHelperConfig c = fastConfig();
  c.sending_queue.storage = "file_storage";
  c.retry_on_failure.max_elapsed_time = std::chrono::seconds(0);
  {
    Harness down(c);
    down.push.then = unavailable("downstream is down");
    ASSERT_TRUE(down.sender->start(host).isOk());
    ASSERT_TRUE(down.consume(3).isOk());
    ASSERT_TRUE(down.consume(4).isOk());
    down.push.waitCalls(2);
    down.shutdown();  // stops at once; the retried request is put back, not dropped
    EXPECT_EQ(down.dropped("shutdown"), 0);
  }
  EXPECT_EQ(state.items.size(), 2u);
  EXPECT_EQ(state.acks, 0);

  Harness up(c);
  ASSERT_TRUE(up.sender->start(host).isOk());
  EXPECT_EQ(up.queueMetric("periscope_exporter_queue_recovered_requests"), 2);
  up.push.waitCalls(2);
  up.shutdown();
  std::vector<size_t> got = up.push.sent_counts;
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, (std::vector<size_t>{3, 4}));
  EXPECT_EQ(state.items.size(), 0u);
}

TEST(QueueSender, PersistentQueueRefusesRetryablyWhenItsStorageFails) {
  FakeLogState state;
  state.fail_append = unavailable("write q-1.log: No space left on device");
  FakeStorage storage(state);
  HostWith host(&storage);
  ExporterHelperConfig c = fastConfig();
  c.sending_queue.storage = "file_storage";
  Harness h(c);
  ASSERT_TRUE(h.sender->start(host).isOk());
  Status st = h.consume(6);
  EXPECT_EQ(st.code(), StatusCode::kUnavailable);
  EXPECT_GT(st.retryAfterSeconds(), 0);
  EXPECT_NE(st.message().find("No space"), std::string_view::npos);
  EXPECT_EQ(h.exporterMetric("otelcol_exporter_enqueue_failed_spans"), 6);
  {
    std::lock_guard lock(state.mu);
    state.fail_append = Status::ok();  // space is back
  }
  EXPECT_TRUE(h.consume(2).isOk());
  h.push.waitCalls(1);
  h.shutdown();
  EXPECT_EQ(h.push.sent_counts, std::vector<size_t>{2});
}

TEST(QueueSender, PersistentRequestsThatNoLongerReadBackAreCountedAsCorrupt) {
  FakeLogState state;
  FakeStorage storage(state);
  HostWith host(&storage);
  ExporterHelperConfig c = fastConfig();
  c.sending_queue.storage = "file_storage";
  Harness h(c);
  h.push.setGate(false);  // hold deliveries until the damage is in place
  ASSERT_TRUE(h.sender->start(host).isOk());
  ASSERT_TRUE(h.consume(5).isOk());
  ASSERT_TRUE(h.consume(3).isOk());
  h.push.waitCalls(1);  // the first request is being sent
  {
    std::lock_guard lock(state.mu);
    state.damage_next = true;  // the second one's record is damaged on disk
  }
  h.push.setGate(true);
  {
    // The consumer finishes the iteration that met the damage (and counts it) before it
    // looks at the shutdown flag.
    std::unique_lock lock(state.mu);
    state.cv.wait(lock, [&] { return !state.damage_next; });
  }
  h.shutdown();
  EXPECT_EQ(h.push.sent_counts, std::vector<size_t>{5});
  EXPECT_EQ(h.dropped("corrupt"), 3);
  EXPECT_EQ(h.exporterMetric("otelcol_exporter_send_failed_spans"), 3);
}

TEST(QueueSender, UnknownStorageExtensionFailsStartNamingTheKey) {
  ExporterHelperConfig c = fastConfig();
  c.sending_queue.storage = "file_storage/missing";
  Harness h(c);
  testing::NullHost host;
  Status st = h.sender->start(host);
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("sending_queue.storage"), std::string_view::npos);
}

}  // namespace
}  // namespace periscope::pipeline
