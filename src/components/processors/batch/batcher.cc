#include "components/processors/batch/batcher.h"

#include <algorithm>

#include "pipeline/obsreport.h"

namespace periscope::components::batch {

template <typename T>
void Batcher<T>::Waiter::partDone(const Status& st) {
  pipeline::Done to_call;
  Status result;
  {
    std::lock_guard lock(mu);
    if (!st.isOk() && first_error.isOk()) first_error = st;
    if (--parts > 0) return;
    to_call = std::move(done);
    result = first_error;
  }
  to_call(result);
}

template <typename T>
Batcher<T>::Batcher(const component::Settings& settings, const Config& config,
                    pipeline::Consumer<T>* next)
    : settings_(settings), config_(config), next_(next) {
  auto& reg = telemetry::globalRegistry();
  telemetry::Labels labels = {{"processor", settings.id.toString()}};
  send_size_ = &reg.histogram(
      "otelcol_processor_batch_batch_send_size", "Number of units in the batch", labels,
      {10,   25,   50,   75,   100,  250,  500,   750,   1000,  2000,  3000,
       4000, 5000, 6000, 7000, 8000, 9000, 10000, 20000, 30000, 50000, 100000});
  size_trigger_ = &reg.counter("otelcol_processor_batch_batch_size_trigger_send",
                               "Number of times the batch was sent due to a size trigger", labels);
  std::string unit(pipeline::itemUnit(pipeline::signalOf<T>()));
  refused_ = &reg.counter("otelcol_processor_refused_" + unit,
                          "Number of " + unit + " refused by this processor.", labels);
  max_pending_items_ = kMaxPendingBatches *
                       std::max<size_t>({config.send_batch_size, config.send_batch_max_size, 1});
  timeout_trigger_ =
      &reg.counter("otelcol_processor_batch_timeout_trigger_send",
                   "Number of times the batch was sent due to a timeout trigger", labels);
}

template <typename T>
Batcher<T>::~Batcher() {
  (void)shutdown(std::chrono::steady_clock::now());
}

template <typename T>
Status Batcher<T>::start(component::Host&) {
  std::lock_guard lock(mu_);
  if (!thread_.joinable() && !stopping_) thread_ = std::thread([this] { run(); });
  return Status::ok();
}

template <typename T>
pipeline::Consumers Batcher<T>::input() {
  pipeline::Consumers c;
  c.set(pipeline::signalOf<T>(), static_cast<pipeline::Consumer<T>*>(this));
  return c;
}

template <typename T>
void Batcher<T>::consume(T&& data, pipeline::Done done) {
  size_t items = data.itemCount();
  if (items == 0) {
    done(Status::ok());
    return;
  }
  std::unique_lock lock(mu_);
  if (stopping_ || draining_ || !thread_.joinable() || config_.timeout.count() == 0) {
    // Not running a flusher (stopped, never started, or timeout 0): pass straight through.
    lock.unlock();
    send(std::move(data), std::move(done), Trigger::kPassThrough);
    return;
  }
  if (pending_items_ > 0 && pending_items_ + items > max_pending_items_) {
    // The next consumer is slower than the input: push back with a retryable error instead of
    // holding an unbounded amount of data in memory.
    lock.unlock();
    refused_->add(static_cast<double>(items));
    done(unavailable("batch processor " + settings_.id.toString() + " is full (" +
                     std::to_string(max_pending_items_) + " items waiting)")
             .withRetryAfter(1));
    return;
  }
  auto waiter = std::make_shared<Waiter>();
  waiter->done = std::move(done);
  bool was_empty = pending_items_ == 0;
  pending_.append(std::move(data));
  pending_items_ += items;
  waiters_.push_back({std::move(waiter), items, std::chrono::steady_clock::now()});
  // Wake the flusher to start the timeout clock, or to send a full batch now.
  if (was_empty || pending_items_ >= config_.send_batch_size) cv_.notify_one();
}

template <typename T>
std::pair<T, std::vector<std::shared_ptr<typename Batcher<T>::Waiter>>> Batcher<T>::takeLocked(
    size_t max_items) {
  std::vector<std::shared_ptr<Waiter>> waiters;
  T out;
  if (max_items >= pending_items_) {
    out = std::move(pending_);
    pending_ = T();
    pending_items_ = 0;
    for (auto& p : waiters_) waiters.push_back(std::move(p.waiter));
    waiters_.clear();
    return {std::move(out), std::move(waiters)};
  }
  out = pending_.splitFront(max_items);
  pending_items_ -= max_items;
  size_t left = max_items;
  while (left > 0) {
    Pending& front = waiters_.front();
    if (front.items <= left) {
      left -= front.items;
      waiters.push_back(std::move(front.waiter));
      waiters_.pop_front();
    } else {
      // This request continues in the next batch: one more part to wait for.
      front.items -= left;
      left = 0;
      {
        std::lock_guard wl(front.waiter->mu);
        ++front.waiter->parts;
      }
      waiters.push_back(front.waiter);
    }
  }
  return {std::move(out), std::move(waiters)};
}

template <typename T>
void Batcher<T>::send(T&& batch, pipeline::Done done, Trigger trigger) {
  send_size_->observe(static_cast<double>(batch.itemCount()));
  if (trigger == Trigger::kSize) size_trigger_->add();
  if (trigger == Trigger::kTimeout) timeout_trigger_->add();
  next_->consume(std::move(batch), std::move(done));
}

template <typename T>
void Batcher<T>::run() {
  std::unique_lock lock(mu_);
  while (true) {
    if (pending_items_ == 0) {
      if (stopping_) return;
      cv_.wait(lock, [this] { return stopping_ || pending_items_ > 0; });
      continue;
    }
    bool full = pending_items_ >= config_.send_batch_size;
    if (!full && !stopping_ && !draining_) {
      // The oldest pending item sets the deadline, also after part of the data was sent.
      auto due = waiters_.front().arrival + config_.timeout;
      if (cv_.wait_until(lock, due, [this] {
            return stopping_ || draining_ || pending_items_ >= config_.send_batch_size;
          })) {
        full = pending_items_ >= config_.send_batch_size;
      }
    }
    size_t max = config_.send_batch_max_size > 0 ? config_.send_batch_max_size : pending_items_;
    auto [batch, waiters] = takeLocked(std::min(max, pending_items_));
    Trigger trigger = full                     ? Trigger::kSize
                      : stopping_ || draining_ ? Trigger::kPassThrough
                                               : Trigger::kTimeout;
    lock.unlock();
    send(
        std::move(batch),
        [waiters = std::move(waiters)](Status st) {
          for (const auto& w : waiters) w->partDone(st);
        },
        trigger);
    lock.lock();
  }
}

template <typename T>
void Batcher<T>::beginShutdown() {
  {
    std::lock_guard lock(mu_);
    draining_ = true;
  }
  cv_.notify_all();
}

template <typename T>
Status Batcher<T>::shutdown(component::Deadline) {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  // The flusher sends everything still pending before it exits.
  if (thread_.joinable()) thread_.join();
  return Status::ok();
}

template class Batcher<model::Traces>;
template class Batcher<model::Metrics>;
template class Batcher<model::Logs>;

}  // namespace periscope::components::batch
