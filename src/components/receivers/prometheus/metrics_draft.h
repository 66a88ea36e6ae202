// One scrape's samples assembled into OTLP shape (resource → metric → point) with owned
// strings, before they are laid out in a batch's arena by toBatch(). Internal to the receiver.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "model/batch.h"
#include "model/prometheus/labels.h"

namespace periscope::components::prometheus_receiver {

struct PointDraft {
  model::prom::Labels attributes;
  int64_t start_ms = 0;  // 0 = none (gauges)
  int64_t time_ms = 0;
  bool stale = false;                  // NoRecordedValue point for a vanished series
  bool has_value = false;              // false if only a `_created` sample was seen (then dropped)
  double value = 0;                    // counter, gauge
  std::map<double, double> buckets;    // histogram: le → cumulative count
  std::map<double, double> quantiles;  // summary: quantile → value
  bool has_sum = false, has_count = false;
  double sum = 0, count = 0;
  int64_t created_ms = 0;  // from a `_created` sample; 0 = absent
};

struct MetricDraft {
  std::string name;
  std::string description;
  std::string unit;
  model::prom::MetricKind kind = model::prom::MetricKind::kUnknown;  // kUnknown → gauge
  std::map<std::string, PointDraft> points;  // by attribute key, so output order is stable
};

struct ResourceDraft {
  std::string job;
  std::string instance;
  std::map<std::string, MetricDraft> metrics;  // by name
};

// (job, instance) → resource.
using ScrapeDraft = std::map<std::pair<std::string, std::string>, ResourceDraft>;

// Lays the draft out as OTLP metrics: resource attributes service.name (job),
// service.instance.id (instance), server.address / server.port (from instance) and url.scheme;
// one scope (the collector's receiver name); counters as monotonic cumulative sums, untyped as
// gauges, histograms with explicit bounds, summaries with quantiles.
model::Metrics toBatch(const ScrapeDraft& draft, const std::string& scheme);

}  // namespace periscope::components::prometheus_receiver
