#include "components/receivers/prometheus/scraper.h"

#include <algorithm>
#include <future>

#include "common/logging.h"
#include "components/receivers/prometheus/http_client.h"

namespace periscope::components::prometheus_receiver {

Scraper::Scraper(Target target, ScrapeOptions options, ScraperSettings settings,
                 pipeline::MetricsConsumer& next, pipeline::ReceiverObs& obs)
    : converter_(std::move(target), options),
      settings_(std::move(settings)),
      next_(next),
      obs_(obs) {}

Scraper::~Scraper() {
  stop();
}

void Scraper::start() {
  thread_ = std::thread([this] { run(); });
}

void Scraper::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Scraper::run() {
  using Clock = std::chrono::steady_clock;
  auto interval = std::max(settings_.interval, std::chrono::milliseconds(1));  // sub-ms configs
  auto offset = std::chrono::milliseconds(std::hash<std::string>{}(converter_.target().url) %
                                          static_cast<size_t>(interval.count()));
  Clock::time_point next = Clock::now() + offset;
  HttpClient client;
  std::unique_lock lock(mu_);
  for (;;) {
    if (cv_.wait_until(lock, next, [this] { return stopping_; })) return;
    lock.unlock();
    auto started = Clock::now();
    auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
    auto answer = client.get(converter_.target().url, settings_.timeout, settings_.max_body_bytes);
    double duration = std::chrono::duration<double>(Clock::now() - started).count();
    model::Metrics batch;
    Status failure;
    if (!answer.isOk()) {
      failure = answer.status();
    } else if (answer->status != 200) {
      failure = unavailable("server returned HTTP status " + std::to_string(answer->status));
    }
    if (failure.isOk()) {
      batch = converter_.scraped(answer->body,
                                 model::prom::textFormatFromContentType(answer->content_type),
                                 now_ms, duration, failure);
    } else {
      batch = converter_.failed(now_ms, duration);
    }
    if (!failure.isOk() && !failing_) {
      log::warn(settings_.log_name, "scrape failed; logged again only once it recovers",
                {{"url", converter_.target().url}, {"error", std::string(failure.message())}});
    } else if (failure.isOk() && failing_) {
      log::info(settings_.log_name, "scrape recovered", {{"url", converter_.target().url}});
    }
    failing_ = !failure.isOk();
    size_t points = batch.itemCount();
    std::promise<Status> answered;
    auto result = answered.get_future();
    next_.consume(std::move(batch), [&answered](Status st) { answered.set_value(std::move(st)); });
    Status st = result.get();
    if (st.isOk()) {
      obs_.accepted(component::Signal::kMetrics, points);
    } else {
      obs_.refused(component::Signal::kMetrics, points);
      log::warn(settings_.log_name, "scraped metrics refused by the pipeline",
                {{"url", converter_.target().url}, {"error", std::string(st.message())}});
    }
    // Missed slots are skipped, not caught up on: the schedule keeps its phase.
    next += interval;
    auto now = Clock::now();
    if (next < now) next += ((now - next) / interval + 1) * interval;
    lock.lock();
  }
}

}  // namespace periscope::components::prometheus_receiver
