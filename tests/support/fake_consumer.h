// Test doubles for pipeline consumers: RecordingConsumer keeps what it received (item counts and
// encodings) and answers with a configurable status, either at once or when the test says so.
#pragma once

#include <condition_variable>
#include <cstring>
#include <mutex>
#include <string>
#include <vector>

#include "model/otlp/proto_encoder.h"
#include "pipeline/consumer.h"

namespace periscope::testing {

template <typename T>
class RecordingConsumer : public pipeline::Consumer<T> {
 public:
  explicit RecordingConsumer(bool mutates = false) : mutates_(mutates) {}

  void consume(T&& data, pipeline::Done done) override {
    std::unique_lock lock(mu_);
    counts.push_back(data.itemCount());
    std::string bytes;
    model::otlp::encode(data, bytes);
    encodings.push_back(std::move(bytes));
    cv_.notify_all();
    // `block`: stay inside consume (like a synchronous exporter stuck on a slow backend).
    cv_.wait(lock, [this] { return !block_; });
    if (hold) {
      held.push_back(std::move(done));
      return;
    }
    Status st = answer;
    lock.unlock();
    cv_.notify_all();
    done(st);
  }
  bool mutatesData() const override { return mutates_; }

  // Waits until `n` batches have arrived (or 10 s passed); returns whether they did.
  bool waitForBatches(size_t n) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, std::chrono::seconds(10), [&] { return counts.size() >= n; });
  }
  size_t totalItems() {
    std::lock_guard lock(mu_);
    size_t t = 0;
    for (size_t c : counts) t += c;
    return t;
  }
  void setBlock(bool b) {
    {
      std::lock_guard lock(mu_);
      block_ = b;
    }
    cv_.notify_all();
  }
  void releaseHeld(const Status& st) {
    std::vector<pipeline::Done> dones;
    {
      std::lock_guard lock(mu_);
      dones.swap(held);
    }
    for (auto& d : dones) d(st);
  }

  std::vector<size_t> counts;
  std::vector<std::string> encodings;
  std::vector<pipeline::Done> held;
  Status answer;
  bool hold = false;

 private:
  bool mutates_;
  bool block_ = false;
  std::mutex mu_;
  std::condition_variable cv_;
};

// A trace batch of `spans` spans (valid ids) in `resources` resources, built in its own arena.
model::Traces makeSpans(size_t spans, size_t resources = 1, uint8_t seed = 1);

}  // namespace periscope::testing
