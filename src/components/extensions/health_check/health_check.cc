#include "components/extensions/health_check/health_check.h"

#include <atomic>
#include <chrono>
#include <ctime>

#include "common/http/server.h"
#include "common/logging.h"

namespace periscope::components::health_check {

const config::Schema<Config>& Config::schema() {
  static const auto s = config::Schema<Config>()
                            .field("endpoint", &Config::endpoint, "host:port to listen on.")
                            .field("path", &Config::path, "Path of the health endpoint.");
  return s;
}

Status Config::validate() const {
  if (path.empty() || path[0] != '/') return invalidArgument("path must start with '/'");
  return Status::ok();
}

namespace {

std::string rfc3339(std::chrono::system_clock::time_point t) {
  std::time_t s = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&s, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

class Extension final : public component::Component, public component::PipelineWatcher {
 public:
  Extension(const component::Settings& s, const Config& c) : settings_(s), config_(c) {}

  Status start(component::Host&) override {
    http::ServerOptions opts;
    opts.endpoint = config_.endpoint;
    opts.threads = 1;
    opts.max_body_bytes = 1 << 10;
    auto server = http::Server::start(opts, [this](http::Request&& req, http::Respond respond) {
      if (req.path != config_.path) {
        respond(http::Response::text(404, "404 page not found\n"));
        return;
      }
      bool ready = ready_.load();
      http::Response r;
      r.status = ready ? 200 : 503;
      r.body = std::string("{\"status\":\"") +
               (ready ? "Server available" : "Server not available") + "\",\"upSince\":\"" +
               rfc3339(started_) + "\",\"uptime\":\"" +
               std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                  std::chrono::system_clock::now() - started_)
                                  .count()) +
               "s\"}";
      r.setHeader("Content-Type", "application/json");
      respond(std::move(r));
    });
    if (!server.isOk()) return server.status();
    server_ = std::move(server).value();
    log::info(settings_.id.toString(), "health check listening",
              {{"endpoint", config_.endpoint}, {"port", std::to_string(server_->port())}});
    return Status::ok();
  }

  Status shutdown(component::Deadline) override {
    if (server_) server_->stop();
    server_.reset();
    return Status::ok();
  }

  void ready() override {
    started_ = std::chrono::system_clock::now();
    ready_ = true;
  }
  void notReady() override { ready_ = false; }

 private:
  component::Settings settings_;
  Config config_;
  std::atomic<bool> ready_{false};
  std::chrono::system_clock::time_point started_ = std::chrono::system_clock::now();
  std::unique_ptr<http::Server> server_;
};

class Factory final : public component::FactoryWithConfig<Config, pipeline::ExtensionFactory> {
 public:
  std::string_view type() const override { return "health_check"; }
  std::string_view description() const override {
    return "HTTP health endpoint: 200 when ready, 503 when starting or stopping.";
  }
  Result<std::unique_ptr<component::Component>> create(const component::Settings& s,
                                                       const component::Config& c) const override {
    return std::unique_ptr<component::Component>(
        std::make_unique<Extension>(s, static_cast<const Config&>(c)));
  }
};

}  // namespace

std::unique_ptr<pipeline::ExtensionFactory> makeFactory() {
  return std::make_unique<Factory>();
}

}  // namespace periscope::components::health_check
