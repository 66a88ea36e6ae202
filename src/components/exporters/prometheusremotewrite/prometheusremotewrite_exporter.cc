#include "components/exporters/prometheusremotewrite/prometheusremotewrite_exporter.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

#include "common/compression.h"
#include "common/http/client.h"
#include "common/logging.h"
#include "components/exporters/prometheusremotewrite/config.h"
#include "components/exporters/prometheusremotewrite/request_builder.h"
#include "pipeline/helpers/sync_exporter.h"

namespace periscope::components::prometheusremotewrite_exporter {

Status statusFromHttp(long code, const std::string& retry_after, const std::string& body_text) {
  if (code >= 200 && code < 300) return Status::ok();
  std::string msg = "HTTP " + std::to_string(code);
  if (!body_text.empty()) msg += ": " + body_text.substr(0, 256);
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == '\r')) msg.pop_back();
  if (code >= 500 || code == 429) {  // what Prometheus's own sender retries
    Status st = unavailable(msg);
    int seconds = std::atoi(retry_after.c_str());
    if (seconds > 0) st.withRetryAfter(seconds);
    return st;
  }
  return invalidArgument(msg);  // permanent: the same data would fail again
}

namespace {

model::prom::TranslateOptions translateOptions(const Config& c) {
  model::prom::TranslateOptions o;
  o.add_metric_suffixes = c.add_metric_suffixes;
  o.resource_to_telemetry_conversion = c.resource_to_telemetry_conversion.enabled;
  o.add_target_info = c.target_info.enabled;
  return o;
}

RequestOptions requestOptions(const Config& c) {
  RequestOptions o;
  o.metric_namespace = c.namespace_;
  for (const auto& [k, v] : c.external_labels) o.external_labels.push_back({k, v});  // map: sorted
  o.max_batch_size_bytes = static_cast<size_t>(c.max_batch_size_bytes);
  o.send_metadata = c.send_metadata;
  return o;
}

class Exporter final : public pipeline::SyncExporter {
 public:
  Exporter(const component::Settings& s, const Config& c,
           const std::vector<pipeline::Signal>& signals)
      : SyncExporter(s, signals, c.helper()),
        config_(c),
        request_options_(requestOptions(c)),
        translator_(translateOptions(c)) {
    headers_ = {"Content-Type: application/x-protobuf", "Content-Encoding: snappy",
                "X-Prometheus-Remote-Write-Version: 0.1.0", "User-Agent: Periscope"};
    for (const auto& [k, v] : config_.headers) headers_.push_back(k + ": " + v);
  }

 protected:
  Status push(const model::Metrics& data) override {
    RequestBuilder builder(request_options_);
    model::prom::TranslateStats stats;
    {
      std::lock_guard lock(translate_mu_);  // delta→cumulative state is shared
      stats = translator_.translate(data, builder);
    }
    if (stats.skipped_points > 0) {
      log::warn(
          settings().id.toString(), "points not representable in Prometheus were skipped",
          {{"count", std::to_string(stats.skipped_points)}, {"first", stats.first_skip_reason}});
    }
    std::vector<std::string> bodies = builder.build();
    return sendAll(bodies);
  }

 private:
  // Sends the requests of one batch with up to remote_write_queue.num_consumers in flight. Any
  // retryable failure makes the batch retryable (servers accept repeated identical samples);
  // otherwise the first permanent failure is returned.
  Status sendAll(const std::vector<std::string>& bodies) {
    if (bodies.empty()) return Status::ok();
    size_t workers = std::clamp<size_t>(
        static_cast<size_t>(std::max<int64_t>(config_.remote_write_queue.num_consumers, 1)), 1,
        bodies.size());
    std::atomic<size_t> next{0};
    std::mutex mu;
    Status retryable, permanent;
    auto work = [&] {
      for (size_t i = next++; i < bodies.size(); i = next++) {
        Status st = send(bodies[i]);
        if (st.isOk()) continue;
        std::lock_guard lock(mu);
        Status& slot = st.isRetryable() ? retryable : permanent;
        if (slot.isOk()) slot = std::move(st);
      }
    };
    std::vector<std::thread> threads;
    for (size_t i = 1; i < workers; ++i) threads.emplace_back(work);
    work();
    for (auto& t : threads) t.join();
    return !retryable.isOk() ? retryable : permanent;
  }

  Status send(const std::string& body) {
    auto compressed = compression::compress(compression::Encoding::kSnappy, body);
    if (!compressed.isOk()) return compressed.status();
    auto response =
        client_.post(config_.endpoint, compressed.value(), headers_,
                     std::chrono::duration_cast<std::chrono::milliseconds>(config_.timeout));
    if (!response.isOk()) {
      return unavailable("remote write to " + config_.endpoint +
                         " failed: " + std::string(response.status().message()));
    }
    Status st = statusFromHttp(response->status, response->retry_after, response->text());
    if (st.isOk()) return st;
    Status out(st.code(),
               "remote write to " + config_.endpoint + " failed: " + std::string(st.message()));
    if (st.retryAfterSeconds() > 0) out.withRetryAfter(st.retryAfterSeconds());
    return out;
  }

  Config config_;
  RequestOptions request_options_;
  std::vector<std::string> headers_;
  std::mutex translate_mu_;
  model::prom::Translator translator_;
  http::Client client_;
};

class Factory final : public component::FactoryWithConfig<Config, pipeline::ExporterFactory> {
 public:
  std::string_view type() const override { return "prometheusremotewrite"; }
  std::string_view description() const override {
    return "Sends metrics to a Prometheus remote write 1.0 endpoint (snappy + protobuf).";
  }
  bool supports(pipeline::Signal s) const override { return s == pipeline::Signal::kMetrics; }
  Result<std::unique_ptr<pipeline::ConsumerComponent>> create(
      const component::Settings& settings, const component::Config& config,
      const std::vector<pipeline::Signal>& signals) const override {
    return std::unique_ptr<pipeline::ConsumerComponent>(
        std::make_unique<Exporter>(settings, static_cast<const Config&>(config), signals));
  }
};

}  // namespace

std::unique_ptr<pipeline::ExporterFactory> makeFactory() {
  return std::make_unique<Factory>();
}

}  // namespace periscope::components::prometheusremotewrite_exporter
