#include "components/exporters/prometheus/prometheus_exporter.h"

#include <mutex>

#include "common/http/server.h"
#include "common/logging.h"
#include "components/exporters/prometheus/latest_values.h"
#include "model/prometheus/text_format_writer.h"
#include "pipeline/obsreport.h"

namespace periscope::components::prometheus_exporter {

namespace prom = model::prom;

const config::Schema<ResourceToTelemetry>& ResourceToTelemetry::schema() {
  static const auto s = config::Schema<ResourceToTelemetry>().field(
      "enabled", &ResourceToTelemetry::enabled,
      "Copy every resource attribute to a label of each series.");
  return s;
}

const config::Schema<Config>& Config::schema() {
  static const auto s =
      config::Schema<Config>()
          .field("endpoint", &Config::endpoint, "host:port serving GET /metrics.")
          .field("namespace", &Config::metric_namespace,
                 "Prefix of every metric name (`<namespace>_`).")
          .field("const_labels", &Config::const_labels, "Labels added to every series.")
          .field("send_timestamps", &Config::send_timestamps,
                 "Write each sample's timestamp (otherwise the scraper's time is used).")
          .field("metric_expiration", &Config::metric_expiration,
                 "Series not updated for this long are no longer served.")
          .field("resource_to_telemetry_conversion", &Config::resource_to_telemetry_conversion,
                 "Resource attributes as labels.")
          .field("enable_open_metrics", &Config::enable_open_metrics,
                 "Accepted; OpenMetrics output is not supported yet (text 0.0.4 is served).")
          .field("add_metric_suffixes", &Config::add_metric_suffixes,
                 "Add unit and `_total` suffixes to metric names.");
  return s;
}

Status Config::validate() const {
  std::string host;
  uint16_t port = 0;
  Status st = http::splitHostPort(endpoint, host, port);
  if (!st.isOk()) return invalidArgument("endpoint: " + std::string(st.message()));
  if (metric_expiration.count() <= 0) return invalidArgument("metric_expiration must be positive");
  for (const auto& [name, value] : const_labels) {
    if (prom::sanitizeLabelName(name) != name)
      return invalidArgument("const_labels: \"" + name + "\" is not a valid label name");
  }
  return Status::ok();
}

namespace {

LatestValuesOptions storeOptions(const Config& c) {
  LatestValuesOptions o;
  o.metric_namespace = c.metric_namespace;
  for (const auto& [k, v] : c.const_labels) {
    if (!v.empty()) o.const_labels.push_back({k, v});
  }
  o.send_timestamps = c.send_timestamps;
  o.expiration = c.metric_expiration;
  return o;
}

prom::TranslateOptions translateOptions(const Config& c) {
  prom::TranslateOptions o;
  o.add_metric_suffixes = c.add_metric_suffixes;
  o.resource_to_telemetry_conversion = c.resource_to_telemetry_conversion.enabled;
  return o;
}

class Exporter final : public pipeline::ConsumerComponent,
                       public pipeline::Consumer<model::Metrics> {
 public:
  Exporter(const component::Settings& settings, const Config& config)
      : settings_(settings),
        config_(config),
        translator_(translateOptions(config)),
        values_(storeOptions(config)),
        obs_(settings.id) {}
  ~Exporter() override { stopServer(); }

  pipeline::Consumers input() override {
    pipeline::Consumers c;
    c.metrics = this;
    return c;
  }

  Status start(component::Host&) override {
    if (config_.enable_open_metrics) {
      log::warn(settings_.id.toString(),
                "enable_open_metrics is not supported yet; serving text format 0.0.4");
    }
    http::ServerOptions opts;
    opts.endpoint = config_.endpoint;
    opts.threads = 1;
    opts.max_body_bytes = 1 << 10;
    opts.name = settings_.id.toString();
    auto server = http::Server::start(
        opts, [this](http::Request&& req, http::Respond respond) { serve(req, respond); });
    if (!server.isOk())
      return Status(server.status().code(),
                    "endpoint " + config_.endpoint + ": " + std::string(server.status().message()));
    server_ = std::move(server).value();
    log::info(settings_.id.toString(), "prometheus exporter listening",
              {{"endpoint", config_.endpoint}, {"port", std::to_string(server_->port())}});
    return Status::ok();
  }

  Status shutdown(component::Deadline) override {
    stopServer();
    return Status::ok();
  }

  void consume(model::Metrics&& data, pipeline::Done done) override {
    size_t points = data.itemCount();
    prom::TranslateStats stats;
    {
      std::lock_guard lock(mu_);
      values_.beginBatch(LatestValues::Clock::now());
      stats = translator_.translate(data, values_);
    }
    if (stats.skipped_points > 0) {
      log::warn(
          settings_.id.toString(), "metric points not representable in Prometheus dropped",
          {{"points", std::to_string(stats.skipped_points)}, {"reason", stats.first_skip_reason}});
      obs_.failed(component::Signal::kMetrics, stats.skipped_points);
    }
    obs_.sent(component::Signal::kMetrics, points - std::min<size_t>(points, stats.skipped_points));
    done(Status::ok());
  }

 private:
  void serve(const http::Request& req, const http::Respond& respond) {
    if (req.path != "/metrics") {
      respond(http::Response::text(404, "404 page not found\n"));
      return;
    }
    if (req.method != "GET" && req.method != "HEAD") {
      respond(http::Response::text(405, "method not allowed\n"));
      return;
    }
    std::string body;
    {
      std::lock_guard lock(mu_);
      body = values_.render(LatestValues::Clock::now());
    }
    respond(http::Response::text(200, std::move(body), std::string(prom::kTextContentType)));
  }

  void stopServer() {
    if (server_) server_->stop();
    server_.reset();
  }

  component::Settings settings_;
  Config config_;
  std::mutex mu_;  // guards translator_ and values_: consume and scrapes come from any thread
  prom::Translator translator_;
  LatestValues values_;
  pipeline::ExporterObs obs_;
  std::unique_ptr<http::Server> server_;
};

class Factory final : public component::FactoryWithConfig<Config, pipeline::ExporterFactory> {
 public:
  std::string_view type() const override { return "prometheus"; }
  std::string_view description() const override {
    return "Serves the latest value of every metric series for Prometheus to scrape (text "
           "format 0.0.4).";
  }
  bool supports(pipeline::Signal s) const override { return s == pipeline::Signal::kMetrics; }
  Result<std::unique_ptr<pipeline::ConsumerComponent>> create(
      const component::Settings& settings, const component::Config& config,
      const std::vector<pipeline::Signal>&) const override {
    return std::unique_ptr<pipeline::ConsumerComponent>(
        std::make_unique<Exporter>(settings, static_cast<const Config&>(config)));
  }
};

}  // namespace

std::unique_ptr<pipeline::ExporterFactory> makeFactory() {
  return std::make_unique<Factory>();
}

}  // namespace periscope::components::prometheus_exporter
