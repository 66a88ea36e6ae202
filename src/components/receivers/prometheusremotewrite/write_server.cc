#include "components/receivers/prometheusremotewrite/write_server.h"

#include "common/compression.h"
#include "common/logging.h"
#include "components/receivers/prometheusremotewrite/to_metrics.h"

namespace periscope::components::prometheusremotewrite_receiver {
namespace {

constexpr auto kMetrics = component::Signal::kMetrics;

std::string_view mediaType(std::string_view content_type) {
  auto t = content_type.substr(0, content_type.find(';'));
  while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
  return t;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

http::Response refusal(const Status& st) {
  // Prometheus drops a batch on 4xx and retries it on 5xx: only refusals that may succeed
  // later get a 5xx.
  bool retryable = st.isRetryable() || st.code() == StatusCode::kResourceExhausted;
  http::Response r = http::Response::text(retryable ? 503 : 400, std::string(st.message()) + "\n");
  if (retryable) {
    int after = st.retryAfterSeconds();
    r.setHeader("Retry-After", std::to_string(after > 0 ? after : 1));
  }
  return r;
}

}  // namespace

int64_t WriteServer::systemNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

WriteServer::WriteServer(const Config& config, pipeline::Consumer<model::Metrics>* next,
                         const component::ComponentId& id, Clock now_ms)
    : config_(config),
      now_ms_(std::move(now_ms)),
      next_(next),
      id_(id.toString()),
      obs_(id, "http") {}

WriteServer::~WriteServer() {
  shutdown(std::chrono::steady_clock::now());
}

Status WriteServer::start() {
  http::ServerOptions opts;
  opts.endpoint = config_.endpoint;
  opts.max_body_bytes = static_cast<size_t>(config_.max_request_body_size);
  opts.read_header_timeout =
      std::chrono::duration_cast<std::chrono::milliseconds>(config_.read_header_timeout);
  opts.idle_timeout = std::chrono::duration_cast<std::chrono::milliseconds>(config_.idle_timeout);
  opts.name = "prometheusremotewrite";
  auto server = http::Server::start(opts, [this](http::Request&& req, http::Respond respond) {
    handle(std::move(req), std::move(respond));
  });
  if (!server.isOk()) return server.status();
  server_ = std::move(server).value();
  return Status::ok();
}

void WriteServer::shutdown(std::chrono::steady_clock::time_point deadline) {
  if (!server_) return;
  server_->drain(deadline);
  server_->stop();
  server_.reset();
}

void WriteServer::handle(http::Request&& req, http::Respond respond) {
  if (req.path != kWritePath) {
    respond(http::Response::text(404, "404 page not found\n"));
    return;
  }
  if (req.method != "POST") {
    http::Response r = http::Response::text(405, req.method + " method not allowed, use POST\n");
    r.setHeader("Allow", "POST");
    respond(std::move(r));
    return;
  }
  std::string_view content_type = req.header("content-type");
  std::string_view type = mediaType(content_type);
  if (!type.empty() && type != "application/x-protobuf") {
    respond(http::Response::text(415, "unsupported Content-Type \"" + std::string(content_type) +
                                          "\"; expected application/x-protobuf\n"));
    return;
  }
  if (content_type.find("io.prometheus.write.v2") != std::string_view::npos) {
    respond(http::Response::text(
        415,
        "remote write 2.0 (io.prometheus.write.v2.Request) is not supported; send "
        "prometheus.WriteRequest (remote write 1.0)\n"));
    return;
  }
  // Prometheus always snappy-compresses; a missing header is read as snappy, like Prometheus's
  // own receiver does.
  std::string encoding = lower(req.header("content-encoding"));
  if (!encoding.empty() && encoding != "snappy") {
    respond(http::Response::text(
        415, "unsupported Content-Encoding \"" + encoding + "\"; expected snappy\n"));
    return;
  }
  auto body = compression::decompress(compression::Encoding::kSnappy, req.body,
                                      static_cast<size_t>(config_.max_request_body_size));
  req.body = std::string();
  if (!body.isOk()) {
    bool too_large = body.status().code() == StatusCode::kResourceExhausted;
    respond(http::Response::text(
        too_large ? 413 : 400,
        std::string(too_large ? "" : "snappy: ") + std::string(body.status().message()) + "\n"));
    return;
  }
  auto arena = std::make_shared<Arena>();
  std::string_view bytes = arena->adopt(std::move(body).value());
  auto request = model::prom::decodeWriteRequest(bytes, *arena);
  if (!request.isOk()) {
    respond(http::Response::text(400, std::string(request.status().message()) + "\n"));
    return;
  }
  size_t samples = request->sampleCount();
  metadata_.update(request->metadata);
  ConversionOptions options;
  options.cache = &metadata_;
  if (config_.time_threshold > 0) {
    options.min_timestamp_ms = now_ms_() - config_.time_threshold * 3'600'000;
  }
  model::Metrics metrics(arena);
  auto converted = toMetrics(*request, options, metrics);
  if (!converted.isOk()) {
    obs_.refused(kMetrics, samples);
    respond(http::Response::text(400, std::string(converted.status().message()) + "\n"));
    return;
  }
  Conversion c = std::move(converted).value();
  if (c.dropped > 0) {
    obs_.refused(kMetrics, c.dropped);
    log::debug(id_, "samples dropped",
               {{"count", std::to_string(c.dropped)}, {"first", c.first_drop}});
  }
  if (c.points == 0) {
    respond(http::Response{204, {}, {}});
    return;
  }
  if (next_ == nullptr) {  // the factory only builds metrics receivers; defensive
    respond(http::Response::text(500, "metrics pipeline not connected\n"));
    return;
  }
  next_->consume(std::move(metrics),
                 [this, points = c.points, respond = std::move(respond)](Status st) {
                   if (st.isOk()) {
                     obs_.accepted(kMetrics, points);
                     respond(http::Response{204, {}, {}});
                     return;
                   }
                   obs_.refused(kMetrics, points);
                   respond(refusal(st));
                 });
}

}  // namespace periscope::components::prometheusremotewrite_receiver
