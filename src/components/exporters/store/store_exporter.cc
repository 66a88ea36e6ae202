#include "components/exporters/store/store_exporter.h"

#include <atomic>
#include <optional>

#include "config/schema.h"
#include "pipeline/obsreport.h"

namespace periscope::components::store_exporter {
namespace {

struct Config : component::Config {
  static const config::Schema<Config>& schema() {
    static const config::Schema<Config> s;
    return s;
  }
};

// One signal's door: a batch goes to `write`, and its answer is counted and passed on.
template <typename Batch, typename Writer>
class SignalWriter final : public pipeline::Consumer<Batch> {
 public:
  SignalWriter(const component::ComponentId& id, const pipeline::ExporterObs& obs,
               const std::atomic<bool>& stopped, Writer& writer)
      : id_(id), obs_(obs), stopped_(stopped), writer_(writer) {}

  void consume(Batch&& data, pipeline::Done done) override {
    constexpr component::Signal kSignal = pipeline::signalOf<Batch>();
    size_t n = data.itemCount();
    if (stopped_) {
      obs_.failed(kSignal, n);
      return done(unavailable("exporter " + id_.toString() + " is shut down"));
    }
    // Captures a copy of the counters, not `this`: the answer may come after shutdown.
    writer_.write(data, [obs = obs_, n, done = std::move(done)](Status st) mutable {
      if (st.isOk())
        obs.sent(kSignal, n);
      else
        obs.failed(kSignal, n);
      done(std::move(st));
    });
  }

 private:
  component::ComponentId id_;
  pipeline::ExporterObs obs_;
  const std::atomic<bool>& stopped_;
  Writer& writer_;
};

class Exporter final : public pipeline::ConsumerComponent {
 public:
  Exporter(const component::Settings& s, storage::TraceWriter* traces,
           storage::metrics::MetricsWriter* metrics, storage::logs::LogWriter* logs)
      : obs_(s.id) {
    if (traces) traces_.emplace(s.id, obs_, stopped_, *traces);
    if (metrics) metrics_.emplace(s.id, obs_, stopped_, *metrics);
    if (logs) logs_.emplace(s.id, obs_, stopped_, *logs);
  }

  pipeline::Consumers input() override {
    pipeline::Consumers c;
    if (traces_) c.traces = &*traces_;
    if (metrics_) c.metrics = &*metrics_;
    if (logs_) c.logs = &*logs_;
    return c;
  }
  Status start(component::Host&) override { return Status::ok(); }
  Status shutdown(component::Deadline) override {
    stopped_ = true;
    return Status::ok();
  }

 private:
  pipeline::ExporterObs obs_;
  std::atomic<bool> stopped_{false};
  std::optional<SignalWriter<model::Traces, storage::TraceWriter>> traces_;
  std::optional<SignalWriter<model::Metrics, storage::metrics::MetricsWriter>> metrics_;
  std::optional<SignalWriter<model::Logs, storage::logs::LogWriter>> logs_;
};

template <typename T>
Result<T*> open(const std::function<Result<T*>()>& provider, const component::Settings& settings,
                std::string_view what) {
  if (!provider)
    return Status(StatusCode::kFailedPrecondition, "exporter " + settings.id.toString() +
                                                       " needs the embedded " + std::string(what) +
                                                       " store");
  return provider();
}

class Factory final : public component::FactoryWithConfig<Config, pipeline::ExporterFactory> {
 public:
  explicit Factory(StoreProviders providers) : providers_(std::move(providers)) {}
  std::string_view type() const override { return "store"; }
  std::string_view description() const override {
    return "Writes spans, metrics and logs into the embedded stores (configured under `storage:`), "
           "which the query API and UI read.";
  }
  bool supports(pipeline::Signal s) const override {
    return s == pipeline::Signal::kTraces || s == pipeline::Signal::kMetrics ||
           s == pipeline::Signal::kLogs;
  }
  Result<std::unique_ptr<pipeline::ConsumerComponent>> create(
      const component::Settings& settings, const component::Config&,
      const std::vector<pipeline::Signal>& signals) const override {
    storage::TraceWriter* traces = nullptr;
    storage::metrics::MetricsWriter* metrics = nullptr;
    storage::logs::LogWriter* logs = nullptr;
    for (pipeline::Signal s : signals) {
      if (s == pipeline::Signal::kTraces) {
        auto store = open(providers_.traces, settings, "trace");
        if (!store.isOk()) return store.status();
        traces = *store;
      } else if (s == pipeline::Signal::kMetrics) {
        auto store = open(providers_.metrics, settings, "metrics");
        if (!store.isOk()) return store.status();
        metrics = *store;
      } else if (s == pipeline::Signal::kLogs) {
        auto store = open(providers_.logs, settings, "log");
        if (!store.isOk()) return store.status();
        logs = *store;
      }
    }
    return std::unique_ptr<pipeline::ConsumerComponent>(
        std::make_unique<Exporter>(settings, traces, metrics, logs));
  }

 private:
  StoreProviders providers_;
};

}  // namespace

std::unique_ptr<pipeline::ExporterFactory> makeFactory(StoreProviders providers) {
  return std::make_unique<Factory>(std::move(providers));
}

}  // namespace periscope::components::store_exporter
