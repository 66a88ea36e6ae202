#include "app/http_client.h"

#include <curl/curl.h>

#include <mutex>

namespace periscope::app {
namespace {

size_t collect(char* data, size_t size, size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

}  // namespace

HttpClient::HttpClient(std::vector<std::string> headers) {
  // curl_global_init is not safe to race with itself, and loadgen builds its clients on
  // several threads at once.
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  curl_ = curl_easy_init();
  curl_slist* list = nullptr;
  for (const auto& h : headers) list = curl_slist_append(list, h.c_str());
  headers_ = list;
}

HttpClient::~HttpClient() {
  curl_slist_free_all(static_cast<curl_slist*>(headers_));
  curl_easy_cleanup(static_cast<CURL*>(curl_));
}

HttpResponse HttpClient::get(const std::string& url, std::chrono::milliseconds timeout) {
  curl_easy_setopt(static_cast<CURL*>(curl_), CURLOPT_HTTPGET, 1L);
  return perform(url, timeout);
}

HttpResponse HttpClient::post(const std::string& url, std::string_view body,
                              std::chrono::milliseconds timeout) {
  CURL* c = static_cast<CURL*>(curl_);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  return perform(url, timeout);
}

HttpResponse HttpClient::perform(const std::string& url, std::chrono::milliseconds timeout) {
  CURL* c = static_cast<CURL*>(curl_);
  HttpResponse r;
  char errbuf[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, static_cast<curl_slist*>(headers_));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &r.body);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // timeouts without SIGALRM: we have threads
  CURLcode rc = curl_easy_perform(c);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, nullptr);  // errbuf dies with this frame
  curl_easy_setopt(c, CURLOPT_WRITEDATA, nullptr);
  switch (rc) {
    case CURLE_OK:
      r.outcome = HttpResponse::Outcome::kOk;
      curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
      return r;
    case CURLE_COULDNT_CONNECT:
      r.outcome = HttpResponse::Outcome::kConnectFailed;
      break;
    case CURLE_COULDNT_RESOLVE_HOST:
      r.outcome = HttpResponse::Outcome::kResolveFailed;
      break;
    case CURLE_OPERATION_TIMEDOUT:
      r.outcome = HttpResponse::Outcome::kTimeout;
      break;
    default:
      r.outcome = HttpResponse::Outcome::kOtherError;
      break;
  }
  r.body.clear();
  r.error = errbuf[0] != '\0' ? errbuf : curl_easy_strerror(rc);
  return r;
}

std::string percentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char ch : text) {
    bool unreserved = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
                      (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '.' || ch == '~';
    if (unreserved) {
      out += static_cast<char>(ch);
    } else {
      out += '%';
      out += kHex[ch >> 4];
      out += kHex[ch & 0xF];
    }
  }
  return out;
}

}  // namespace periscope::app
