// ScrapeConverter: turns the scrapes of one target into OTLP metrics the way the collector's
// prometheus receiver does. Each sample gets the target's labels (honor_labels decides clashes),
// then metric_relabel_configs; job and instance become the resource, the other labels point
// attributes. Samples are grouped into families by their TYPE lines (`_bucket`/`_sum`/`_count`/
// `_created`/`_total` suffixes); counters become monotonic cumulative sums, untyped gauges.
// Across scrapes it keeps each cumulative series' start time (a `_created` sample, else the
// first time the series was seen, reset when the value goes down) and the set of series, so
// that a series that disappears (or every series, when a scrape fails) gets one point flagged
// NoRecordedValue. Every scrape also reports up, scrape_duration_seconds,
// scrape_samples_scraped, scrape_samples_post_metric_relabeling and scrape_series_added.
// One per target, used by one scraper thread at a time.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "components/receivers/prometheus/metrics_draft.h"
#include "components/receivers/prometheus/relabel.h"
#include "components/receivers/prometheus/target.h"
#include "model/prometheus/text_format_parser.h"

namespace periscope::components::prometheus_receiver {

struct ScrapeOptions {
  bool honor_labels = false;
  bool honor_timestamps = true;
  const Relabeler* metric_relabel = nullptr;  // may be null; must outlive the converter
};

class ScrapeConverter {
 public:
  ScrapeConverter(Target target, ScrapeOptions options);

  // A scrape that returned `body`. A parse error fails the whole scrape (as in Prometheus): the
  // result is then what failed() returns, and `error` says why.
  model::Metrics scraped(std::string_view body, model::prom::TextFormat format, int64_t time_ms,
                         double duration_s, Status& error);
  // A scrape that could not fetch the target: up = 0 and staleness for every known series.
  model::Metrics failed(int64_t time_ms, double duration_s);

  const Target& target() const { return target_; }

 private:
  struct SeriesState {
    std::pair<std::string, std::string> resource;
    std::string metric;
    model::prom::MetricKind kind;
    model::prom::Labels attributes;
    std::string point_key;
    int64_t start_ms = 0;
    double last = 0;          // counter value, or histogram/summary count
    uint64_t generation = 0;  // the last scrape that had this series
  };

  Status parse(std::string_view body, model::prom::TextFormat format, int64_t time_ms,
               ScrapeDraft& draft, size_t& scraped, size_t& kept);
  size_t track(ScrapeDraft& draft);
  void addStale(ScrapeDraft& draft, int64_t time_ms);  // series not seen in this generation
  void addReport(ScrapeDraft& draft, int64_t time_ms, bool up, double duration_s, size_t scraped,
                 size_t kept, size_t added);

  Target target_;
  ScrapeOptions options_;
  std::unordered_map<std::string, SeriesState> series_;  // by resource, metric and attributes
  uint64_t generation_ = 0;
};

}  // namespace periscope::components::prometheus_receiver
