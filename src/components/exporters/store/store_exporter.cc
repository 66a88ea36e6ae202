#include "components/exporters/store/store_exporter.h"

#include <atomic>

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

class Exporter final : public pipeline::ConsumerComponent,
                       public pipeline::Consumer<model::Traces> {
 public:
  Exporter(const component::Settings& s, storage::TraceWriter& store)
      : id_(s.id), obs_(s.id), store_(store) {}

  pipeline::Consumers input() override {
    pipeline::Consumers c;
    c.traces = this;
    return c;
  }
  Status start(component::Host&) override { return Status::ok(); }
  Status shutdown(component::Deadline) override {
    stopped_ = true;
    return Status::ok();
  }

  void consume(model::Traces&& data, pipeline::Done done) override {
    size_t n = data.itemCount();
    if (stopped_) {
      obs_.failed(component::Signal::kTraces, n);
      return done(unavailable("exporter " + id_.toString() + " is shut down"));
    }
    // Captures a copy of the counters, not `this`: the answer may come after shutdown.
    store_.write(data, [obs = obs_, n, done = std::move(done)](Status st) mutable {
      if (st.isOk())
        obs.sent(component::Signal::kTraces, n);
      else
        obs.failed(component::Signal::kTraces, n);
      done(std::move(st));
    });
  }

 private:
  component::ComponentId id_;
  pipeline::ExporterObs obs_;
  storage::TraceWriter& store_;
  std::atomic<bool> stopped_{false};
};

class Factory final : public component::FactoryWithConfig<Config, pipeline::ExporterFactory> {
 public:
  explicit Factory(StoreProvider provider) : provider_(std::move(provider)) {}
  std::string_view type() const override { return "store"; }
  std::string_view description() const override {
    return "Writes spans into the embedded trace store (configured under `storage:`), which "
           "the query API and UI read.";
  }
  bool supports(pipeline::Signal s) const override { return s == pipeline::Signal::kTraces; }
  Result<std::unique_ptr<pipeline::ConsumerComponent>> create(
      const component::Settings& settings, const component::Config&,
      const std::vector<pipeline::Signal>&) const override {
    if (!provider_)
      return Status(StatusCode::kFailedPrecondition,
                    "exporter " + settings.id.toString() + " needs the embedded store");
    auto store = provider_();
    if (!store.isOk()) return store.status();
    return std::unique_ptr<pipeline::ConsumerComponent>(
        std::make_unique<Exporter>(settings, **store));
  }

 private:
  StoreProvider provider_;
};

}  // namespace

std::unique_ptr<pipeline::ExporterFactory> makeFactory(StoreProvider provider) {
  return std::make_unique<Factory>(std::move(provider));
}

}  // namespace periscope::components::store_exporter
