// A small blocking HTTP client (libcurl underneath, hidden in client.cc) shared by the exporters
// that POST to HTTP endpoints (otlphttp, prometheusremotewrite). Keeps idle handles, and so
// their connections, for reuse. post() is thread-safe; each call uses its own handle.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace periscope::http {

struct ClientResponse {
  long status = 0;
  std::string body;         // at most kMaxResponseBytes are kept
  std::string retry_after;  // the Retry-After header, trimmed; empty if absent
  // The body if it is text (no NUL byte), else empty: for error messages.
  std::string text() const;
};

class Client {
 public:
  static constexpr size_t kMaxResponseBytes = 4 << 20;
  Client();
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // One POST; `headers` are full lines ("Name: value"). UNAVAILABLE with libcurl's reason when
  // no answer arrived (connection refused, timeout, TLS error...); callers add the URL.
  Result<ClientResponse> post(const std::string& url, std::string_view body,
                              const std::vector<std::string>& headers,
                              std::chrono::milliseconds timeout);
  // Any method ("GET", "PUT"...; a GET sends no body), same contract as post(). `direct`
  // ignores the proxy environment variables (link-local metadata services must never be
  // proxied). Used by the resourcedetection processor for the cloud metadata services.
  Result<ClientResponse> request(std::string_view method, const std::string& url,
                                 std::string_view body, const std::vector<std::string>& headers,
                                 std::chrono::milliseconds timeout, bool direct = false);

 private:
  void* acquire();
  void release(void* handle);
  struct Pool;
  std::unique_ptr<Pool> pool_;
};

}  // namespace periscope::http
