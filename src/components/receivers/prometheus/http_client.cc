#include "components/receivers/prometheus/http_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>

#include "model/prometheus/translate.h"

namespace periscope::components::prometheus_receiver {
namespace {

// The text formats this receiver parses, 0.0.4 first: it is what it implements most fully.
constexpr const char* kAccept =
    "Accept: text/plain;version=0.0.4;q=1,application/openmetrics-text;version=1.0.0;q=0.5,"
    "*/*;q=0.1";

struct BodySink {
  std::string* body;
  size_t limit;
  bool overflow = false;
};

size_t onBody(char* data, size_t size, size_t n, void* user) {
  auto* sink = static_cast<BodySink*>(user);
  size_t len = size * n;
  if (sink->body->size() + len > sink->limit) {
    sink->overflow = true;
    return 0;  // aborts the transfer
  }
  sink->body->append(data, len);
  return len;
}

size_t onHeader(char* data, size_t size, size_t n, void* user) {
  std::string_view line(data, size * n);
  constexpr std::string_view kName = "content-type:";
  if (line.size() > kName.size()) {
    std::string lower(line.substr(0, kName.size()));
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (lower == kName) {
      std::string_view v = line.substr(kName.size());
      while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
      while (!v.empty() && (v.back() == '\r' || v.back() == '\n' || v.back() == ' '))
        v.remove_suffix(1);
      *static_cast<std::string*>(user) = std::string(v);
    }
  }
  return size * n;
}

struct CurlGlobal {
  CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
};

}  // namespace

HttpClient::HttpClient() {
  static CurlGlobal global;
  curl_ = curl_easy_init();
}

HttpClient::~HttpClient() {
  curl_easy_cleanup(static_cast<CURL*>(curl_));
}

Result<HttpAnswer> HttpClient::get(const std::string& url, std::chrono::milliseconds timeout,
                                   size_t max_body_bytes) {
  CURL* h = static_cast<CURL*>(curl_);
  if (h == nullptr) return unavailable("libcurl could not be initialised");
  curl_easy_reset(h);
  HttpAnswer answer;
  BodySink sink{&answer.body, max_body_bytes};
  std::string timeout_header =
      "X-Prometheus-Scrape-Timeout-Seconds: " +
      std::string(model::prom::formatFloat(static_cast<double>(timeout.count()) / 1000.0).view());
  curl_slist* headers = curl_slist_append(nullptr, kAccept);
  headers = curl_slist_append(headers, timeout_header.c_str());
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "gzip, deflate");
  curl_easy_setopt(h, CURLOPT_USERAGENT, "periscope-prometheus-receiver");
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, onBody);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, onHeader);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &answer.content_type);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  CURLcode rc = curl_easy_perform(h);
  curl_slist_free_all(headers);
  if (sink.overflow)
    return unavailable("body larger than " + std::to_string(max_body_bytes) + " bytes");
  if (rc != CURLE_OK) return unavailable(curl_easy_strerror(rc));
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &answer.status);
  return answer;
}

}  // namespace periscope::components::prometheus_receiver
