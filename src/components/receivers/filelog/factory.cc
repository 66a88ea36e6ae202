#include "components/receivers/filelog/factory.h"

#include <condition_variable>
#include <mutex>
#include <thread>

#include "common/logging.h"
#include "components/receivers/filelog/config.h"
#include "components/receivers/filelog/tailer.h"
#include "pipeline/obsreport.h"

namespace periscope::components::filelog {
namespace {

// Runs the Tailer on its own thread: a cycle at start, then one every poll_interval.
class Receiver final : public component::Component {
 public:
  Receiver(const component::Settings& settings, const Config& config, pipeline::LogsConsumer& next)
      : settings_(settings),
        config_(config),
        next_(next),
        obs_(settings.id, "file"),
        truncations_(&counter("periscope_filelog_truncations_total",
                              "Files read again from the start because they shrank or were "
                              "rewritten.")),
        parse_errors_(&counter("periscope_filelog_parse_errors_total",
                               "Entries an operator failed on (sent on or dropped per on_error).")),
        dropped_(&counter("periscope_filelog_dropped_log_records_total",
                          "Entries dropped: by an operator's on_error: drop, or refused for good "
                          "by the pipeline (a status that is not retryable).")) {}
  ~Receiver() override { static_cast<void>(shutdown(component::Deadline::max())); }

  Status start(component::Host& host) override {
    if (!config_.storage.empty()) {
      auto client = pipeline::openStorageClient(host, "storage", config_.storage,
                                                component::Kind::kReceiver, settings_.id);
      if (!client.isOk()) return client.status();
      storage_ = std::move(client).value();
    }
    tailer_ = std::make_unique<Tailer>(config_, next_, storage_.get());
    PERISCOPE_RETURN_IF_ERROR(tailer_->restore());
    thread_ = std::thread([this] { run(); });
    log::info(settings_.id.toString(), "reading files",
              {{"include", config_.include.empty() ? "" : config_.include.front()},
               {"start_at", config_.start_at}});
    return Status::ok();
  }

  Status shutdown(component::Deadline deadline) override {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    // Answers for batches in flight are awaited until `deadline`, not longer; what is not
    // accepted by then is logged (close) and read again after a restart.
    if (tailer_) tailer_->requestStop(deadline);
    if (thread_.joinable()) thread_.join();
    if (tailer_) tailer_->close();
    return Status::ok();
  }

 private:
  telemetry::Counter& counter(const std::string& name, const std::string& help) {
    return telemetry::globalRegistry().counter(name, help, {{"receiver", settings_.id.toString()}});
  }

  // Self-metrics move by what the last cycle did.
  void report() {
    TailerStats now = tailer_->stats();
    obs_.accepted(component::Signal::kLogs, now.records_sent - last_.records_sent);
    obs_.refused(component::Signal::kLogs, (now.records_refused + now.records_rejected) -
                                               (last_.records_refused + last_.records_rejected));
    truncations_->add(static_cast<double>(now.truncations - last_.truncations));
    parse_errors_->add(static_cast<double>(now.parse_errors - last_.parse_errors));
    dropped_->add(static_cast<double>((now.dropped + now.records_rejected) -
                                      (last_.dropped + last_.records_rejected)));
    last_ = now;
  }

  void run() {
    std::unique_lock lock(mu_);
    while (!stopping_) {
      lock.unlock();
      tailer_->pollOnce();
      report();
      lock.lock();
      if (tailer_->backlog()) continue;
      cv_.wait_for(lock, config_.poll_interval, [this] { return stopping_; });
    }
  }

  component::Settings settings_;
  Config config_;
  pipeline::LogsConsumer& next_;
  std::unique_ptr<pipeline::StorageClient> storage_;
  std::unique_ptr<Tailer> tailer_;
  pipeline::ReceiverObs obs_;
  telemetry::Counter* truncations_;
  telemetry::Counter* parse_errors_;
  telemetry::Counter* dropped_;
  TailerStats last_;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
};

class Factory final : public component::FactoryWithConfig<Config, pipeline::ReceiverFactory> {
 public:
  std::string_view type() const override { return "filelog"; }
  std::string_view description() const override {
    return "Tails log files (globs, rotation, truncation, multiline) with checkpoints in a storage "
           "extension, and parses entries with operators (json, regex, time, severity, trace).";
  }
  bool supports(pipeline::Signal s) const override { return s == pipeline::Signal::kLogs; }
  Result<std::unique_ptr<component::Component>> create(
      const component::Settings& settings, const component::Config& config,
      const pipeline::Consumers& next) const override {
    if (next.logs == nullptr) return invalidArgument("filelog receives logs only");
    return std::unique_ptr<component::Component>(
        std::make_unique<Receiver>(settings, static_cast<const Config&>(config), *next.logs));
  }
};

}  // namespace

std::unique_ptr<pipeline::ReceiverFactory> makeFactory() {
  return std::make_unique<Factory>();
}

}  // namespace periscope::components::filelog
