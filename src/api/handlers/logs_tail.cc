#include "api/handlers/logs_tail.h"

#include <algorithm>
#include <string>
#include <utility>

#include "api/handlers/periscope_logs.h"
#include "api/json/log_record_encoder.h"

namespace periscope::api {

// One client's buffer between the store's writer threads (accept) and its connection (flush,
// onWritten on server threads). At most one write is in flight; what arrives meanwhile waits in
// `pending_` up to the configured bounds, and past them is dropped and counted. Shared by the
// tail sink, the TailClient and in-flight write callbacks; it holds no subscription, so whoever
// drops the last reference (a writer thread included) destroys nothing that calls back.
class TailInbox : public std::enable_shared_from_this<TailInbox> {
 public:
  TailInbox(const LogsTailOptions& options, LogsTailCounters& counters)
      : options_(options), counters_(counters) {}

  // On a writer thread: never waits for the client. Encodes only what fits.
  void accept(model::Logs&& matched, std::vector<query::Fields>&& fields) {
    size_t total = matched.itemCount();
    size_t room_records = 0;
    size_t room_bytes = 0;
    {
      std::lock_guard lock(mu_);
      if (closed_) return;
      room_records = options_.buffer_records - std::min(pending_records_, options_.buffer_records);
      room_bytes = options_.buffer_bytes - std::min(pending_.size(), options_.buffer_bytes);
    }
    // Encoded events back to back, and where each ends: one buffer per batch, not per record.
    std::string encoded;
    std::vector<size_t> ends;
    size_t i = 0;
    for (const model::ResourceLogs& rl : matched.resources()) {
      for (const model::ScopeLogs& sl : rl.scope_logs) {
        for (const model::LogRecord& record : sl.log_records) {
          if (ends.size() >= room_records || encoded.size() >= room_bytes) break;
          encoded += "event: log\ndata: ";
          model::otlp::JsonWriter w(encoded);
          writeLogRecord(w, encoded, rl, sl, record, i < fields.size() ? &fields[i] : nullptr);
          encoded += "\n\n";
          ends.push_back(encoded.size());
          ++i;
        }
      }
    }
    std::unique_lock lock(mu_);
    if (closed_) return;
    // Another writer thread may have taken some of the room meanwhile: take what still fits.
    size_t accepted = 0;
    size_t bytes = pending_.size();
    while (accepted < ends.size() && pending_records_ + accepted < options_.buffer_records &&
           bytes < options_.buffer_bytes) {
      bytes += ends[accepted] - (accepted > 0 ? ends[accepted - 1] : 0);
      ++accepted;
    }
    if (accepted > 0) {
      if (unreported_drops_ > 0) appendDropped();  // the gap comes before these records
      pending_.append(encoded, 0, ends[accepted - 1]);
      pending_records_ += accepted;
    }
    unreported_drops_ += total - accepted;
    counters_.records_dropped += total - accepted;
    flush(lock);
  }

  void attach(std::shared_ptr<http::BodyStream> stream) {
    std::unique_lock lock(mu_);
    if (closed_) return;
    stream_ = std::move(stream);
    flush(lock);
  }

  void detach() {
    std::lock_guard lock(mu_);
    closed_ = true;
    stream_.reset();
    pending_.clear();
  }

  // A comment line, which EventSource ignores, so that proxies and clients see the connection
  // is alive; only when nothing else is under way.
  void keepAlive() {
    std::unique_lock lock(mu_);
    if (closed_ || !stream_ || writing_ || !pending_.empty()) return;
    pending_ = ": keep-alive\n\n";
    flush(lock);
  }

 private:
  void appendDropped() {
    pending_ += "event: dropped\ndata: {\"dropped\":" + std::to_string(unreported_drops_) + "}\n\n";
    unreported_drops_ = 0;
  }

  // Hands everything pending to the connection as one chunk, unless a write is in flight (its
  // completion flushes again). Once the buffer is empty, owed drop counts go out too.
  void flush(std::unique_lock<std::mutex>& lock) {
    if (writing_ || !stream_ || closed_) return;
    if (pending_.empty() && unreported_drops_ > 0) appendDropped();
    if (pending_.empty()) return;
    std::string chunk;
    chunk.swap(pending_);
    size_t records = std::exchange(pending_records_, 0);
    writing_ = true;
    std::shared_ptr<http::BodyStream> stream = stream_;
    lock.unlock();
    // false: the stream has ended, and the TailClient's onClosed is on its way.
    (void)stream->write(std::move(chunk),
                        [self = shared_from_this(), records] { self->onWritten(records); });
  }

  void onWritten(size_t records) {
    counters_.records_sent += records;
    std::unique_lock lock(mu_);
    writing_ = false;
    flush(lock);
  }

  const LogsTailOptions options_;
  LogsTailCounters& counters_;
  std::mutex mu_;
  std::string pending_;  // complete SSE events
  size_t pending_records_ = 0;
  uint64_t unreported_drops_ = 0;
  bool writing_ = false;
  bool closed_ = false;
  std::shared_ptr<http::BodyStream> stream_;
};

namespace {

// The server's side of one tail: owns the store subscription, which ends in onClosed (or, if
// the stream never opened, in the destructor) — never on a writer thread, since the sink holds
// only the inbox.
class TailClient final : public http::StreamSource {
 public:
  TailClient(std::atomic<size_t>& active, LogsTailCounters& counters,
             std::shared_ptr<TailInbox> inbox)
      : active_(active), counters_(counters), inbox_(std::move(inbox)) {
    ++counters_.clients;
  }
  ~TailClient() override { end(); }

  void setSubscription(std::unique_ptr<storage::logs::TailSubscription> s) {
    subscription_ = std::move(s);
  }
  void onOpen(std::shared_ptr<http::BodyStream> body) override { inbox_->attach(std::move(body)); }
  void onClosed() override { end(); }

 private:
  void end() {
    if (ended_) return;
    ended_ = true;
    --counters_.clients;
    --active_;
    subscription_.reset();  // after this the sink is never called again
    inbox_->detach();
  }

  std::atomic<size_t>& active_;
  LogsTailCounters& counters_;
  std::shared_ptr<TailInbox> inbox_;
  std::unique_ptr<storage::logs::TailSubscription> subscription_;
  bool ended_ = false;
};

}  // namespace

LogsTail::LogsTail(const LogsBackend& backend, LogsTailOptions options, LogsTailCounters* counters)
    : backend_(backend),
      options_(options),
      counters_(counters != nullptr ? *counters : own_counters_) {}

LogsTail::~LogsTail() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (keepalive_thread_.joinable()) keepalive_thread_.join();
}

http::Response LogsTail::handle(const ApiRequest& request) {
  std::string_view text;
  auto expr = parseLogsQuery(request.query, text);
  if (!expr.isOk()) return periscopeFailure(expr.status());
  if (expr->isMetric())
    return periscopeError(400, "query: the tail takes a log query, not a metric query");
  if (active_.fetch_add(1) >= options_.max_clients) {
    --active_;
    http::Response r = periscopeError(
        429, "too many live tails (limit " + std::to_string(options_.max_clients) + ")");
    r.setHeader("Retry-After", "5");
    return r;
  }
  auto inbox = std::make_shared<TailInbox>(options_, counters_);
  // From here on the client owns the admission: destroying it (an error below) gives it back.
  auto client = std::make_shared<TailClient>(active_, counters_, inbox);
  auto subscription =
      backend_.tail(text, [inbox](model::Logs&& matched, std::vector<query::Fields>&& fields) {
        inbox->accept(std::move(matched), std::move(fields));
      });
  if (!subscription.isOk()) {
    const Status& st = subscription.status();
    // What the service refuses here is the query itself (e.g. a `| limit` stage).
    if (st.code() == StatusCode::kInvalidArgument)
      return periscopeError(400, "query: " + std::string(st.message()));
    return periscopeFailure(st);
  }
  client->setSubscription(std::move(*subscription));
  {
    std::lock_guard lock(mu_);
    std::erase_if(inboxes_, [](const std::weak_ptr<TailInbox>& w) { return w.expired(); });
    inboxes_.push_back(inbox);
    if (!keepalive_thread_.joinable()) keepalive_thread_ = std::thread([this] { keepAliveLoop(); });
  }
  http::Response r;
  r.status = 200;
  r.setHeader("Content-Type", "text/event-stream; charset=utf-8");
  r.setHeader("Cache-Control", "no-cache");
  r.setHeader("X-Accel-Buffering", "no");  // nginx: pass events through unbuffered
  r.stream = std::move(client);
  return r;
}

void LogsTail::keepAliveLoop() {
  std::unique_lock lock(mu_);
  while (!wake_.wait_for(lock, options_.keepalive, [this] { return stopping_; })) {
    std::vector<std::shared_ptr<TailInbox>> live;
    for (const auto& w : inboxes_) {
      if (auto inbox = w.lock()) live.push_back(std::move(inbox));
    }
    lock.unlock();
    for (const auto& inbox : live) inbox->keepAlive();
    live.clear();
    lock.lock();
  }
}

}  // namespace periscope::api
