// FakeMetadataServer: a local HTTP server (the repo's http::Server on 127.0.0.1) that answers
// like the AWS metadata services: fixed routes ("GET /latest/meta-data/hostname" → body), an
// IMDSv2 mode that hands out a session token on PUT /latest/api/token and answers 401 to GETs
// without it, and a mode that never answers. It records every request.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/http/server.h"

namespace periscope::components::resourcedetection::testing {

class FakeMetadataServer {
 public:
  static constexpr const char* kToken = "AQAEAFake-token==";

  FakeMetadataServer() {
    auto s = http::Server::start({}, [this](http::Request&& req, http::Respond respond) {
      handle(std::move(req), std::move(respond));
    });
    EXPECT_TRUE(s.isOk()) << s.status().message();
    server_ = std::move(s.value());
  }
  ~FakeMetadataServer() {
    std::vector<http::Respond> pending;
    {
      std::lock_guard lock(mu_);
      pending.swap(hung_);
    }
    for (auto& r : pending) r(http::Response::text(503, "stopping"));
    server_->stop();
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(server_->port()); }

  // `route` is "METHOD /path".
  void on(const std::string& route, int status, std::string body) {
    std::lock_guard lock(mu_);
    routes_[route] = {status, std::move(body)};
  }
  // IMDSv2: PUT /latest/api/token answers kToken; every GET must carry it (else 401).
  void requireToken() {
    std::lock_guard lock(mu_);
    require_token_ = true;
  }
  // Never answer (until destruction).
  void hang() {
    std::lock_guard lock(mu_);
    hang_ = true;
  }

  std::vector<http::Request> requests() {
    std::lock_guard lock(mu_);
    return requests_;
  }

 private:
  void handle(http::Request&& req, http::Respond respond) {
    std::unique_lock lock(mu_);
    requests_.push_back(req);
    if (hang_) {
      hung_.push_back(std::move(respond));
      return;
    }
    std::string route = req.method + " " + req.path;
    if (require_token_ && route == "PUT /latest/api/token") {
      bool ttl = !req.header("x-aws-ec2-metadata-token-ttl-seconds").empty();
      lock.unlock();
      respond(ttl ? http::Response::text(200, kToken) : http::Response::text(400, "missing ttl"));
      return;
    }
    if (require_token_ && req.method == "GET" && req.header("x-aws-ec2-metadata-token") != kToken) {
      lock.unlock();
      respond(http::Response::text(401, ""));
      return;
    }
    auto it = routes_.find(route);
    http::Response r = it == routes_.end()
                           ? http::Response::text(404, "Not Found")
                           : http::Response::text(it->second.first, it->second.second);
    lock.unlock();
    respond(std::move(r));
  }

  std::mutex mu_;
  std::map<std::string, std::pair<int, std::string>> routes_;
  bool require_token_ = false;
  bool hang_ = false;
  std::vector<http::Request> requests_;
  std::vector<http::Respond> hung_;
  std::unique_ptr<http::Server> server_;
};

}  // namespace periscope::components::resourcedetection::testing
