// Self-metrics: counters, gauges and histograms with fixed label sets, rendered in the
// Prometheus text format (served on :8888 by the self-metrics listener).
// Instruments are created once at component construction; updates are lock-free atomics, so
// they are safe on hot paths from any thread. The registry outlives every component.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace periscope::telemetry {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Counter {
 public:
  void add(double v = 1) {
    double cur = value_.load(std::memory_order_relaxed);
    while (!value_.compare_exchange_weak(cur, cur + v, std::memory_order_relaxed)) {
    }
  }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Gauge {
 public:
  void set(double v) { value_.store(v, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Histogram {
 public:
  explicit Histogram(std::vector<double> bounds);
  void observe(double v);
  const std::vector<double>& bounds() const { return bounds_; }
  // Non-cumulative bucket counts (bounds.size() + 1 entries), total sum and count.
  std::vector<uint64_t> bucketCounts() const;
  double sum() const { return sum_.load(std::memory_order_relaxed); }
  uint64_t count() const { return count_.load(std::memory_order_relaxed); }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;
  std::atomic<double> sum_{0};
  std::atomic<uint64_t> count_{0};
};

class Registry {
 public:
  // Names are full Prometheus names; counters get the `_total` suffix when rendered.
  Counter& counter(const std::string& name, const std::string& help, const Labels& labels);
  Gauge& gauge(const std::string& name, const std::string& help, const Labels& labels);
  Histogram& histogram(const std::string& name, const std::string& help, const Labels& labels,
                       std::vector<double> bounds);
  // A gauge whose value is computed at scrape time (e.g. process RSS).
  void callbackGauge(const std::string& name, const std::string& help, const Labels& labels,
                     std::function<double()> fn);
  void callbackCounter(const std::string& name, const std::string& help, const Labels& labels,
                       std::function<double()> fn);

  std::string renderPrometheus() const;
  // Looks a sample up by name and labels (tests, CLI); NaN if absent.
  double value(const std::string& name, const Labels& labels) const;

 private:
  enum class Type { kCounter, kGauge, kHistogram };
  struct Series {
    Labels labels;
    std::unique_ptr<Counter> counter;
    std::unique_ptr<Gauge> gauge;
    std::unique_ptr<Histogram> histogram;
    std::function<double()> callback;
  };
  struct Family {
    Type type;
    std::string help;
    std::vector<std::unique_ptr<Series>> series;
  };
  Series& series(const std::string& name, Type type, const std::string& help, const Labels& labels);

  mutable std::mutex mu_;
  std::map<std::string, Family> families_;
};

// Process-wide registry used by the running service.
Registry& globalRegistry();

}  // namespace periscope::telemetry
