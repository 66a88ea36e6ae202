#include "components/exporters/otlp/otlp_exporter.h"

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <fstream>
#include <future>
#include <sstream>
#include <tuple>

#include "common/logging.h"
#include "model/otlp/proto_decoder.h"
#include "model/otlp/proto_encoder.h"
#include "pipeline/helpers/sync_exporter.h"

namespace periscope::components::otlp_exporter {

const config::Schema<ClientTls>& ClientTls::schema() {
  static const auto s =
      config::Schema<ClientTls>()
          .field("insecure", &ClientTls::insecure, "Plain-text connection (no TLS).")
          .field("ca_file", &ClientTls::ca_file,
                 "CA bundle to verify the server (default: system roots).")
          .field("cert_file", &ClientTls::cert_file, "Client certificate for mTLS.")
          .field("key_file", &ClientTls::key_file, "Client key for mTLS.")
          .field("insecure_skip_verify", &ClientTls::insecure_skip_verify,
                 "Accepted for compatibility; certificate verification is not skipped over gRPC.");
  return s;
}

const config::Schema<Config>& Config::schema() {
  static const auto s = pipeline::withExporterHelper(
      config::Schema<Config>()
          .field("endpoint", &Config::endpoint, "host:port of the OTLP/gRPC server (required).")
          .field("tls", &Config::tls, "TLS settings; set tls.insecure: true for plain text.")
          .field("headers", &Config::headers, "Metadata sent with every request.")
          .choice("compression", &Config::compression, {"gzip", "none", ""},
                  "Request compression. zstd is not available in gRPC C++ 1.51."));
  return s;
}

Status Config::validate() const {
  if (endpoint.empty()) return invalidArgument("endpoint must be non-empty");
  PERISCOPE_RETURN_IF_ERROR(ExporterHelperConfig::validate());
  for (const auto& [k, v] : headers) {
    // gRPC metadata keys: letters, digits, '-', '_', '.' (sent lower-cased); values printable.
    bool ok = !k.empty() && k.rfind("grpc-", 0) != 0;
    for (char c : k) {
      ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.');
    }
    for (char c : v) ok = ok && c >= 0x20 && c < 0x7f;
    if (!ok) return invalidArgument("headers: \"" + k + "\" is not a valid gRPC metadata entry");
  }
  return Status::ok();
}

namespace {

Result<std::string> readFile(const std::string& what, const std::string& path) {
  std::ifstream in(path);
  if (!in) return invalidArgument("tls." + what + " \"" + path + "\" cannot be read");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string targetOf(const std::string& endpoint) {
  for (const char* scheme : {"http://", "https://"}) {
    if (endpoint.rfind(scheme, 0) == 0) return endpoint.substr(std::strlen(scheme));
  }
  return endpoint;
}

class Exporter final : public pipeline::SyncExporter {
 public:
  Exporter(const component::Settings& s, const Config& c,
           const std::vector<pipeline::Signal>& signals)
      : SyncExporter(s, signals, c), config_(c) {}

  Status start(component::Host& host) override {
    std::shared_ptr<grpc::ChannelCredentials> creds;
    bool plain = config_.tls.insecure || config_.endpoint.rfind("http://", 0) == 0;
    if (plain) {
      creds = grpc::InsecureChannelCredentials();
    } else {
      grpc::SslCredentialsOptions opts;
      const std::tuple<const char*, const std::string*, std::string*> files[] = {
          {"ca_file", &config_.tls.ca_file, &opts.pem_root_certs},
          {"cert_file", &config_.tls.cert_file, &opts.pem_cert_chain},
          {"key_file", &config_.tls.key_file, &opts.pem_private_key}};
      for (const auto& [what, path, out] : files) {
        if (path->empty()) continue;
        auto pem = readFile(what, *path);
        if (!pem.isOk()) return pem.status();
        *out = std::move(pem).value();
      }
      creds = grpc::SslCredentials(opts);
    }
    grpc::ChannelArguments args;
    // Responses are tiny; cap them so a hostile server cannot make us buffer a huge message.
    args.SetMaxReceiveMessageSize(4 << 20);
    args.SetMaxSendMessageSize(-1);
    channel_ = grpc::CreateCustomChannel(targetOf(config_.endpoint), creds, args);
    stub_ = std::make_unique<grpc::GenericStub>(channel_);
    return SyncExporter::start(host);
  }

 protected:
  Status push(const model::Traces& d) override {
    return send(d, "/opentelemetry.proto.collector.trace.v1.TraceService/Export");
  }
  Status push(const model::Metrics& d) override {
    return send(d, "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export");
  }
  Status push(const model::Logs& d) override {
    return send(d, "/opentelemetry.proto.collector.logs.v1.LogsService/Export");
  }
  bool sendsEncoded() const override { return true; }
  Status pushEncoded(pipeline::Signal signal, std::string_view body) override {
    switch (signal) {
      case pipeline::Signal::kMetrics:
        return sendBody(body, "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export");
      case pipeline::Signal::kLogs:
        return sendBody(body, "/opentelemetry.proto.collector.logs.v1.LogsService/Export");
      case pipeline::Signal::kTraces:
        break;
    }
    return sendBody(body, "/opentelemetry.proto.collector.trace.v1.TraceService/Export");
  }

 private:
  template <typename T>
  Status send(const T& data, const std::string& method) {
    std::string body;
    model::otlp::encode(data, body);
    return sendBody(body, method);
  }

  Status sendBody(std::string_view body, const std::string& method) {
    if (!stub_) return unavailable("exporter not started");
    grpc::Slice slice(body.data(), body.size());
    grpc::ByteBuffer request(&slice, 1);
    grpc::ByteBuffer response;
    grpc::ClientContext ctx;
    ctx.set_deadline(
        std::chrono::system_clock::now() +
        std::chrono::duration_cast<std::chrono::system_clock::duration>(config_.timeout));
    for (const auto& [k, v] : config_.headers) ctx.AddMetadata(lower(k), v);
    if (config_.compression == "gzip") ctx.set_compression_algorithm(GRPC_COMPRESS_GZIP);
    std::promise<grpc::Status> done;
    auto result = done.get_future();
    stub_->UnaryCall(&ctx, method, grpc::StubOptions(), &request, &response,
                     [&done](grpc::Status st) { done.set_value(std::move(st)); });
    grpc::Status st = result.get();
    if (st.ok()) return Status::ok();
    // Normalise the downstream answer to the two cases our callers act on (OTLP spec: these
    // codes are retryable, everything else is permanent), so that e.g. a downstream
    // UNIMPLEMENTED does not reach our own clients as 404.
    std::string msg = "export to " + config_.endpoint + " failed: gRPC status " +
                      std::to_string(st.error_code()) + " " + st.error_message();
    int retry_after = model::otlp::decodeRetryAfterSeconds(st.error_details());
    switch (st.error_code()) {
      case grpc::StatusCode::CANCELLED:
      case grpc::StatusCode::DEADLINE_EXCEEDED:
      case grpc::StatusCode::ABORTED:
      case grpc::StatusCode::OUT_OF_RANGE:
      case grpc::StatusCode::UNAVAILABLE:
      case grpc::StatusCode::DATA_LOSS: {
        Status out = unavailable(std::move(msg));
        if (retry_after > 0) out.withRetryAfter(retry_after);
        return out;
      }
      case grpc::StatusCode::RESOURCE_EXHAUSTED:
        // Retryable only when the server says when (RetryInfo), per the OTLP spec.
        if (retry_after > 0)
          return std::move(unavailable(std::move(msg)).withRetryAfter(retry_after));
        return invalidArgument(std::move(msg));
      default:
        return invalidArgument(std::move(msg));
    }
  }

  static std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  }

  Config config_;
  std::shared_ptr<grpc::Channel> channel_;  // shared: gRPC's API hands channels out as shared_ptr
  std::unique_ptr<grpc::GenericStub> stub_;
};

}  // namespace

std::unique_ptr<pipeline::ExporterFactory> makeFactory() {
  return std::make_unique<pipeline::AllSignalsExporterFactory<Config, Exporter>>(
      "otlp", "Sends telemetry to an OTLP/gRPC endpoint.");
}

}  // namespace periscope::components::otlp_exporter
