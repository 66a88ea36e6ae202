// An in-memory storage::logs::LogReader (and LogWriter) for tests of everything that reads
// logs (query evaluation, the logs HTTP API, tail): write batches, then scan them with the
// store's contract — every written batch is one chunk, visited in the scan direction's order
// of its time bounds; pushdown criteria are ignored (the contract allows a superset). Tail
// subscribers are called synchronously from write(). Thread-safe.
#pragma once

#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "model/batch.h"
#include "storage/signals/logs/log_reader.h"
#include "storage/signals/logs/log_writer.h"

namespace periscope::testing {

class MemoryLogReader : public storage::logs::LogReader, public storage::logs::LogWriter {
 public:
  static uint64_t timeOf(const model::LogRecord& r) {
    return r.time_unix_nano != 0 ? r.time_unix_nano : r.observed_time_unix_nano;
  }

  void write(const model::Logs& batch, Done done) override {
    auto stored = std::make_shared<Stored>();
    stored->logs = batch.clone();
    bool any = false;
    for (const auto& rl : stored->logs.resources()) {
      for (const auto& sl : rl.scope_logs) {
        for (const auto& r : sl.log_records) {
          uint64_t t = timeOf(r);
          stored->min = any ? std::min(stored->min, t) : t;
          stored->max = any ? std::max(stored->max, t) : t;
          any = true;
        }
      }
    }
    std::vector<std::shared_ptr<Subscriber>> subscribers;
    {
      std::lock_guard lock(mu_);
      if (any) chunks_.push_back(stored);
      subscribers = subscribers_;
    }
    for (const auto& s : subscribers) {
      std::lock_guard lock(s->mu);
      if (s->active) s->callback(stored->logs);
    }
    if (done) done(Status::ok());
  }
  void write(const model::Logs& batch) { write(batch, nullptr); }

  Status scan(const storage::logs::LogScan& scan,
              const storage::logs::ChunkVisitor& visit) const override {
    std::vector<std::shared_ptr<Stored>> chunks;
    {
      std::lock_guard lock(mu_);
      chunks = chunks_;
    }
    bool forward = scan.direction == storage::logs::ScanDirection::kForward;
    std::stable_sort(chunks.begin(), chunks.end(), [&](const auto& a, const auto& b) {
      return forward ? a->min < b->min : a->max > b->max;
    });
    ++scans_;
    for (const auto& c : chunks) {
      if (scan.start_ns != 0 && c->max < scan.start_ns) continue;
      if (scan.end_ns != 0 && c->min > scan.end_ns) continue;
      ++chunks_visited_;
      if (visit({c->min, c->max, &c->logs}) == storage::logs::ScanControl::kStop) break;
    }
    return Status::ok();
  }

  Result<model::Logs> traceLogs(std::string_view trace_id, uint64_t, uint64_t) const override {
    model::Logs all;  // a copy of everything, so that the answer owns its bytes
    {
      std::lock_guard lock(mu_);
      for (const auto& c : chunks_) all.append(c->logs.clone());
    }
    return filterByTrace(std::move(all), trace_id);
  }

  Result<std::vector<std::string>> resourceValues(std::string_view key) const override {
    std::set<std::string> values;
    std::lock_guard lock(mu_);
    for (const auto& c : chunks_) {
      for (const auto& rl : c->logs.resources()) {
        for (const auto& kv : rl.resource.attributes) {
          if (kv.key == key && kv.value.type() == model::AnyValue::Type::kString) {
            values.emplace(kv.value.str());
          }
        }
      }
    }
    return std::vector<std::string>(values.begin(), values.end());
  }

  std::unique_ptr<storage::logs::TailSubscription> subscribe(
      storage::logs::TailCallback on_batch) override {
    auto s = std::make_shared<Subscriber>();
    s->callback = std::move(on_batch);
    std::lock_guard lock(mu_);
    subscribers_.push_back(s);
    return std::make_unique<Subscription>(this, s);
  }

  size_t subscriberCount() const {
    std::lock_guard lock(mu_);
    return subscribers_.size();
  }
  // How many scans ran and how many chunks they handed out (to test early stopping).
  size_t scans() const { return scans_; }
  size_t chunksVisited() const { return chunks_visited_; }

 private:
  struct Stored {
    model::Logs logs;
    uint64_t min = 0;
    uint64_t max = 0;
  };
  struct Subscriber {
    std::mutex mu;  // held while calling back, so unsubscribing waits for a call in flight
    bool active = true;
    storage::logs::TailCallback callback;
  };
  class Subscription : public storage::logs::TailSubscription {
   public:
    Subscription(MemoryLogReader* owner, std::shared_ptr<Subscriber> s)
        : owner_(owner), s_(std::move(s)) {}
    ~Subscription() override {
      {
        std::lock_guard lock(s_->mu);
        s_->active = false;
      }
      std::lock_guard lock(owner_->mu_);
      std::erase(owner_->subscribers_, s_);
    }

   private:
    MemoryLogReader* owner_;
    std::shared_ptr<Subscriber> s_;
  };

  // The records of one trace, oldest first, each under its own resource and scope group.
  static model::Logs filterByTrace(model::Logs all, std::string_view trace_id) {
    struct Ref {
      const model::ResourceLogs* rl;
      const model::ScopeLogs* sl;
      const model::LogRecord* r;
    };
    std::vector<Ref> refs;
    for (const auto& rl : all.resources()) {
      for (const auto& sl : rl.scope_logs) {
        for (const auto& r : sl.log_records) {
          if (r.trace_id == trace_id) refs.push_back({&rl, &sl, &r});
        }
      }
    }
    std::stable_sort(refs.begin(), refs.end(),
                     [](const Ref& a, const Ref& b) { return timeOf(*a.r) < timeOf(*b.r); });
    model::Logs out = all.share();
    out.resources().clear();
    for (const Ref& ref : refs) {
      std::span<model::LogRecord> records = out.arena().allocArray<model::LogRecord>(1);
      records[0] = *ref.r;
      std::span<model::ScopeLogs> scopes = out.arena().allocArray<model::ScopeLogs>(1);
      scopes[0] = *ref.sl;
      scopes[0].log_records = records;
      model::ResourceLogs rl = *ref.rl;
      rl.scope_logs = scopes;
      out.resources().push_back(rl);
    }
    return out;
  }

  mutable std::mutex mu_;
  std::vector<std::shared_ptr<Stored>> chunks_;
  std::vector<std::shared_ptr<Subscriber>> subscribers_;
  mutable std::atomic<size_t> scans_ = 0;
  mutable std::atomic<size_t> chunks_visited_ = 0;
};

}  // namespace periscope::testing
