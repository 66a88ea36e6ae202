// HttpClient: a small blocking libcurl wrapper for the CLI's own requests (`periscope loadgen`
// posting OTLP, `periscope traces` reading the query API). One instance owns one connection, so
// it is cheap to reuse in a loop and must not be shared between threads.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace periscope::app {

struct HttpResponse {
  // How the exchange ended. Anything but kOk means there is no HTTP status: callers word their
  // message by kind (a refused connection deserves a "is the server running?" hint, a timeout
  // does not).
  enum class Outcome { kOk, kConnectFailed, kResolveFailed, kTimeout, kOtherError };
  Outcome outcome = Outcome::kOtherError;
  long status = 0;    // HTTP status when outcome == kOk
  std::string body;   // response body when outcome == kOk
  std::string error;  // libcurl's description when outcome != kOk
};

class HttpClient {
 public:
  // `headers` ("Name: value") go with every request.
  explicit HttpClient(std::vector<std::string> headers = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  HttpResponse get(const std::string& url, std::chrono::milliseconds timeout);
  HttpResponse post(const std::string& url, std::string_view body,
                    std::chrono::milliseconds timeout);
  // A GET whose body goes to `on_data` as it arrives (server-sent events), with the HTTP status.
  // No overall timeout, only for connecting: it ends when the server ends the body, when
  // on_data returns false (then kOk), or when `cancelled` returns true (polled about once a
  // second; then kOtherError "cancelled"). The returned body is always empty.
  HttpResponse stream(const std::string& url,
                      const std::function<bool(long status, std::string_view data)>& on_data,
                      const std::function<bool()>& cancelled,
                      std::chrono::milliseconds connect_timeout);

 private:
  HttpResponse perform(const std::string& url, std::chrono::milliseconds timeout);
  // With `write` (libcurl's write callback and its data) instead of collecting the body.
  using WriteFunction = size_t (*)(char*, size_t, size_t, void*);
  HttpResponse perform(const std::string& url, std::chrono::milliseconds timeout,
                       WriteFunction write, void* write_data);

  void* curl_;     // CURL*, kept opaque so includers do not need curl/curl.h
  void* headers_;  // curl_slist*
};

// RFC 3986 percent-encoding of a query-string value: everything but unreserved characters.
std::string percentEncode(std::string_view text);

}  // namespace periscope::app
