#include "app/http_client.h"

#include <curl/curl.h>

#include <mutex>

namespace periscope::app {
namespace {

size_t collect(char* data, size_t size, size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

struct StreamContext {
  CURL* curl;
  const std::function<bool(long, std::string_view)>* on_data;
  const std::function<bool()>* cancelled;
  bool stopped = false;
};

size_t streamData(char* data, size_t size, size_t n, void* user) {
  auto* ctx = static_cast<StreamContext*>(user);
  long status = 0;
  curl_easy_getinfo(ctx->curl, CURLINFO_RESPONSE_CODE, &status);
  if ((*ctx->on_data)(status, std::string_view(data, size * n))) return size * n;
  ctx->stopped = true;
  return 0;  // not what was offered: libcurl stops with CURLE_WRITE_ERROR
}

int streamProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* ctx = static_cast<StreamContext*>(user);
  return *ctx->cancelled && (*ctx->cancelled)() ? 1 : 0;
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

HttpResponse HttpClient::stream(const std::string& url,
                                const std::function<bool(long, std::string_view)>& on_data,
                                const std::function<bool()>& cancelled,
                                std::chrono::milliseconds connect_timeout) {
  CURL* c = static_cast<CURL*>(curl_);
  StreamContext ctx{c, &on_data, &cancelled};
  curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(connect_timeout.count()));
  curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, streamProgress);
  curl_easy_setopt(c, CURLOPT_XFERINFODATA, &ctx);
  HttpResponse r = perform(url, std::chrono::milliseconds(0), streamData, &ctx);
  curl_easy_setopt(c, CURLOPT_NOPROGRESS, 1L);
  curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, nullptr);
  curl_easy_setopt(c, CURLOPT_XFERINFODATA, nullptr);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 0L);
  if (ctx.stopped) {  // on_data said so: a normal end for the caller
    r.outcome = HttpResponse::Outcome::kOk;
    r.error.clear();
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
  }
  return r;
}

HttpResponse HttpClient::perform(const std::string& url, std::chrono::milliseconds timeout) {
  return perform(url, timeout, nullptr, nullptr);
}

HttpResponse HttpClient::perform(const std::string& url, std::chrono::milliseconds timeout,
                                 WriteFunction write, void* write_data) {
  CURL* c = static_cast<CURL*>(curl_);
  HttpResponse r;
  char errbuf[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, static_cast<curl_slist*>(headers_));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, write != nullptr ? write : collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, write != nullptr ? write_data : &r.body);
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
    case CURLE_ABORTED_BY_CALLBACK:  // stream(): cancelled
      r.outcome = HttpResponse::Outcome::kOtherError;
      r.body.clear();
      r.error = "cancelled";
      return r;
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
