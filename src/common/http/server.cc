#include "common/http/server.h"

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

#include "common/logging.h"

namespace periscope::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

std::string_view Request::header(std::string_view lower_name) const {
  for (const auto& [k, v] : headers) {
    if (k == lower_name) return v;
  }
  return {};
}

Response Response::text(int status, std::string body, std::string content_type) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  r.setHeader("Content-Type", std::move(content_type));
  return r;
}

Status splitHostPort(std::string_view endpoint, std::string& host, uint16_t& port) {
  size_t colon = endpoint.rfind(':');
  if (colon == std::string_view::npos) {
    return invalidArgument("endpoint \"" + std::string(endpoint) + "\" must be host:port");
  }
  host = std::string(endpoint.substr(0, colon));
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  if (host.empty()) host = "127.0.0.1";
  if (host == "localhost") host = "127.0.0.1";
  std::string_view p = endpoint.substr(colon + 1);
  if (p.empty() || p.size() > 5)
    return invalidArgument("endpoint \"" + std::string(endpoint) + "\": invalid port");
  unsigned v = 0;
  for (char c : p) {
    if (c < '0' || c > '9')
      return invalidArgument("endpoint \"" + std::string(endpoint) + "\": invalid port");
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  if (v > 65535)
    return invalidArgument("endpoint \"" + std::string(endpoint) + "\": port out of range");
  port = static_cast<uint16_t>(v);
  return Status::ok();
}

namespace {

// A request body that appends into a std::string without zero-filling it first (Beast's
// string_body resizes, which memsets every byte before copying over it).
struct AppendBody {
  using value_type = std::string;
  class reader {
   public:
    template <bool isRequest, class Fields>
    reader(bhttp::header<isRequest, Fields>&, value_type& body) : body_(body) {}
    void init(const boost::optional<std::uint64_t>& length, beast::error_code& ec) {
      if (length) body_.reserve(static_cast<size_t>(*length));
      ec = {};
    }
    template <class ConstBufferSequence>
    std::size_t put(const ConstBufferSequence& buffers, beast::error_code& ec) {
      size_t n = 0;
      for (auto it = asio::buffer_sequence_begin(buffers); it != asio::buffer_sequence_end(buffers);
           ++it) {
        asio::const_buffer b = *it;
        body_.append(static_cast<const char*>(b.data()), b.size());
        n += b.size();
      }
      ec = {};
      return n;
    }
    void finish(beast::error_code& ec) { ec = {}; }

   private:
    value_type& body_;
  };
};

constexpr size_t kReadBufferBytes = 128 << 10;
constexpr size_t kDiscardChunk = 64 << 10;
constexpr auto kLingerTime = std::chrono::seconds(2);

// One concrete executor type (no any_executor type erasure on every I/O operation).
using Executor = asio::strand<asio::io_context::executor_type>;
using Stream = beast::basic_stream<tcp, Executor>;

class Session;
class SessionBodyStream;
class BeastServer;

// State shared by the server and its sessions that outlives the io_context, so that a late
// Respond (from a pipeline still flushing after the server stopped) finds out instead of
// touching a destroyed context.
struct Guard {
  std::mutex mu;
  std::condition_variable idle;
  bool alive = true;
  std::atomic<bool> draining{false};  // finish current requests, start no new ones
  std::atomic<int> inflight{0};
  std::atomic<size_t> body_bytes{0};  // declared lengths of bodies being received or handled
  // Sessions whose request is with a handler: nothing else keeps them alive (there is no
  // pending I/O). Owned here, not by the Respond callback, so that stop() can destroy them
  // while the io_context still exists.
  std::map<Session*, std::shared_ptr<Session>> waiting;
  // Sessions that answered with a stream (StreamSource): stop() ends them so that every source
  // hears onClosed while the server's owner still exists.
  std::map<Session*, std::weak_ptr<Session>> streaming;
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(asio::basic_stream_socket<tcp, Executor> socket, const ServerOptions& options,
          const Handler& handler, std::shared_ptr<Guard> guard)
      : stream_(std::move(socket)),
        options_(options),
        handler_(handler),
        guard_(std::move(guard)) {}
  ~Session() {
    endRequest();
    if (source_) {  // the answer was never written (the server stopped first)
      unregisterStream();
      std::exchange(source_, nullptr)->onClosed();
    }
  }

  void run() {
    // Beast sizes each socket read by the buffer's free capacity; a small buffer means a
    // syscall per kilobyte of a large body.
    buffer_.reserve(kReadBufferBytes);
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read(); });
  }

 private:
  void read() {
    if (guard_->draining) return close();  // shutting down: no new request on this connection
    parser_.emplace();
    parser_->body_limit(options_.max_body_bytes);
    parser_->header_limit(static_cast<uint32_t>(options_.max_header_bytes));
    stream_.expires_after(first_ ? options_.read_header_timeout : options_.idle_timeout);
    bhttp::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->onHeader(ec); });
  }

  void onHeader(beast::error_code ec) {
    if (ec) return onRead(ec);
    // A request has begun: from here on Server::drain waits for its answer.
    guard_->inflight.fetch_add(1);
    counted_ = true;
    // Bodies being received count against a server-wide budget: many slow uploads of large
    // bodies must not grow memory without bound (nothing downstream sees them yet).
    if (auto length = parser_->content_length();
        length && *length > 0 && *length <= options_.max_body_bytes) {  // larger: 413 below
      size_t n = static_cast<size_t>(*length);
      if (guard_->body_bytes.fetch_add(n) + n > options_.max_pending_body_bytes) {
        guard_->body_bytes.fetch_sub(n);
        return writeError(503, "too many request bodies in progress; retry later",
                          /*retry_after=*/1);
      }
      body_reserved_ = n;
    }
    if (parser_->is_done()) return onRead({});
    stream_.expires_after(options_.idle_timeout);
    bhttp::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->onRead(ec); });
  }

  void onRead(beast::error_code ec) {
    first_ = false;
    if (ec == bhttp::error::end_of_stream || ec == asio::error::eof ||
        ec == beast::error::timeout || ec == asio::error::operation_aborted ||
        ec == asio::error::connection_reset) {
      return close();
    }
    if (ec == bhttp::error::body_limit) {
      return writeError(413, "request body too large (limit " +
                                 std::to_string(options_.max_body_bytes) + " bytes)");
    }
    if (ec == bhttp::error::header_limit) return writeError(431, "request headers too large");
    if (ec) return writeError(400, "malformed HTTP request: " + ec.message());

    auto msg = parser_->release();
    Request req;
    req.method = std::string(msg.method_string());
    req.target = std::string(msg.target());
    req.path = req.target.substr(0, req.target.find('?'));
    for (const auto& f : msg) {
      std::string name(f.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      req.headers.emplace_back(std::move(name), std::string(f.value()));
    }
    req.body = std::move(msg.body());
    beast::error_code rec;
    auto ep = stream_.socket().remote_endpoint(rec);
    if (!rec) req.remote_address = ep.address().to_string() + ":" + std::to_string(ep.port());
    keep_alive_ = msg.keep_alive();
    version_ = msg.version();
    stream_.expires_never();
    {
      std::lock_guard lock(guard_->mu);
      guard_->waiting[this] = shared_from_this();
    }
    Session* raw = this;
    std::shared_ptr<Guard> guard = guard_;
    handler_(std::move(req), [raw, guard](Response resp) {
      std::shared_ptr<Session> self;
      {
        std::lock_guard lock(guard->mu);
        auto it = guard->waiting.find(raw);
        if (it == guard->waiting.end()) return;  // answered already, or the server is gone
        self = std::move(it->second);
        guard->waiting.erase(it);
        self->releaseBody();
        if (resp.stream) {
          self->source_ = resp.stream;
          guard->streaming[raw] = self;
        }
        if (guard->alive) {
          asio::post(self->stream_.get_executor(),
                     [self, resp = std::move(resp)]() mutable { self->write(std::move(resp)); });
          return;
        }
      }
      self->endRequest();
    });
  }

  // A request that has begun is finished once its answer has been written (or the connection
  // failed), which is what Server::drain waits for.
  void endRequest() {
    releaseBody();
    if (!counted_) return;
    counted_ = false;
    if (guard_->inflight.fetch_sub(1) == 1) {
      std::lock_guard lock(guard_->mu);
      guard_->idle.notify_all();
    }
  }

  void writeError(int status, std::string message, int retry_after = 0) {
    keep_alive_ = false;
    // The client may still be sending the body we refused: read and drop it before closing,
    // or the kernel answers the unread data with a reset that destroys our response.
    linger_ = true;
    Response r = Response::text(status, std::move(message) + "\n");
    if (retry_after > 0) r.setHeader("Retry-After", std::to_string(retry_after));
    write(std::move(r));
  }

  void write(Response resp) {
    if (resp.stream) return startStream(std::move(resp));
    auto res = std::make_shared<bhttp::response<bhttp::string_body>>();
    res->version(version_ ? version_ : 11);
    res->result(static_cast<unsigned>(resp.status));
    res->set(bhttp::field::server, "periscope");
    for (auto& [k, v] : resp.headers) res->set(k, v);
    res->body() = std::move(resp.body);
    if (guard_->draining) keep_alive_ = false;  // tell the client this connection is closing
    res->keep_alive(keep_alive_);
    res->prepare_payload();
    stream_.expires_after(options_.idle_timeout);
    bhttp::async_write(stream_, *res,
                       [self = shared_from_this(), res](beast::error_code ec, size_t) {
                         self->endRequest();
                         if (!ec && self->linger_) return self->lingeringClose();
                         if (ec || !self->keep_alive_) return self->close();
                         self->read();
                       });
  }

  // Half-closes, then discards what the client still sends for a bounded time before closing.
  void lingeringClose() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return close();
    stream_.expires_after(kLingerTime);
    discard();
  }
  void discard() {
    if (!discard_buffer_) discard_buffer_ = std::make_unique<char[]>(kDiscardChunk);
    stream_.async_read_some(asio::buffer(discard_buffer_.get(), kDiscardChunk),
                            [self = shared_from_this()](beast::error_code ec, size_t) {
                              if (ec) return self->close();  // EOF, timeout or reset
                              self->discard();
                            });
  }

  void close() {
    endRequest();
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.socket().close(ec);
  }

  // ---- Streamed bodies (StreamSource): headers, then chunks from a queue, one write at a time.
  friend class SessionBodyStream;

  struct Outgoing {
    std::string data;
    std::function<void()> on_written;
    bool last = false;  // the terminating chunk
  };

  void startStream(Response resp) {
    auto res = std::make_shared<bhttp::response<bhttp::empty_body>>();
    res->version(version_ ? version_ : 11);
    res->result(static_cast<unsigned>(resp.status));
    res->set(bhttp::field::server, "periscope");
    for (auto& [k, v] : resp.headers) res->set(k, v);
    // HTTP/1.0 has no chunked encoding: there the body simply ends with the connection.
    chunked_ = res->version() >= 11;
    if (chunked_) res->chunked(true);
    res->keep_alive(false);
    auto serializer = std::make_shared<bhttp::response_serializer<bhttp::empty_body>>(*res);
    stream_.expires_after(options_.idle_timeout);
    bhttp::async_write_header(
        stream_, *serializer,
        [self = shared_from_this(), res, serializer](beast::error_code ec, size_t) {
          self->endRequest();  // a stream never holds up Server::drain
          if (ec || !self->source_) return self->finishStream();
          self->stream_open_ = true;
          self->watchDisconnect();
          self->openStream();
        });
  }
  void openStream();  // defined after SessionBodyStream

  // SSE clients send nothing after their request, so a completed read means they went away
  // (EOF or reset); anything they do send is ignored. On the raw socket, so that the stream's
  // timeout applies to writes only.
  void watchDisconnect() {
    if (!discard_buffer_) discard_buffer_ = std::make_unique<char[]>(kDiscardChunk);
    stream_.socket().async_read_some(asio::buffer(discard_buffer_.get(), kDiscardChunk),
                                     [self = shared_from_this()](beast::error_code ec, size_t) {
                                       if (ec) return self->finishStream();
                                       self->watchDisconnect();
                                     });
  }

  void streamWrite(Outgoing out) {
    if (!stream_open_) return;
    if (out.last) stream_open_ = false;  // nothing may follow the terminating chunk
    outgoing_.push_back(std::move(out));
    if (!writing_) writeNext();
  }

  void writeNext() {
    if (outgoing_.empty() || stream_ended_) return;
    writing_ = true;
    stream_.expires_after(options_.idle_timeout);  // a client that stops reading is cut off
    auto done = [self = shared_from_this()](beast::error_code ec, size_t) {
      self->onStreamWritten(ec);
    };
    const Outgoing& out = outgoing_.front();
    if (out.last && !chunked_) return asio::post(stream_.get_executor(), [done] { done({}, 0); });
    if (out.last) return asio::async_write(stream_, bhttp::make_chunk_last(), done);
    // An empty chunk would read as the terminating one: write nothing, report it written.
    if (out.data.empty()) return asio::post(stream_.get_executor(), [done] { done({}, 0); });
    if (chunked_)
      return asio::async_write(stream_, bhttp::make_chunk(asio::buffer(out.data)), done);
    asio::async_write(stream_, asio::buffer(out.data), done);
  }

  void onStreamWritten(beast::error_code ec) {
    writing_ = false;
    if (ec || stream_ended_) return finishStream();
    Outgoing out = std::move(outgoing_.front());
    outgoing_.pop_front();
    if (out.last) return finishStream();
    if (out.on_written) out.on_written();
    writeNext();
  }

  friend class BeastServer;  // stop() ends open streams

  // Ends a stream for any reason, once: closes the connection and tells the source. On the
  // session's strand, or from Server::stop() once the io threads are gone.
  void finishStream() {
    stream_ended_ = true;
    stream_open_ = false;
    outgoing_.clear();
    close();
    if (!source_) return;
    unregisterStream();
    std::exchange(source_, nullptr)->onClosed();
  }

  void unregisterStream() {
    std::lock_guard lock(guard_->mu);
    guard_->streaming.erase(this);
  }

  Stream stream_;
  const ServerOptions& options_;
  const Handler& handler_;
  std::shared_ptr<Guard> guard_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<AppendBody>> parser_;
  bool keep_alive_ = true;
  bool linger_ = false;
  bool counted_ = false;  // this connection's current request counts as in flight
  // This request's share of Guard::body_bytes; given back as soon as the handler answers (from
  // any thread), so a client that reads the answer and sends again finds the budget free.
  std::atomic<size_t> body_reserved_{0};

  void releaseBody() {
    if (size_t n = body_reserved_.exchange(0); n > 0) guard_->body_bytes.fetch_sub(n);
  }
  std::unique_ptr<char[]> discard_buffer_;
  bool first_ = true;
  unsigned version_ = 11;
  // Streaming state; source_ is set by the Respond callback (the session has no I/O pending
  // then), everything else lives on the strand.
  std::shared_ptr<StreamSource> source_;
  std::deque<Outgoing> outgoing_;
  bool chunked_ = true;
  bool writing_ = false;
  bool stream_open_ = false;               // accepting writes
  std::atomic<bool> stream_ended_{false};  // read by SessionBodyStream from any thread
};

// BodyStream over a session: hops onto the session's strand. Holds the session weakly, so a
// source that keeps its BodyStream after onClosed keeps no connection alive.
class SessionBodyStream final : public BodyStream {
 public:
  SessionBodyStream(const std::shared_ptr<Session>& session, std::shared_ptr<Guard> guard)
      : session_(session), guard_(std::move(guard)) {}

  bool write(std::string chunk, std::function<void()> on_written) override {
    return post(Session::Outgoing{std::move(chunk), std::move(on_written), false});
  }
  void close() override { post(Session::Outgoing{{}, {}, true}); }

 private:
  bool post(Session::Outgoing out) {
    // Declared before the lock: should this be the last reference, the session is destroyed
    // after the lock is released (its destructor takes the same lock).
    std::shared_ptr<Session> session = session_.lock();
    std::lock_guard lock(guard_->mu);
    // Once the server stopped its io_context may be gone: post nothing then.
    if (!session || !guard_->alive || session->stream_ended_) return false;
    asio::post(session->stream_.get_executor(),
               [session, out = std::move(out)]() mutable { session->streamWrite(std::move(out)); });
    return true;
  }

  std::weak_ptr<Session> session_;
  std::shared_ptr<Guard> guard_;
};

void Session::openStream() {
  source_->onOpen(std::make_shared<SessionBodyStream>(shared_from_this(), guard_));
}

class BeastServer final : public Server {
 public:
  BeastServer(ServerOptions options, Handler handler)
      : options_(std::move(options)),
        handler_(std::move(handler)),
        ioc_(options_.threads),
        acceptor_(asio::make_strand(ioc_)),
        accept_retry_(acceptor_.get_executor()) {}
  ~BeastServer() override { stop(); }

  Status listen() {
    std::string host;
    uint16_t port = 0;
    PERISCOPE_RETURN_IF_ERROR(splitHostPort(options_.endpoint, host, port));
    beast::error_code ec;
    auto addr = asio::ip::make_address(host, ec);
    if (ec) return invalidArgument("endpoint \"" + options_.endpoint + "\": invalid address");
    tcp::endpoint ep(addr, port);
    acceptor_.open(ep.protocol(), ec);
    if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(ep, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      return unavailable("cannot listen on " + options_.endpoint + ": " + ec.message());
    }
    port_ = acceptor_.local_endpoint().port();
    accept();
    // While a handler holds a request there is no pending I/O on its connection; without this
    // guard the io threads would return from run() once draining closes the acceptor, and the
    // answer posted later would never be written.
    work_.emplace(ioc_.get_executor());
    for (int i = 0; i < std::max(1, options_.threads); ++i) {
      threads_.emplace_back([this] { ioc_.run(); });
    }
    return Status::ok();
  }

  uint16_t port() const override { return port_; }

  bool drain(std::chrono::steady_clock::time_point deadline) override {
    guard_->draining = true;
    closeAcceptor();
    std::unique_lock lock(guard_->mu);
    return guard_->idle.wait_until(lock, deadline, [this] { return guard_->inflight.load() == 0; });
  }

  void stop() override {
    std::lock_guard lock(stop_mu_);
    if (stopped_) return;
    stopped_ = true;
    {
      std::lock_guard glock(guard_->mu);
      guard_->alive = false;
    }
    closeAcceptor();
    work_.reset();
    ioc_.stop();
    for (auto& t : threads_) {
      if (t.joinable()) t.join();
    }
    // Open streams end now, so that their sources hear onClosed before stop() returns (no io
    // thread runs any more, so this cannot race the sessions' strands).
    std::map<Session*, std::weak_ptr<Session>> streaming;
    {
      std::lock_guard glock(guard_->mu);
      streaming.swap(guard_->streaming);
    }
    for (auto& [raw, weak] : streaming) {
      if (std::shared_ptr<Session> session = weak.lock()) session->finishStream();
    }
    // Sessions still waiting for an answer die now, while their io_context exists.
    std::map<Session*, std::shared_ptr<Session>> waiting;
    {
      std::lock_guard glock(guard_->mu);
      waiting.swap(guard_->waiting);
    }
  }

 private:
  void accept() {
    acceptor_.async_accept(
        asio::make_strand(ioc_.get_executor()),
        [this](beast::error_code ec, asio::basic_stream_socket<tcp, Executor> socket) {
          if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
          if (ec) {
            // E.g. out of file descriptors: retry shortly instead of spinning on the error.
            accept_retry_.expires_after(std::chrono::milliseconds(50));
            accept_retry_.async_wait([this](beast::error_code wec) {
              if (!wec && acceptor_.is_open()) accept();
            });
            return;
          }
          socket.set_option(tcp::no_delay(true), ec);
          std::make_shared<Session>(std::move(socket), options_, handler_, guard_)->run();
          accept();
        });
  }

  // On the acceptor's strand: accept handlers run there too, so the two never race.
  void closeAcceptor() {
    asio::post(acceptor_.get_executor(), [this] {
      beast::error_code ec;
      acceptor_.close(ec);
      accept_retry_.cancel();
    });
  }

  ServerOptions options_;
  Handler handler_;
  asio::io_context ioc_;
  tcp::acceptor acceptor_;
  asio::steady_timer accept_retry_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  std::vector<std::thread> threads_;
  uint16_t port_ = 0;
  std::shared_ptr<Guard> guard_ = std::make_shared<Guard>();
  std::mutex stop_mu_;
  bool stopped_ = false;
};

}  // namespace

Result<std::unique_ptr<Server>> Server::start(ServerOptions options, Handler handler) {
  auto server = std::make_unique<BeastServer>(std::move(options), std::move(handler));
  Status st = server->listen();
  if (!st.isOk()) return st;
  return std::unique_ptr<Server>(std::move(server));
}

}  // namespace periscope::http
