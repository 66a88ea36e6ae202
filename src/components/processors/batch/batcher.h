// Batcher<T>: the batch processor's core. Accumulates incoming batches and sends them on when
// `send_batch_size` items are pending or `timeout` has passed since the first pending item,
// splitting at `send_batch_max_size`. Each caller's `done` fires only when every part of its
// data has been handed on (with the first error of those parts), so batching never turns into
// an early acknowledgement. One flusher thread per instance; consume() never blocks on export.
// Pending data is bounded (8 batches' worth); beyond it callers get UNAVAILABLE + Retry-After.
#pragma once

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

#include "common/telemetry/metrics.h"
#include "components/processors/batch/config.h"
#include "pipeline/factories.h"

namespace periscope::components::batch {

template <typename T>
class Batcher final : public pipeline::ConsumerComponent, public pipeline::Consumer<T> {
 public:
  Batcher(const component::Settings& settings, const Config& config, pipeline::Consumer<T>* next);
  ~Batcher() override;

  Status start(component::Host& host) override;
  Status shutdown(component::Deadline deadline) override;
  void beginShutdown() override;
  pipeline::Consumers input() override;
  void consume(T&& data, pipeline::Done done) override;

 private:
  // Completion of one caller's request, which may be spread over several sent batches.
  struct Waiter {
    std::mutex mu;
    int parts = 1;  // sends that still hold some of this request's items
    Status first_error;
    pipeline::Done done;
    void partDone(const Status& st);
  };
  struct Pending {
    std::shared_ptr<Waiter> waiter;
    size_t items;
    std::chrono::steady_clock::time_point arrival;  // when this request's data came in
  };

  void run();
  // Takes up to `max_items` from the pending data; call with mu_ held.
  std::pair<T, std::vector<std::shared_ptr<Waiter>>> takeLocked(size_t max_items);
  // Why a batch goes out, for the size/timeout trigger counters (flushes at shutdown and
  // pass-through sends count as neither).
  enum class Trigger { kSize, kTimeout, kPassThrough };
  void send(T&& batch, pipeline::Done done, Trigger trigger);

  component::Settings settings_;
  Config config_;
  pipeline::Consumer<T>* next_;
  std::mutex mu_;
  std::condition_variable cv_;
  T pending_;
  size_t pending_items_ = 0;
  std::deque<Pending> waiters_;
  bool stopping_ = false;
  bool draining_ = false;  // shutdown has begun: send everything at once, hold nothing
  std::thread thread_;
  telemetry::Histogram* send_size_;
  telemetry::Counter* size_trigger_;
  telemetry::Counter* timeout_trigger_;
  telemetry::Counter* refused_;
  // Pending data is bounded: past this many items, consume() refuses with a retryable error.
  static constexpr size_t kMaxPendingBatches = 8;
  size_t max_pending_items_;
};

}  // namespace periscope::components::batch
