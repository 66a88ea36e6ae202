// HttpClient: a small blocking libcurl wrapper for the CLI's own requests (`periscope loadgen`
// posting OTLP, `periscope traces` reading the query API). One instance owns one connection, so
// it is cheap to reuse in a loop and must not be shared between threads.
#pragma once

#include <chrono>
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

 private:
  HttpResponse perform(const std::string& url, std::chrono::milliseconds timeout);

  void* curl_;     // CURL*, kept opaque so includers do not need curl/curl.h
  void* headers_;  // curl_slist*
};

// RFC 3986 percent-encoding of a query-string value: everything but unreserved characters.
std::string percentEncode(std::string_view text);

}  // namespace periscope::app
