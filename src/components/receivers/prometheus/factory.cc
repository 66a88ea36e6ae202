#include "components/receivers/prometheus/factory.h"

#include "common/logging.h"
#include "components/receivers/prometheus/config.h"
#include "components/receivers/prometheus/scraper.h"

namespace periscope::components::prometheus_receiver {
namespace {

class Receiver final : public component::Component {
 public:
  Receiver(const component::Settings& settings, const Config& config,
           pipeline::MetricsConsumer& next)
      : settings_(settings), config_(config), next_(next), obs_(settings.id, "http") {}
  ~Receiver() override { stopAll(); }

  Status start(component::Host&) override {
    using std::chrono::duration_cast;
    using std::chrono::milliseconds;
    for (const ScrapeConfig& sc : config_.config.scrape_configs) {
      auto relabel = Relabeler::compile(sc.relabel_configs, "relabel_configs");
      auto metric_relabel = Relabeler::compile(sc.metric_relabel_configs, "metric_relabel_configs");
      if (!relabel.isOk()) return relabel.status();
      if (!metric_relabel.isOk()) return metric_relabel.status();
      relabelers_.push_back(std::make_unique<Relabeler>(std::move(metric_relabel).value()));
      ScrapeOptions options{sc.honor_labels, sc.honor_timestamps,
                            relabelers_.back()->empty() ? nullptr : relabelers_.back().get()};
      ScraperSettings ss;
      ss.interval = duration_cast<milliseconds>(effectiveInterval(config_.config, sc));
      ss.timeout = duration_cast<milliseconds>(effectiveTimeout(config_.config, sc));
      ss.log_name = settings_.id.toString();
      for (Target& t : buildTargets(config_.config, sc, *relabel)) {
        log::info(
            settings_.id.toString(), "prometheus receiver scraping",
            {{"job", t.job}, {"url", t.url}, {"interval", config::formatDuration(ss.interval)}});
        scrapers_.push_back(std::make_unique<Scraper>(std::move(t), options, ss, next_, obs_));
        scrapers_.back()->start();
      }
    }
    return Status::ok();
  }

  Status shutdown(component::Deadline) override {
    stopAll();
    return Status::ok();
  }

 private:
  void stopAll() {
    for (auto& s : scrapers_) s->stop();
    scrapers_.clear();
  }

  component::Settings settings_;
  Config config_;
  pipeline::MetricsConsumer& next_;
  pipeline::ReceiverObs obs_;
  std::vector<std::unique_ptr<Relabeler>> relabelers_;  // metric relabelling, used by scrapers
  std::vector<std::unique_ptr<Scraper>> scrapers_;
};

class Factory final : public component::FactoryWithConfig<Config, pipeline::ReceiverFactory> {
 public:
  std::string_view type() const override { return "prometheus"; }
  std::string_view description() const override {
    return "Scrapes Prometheus text-format endpoints (scrape_configs with static targets and "
           "relabelling) into OTLP metrics.";
  }
  bool supports(pipeline::Signal s) const override { return s == pipeline::Signal::kMetrics; }
  Result<std::unique_ptr<component::Component>> create(
      const component::Settings& settings, const component::Config& config,
      const pipeline::Consumers& next) const override {
    if (next.metrics == nullptr)
      return invalidArgument("the prometheus receiver only produces metrics");
    return std::unique_ptr<component::Component>(
        std::make_unique<Receiver>(settings, static_cast<const Config&>(config), *next.metrics));
  }
};

}  // namespace

std::unique_ptr<pipeline::ReceiverFactory> makeFactory() {
  return std::make_unique<Factory>();
}

}  // namespace periscope::components::prometheus_receiver
