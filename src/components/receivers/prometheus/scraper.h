// Scraper: one thread per target that scrapes on the target's own schedule (a fixed offset
// within the interval derived from the URL, as Prometheus spreads targets), converts each scrape
// with a ScrapeConverter and pushes the batch to the metrics consumer, waiting for its answer
// before the next scrape (so a slow pipeline slows scraping rather than piling up batches).
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "components/receivers/prometheus/scrape_converter.h"
#include "pipeline/consumer.h"
#include "pipeline/obsreport.h"

namespace periscope::components::prometheus_receiver {

struct ScraperSettings {
  std::chrono::milliseconds interval{60'000};
  std::chrono::milliseconds timeout{10'000};
  size_t max_body_bytes = size_t{64} << 20;
  std::string log_name;  // the receiver's id, for logs
};

class Scraper {
 public:
  Scraper(Target target, ScrapeOptions options, ScraperSettings settings,
          pipeline::MetricsConsumer& next, pipeline::ReceiverObs& obs);
  ~Scraper();
  void start();
  // Wakes the thread and joins it; a scrape in progress finishes first (bounded by its
  // timeout). Idempotent.
  void stop();

 private:
  void run();

  ScrapeConverter converter_;
  ScraperSettings settings_;
  pipeline::MetricsConsumer& next_;
  pipeline::ReceiverObs& obs_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
  // Whether the last scrape failed: failures are logged when they start and when they end, not
  // on every interval (the `up` series carries each scrape's outcome).
  bool failing_ = false;
};

}  // namespace periscope::components::prometheus_receiver
