// Live tail of logs as server-sent events: GET /api/periscope/logs/tail?query=… streams one
// `event: log` per newly stored record that matches, over http::Server's streaming mode.
// Backpressure without slowing ingest: the store hands matches to the sink on its writer thread,
// which only appends them to a bounded per-client buffer; a client that reads too slowly loses
// records (counted), and hears how many through an `event: dropped` once it has caught up.
// One LogsTail per router; it must outlive the server that serves the router (so that every
// client has ended before it goes). Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "api/handlers/logs_backend.h"
#include "api/http/router.h"

namespace periscope::api {

class TailInbox;

struct LogsTailOptions {
  size_t max_clients = 64;         // more concurrent tails are answered 429
  size_t buffer_records = 1000;    // per client: records waiting for the client, at most…
  size_t buffer_bytes = 1u << 20;  // …and bytes of their events (one record may overshoot)
  std::chrono::milliseconds keepalive{15'000};  // a comment to idle clients this often
};

// Totals over the tail clients of one router, for self-metrics and tests.
struct LogsTailCounters {
  std::atomic<int64_t> clients{0};           // connected now
  std::atomic<uint64_t> records_sent{0};     // written to a client's connection
  std::atomic<uint64_t> records_dropped{0};  // dropped: the client's buffer was full
};

class LogsTail {
 public:
  // `counters` may be null; when set it must outlive this.
  LogsTail(const LogsBackend& backend, LogsTailOptions options, LogsTailCounters* counters);
  ~LogsTail();
  LogsTail(const LogsTail&) = delete;
  LogsTail& operator=(const LogsTail&) = delete;

  http::Response handle(const ApiRequest& request);

 private:
  void keepAliveLoop();

  const LogsBackend& backend_;
  const LogsTailOptions options_;
  LogsTailCounters own_counters_;
  LogsTailCounters& counters_;
  std::atomic<size_t> active_{0};  // clients admitted and not yet ended

  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::vector<std::weak_ptr<TailInbox>> inboxes_;  // for keep-alives
  std::thread keepalive_thread_;                   // started with the first client
};

}  // namespace periscope::api
