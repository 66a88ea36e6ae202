#include "components/receivers/otlp/grpc_server.h"

#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/grpcpp.h>

#include "common/logging.h"
#include "components/receivers/otlp/export_handler.h"
#include "model/otlp/proto_encoder.h"

namespace periscope::components::otlp_receiver {
namespace {

constexpr std::string_view kTraceMethod =
    "/opentelemetry.proto.collector.trace.v1.TraceService/Export";
constexpr std::string_view kMetricsMethod =
    "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export";
constexpr std::string_view kLogsMethod =
    "/opentelemetry.proto.collector.logs.v1.LogsService/Export";

struct Shared {
  pipeline::Consumers next;
  pipeline::ReceiverObs obs;
};

// One unary Export call. gRPC owns the reactor's lifetime through OnDone (the callback API's
// contract), hence the self-delete there.
class ExportReactor final : public grpc::ServerGenericBidiReactor {
 public:
  ExportReactor(grpc::GenericCallbackServerContext* ctx, Shared& shared)
      : method_(ctx->method()), shared_(shared) {
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "no request message"));
      return;
    }
    std::string body;
    std::vector<grpc::Slice> slices;
    if (!request_.Dump(&slices).ok()) {
      Finish(grpc::Status(grpc::StatusCode::INTERNAL, "cannot read request"));
      return;
    }
    body.reserve(request_.Length());
    for (const auto& s : slices) body.append(reinterpret_cast<const char*>(s.begin()), s.size());
    auto reply = [this](ExportResult r) { answer(std::move(r)); };
    if (method_ == kTraceMethod) {
      handleExport(std::move(body), WireFormat::kProtobuf, shared_.next.traces, shared_.obs, reply);
    } else if (method_ == kMetricsMethod) {
      handleExport(std::move(body), WireFormat::kProtobuf, shared_.next.metrics, shared_.obs,
                   reply);
    } else if (method_ == kLogsMethod) {
      handleExport(std::move(body), WireFormat::kProtobuf, shared_.next.logs, shared_.obs, reply);
    } else {
      Finish(grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "unknown method " + method_));
    }
  }

  void OnDone() override { delete this; }

 private:
  void answer(ExportResult r) {
    if (!r.status.isOk()) {
      auto code = static_cast<grpc::StatusCode>(r.status.code());
      std::string message(r.status.message());
      if (r.status.retryAfterSeconds() > 0) {
        // Throttling: UNAVAILABLE with RetryInfo, so clients wait as told (OTLP spec).
        Finish(grpc::Status(code, message,
                            model::otlp::encodeRpcStatus(static_cast<int32_t>(code), message,
                                                         r.status.retryAfterSeconds())));
      } else {
        Finish(grpc::Status(code, message));
      }
      return;
    }
    std::string bytes = model::otlp::encodeExportResponse(r.rejected, r.message);
    grpc::Slice slice(bytes);
    response_ = grpc::ByteBuffer(&slice, 1);
    StartWriteAndFinish(&response_, grpc::WriteOptions(), grpc::Status::OK);
  }

  std::string method_;
  Shared& shared_;
  grpc::ByteBuffer request_;
  grpc::ByteBuffer response_;
};

class Service final : public grpc::CallbackGenericService {
 public:
  explicit Service(Shared& shared) : shared_(shared) {}
  grpc::ServerGenericBidiReactor* CreateReactor(grpc::GenericCallbackServerContext* ctx) override {
    return new ExportReactor(ctx, shared_);  // deleted by OnDone
  }

 private:
  Shared& shared_;
};

class GrpcServerImpl final : public GrpcServer {
 public:
  GrpcServerImpl(const pipeline::Consumers& next, const component::ComponentId& id)
      : shared_{next, pipeline::ReceiverObs(id, "grpc")}, service_(shared_) {}

  ~GrpcServerImpl() override { shutdown(std::chrono::steady_clock::now()); }

  Status start(const GrpcServerConfig& cfg) {
    grpc::ServerBuilder builder;
    builder.AddListeningPort(cfg.endpoint, grpc::InsecureServerCredentials(), &port_);
    builder.SetMaxReceiveMessageSize(cfg.max_recv_msg_size_mib * (1 << 20));
    if (cfg.max_concurrent_streams > 0) {
      builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS,
                                 static_cast<int>(cfg.max_concurrent_streams));
    }
    builder.RegisterCallbackGenericService(&service_);
    server_ = builder.BuildAndStart();
    if (!server_ || port_ == 0) {
      return unavailable("cannot listen on " + cfg.endpoint + " (address in use or invalid)");
    }
    return Status::ok();
  }

  int port() const override { return port_; }

  void shutdown(std::chrono::steady_clock::time_point deadline) override {
    if (!server_) return;
    // gRPC deadlines are on the system clock.
    auto remaining = deadline - std::chrono::steady_clock::now();
    server_->Shutdown(std::chrono::system_clock::now() +
                      std::chrono::duration_cast<std::chrono::system_clock::duration>(remaining));
    server_->Wait();
    server_.reset();
  }

 private:
  Shared shared_;
  Service service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

}  // namespace

Result<std::unique_ptr<GrpcServer>> GrpcServer::start(const GrpcServerConfig& config,
                                                      const pipeline::Consumers& next,
                                                      const component::ComponentId& id) {
  auto s = std::make_unique<GrpcServerImpl>(next, id);
  PERISCOPE_RETURN_IF_ERROR(s->start(config));
  return std::unique_ptr<GrpcServer>(std::move(s));
}

}  // namespace periscope::components::otlp_receiver
