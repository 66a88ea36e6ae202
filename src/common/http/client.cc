#include "common/http/client.h"

#include <curl/curl.h>

#include <algorithm>
#include <mutex>

namespace periscope::http {
namespace {

struct CurlGlobal {
  CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
};

size_t onBody(char* data, size_t size, size_t n, void* user) {
  auto* out = static_cast<std::string*>(user);
  size_t len = size * n;
  // Keep at most kMaxResponseBytes (a hostile server cannot make us buffer more), but keep
  // reading: aborting would turn a delivered request into a retry and a duplicate.
  if (out->size() < Client::kMaxResponseBytes)
    out->append(data, std::min(len, Client::kMaxResponseBytes - out->size()));
  return len;
}

size_t onHeader(char* data, size_t size, size_t n, void* user) {
  std::string_view line(data, size * n);
  constexpr std::string_view kName = "retry-after:";
  if (line.size() > kName.size()) {
    std::string lower(line.substr(0, kName.size()));
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == kName) {
      std::string v(line.substr(kName.size()));
      while (!v.empty() && (v.back() == '\r' || v.back() == '\n' || v.back() == ' ')) v.pop_back();
      while (!v.empty() && v.front() == ' ') v.erase(0, 1);
      *static_cast<std::string*>(user) = v;
    }
  }
  return size * n;
}

}  // namespace

struct Client::Pool {
  std::mutex mu;
  std::vector<CURL*> idle;
};

std::string ClientResponse::text() const {
  return body.find('\0') == std::string::npos ? body : std::string();
}

Client::Client() : pool_(std::make_unique<Pool>()) {
  static CurlGlobal global;
}

Client::~Client() {
  for (CURL* h : pool_->idle) curl_easy_cleanup(h);
}

void* Client::acquire() {
  std::lock_guard lock(pool_->mu);
  if (pool_->idle.empty()) return curl_easy_init();
  CURL* h = pool_->idle.back();
  pool_->idle.pop_back();
  curl_easy_reset(h);
  return h;
}

void Client::release(void* h) {
  std::lock_guard lock(pool_->mu);
  pool_->idle.push_back(static_cast<CURL*>(h));  // keeps the connection for reuse
}

Result<ClientResponse> Client::post(const std::string& url, std::string_view body,
                                    const std::vector<std::string>& headers,
                                    std::chrono::milliseconds timeout) {
  return request("POST", url, body, headers, timeout);
}

Result<ClientResponse> Client::request(std::string_view method, const std::string& url,
                                       std::string_view body,
                                       const std::vector<std::string>& headers,
                                       std::chrono::milliseconds timeout, bool direct) {
  CURL* h = static_cast<CURL*>(acquire());
  curl_slist* list = nullptr;
  for (const auto& line : headers) list = curl_slist_append(list, line.c_str());
  list = curl_slist_append(list, "Expect:");  // no 100-continue round trip
  ClientResponse out;
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  if (method == "GET") {
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
  } else {
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    // libcurl copies string options, so the temporary is fine.
    if (method != "POST") curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, std::string(method).c_str());
  }
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, onBody);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &out.body);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, onHeader);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &out.retry_after);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  if (direct) curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
  CURLcode rc = curl_easy_perform(h);
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &out.status);
  curl_slist_free_all(list);
  release(h);
  if (rc != CURLE_OK) return unavailable(curl_easy_strerror(rc));
  return out;
}

}  // namespace periscope::http
