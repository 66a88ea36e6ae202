#include "pipeline/helpers/queue_sender.h"

#include <optional>
#include <random>

#include "common/logging.h"
#include "model/otlp/proto_decoder.h"
#include "model/otlp/proto_encoder.h"

namespace periscope::pipeline {
namespace {

// Retry-After given to clients refused by a full queue or a failing disk.
constexpr int kFullRetryAfterSeconds = 1;
constexpr int kStorageRetryAfterSeconds = 5;

Result<model::Traces> decodeBatch(std::string&& b, model::Traces*) {
  return model::otlp::decodeTraces(std::move(b));
}
Result<model::Metrics> decodeBatch(std::string&& b, model::Metrics*) {
  return model::otlp::decodeMetrics(std::move(b));
}
Result<model::Logs> decodeBatch(std::string&& b, model::Logs*) {
  return model::otlp::decodeLogs(std::move(b));
}

const char* const kDropReasons[] = {"permanent", "retries_exhausted", "shutdown", "corrupt"};

std::string queueName(const component::ComponentId& id, std::string_view signal) {
  std::string name =
      "exporter_" + id.type + (id.name.empty() ? "" : "_" + id.name) + "_" + std::string(signal);
  for (char& c : name) {
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
    if (!ok) c = '_';
  }
  return name;
}

}  // namespace

template <typename T>
QueueSender<T>::QueueSender(const component::ComponentId& id, const ExporterHelperConfig& config,
                            Push push, CircuitBreaker* breaker, Sleeper& sleeper, ExporterObs& obs,
                            telemetry::Registry& registry)
    : id_(id),
      signal_(component::signalName(signalOf<T>())),
      config_(config),
      push_(std::move(push)),
      sleeper_(sleeper),
      obs_(obs),
      retry_(config.retry_on_failure, breaker, sleeper,
             &registry.counter("periscope_exporter_retries",
                               "Attempts made again after a retryable failure.",
                               {{"exporter", id.toString()}, {"data_type", signal_}}),
             std::random_device{}()),
      registry_(registry) {
  telemetry::Labels labels = {{"exporter", id.toString()}, {"data_type", signal_}};
  queue_size_ =
      &registry.gauge("otelcol_exporter_queue_size",
                      "Current size of the sending queue (in units of its sizer).", labels);
  queue_capacity_ =
      &registry.gauge("otelcol_exporter_queue_capacity",
                      "Capacity of the sending queue (in units of its sizer).", labels);
  std::string unit(itemUnit(signalOf<T>()));
  enqueue_failed_ = &registry.counter(
      "otelcol_exporter_enqueue_failed_" + unit,
      "Number of " + unit + " refused by the sending queue (full, or its storage failed).",
      {{"exporter", id.toString()}});
  recovered_ = &registry.counter(
      "periscope_exporter_queue_recovered_requests",
      "Requests found in a persistent queue at start, to be delivered again.", labels);
  for (const char* reason : kDropReasons) {
    registry.counter("periscope_exporter_dropped_" + unit,
                     "Number of " + unit + " the exporter gave up on, by reason.",
                     {{"exporter", id.toString()}, {"reason", reason}});
  }
  if (config_.sending_queue.enabled)
    queue_capacity_->set(static_cast<double>(config_.sending_queue.queue_size));
}

template <typename T>
QueueSender<T>::~QueueSender() {
  sleeper_.stop();
  stop();
}

template <typename T>
Status QueueSender<T>::start(component::Host& host) {
  const QueueSettings& q = config_.sending_queue;
  if (!q.enabled) return Status::ok();
  if (!q.storage.empty()) {
    auto ext_id = component::ComponentId::parse(q.storage);
    if (!ext_id.isOk())
      return invalidArgument("sending_queue.storage: " + std::string(ext_id.status().message()));
    auto* storage = dynamic_cast<QueueStorage*>(host.extension(*ext_id));
    if (storage == nullptr) {
      return invalidArgument("sending_queue.storage: \"" + q.storage +
                             "\" is not a storage extension listed in service.extensions "
                             "(e.g. file_storage)");
    }
    auto log = storage->openQueue(queueName(id_, signal_));
    if (!log.isOk())
      return {log.status().code(), "sending_queue.storage \"" + q.storage +
                                       "\": " + std::string(log.status().message())};
    log_ = std::move(log).value();
    std::lock_guard lock(mu_);
    waiting_ = log_->recovered();
    recovered_->add(static_cast<double>(waiting_));
    if (waiting_ > 0) {
      log::info("exporter", "persistent queue holds requests from before the restart",
                {{"exporter", id_.toString()},
                 {"data_type", signal_},
                 {"requests", std::to_string(waiting_)}});
    }
    updateGaugeLocked();
  }
  for (uint64_t i = 0; i < q.num_consumers; ++i) {
    threads_.emplace_back([this] { log_ ? runPersistent() : runMemory(); });
  }
  return Status::ok();
}

template <typename T>
uint64_t QueueSender<T>::unitsOf(uint64_t requests, uint64_t items, uint64_t bytes) const {
  const std::string& s = config_.sending_queue.sizer;
  if (s == "items") return items;
  if (s == "bytes") return bytes;
  return requests;
}

template <typename T>
uint64_t QueueSender<T>::usedLocked() const {
  if (!log_) return used_;
  auto sz = log_->size();
  return unitsOf(sz.requests, sz.items, sz.bytes) + reserved_;
}

template <typename T>
uint64_t QueueSender<T>::size() const {
  std::lock_guard lock(mu_);
  return usedLocked();
}

template <typename T>
void QueueSender<T>::updateGaugeLocked() {
  queue_size_->set(static_cast<double>(usedLocked()));
}

template <typename T>
Status QueueSender<T>::admitLocked(std::unique_lock<std::mutex>& lock, uint64_t units,
                                   uint64_t items) {
  const QueueSettings& q = config_.sending_queue;
  auto fits = [&] {
    uint64_t used = usedLocked();
    // A request larger than the whole queue still goes through an empty queue.
    return used == 0 || used + units <= q.queue_size;
  };
  if (q.block_on_overflow) room_cv_.wait(lock, [&] { return closed_ || fits(); });
  if (closed_) {
    enqueue_failed_->add(static_cast<double>(items));
    return unavailable("exporter " + id_.toString() + " is shutting down");
  }
  if (!fits()) {
    enqueue_failed_->add(static_cast<double>(items));
    Status st = unavailable("sending queue of exporter " + id_.toString() + " is full (" +
                            std::to_string(q.queue_size) + " " + q.sizer + ")");
    st.withRetryAfter(kFullRetryAfterSeconds);
    return st;
  }
  return Status::ok();
}

template <typename T>
void QueueSender<T>::consume(T&& data, Done done) {
  if (!config_.sending_queue.enabled) return consumeDirect(std::move(data), std::move(done));
  if (log_) return enqueuePersistent(std::move(data), std::move(done));
  enqueueMemory(std::move(data), std::move(done));
}

template <typename T>
void QueueSender<T>::consumeDirect(T&& data, Done done) {
  uint64_t n = data.itemCount();
  auto r = retry_.sendOnce([&] { return push_(data); });
  if (r.outcome == RetrySender::Outcome::kSent) {
    obs_.sent(signalOf<T>(), n);
  } else {
    obs_.failed(signalOf<T>(), n);  // the caller gets the error and decides (its client retries)
  }
  done(std::move(r.status));
}

template <typename T>
void QueueSender<T>::enqueueMemory(T&& data, Done done) {
  uint64_t items = data.itemCount();
  uint64_t bytes = 0;
  if (config_.sending_queue.sizer == "bytes") {
    std::string encoded;
    model::otlp::encode(data, encoded);
    bytes = encoded.size();
  }
  uint64_t units = unitsOf(1, items, bytes);
  {
    std::unique_lock lock(mu_);
    Status st = admitLocked(lock, units, items);
    if (!st.isOk()) {
      lock.unlock();
      return done(std::move(st));
    }
    used_ += units;
    memory_.push_back({std::move(data), units, items});
    updateGaugeLocked();
  }
  work_cv_.notify_one();
  done(Status::ok());
}

template <typename T>
void QueueSender<T>::enqueuePersistent(T&& data, Done done) {
  uint64_t items = data.itemCount();
  std::string payload;
  model::otlp::encode(data, payload);
  uint64_t units = unitsOf(1, items, payload.size());
  {
    std::unique_lock lock(mu_);
    Status st = admitLocked(lock, units, items);
    if (!st.isOk()) {
      lock.unlock();
      return done(std::move(st));
    }
    reserved_ += units;
  }
  auto appended = log_->append(payload, static_cast<uint32_t>(items));
  {
    std::lock_guard lock(mu_);
    reserved_ -= units;
    if (appended.isOk()) ++waiting_;
    updateGaugeLocked();
  }
  if (!appended.isOk()) {
    enqueue_failed_->add(static_cast<double>(items));
    room_cv_.notify_all();
    Status st = appended.status();
    if (st.isRetryable()) st.withRetryAfter(kStorageRetryAfterSeconds);
    if (logAllowed(last_refusal_log_)) {
      log::error("exporter", "persistent queue refused data",
                 {{"exporter", id_.toString()}, {"data_type", signal_}, {"error", st.toString()}});
    }
    return done(std::move(st));
  }
  work_cv_.notify_one();
  done(Status::ok());
}

template <typename T>
bool QueueSender<T>::logAllowed(std::chrono::steady_clock::time_point& last) {
  auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mu_);
  if (last != std::chrono::steady_clock::time_point{} && now - last < std::chrono::seconds(10))
    return false;
  last = now;
  return true;
}

template <typename T>
void QueueSender<T>::dropped(const char* reason, uint64_t items, const Status& why) {
  std::string unit(itemUnit(signalOf<T>()));
  registry_
      .counter("periscope_exporter_dropped_" + unit, "",
               {{"exporter", id_.toString()}, {"reason", reason}})
      .add(static_cast<double>(items));
  // At most one line per 10 s per exporter signal; the counters have every drop.
  if (logAllowed(last_drop_log_)) {
    log::error("exporter", "dropping data",
               {{"exporter", id_.toString()},
                {"data_type", signal_},
                {"reason", reason},
                {"items", std::to_string(items)},
                {"error", why.toString()}});
  }
}

template <typename T>
void QueueSender<T>::finish(RetrySender::Result r, uint64_t items) {
  switch (r.outcome) {
    case RetrySender::Outcome::kSent:
      obs_.sent(signalOf<T>(), items);
      return;
    case RetrySender::Outcome::kPermanent:
    case RetrySender::Outcome::kRefused:
      obs_.failed(signalOf<T>(), items);
      dropped("permanent", items, r.status);
      return;
    case RetrySender::Outcome::kRetriesExhausted:
      obs_.failed(signalOf<T>(), items);
      dropped("retries_exhausted", items, r.status);
      return;
    case RetrySender::Outcome::kStopped:
      return;  // the caller decides: requeue on disk, or count as a shutdown drop
  }
}

template <typename T>
void QueueSender<T>::runMemory() {
  while (true) {
    std::optional<Entry> taken;
    {
      std::unique_lock lock(mu_);
      work_cv_.wait(lock, [&] { return stopping_ || !memory_.empty(); });
      if (stopping_) return;
      taken.emplace(std::move(memory_.front()));
      memory_.pop_front();
      ++in_flight_;
    }
    Entry& e = *taken;
    auto r = retry_.send([&] { return push_(e.data); });
    if (r.outcome == RetrySender::Outcome::kStopped) {
      obs_.failed(signalOf<T>(), e.items);
      dropped("shutdown", e.items, r.status);
    } else {
      finish(std::move(r), e.items);
    }
    {
      std::lock_guard lock(mu_);
      used_ -= e.units;
      --in_flight_;
      updateGaugeLocked();
    }
    room_cv_.notify_all();
  }
}

template <typename T>
void QueueSender<T>::runPersistent() {
  while (true) {
    {
      std::unique_lock lock(mu_);
      work_cv_.wait(lock, [&] { return stopping_ || waiting_ > 0; });
      if (stopping_) return;
      --waiting_;
      ++in_flight_;
    }
    auto next = log_->next();
    if (!next.isOk() && next.status().code() != StatusCode::kDataLoss) {
      // A transient read error (EIO, EMFILE): the item stays queued; wait before trying again
      // rather than spinning on a failing disk.
      if (logAllowed(last_refusal_log_)) {
        log::error("exporter", "persistent queue read failed; retrying",
                   {{"exporter", id_.toString()}, {"error", next.status().toString()}});
      }
      {
        std::lock_guard lock(mu_);
        ++waiting_;
        --in_flight_;
      }
      sleeper_.sleepUntil(sleeper_.now() + std::chrono::seconds(1));
      continue;
    }
    if (!next.isOk()) {
      countLost(next.status());  // it did not read back intact and is gone from the queue
    } else if (next->has_value()) {
      PersistentQueueLog::Item item = std::move(**next);
      // The stored bytes are an OTLP request: an exporter that sends them as they are needs no
      // decode (the record's checksum already vouched for them).
      Result<T> data = T();
      T* tag = nullptr;
      if (!push_encoded_) data = decodeBatch(std::move(item.payload), tag);
      if (!data.isOk()) {
        obs_.failed(signalOf<T>(), item.items);
        dropped("corrupt", item.items, data.status());
        (void)log_->ack(item.id);
      } else {
        auto r =
            retry_.send([&] { return push_encoded_ ? push_encoded_(item.payload) : push_(*data); });
        if (r.outcome == RetrySender::Outcome::kStopped) {
          // Not delivered: it stays on disk and goes out after the restart.
          log_->requeue(item.id);
        } else {
          finish(std::move(r), item.items);
          Status acked = log_->ack(item.id);
          countLost(unavailable("a queued request no longer read back during compaction"));
          if (!acked.isOk()) {
            log::warn("exporter",
                      "persistent queue could not record a delivery; the request "
                      "may be sent again after a restart",
                      {{"exporter", id_.toString()}, {"error", acked.toString()}});
          }
        }
      }
    }
    {
      std::lock_guard lock(mu_);
      --in_flight_;
      updateGaugeLocked();
    }
    room_cv_.notify_all();
  }
}

template <typename T>
void QueueSender<T>::countLost(const Status& why) {
  uint64_t delta = 0;
  {
    std::lock_guard lock(mu_);
    uint64_t total = log_->lostItems();
    delta = total - reported_lost_;
    reported_lost_ = total;
  }
  if (delta == 0) return;
  obs_.failed(signalOf<T>(), delta);
  dropped("corrupt", delta, why);
}

template <typename T>
void QueueSender<T>::drain(component::Deadline deadline) {
  std::unique_lock lock(mu_);
  closed_ = true;
  room_cv_.notify_all();  // blocked producers give up
  if (!config_.sending_queue.enabled || log_) return;
  room_cv_.wait_until(lock, deadline, [&] { return memory_.empty() && in_flight_ == 0; });
}

template <typename T>
void QueueSender<T>::stop() {
  {
    std::lock_guard lock(mu_);
    closed_ = true;
    stopping_ = true;
  }
  work_cv_.notify_all();
  room_cv_.notify_all();
  for (auto& t : threads_) t.join();
  threads_.clear();
  uint64_t lost = 0;
  {
    std::lock_guard lock(mu_);
    for (const auto& e : memory_) lost += e.items;
    memory_.clear();
    used_ = 0;
    updateGaugeLocked();
  }
  if (lost > 0) {
    obs_.failed(signalOf<T>(), lost);
    dropped("shutdown", lost,
            unavailable("the in-memory sending queue was not empty at the shutdown deadline"));
  }
}

template class QueueSender<model::Traces>;
template class QueueSender<model::Metrics>;
template class QueueSender<model::Logs>;

}  // namespace periscope::pipeline
