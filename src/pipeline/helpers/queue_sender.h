// QueueSender<T>: one exporter's sending path for one signal — the sending queue (in memory, or
// persistent through a storage extension), its consumer threads, and the RetrySender they use.
//  - Queue disabled: one attempt on the caller's thread; the result is the caller's answer (a
//    retryable failure goes back to the client, which retries: no thread is held for backoff).
//  - Memory queue: `done(OK)` once queued (at-most-once: a crash loses what is queued).
//  - Persistent queue: `done(OK)` once the request is on disk; a request leaves the disk only
//    when it was sent or failed permanently, so a crash or restart redelivers (at-least-once).
// A full queue refuses with UNAVAILABLE + Retry-After (counted in enqueue_failed), or waits for
// room with block_on_overflow. Nothing is dropped without a count in a self-metric.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "common/telemetry/metrics.h"
#include "component/component.h"
#include "pipeline/consumer.h"
#include "pipeline/helpers/circuit_breaker.h"
#include "pipeline/helpers/exporter_helper_config.h"
#include "pipeline/helpers/queue_storage.h"
#include "pipeline/helpers/retry_sender.h"
#include "pipeline/helpers/sleeper.h"
#include "pipeline/obsreport.h"

namespace periscope::pipeline {

template <typename T>
class QueueSender {
 public:
  using Push = std::function<Status(const T&)>;
  // Sends an OTLP protobuf request body as it is; optional. A persistent queue then hands the
  // stored bytes over without decoding and re-encoding them.
  using PushEncoded = std::function<Status(std::string_view)>;

  QueueSender(const component::ComponentId& id, const ExporterHelperConfig& config, Push push,
              CircuitBreaker* breaker, Sleeper& sleeper, ExporterObs& obs,
              telemetry::Registry& registry = telemetry::globalRegistry());
  ~QueueSender();
  // Before start(): the exporter sends stored request bodies as they are.
  void usePushEncoded(PushEncoded push_encoded) { push_encoded_ = std::move(push_encoded); }

  // Opens the persistent queue (if any) and starts the consumers.
  Status start(component::Host& host);
  void consume(T&& data, Done done);
  // Shutdown, step 1: refuse new data; a memory queue keeps sending until it is empty or
  // `deadline`. A persistent queue stops at once: its data is safe on disk.
  void drain(component::Deadline deadline);
  // Step 2 (after the owner stopped the Sleeper): joins the consumers; what is left in a memory
  // queue is dropped, counted and logged.
  void stop();

  // Units of the sizer held (queued or being sent) and the capacity; for tests and metrics.
  uint64_t size() const;

 private:
  struct Entry {
    T data;
    uint64_t units = 0;
    uint64_t items = 0;
  };
  void runMemory();
  void runPersistent();
  void finish(RetrySender::Result result, uint64_t items);
  void consumeDirect(T&& data, Done done);
  void enqueueMemory(T&& data, Done done);
  void enqueuePersistent(T&& data, Done done);
  // Waits for room for `units` (or refuses); under mu_. OK = room reserved by the caller.
  Status admitLocked(std::unique_lock<std::mutex>& lock, uint64_t units, uint64_t items);
  uint64_t usedLocked() const;
  uint64_t unitsOf(uint64_t requests, uint64_t items, uint64_t bytes) const;
  void updateGaugeLocked();
  void dropped(const char* reason, uint64_t items, const Status& why);
  // Counts (once) what the persistent queue lost to damage since the last call.
  void countLost(const Status& why);
  // Rate limit for error lines: true at most once per 10 s per `last`.
  bool logAllowed(std::chrono::steady_clock::time_point& last);

  const component::ComponentId id_;
  const std::string signal_;
  const ExporterHelperConfig config_;
  const Push push_;
  PushEncoded push_encoded_;
  Sleeper& sleeper_;
  ExporterObs& obs_;
  RetrySender retry_;

  mutable std::mutex mu_;
  std::condition_variable work_cv_;  // consumers: data arrived or stopping
  std::condition_variable room_cv_;  // producers (block_on_overflow) and drain(): room freed
  std::deque<Entry> memory_;
  uint64_t used_ = 0;      // memory queue: units queued or in flight
  uint64_t reserved_ = 0;  // persistent queue: units being appended
  uint64_t waiting_ = 0;   // persistent queue: items on disk not handed out yet
  uint64_t in_flight_ = 0;
  uint64_t reported_lost_ = 0;  // persistent queue: lostItems() already counted
  bool closed_ = false;
  bool stopping_ = false;
  std::unique_ptr<PersistentQueueLog> log_;
  std::vector<std::thread> threads_;
  std::chrono::steady_clock::time_point last_drop_log_{};
  std::chrono::steady_clock::time_point last_refusal_log_{};

  telemetry::Gauge* queue_size_;
  telemetry::Gauge* queue_capacity_;
  telemetry::Counter* enqueue_failed_;
  telemetry::Counter* recovered_;
  telemetry::Registry& registry_;
};

extern template class QueueSender<model::Traces>;
extern template class QueueSender<model::Metrics>;
extern template class QueueSender<model::Logs>;

}  // namespace periscope::pipeline
