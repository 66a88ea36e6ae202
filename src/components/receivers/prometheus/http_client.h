// The HTTP GET a scraper makes (libcurl): one client per scraper thread, keeping its connection
// alive between scrapes. Sends Prometheus's Accept and X-Prometheus-Scrape-Timeout-Seconds
// headers, accepts gzip/deflate, enforces the timeout and a body size limit.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "common/status.h"

namespace periscope::components::prometheus_receiver {

struct HttpAnswer {
  long status = 0;
  std::string content_type;
  std::string body;
};

class HttpClient {
 public:
  HttpClient();
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // UNAVAILABLE on connection errors, timeouts and bodies over `max_body_bytes`.
  Result<HttpAnswer> get(const std::string& url, std::chrono::milliseconds timeout,
                         size_t max_body_bytes);

 private:
  void* curl_;  // CURL*, kept out of this header
};

}  // namespace periscope::components::prometheus_receiver
