// A small asynchronous HTTP/1.1 server (Boost.Beast underneath, hidden in server.cc) shared by
// the OTLP/HTTP receiver, health_check, the self-metrics listener and later the query API.
// Handlers answer through `Respond`, which may be called later from any thread (exactly once);
// the connection reads its next request only after answering. Enforces a raw body limit (413),
// a header limit (431) and a header read timeout (slowloris). A response may also stream its
// body (server-sent events, live tails): see StreamSource.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace periscope::http {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method;
  std::string target;  // path and query as received
  std::string path;    // target without the query
  Headers headers;     // names lower-cased
  std::string body;
  std::string remote_address;
  std::string_view header(std::string_view lower_name) const;
};

// The writing end of a streamed response body, handed to StreamSource::onOpen. Thread-safe;
// every method returns at once (it never waits for the network).
class BodyStream {
 public:
  virtual ~BodyStream() = default;
  // Queues `chunk` (one HTTP chunk; empty chunks are skipped) after those written before.
  // `on_written` runs later on a server thread once the socket took the bytes: that is the
  // backpressure signal — a caller that waits for it before writing more holds at most one
  // chunk in the server. It never runs from inside write(), and not at all once the stream has
  // ended. false (and `on_written` dropped) when the stream has already ended.
  virtual bool write(std::string chunk, std::function<void()> on_written = {}) = 0;
  // Ends the body after the chunks queued so far, then the connection. Idempotent.
  virtual void close() = 0;
};

// Implemented by a handler whose answer is a stream. The server writes the response's status
// and headers (chunked transfer encoding; `Connection: close`, since the stream ends the
// connection), then calls onOpen. From then on it watches the connection: the client going
// away, a write failing or stalling past idle_timeout, close(), or the server stopping ends the
// stream and calls onClosed. onClosed is called exactly once for every source the server took
// (also when the headers could not be written, then without onOpen), on a server thread or in
// Server::stop(); never concurrently with onOpen.
class StreamSource {
 public:
  virtual ~StreamSource() = default;
  virtual void onOpen(std::shared_ptr<BodyStream> body) = 0;
  virtual void onClosed() = 0;
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  // When set, the body is streamed by this source instead of `body`. Shared: the handler keeps
  // its own reference to feed it, the server one until onClosed.
  std::shared_ptr<StreamSource> stream = nullptr;
  void setHeader(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
  }
  static Response text(int status, std::string body,
                       std::string content_type = "text/plain; charset=utf-8");
};

using Respond = std::function<void(Response)>;
using Handler = std::function<void(Request&&, Respond)>;

struct ServerOptions {
  std::string endpoint = "127.0.0.1:0";  // host:port; port 0 picks a free port
  size_t max_body_bytes = 20u << 20;
  size_t max_header_bytes = 8u << 10;
  // Declared body bytes of all requests in progress (received or with a handler); past it new
  // requests get 503 + Retry-After, so slow uploads cannot grow memory without bound.
  size_t max_pending_body_bytes = size_t{512} << 20;
  std::chrono::milliseconds read_header_timeout{60'000};
  std::chrono::milliseconds idle_timeout{60'000};
  int threads = 2;
  std::string name = "http";  // for logs
};

class Server {
 public:
  virtual ~Server() = default;
  // Binds and starts serving; the bind error (e.g. address in use) is returned here.
  static Result<std::unique_ptr<Server>> start(ServerOptions options, Handler handler);
  virtual uint16_t port() const = 0;
  // Stops accepting and waits until every request taken has been answered (a streamed answer
  // once its headers are written: streams end in stop()); false on timeout.
  virtual bool drain(std::chrono::steady_clock::time_point deadline) = 0;
  // Stops accepting, closes connections, joins threads. Idempotent.
  virtual void stop() = 0;
};

// Splits "host:port"; accepts "[::1]:4318" and ":4318" (empty host = 127.0.0.1).
Status splitHostPort(std::string_view endpoint, std::string& host, uint16_t& port);

}  // namespace periscope::http
