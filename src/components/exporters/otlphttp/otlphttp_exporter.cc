#include "components/exporters/otlphttp/otlphttp_exporter.h"

#include <curl/curl.h>

#include <algorithm>
#include <mutex>

#include "common/compression.h"
#include "model/otlp/json_encoder.h"
#include "model/otlp/proto_encoder.h"
#include "pipeline/helpers/sync_exporter.h"

namespace periscope::components::otlphttp_exporter {

const config::Schema<Config>& Config::schema() {
  static const auto s = pipeline::withExporterHelper(
      config::Schema<Config>()
          .field("endpoint", &Config::endpoint,
                 "Base URL; /v1/traces, /v1/metrics, /v1/logs are appended.")
          .field("traces_endpoint", &Config::traces_endpoint,
                 "Full URL for traces (overrides endpoint).")
          .field("metrics_endpoint", &Config::metrics_endpoint,
                 "Full URL for metrics (overrides endpoint).")
          .field("logs_endpoint", &Config::logs_endpoint, "Full URL for logs (overrides endpoint).")
          .choice("encoding", &Config::encoding, {"proto", "json"}, "Body encoding.")
          .choice("compression", &Config::compression,
                  {"gzip", "zstd", "deflate", "snappy", "lz4", "none", ""},
                  "Content-Encoding of request bodies.")
          .field("headers", &Config::headers, "Headers sent with every request."));
  return s;
}

Status Config::validate() const {
  if (endpoint.empty() &&
      (traces_endpoint.empty() && metrics_endpoint.empty() && logs_endpoint.empty())) {
    return invalidArgument("endpoint (or a per-signal *_endpoint) must be set");
  }
  for (const auto* e : {&endpoint, &traces_endpoint, &metrics_endpoint, &logs_endpoint}) {
    if (!e->empty() && e->rfind("http://", 0) != 0 && e->rfind("https://", 0) != 0) {
      return invalidArgument("endpoint \"" + *e + "\" must start with http:// or https://");
    }
  }
  return ExporterHelperConfig::validate();
}

Status statusFromHttp(long code, const std::string& retry_after, const std::string& body_text) {
  if (code >= 200 && code < 300) return Status::ok();
  std::string msg = "HTTP " + std::to_string(code);
  if (!body_text.empty()) msg += ": " + body_text.substr(0, 256);
  if (code == 429 || code == 502 || code == 503 || code == 504) {
    Status st = unavailable(msg);
    int seconds = std::atoi(retry_after.c_str());
    if (seconds > 0) st.withRetryAfter(seconds);
    return st;
  }
  return invalidArgument(msg);  // permanent: the same data would fail again
}

namespace {

constexpr size_t kMaxResponseBytes = 4 << 20;

struct CurlGlobal {
  CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
};

size_t onBody(char* data, size_t size, size_t n, void* user) {
  auto* out = static_cast<std::string*>(user);
  size_t len = size * n;
  // Keep at most kMaxResponseBytes (a hostile server cannot make us buffer more), but keep
  // reading: aborting would turn a delivered request into a retry and a duplicate.
  if (out->size() < kMaxResponseBytes)
    out->append(data, std::min(len, kMaxResponseBytes - out->size()));
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

class Exporter final : public pipeline::SyncExporter {
 public:
  Exporter(const component::Settings& s, const Config& c,
           const std::vector<pipeline::Signal>& signals)
      : SyncExporter(s, signals, c), config_(c) {
    static CurlGlobal global;
    compression::parseEncoding(config_.compression, encoding_);
  }
  ~Exporter() override {
    for (CURL* h : idle_) curl_easy_cleanup(h);
  }

 protected:
  Status push(const model::Traces& d) override {
    return send(d, url(config_.traces_endpoint, "/v1/traces"), "traces");
  }
  Status push(const model::Metrics& d) override {
    return send(d, url(config_.metrics_endpoint, "/v1/metrics"), "metrics");
  }
  Status push(const model::Logs& d) override {
    return send(d, url(config_.logs_endpoint, "/v1/logs"), "logs");
  }

 private:
  std::string url(const std::string& specific, const char* path) const {
    if (!specific.empty()) return specific;
    std::string base = config_.endpoint;
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base + path;
  }

  template <typename T>
  Status send(const T& data, const std::string& url, const char*) {
    std::string body;
    bool json = config_.encoding == "json";
    if (json)
      model::otlp::encodeJson(data, body);
    else
      model::otlp::encode(data, body);
    if (encoding_ != compression::Encoding::kIdentity) {
      auto c = compression::compress(encoding_, body);
      if (!c.isOk()) return c.status();
      body = std::move(c).value();
    }
    CURL* h = acquire();
    curl_slist* headers = nullptr;
    headers = curl_slist_append(
        headers, json ? "Content-Type: application/json" : "Content-Type: application/x-protobuf");
    std::string enc_header;
    if (encoding_ != compression::Encoding::kIdentity) {
      enc_header = "Content-Encoding: " + std::string(compression::encodingName(encoding_));
      headers = curl_slist_append(headers, enc_header.c_str());
    }
    headers = curl_slist_append(headers, "Expect:");
    std::vector<std::string> extra;
    for (const auto& [k, v] : config_.headers) {
      extra.push_back(k + ": " + v);
      headers = curl_slist_append(headers, extra.back().c_str());
    }
    std::string response, retry_after;
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, onBody);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &response);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, onHeader);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &retry_after);
    curl_easy_setopt(
        h, CURLOPT_TIMEOUT_MS,
        static_cast<long>(
            std::chrono::duration_cast<std::chrono::milliseconds>(config_.timeout).count()));
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    CURLcode rc = curl_easy_perform(h);
    long code = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    curl_slist_free_all(headers);
    release(h);
    if (rc != CURLE_OK) {
      return unavailable("export to " + url + " failed: " + curl_easy_strerror(rc));
    }
    std::string text = response.find('\0') == std::string::npos ? response : std::string();
    Status st = statusFromHttp(code, retry_after, text);
    if (!st.isOk())
      return {st.code(), "export to " + url + " failed: " + std::string(st.message())};
    return st;
  }

  CURL* acquire() {
    std::lock_guard lock(mu_);
    if (idle_.empty()) return curl_easy_init();
    CURL* h = idle_.back();
    idle_.pop_back();
    curl_easy_reset(h);
    return h;
  }
  void release(CURL* h) {
    std::lock_guard lock(mu_);
    idle_.push_back(h);  // keeps the connection for reuse
  }

  Config config_;
  compression::Encoding encoding_ = compression::Encoding::kIdentity;
  std::mutex mu_;
  std::vector<CURL*> idle_;
};

}  // namespace

std::unique_ptr<pipeline::ExporterFactory> makeFactory() {
  return std::make_unique<pipeline::AllSignalsExporterFactory<Config, Exporter>>(
      "otlphttp", "Sends telemetry to an OTLP/HTTP endpoint (protobuf or JSON).");
}

}  // namespace periscope::components::otlphttp_exporter
