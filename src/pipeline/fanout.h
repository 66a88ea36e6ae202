// FanOut<T>: delivers one batch to several consumers (the exporters of a pipeline, or the
// pipelines sharing a receiver) and calls `done` once all have answered, with the first error.
// Consumers that only read share the batch (same arenas, copied headers); a consumer that
// mutates gets a deep copy, so nobody sees another's edits.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

#include "pipeline/consumer.h"

namespace periscope::pipeline {

template <typename T>
class FanOut final : public Consumer<T> {
 public:
  explicit FanOut(std::vector<Consumer<T>*> consumers) : consumers_(std::move(consumers)) {}

  void consume(T&& data, Done done) override {
    if (consumers_.size() == 1) {
      consumers_[0]->consume(std::move(data), std::move(done));
      return;
    }
    struct Join {
      std::atomic<size_t> remaining;
      std::mutex mu;
      Status first_error;
      Done done;
    };
    auto join = std::make_shared<Join>();
    join->remaining = consumers_.size();
    join->done = std::move(done);
    auto finish = [join](Status st) {
      if (!st.isOk()) {
        std::lock_guard lock(join->mu);
        if (join->first_error.isOk()) join->first_error = st;
      }
      if (join->remaining.fetch_sub(1) == 1) join->done(join->first_error);
    };
    // The original goes to the first reader (or, if all mutate, to the first consumer); other
    // readers share it and mutators get deep copies. Copies are made before anyone receives
    // data, so no consumer can mutate while another copies.
    size_t holder = 0;
    for (size_t i = 0; i < consumers_.size(); ++i) {
      if (!consumers_[i]->mutatesData()) {
        holder = i;
        break;
      }
    }
    std::vector<T> copies(consumers_.size());
    for (size_t i = 0; i < consumers_.size(); ++i) {
      if (i == holder) continue;
      copies[i] = consumers_[i]->mutatesData() ? data.clone() : data.share();
    }
    copies[holder] = std::move(data);
    for (size_t i = 0; i < consumers_.size(); ++i) {
      consumers_[i]->consume(std::move(copies[i]), finish);
    }
  }

  bool mutatesData() const override { return false; }

 private:
  std::vector<Consumer<T>*> consumers_;
};

}  // namespace periscope::pipeline
