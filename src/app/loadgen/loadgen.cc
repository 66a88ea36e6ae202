#include "app/loadgen/loadgen.h"

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <future>
#include <mutex>
#include <thread>

#include "app/http_client.h"
#include "app/loadgen/log_workload.h"
#include "app/loadgen/workload.h"
#include "config/duration.h"
#include "model/otlp/json_encoder.h"
#include "model/otlp/proto_encoder.h"

namespace periscope::app::loadgen {
namespace {

struct Counters {
  std::atomic<uint64_t> requests{0};
  std::atomic<uint64_t> failed{0};
  std::atomic<uint64_t> spans_ok{0};
  std::atomic<uint64_t> spans_failed{0};
  std::atomic<bool> stop{false};
  std::mutex error_mu;
  std::string first_error;
  void fail(uint64_t spans, const std::string& why) {
    failed++;
    spans_failed += spans;
    std::lock_guard lock(error_mu);
    if (first_error.empty()) first_error = why;
  }
};

// Sends one request and reports "" on success, else the error, through `done` (possibly later,
// on another thread). Senders that cannot pipeline call `done` before returning.
using SendDone = std::function<void(const std::string& error)>;
class Sender {
 public:
  virtual ~Sender() = default;
  virtual void send(const std::string& body, SendDone done) = 0;
};

class GrpcSender final : public Sender {
 public:
  GrpcSender(const std::string& endpoint, bool logs)
      : method_(logs ? "/opentelemetry.proto.collector.logs.v1.LogsService/Export"
                     : "/opentelemetry.proto.collector.trace.v1.TraceService/Export") {
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);  // one TCP connection per sender
    args.SetMaxSendMessageSize(-1);
    channel_ = grpc::CreateCustomChannel(endpoint, grpc::InsecureChannelCredentials(), args);
    stub_ = std::make_unique<grpc::GenericStub>(channel_);
  }
  void send(const std::string& body, SendDone done) override {
    struct Call {
      grpc::ClientContext ctx;
      grpc::ByteBuffer request;
      grpc::ByteBuffer response;
    };
    auto call = std::make_shared<Call>();
    grpc::Slice slice(body);
    call->request = grpc::ByteBuffer(&slice, 1);
    call->ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    stub_->UnaryCall(
        &call->ctx, method_, grpc::StubOptions(), &call->request, &call->response,
        [call, done = std::move(done)](grpc::Status st) {
          done(st.ok() ? ""
                       : "gRPC " + std::to_string(st.error_code()) + ": " + st.error_message());
        });
  }

 private:
  std::string method_;
  std::shared_ptr<grpc::Channel> channel_;  // shared: gRPC's API
  std::unique_ptr<grpc::GenericStub> stub_;
};

class HttpSender final : public Sender {
 public:
  HttpSender(const std::string& endpoint, bool json, bool logs)
      : client_({json ? "Content-Type: application/json" : "Content-Type: application/x-protobuf",
                 "Expect:"}) {
    url_ = endpoint.rfind("http", 0) == 0 ? endpoint : "http://" + endpoint;
    if (url_.find("/v1/") == std::string::npos) url_ += logs ? "/v1/logs" : "/v1/traces";
  }
  void send(const std::string& body, SendDone done) override { done(post(body)); }

 private:
  std::string post(const std::string& body) {
    HttpResponse r = client_.post(url_, body, std::chrono::seconds(10));
    if (r.outcome != HttpResponse::Outcome::kOk) return "HTTP: " + r.error;
    return r.status == 200 ? "" : "HTTP " + std::to_string(r.status);
  }

  HttpClient client_;
  std::string url_;
};

std::unique_ptr<Sender> makeSender(const Options& o) {
  bool logs = o.signal == "logs";
  if (o.protocol == "grpc") return std::make_unique<GrpcSender>(o.endpoint, logs);
  return std::make_unique<HttpSender>(o.endpoint, o.protocol == "http-json", logs);
}

}  // namespace

Summary run(const Options& o) {
  WorkloadOptions w;
  w.spans_per_request = o.spans_per_request;
  w.seed = o.seed;
  w.id_format = o.id_format;
  Encoding encoding = o.protocol == "http-json" ? Encoding::kJson : Encoding::kProtobuf;
  bool logs = o.signal == "logs";
  auto pool = logs ? encodeLogRequests(w, encoding) : encodeRequests(w, encoding);
  Counters c;
  // Requests handed out so far across connections, for --total.
  std::atomic<uint64_t> claimed{0};
  uint64_t max_requests = o.total == 0
                              ? UINT64_MAX
                              : (o.total + static_cast<uint64_t>(o.spans_per_request) - 1) /
                                    static_cast<uint64_t>(o.spans_per_request);
  auto start = std::chrono::steady_clock::now();
  auto end = start + o.duration;
  std::vector<std::thread> workers;
  for (int i = 0; i < o.connections; ++i) {
    workers.emplace_back([&, i] {
      struct Slots {
        std::mutex mu;
        std::condition_variable cv;
        int in_flight = 0;
      } slots;  // requests of this connection awaiting an answer
      auto sender = makeSender(o);
      // with_logs: a second connection for the correlated logs (counted as requests only).
      std::unique_ptr<Sender> log_sender;
      if (o.with_logs && o.live && !logs) {
        Options lo = o;
        lo.signal = "logs";
        log_sender = makeSender(lo);
      }
      // Waits for a free slot of this connection, then sends; the answer frees it.
      auto send = [&](Sender& to, const std::string& body, bool counted) {
        {
          std::unique_lock lock(slots.mu);
          slots.cv.wait(lock, [&] { return slots.in_flight < o.inflight; });
          ++slots.in_flight;
        }
        to.send(body, [&c, &o, &slots, counted](const std::string& err) {
          c.requests++;
          uint64_t items = counted ? static_cast<uint64_t>(o.spans_per_request) : 0;
          if (err.empty())
            c.spans_ok += items;
          else
            c.fail(items, err);
          std::lock_guard lock(slots.mu);
          --slots.in_flight;
          slots.cv.notify_all();
        });
      };
      std::chrono::duration<double> interval(0);
      if (o.rate > 0)
        interval = std::chrono::duration<double>(o.spans_per_request * o.connections / o.rate);
      auto next = std::chrono::steady_clock::now();
      auto cancelled = [&] { return o.cancel != nullptr && o.cancel->load(); };
      for (size_t n = static_cast<size_t>(i);
           !cancelled() && std::chrono::steady_clock::now() < end; n++) {
        if (o.rate > 0) {
          std::this_thread::sleep_until(next);  // pacing to the requested rate
          if (cancelled()) break;
          next += std::chrono::duration_cast<std::chrono::steady_clock::duration>(interval);
          if (std::chrono::steady_clock::now() >= end) break;
        }
        if (claimed.fetch_add(1) >= max_requests) break;
        std::string live_request;
        std::string live_logs;  // with_logs: the logs written while serving live_request's spans
        if (o.live) {
          // Starting now (the pool's default base is a minute ago): a live system's spans.
          auto now_ns =
              static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count());
          uint64_t seed = o.seed * 1000003 + 16 + n;
          auto encode = [&](const auto& batch, std::string& out) {
            if (o.protocol == "http-json")
              model::otlp::encodeJson(batch, out);
            else
              model::otlp::encode(batch, out);
          };
          if (logs) {
            encode(makeLogs(o.spans_per_request, seed, now_ns), live_request);
          } else {
            model::Traces t =
                makeTraces(o.spans_per_request, seed, Profile::kStandard, now_ns, o.id_format);
            encode(t, live_request);
            if (log_sender) encode(makeLogsForTraces(t, seed), live_logs);
          }
        }
        send(*sender, o.live ? live_request : pool[n % pool.size()], true);
        if (!live_logs.empty()) send(*log_sender, live_logs, false);
      }
      std::unique_lock lock(slots.mu);
      slots.cv.wait(lock, [&] { return slots.in_flight == 0; });
    });
  }
  std::thread progress;
  if (!o.quiet) {
    progress = std::thread([&] {
      std::mutex m;
      std::condition_variable cv;
      uint64_t last = 0;
      while (!c.stop) {
        std::unique_lock lock(m);
        cv.wait_for(lock, std::chrono::seconds(1), [&] { return c.stop.load(); });
        uint64_t now_ok = c.spans_ok + c.spans_failed;
        double elapsed =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        const char* items = logs ? "records" : "spans";
        std::fprintf(stderr, "\r[%5.1fs] sent %llu %s (%.0f %s/s), accepted %llu, refused %llu   ",
                     elapsed, static_cast<unsigned long long>(now_ok), items,
                     static_cast<double>(now_ok - last), items,
                     static_cast<unsigned long long>(c.spans_ok.load()),
                     static_cast<unsigned long long>(c.spans_failed.load()));
        last = now_ok;
      }
      std::fprintf(stderr, "\n");
    });
  }
  for (auto& t : workers) t.join();
  c.stop = true;
  if (progress.joinable()) progress.join();
  Summary s;
  s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  s.requests_sent = c.requests;
  s.requests_failed = c.failed;
  s.spans_accepted = c.spans_ok;
  s.spans_refused = c.spans_failed;
  s.spans_sent = c.spans_ok + c.spans_failed;
  if (!c.first_error.empty()) std::fprintf(stderr, "first error: %s\n", c.first_error.c_str());
  return s;
}

namespace {

void usage() {
  std::puts(
      "Usage: periscope loadgen [options]\n"
      "Sends synthetic OTLP traces or logs (pre-encoded, realistic) and prints a summary.\n\n"
      "  --endpoint HOST:PORT       target (default 127.0.0.1:4317; http-* default "
      "127.0.0.1:4318)\n"
      "  --protocol P               grpc | http-protobuf | http-json (default grpc)\n"
      "  --signal S                 traces | logs (default traces); for logs, \"spans\" below\n"
      "                             means log records\n"
      "  --rate N|max               spans per second, or max for as fast as possible (default "
      "10000)\n"
      "  --duration D               how long, e.g. 10s, 1m (default 10s)\n"
      "  --total N                  stop after N spans (whole requests; with no --duration,\n"
      "                             runs until then)\n"
      "  --spans-per-request N      spans in each request (default 512)\n"
      "  --connections N            parallel connections (default 2)\n"
      "  --inflight N               requests awaiting an answer per gRPC connection (default 8;\n"
      "                             HTTP sends one at a time per connection)\n"
      "  --seed N                   workload seed (default 1)\n"
      "  --live                     a freshly generated request (new trace ids, current\n"
      "                             timestamps) per send instead of a repeated pool\n"
      "  --with-logs                with --live traces: also send the logs their services write\n"
      "                             (same trace and span ids) on a second connection\n"
      "  --id-format F              random | xray (default random): xray trace ids start with\n"
      "                             the request's epoch seconds, as AWS X-Ray requires\n"
      "  --quiet                    no progress line\n");
}

}  // namespace

int runCli(int argc, char** argv) {
  Options o;
  bool endpoint_set = false;
  bool duration_set = false;
  for (int i = 0; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](const char* name) -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "loadgen: %s needs a value\n", name);
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--help" || a == "-h") {
      usage();
      return 0;
    } else if (a == "--endpoint") {
      o.endpoint = value("--endpoint");
      endpoint_set = true;
    } else if (a == "--protocol") {
      o.protocol = value("--protocol");
      if (o.protocol != "grpc" && o.protocol != "http-protobuf" && o.protocol != "http-json") {
        std::fprintf(stderr,
                     "loadgen: --protocol must be grpc, http-protobuf or http-json, got \"%s\"\n",
                     o.protocol.c_str());
        return 2;
      }
    } else if (a == "--signal") {
      o.signal = value("--signal");
      if (o.signal != "traces" && o.signal != "logs") {
        std::fprintf(stderr, "loadgen: --signal must be traces or logs, got \"%s\"\n",
                     o.signal.c_str());
        return 2;
      }
    } else if (a == "--rate") {
      std::string v = value("--rate");
      o.rate = v == "max" ? 0 : std::atof(v.c_str());
      if (v != "max" && o.rate <= 0) {
        std::fprintf(stderr, "loadgen: --rate must be a positive number or max, got \"%s\"\n",
                     v.c_str());
        return 2;
      }
    } else if (a == "--duration") {
      std::string v = value("--duration");
      auto d = config::parseDuration(v);
      if (!d || d->count() <= 0) {
        std::fprintf(stderr, "loadgen: --duration must look like 10s or 1m, got \"%s\"\n",
                     v.c_str());
        return 2;
      }
      o.duration = std::chrono::duration_cast<std::chrono::milliseconds>(*d);
      duration_set = true;
    } else if (a == "--total") {
      std::string v = value("--total");
      o.total = std::strtoull(v.c_str(), nullptr, 10);
      if (o.total == 0) {
        std::fprintf(stderr, "loadgen: --total must be a positive count, got \"%s\"\n", v.c_str());
        return 2;
      }
    } else if (a == "--spans-per-request") {
      o.spans_per_request = std::atoi(value("--spans-per-request").c_str());
      if (o.spans_per_request <= 0) {
        std::fprintf(stderr, "loadgen: --spans-per-request must be positive\n");
        return 2;
      }
    } else if (a == "--connections") {
      o.connections = std::atoi(value("--connections").c_str());
      if (o.connections <= 0) {
        std::fprintf(stderr, "loadgen: --connections must be positive\n");
        return 2;
      }
    } else if (a == "--inflight") {
      o.inflight = std::atoi(value("--inflight").c_str());
      if (o.inflight <= 0) {
        std::fprintf(stderr, "loadgen: --inflight must be positive\n");
        return 2;
      }
    } else if (a == "--seed") {
      o.seed = std::strtoull(value("--seed").c_str(), nullptr, 10);
    } else if (a == "--live") {
      o.live = true;
    } else if (a == "--with-logs") {
      o.with_logs = true;
    } else if (a == "--id-format") {
      std::string v = value("--id-format");
      if (!parseIdFormat(v, o.id_format)) {
        std::fprintf(stderr, "loadgen: --id-format must be random or xray, got \"%s\"\n",
                     v.c_str());
        return 2;
      }
    } else if (a == "--quiet") {
      o.quiet = true;
    } else {
      std::fprintf(stderr, "loadgen: unknown option \"%s\" (see periscope loadgen --help)\n",
                   a.c_str());
      return 2;
    }
  }
  if (!endpoint_set && o.protocol != "grpc") o.endpoint = "127.0.0.1:4318";
  if (o.with_logs && (!o.live || o.signal != "traces")) {
    std::fprintf(stderr, "loadgen: --with-logs needs --live and --signal traces\n");
    return 2;
  }
  if (o.total > 0 && !duration_set) o.duration = std::chrono::hours(24 * 365);
  Summary s = run(o);
  // Field names say what was counted, so scripts parsing traces runs keep working.
  const char* items = o.signal == "logs" ? "records" : "spans";
  std::printf(
      "summary: signal=%s protocol=%s requests=%llu failed_requests=%llu sent_%s=%llu "
      "accepted_%s=%llu refused_%s=%llu seconds=%.2f %s_per_second=%.0f\n",
      o.signal.c_str(), o.protocol.c_str(), static_cast<unsigned long long>(s.requests_sent),
      static_cast<unsigned long long>(s.requests_failed), items,
      static_cast<unsigned long long>(s.spans_sent), items,
      static_cast<unsigned long long>(s.spans_accepted), items,
      static_cast<unsigned long long>(s.spans_refused), s.seconds, items,
      s.seconds > 0 ? static_cast<double>(s.spans_accepted) / s.seconds : 0.0);
  return s.spans_refused > 0 ? 1 : 0;
}

}  // namespace periscope::app::loadgen
