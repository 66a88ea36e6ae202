// A LogsBackend for the logs API tests: answers what the test set, records what it was asked,
// and plays the store's side of live tails (deliver() calls every subscribed sink, on the
// caller's thread, holding a lock that unsubscribing waits for — as the store's writer does).
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "api/handlers/logs_backend.h"
#include "model/otlp/json_decoder.h"

namespace periscope::api::testing {

// OTLP/JSON logs → model::Logs (aborts the test on bad JSON).
inline model::Logs logsFromJson(std::string json) {
  auto logs = model::otlp::decodeLogsJson(std::move(json));
  if (!logs.isOk()) std::abort();
  return std::move(*logs);
}

class FakeLogsBackend : public api::LogsBackend {
 public:
  // What the calls answer; `fail`, when not ok, is every call's answer instead.
  Status fail = Status::ok();
  std::string records_json = R"({"resourceLogs":[]})";
  std::vector<query::Fields> fields;
  bool forward = false;
  size_t limit = 100;
  bool truncated = false;
  query::LogsStats stats;
  query::LogMetricsResult metrics;
  std::vector<std::string> values;

  // What was asked.
  mutable std::vector<query::LogsRequest> requests;
  mutable std::vector<std::tuple<std::string, int64_t, int64_t, int64_t>> ranges;
  mutable std::vector<std::string> trace_ids;
  mutable std::vector<std::string> keys;
  mutable std::vector<std::string> tail_queries;

  Result<query::LogsResult> query(const query::LogsRequest& request) const override {
    requests.push_back(request);
    if (!fail.isOk()) return fail;
    query::LogsResult r;
    r.records = logsFromJson(records_json);
    r.fields = fields;
    r.forward = forward;
    r.limit = limit;
    r.truncated = truncated;
    r.stats = stats;
    return r;
  }
  Result<query::LogMetricsResult> queryRange(std::string_view q, int64_t start_ms, int64_t end_ms,
                                             int64_t step_ms) const override {
    ranges.emplace_back(std::string(q), start_ms, end_ms, step_ms);
    if (!fail.isOk()) return fail;
    return metrics;
  }
  Result<model::Logs> traceLogs(std::string_view trace_id) const override {
    trace_ids.emplace_back(trace_id);
    if (!fail.isOk()) return fail;
    return logsFromJson(records_json);
  }
  Result<std::vector<std::string>> resourceValues(std::string_view key) const override {
    keys.emplace_back(key);
    if (!fail.isOk()) return fail;
    return values;
  }

  Result<std::unique_ptr<storage::logs::TailSubscription>> tail(
      std::string_view q, query::LogsService::TailSink on_match) const override {
    std::lock_guard lock(tail_mu_);
    tail_queries.emplace_back(q);
    if (!fail.isOk()) return fail;
    int id = next_id_++;
    sinks_[id] = std::move(on_match);
    changed_.notify_all();
    return std::unique_ptr<storage::logs::TailSubscription>(
        std::make_unique<Subscription>(this, id));
  }

  // Hands a copy of `batch` (with `fields`) to every live subscription.
  void deliver(const model::Logs& batch, const std::vector<query::Fields>& fields = {}) const {
    std::lock_guard lock(tail_mu_);
    for (auto& [id, sink] : sinks_) sink(batch.clone(), std::vector<query::Fields>(fields));
  }
  size_t subscriptions() const {
    std::lock_guard lock(tail_mu_);
    return sinks_.size();
  }
  // Waits until exactly `n` subscriptions are live; false after a (failure-only) timeout.
  bool waitForSubscriptions(size_t n) const {
    std::unique_lock lock(tail_mu_);
    return changed_.wait_for(lock, std::chrono::seconds(20), [&] { return sinks_.size() == n; });
  }

 private:
  class Subscription final : public storage::logs::TailSubscription {
   public:
    Subscription(const FakeLogsBackend* owner, int id) : owner_(owner), id_(id) {}
    ~Subscription() override {
      std::lock_guard lock(owner_->tail_mu_);
      owner_->sinks_.erase(id_);
      owner_->changed_.notify_all();
    }

   private:
    const FakeLogsBackend* owner_;
    int id_;
  };

  mutable std::mutex tail_mu_;
  mutable std::condition_variable changed_;
  mutable std::map<int, query::LogsService::TailSink> sinks_;
  mutable int next_id_ = 0;
};

}  // namespace periscope::api::testing
