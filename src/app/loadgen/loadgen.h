// `periscope loadgen`: sends pre-encoded OTLP trace (or log) requests to an endpoint at a fixed
// rate or as fast as possible, over several connections, printing a progress line every second and
// a final summary (sent, accepted, refused, spans/s). The generator does no encoding while it runs,
// so it is never the bottleneck of what it measures.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

#include "app/loadgen/workload.h"

namespace periscope::app::loadgen {

struct Options {
  std::string endpoint = "127.0.0.1:4317";
  std::string protocol = "grpc";  // grpc | http-protobuf | http-json
  std::string signal = "traces";  // traces | logs (log_workload.h); "spans" below are records
  double rate = 10000;            // spans per second; 0 = as fast as possible ("max")
  std::chrono::milliseconds duration{10'000};
  uint64_t total = 0;  // stop after sending this many spans/records (whole requests); 0 = no cap
  int spans_per_request = 512;
  int connections = 2;
  int inflight = 8;  // per gRPC connection; the generator sends open-loop up to this many
  uint64_t seed = 1;
  // Encode a fresh request (new ids, timestamps = now) for every send instead of cycling a
  // pre-encoded pool: what a store or the demo needs; costs generator CPU.
  bool live = false;
  // With live traces: also send, on a second connection, the logs the spans' services write
  // (log_workload.h makeLogsForTraces), so that traces and logs correlate (the demo).
  bool with_logs = false;
  // kXray: trace ids start with the request's epoch seconds, as X-Ray requires (traces only).
  IdFormat id_format = IdFormat::kRandom;
  bool quiet = false;                         // no progress line
  const std::atomic<bool>* cancel = nullptr;  // stops the run early when set
};

struct Summary {
  uint64_t requests_sent = 0;
  uint64_t requests_failed = 0;
  uint64_t spans_sent = 0;
  uint64_t spans_accepted = 0;
  uint64_t spans_refused = 0;
  double seconds = 0;
};

Summary run(const Options& options);
int runCli(int argc, char** argv);

}  // namespace periscope::app::loadgen
