#include "components/processors/memory_limiter/memory_limiter.h"

#include <malloc.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "common/logging.h"
#include "pipeline/obsreport.h"

namespace periscope::components::memory_limiter {

uint64_t currentRssBytes() {
  std::ifstream in("/proc/self/statm");
  uint64_t size = 0, resident = 0;
  in >> size >> resident;
  return resident * static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
}

uint64_t totalMemoryBytes() {
  auto readNumber = [](const char* path) -> uint64_t {
    std::ifstream in(path);
    std::string s;
    if (!(in >> s) || s == "max") return 0;
    return std::strtoull(s.c_str(), nullptr, 10);
  };
  uint64_t total = 0;
  std::ifstream mi("/proc/meminfo");
  std::string key;
  uint64_t kb = 0;
  while (mi >> key >> kb) {
    if (key == "MemTotal:") {
      total = kb * 1024;
      break;
    }
    mi.ignore(64, '\n');
  }
  uint64_t cg = readNumber("/sys/fs/cgroup/memory.max");
  if (cg == 0) cg = readNumber("/sys/fs/cgroup/memory/memory.limit_in_bytes");
  if (cg > 0 && cg < total) return cg;
  return total;
}

Limiter::Limiter(const Config& config, uint64_t total) : config_(config) {
  constexpr uint64_t kMiB = 1 << 20;
  if (config.limit_mib > 0) {
    hard_ = config.limit_mib * kMiB;
    uint64_t spike = config.spike_limit_mib > 0 ? config.spike_limit_mib * kMiB : hard_ / 5;
    soft_ = hard_ - spike;
  } else {
    hard_ = total / 100 * config.limit_percentage;
    uint64_t spike =
        config.spike_limit_percentage > 0 ? total / 100 * config.spike_limit_percentage : hard_ / 5;
    soft_ = hard_ > spike ? hard_ - spike : 0;
  }
}

Limiter::~Limiter() {
  // Whatever the reference count says: a thread still running at destruction would terminate.
  {
    std::lock_guard lock(mu_);
    users_ = 0;
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Limiter::start() {
  std::lock_guard lock(mu_);
  if (users_++ > 0) return;  // already measuring for another pipeline
  stop_ = false;
  // Decide once before any receiver starts, so data is never accepted on a stale "all clear".
  check(currentRssBytes());
  thread_ = std::thread([this] {
    std::unique_lock lock(mu_);
    while (!cv_.wait_for(lock, config_.check_interval, [this] { return stop_; })) {
      lock.unlock();
      check(currentRssBytes());
      lock.lock();
    }
  });
}

void Limiter::stop() {
  {
    std::lock_guard lock(mu_);
    if (users_ > 0 && --users_ > 0) return;  // another pipeline still uses it
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Limiter::check(uint64_t rss) {
  if (rss >= hard_) malloc_trim(0);
  bool refuse = rss >= soft_;
  bool was = refusing_.exchange(refuse);
  if (refuse != was) {
    log::warn(
        "memory_limiter",
        refuse ? "memory usage above soft limit, refusing data"
               : "memory usage back below soft limit, accepting data",
        {{"rss_mib", std::to_string(rss >> 20)}, {"soft_limit_mib", std::to_string(soft_ >> 20)}});
  }
}

template <typename T>
MemoryLimiter<T>::MemoryLimiter(const component::Settings& settings,
                                std::shared_ptr<Limiter> limiter, pipeline::Consumer<T>* next)
    : limiter_(std::move(limiter)), next_(next) {
  std::string unit(pipeline::itemUnit(pipeline::signalOf<T>()));
  refused_ = &telemetry::globalRegistry().counter(
      "otelcol_processor_refused_" + unit, "Number of " + unit + " refused by this processor.",
      {{"processor", settings.id.toString()}});
}

template <typename T>
Status MemoryLimiter<T>::start(component::Host&) {
  if (!started_.exchange(true)) limiter_->start();
  return Status::ok();
}

template <typename T>
Status MemoryLimiter<T>::shutdown(component::Deadline) {
  if (started_.exchange(false)) limiter_->stop();  // idempotent: one reference per instance
  return Status::ok();
}

template <typename T>
pipeline::Consumers MemoryLimiter<T>::input() {
  pipeline::Consumers c;
  c.set(pipeline::signalOf<T>(), static_cast<pipeline::Consumer<T>*>(this));
  return c;
}

template <typename T>
void MemoryLimiter<T>::consume(T&& data, pipeline::Done done) {
  if (limiter_->refusing()) {
    refused_->add(static_cast<double>(data.itemCount()));
    done(unavailable("data refused due to high memory usage").withRetryAfter(1));
    return;
  }
  next_->consume(std::move(data), std::move(done));
}

template class MemoryLimiter<model::Traces>;
template class MemoryLimiter<model::Metrics>;
template class MemoryLimiter<model::Logs>;

}  // namespace periscope::components::memory_limiter
