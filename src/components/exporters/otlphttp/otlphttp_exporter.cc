#include "components/exporters/otlphttp/otlphttp_exporter.h"

#include "common/compression.h"
#include "common/http/client.h"
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

class Exporter final : public pipeline::SyncExporter {
 public:
  Exporter(const component::Settings& s, const Config& c,
           const std::vector<pipeline::Signal>& signals)
      : SyncExporter(s, signals, c), config_(c) {
    compression::parseEncoding(config_.compression, encoding_);
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
    std::vector<std::string> headers = {json ? "Content-Type: application/json"
                                             : "Content-Type: application/x-protobuf"};
    if (encoding_ != compression::Encoding::kIdentity) {
      headers.push_back("Content-Encoding: " + std::string(compression::encodingName(encoding_)));
    }
    for (const auto& [k, v] : config_.headers) headers.push_back(k + ": " + v);
    auto response = client_.post(
        url, body, headers, std::chrono::duration_cast<std::chrono::milliseconds>(config_.timeout));
    if (!response.isOk()) {
      return unavailable("export to " + url +
                         " failed: " + std::string(response.status().message()));
    }
    Status st = statusFromHttp(response->status, response->retry_after, response->text());
    if (!st.isOk())
      return {st.code(), "export to " + url + " failed: " + std::string(st.message())};
    return st;
  }

  Config config_;
  compression::Encoding encoding_ = compression::Encoding::kIdentity;
  http::Client client_;
};

}  // namespace

std::unique_ptr<pipeline::ExporterFactory> makeFactory() {
  return std::make_unique<pipeline::AllSignalsExporterFactory<Config, Exporter>>(
      "otlphttp", "Sends telemetry to an OTLP/HTTP endpoint (protobuf or JSON).");
}

}  // namespace periscope::components::otlphttp_exporter
