#include "components/receivers/filelog/tailer.h"

#include <fcntl.h>
#include <fnmatch.h>
#include <glob.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "common/logging.h"

namespace periscope::components::filelog {

// A batch handed to the pipeline: the bytes [begin, end) of the file (absolute offsets) and
// the entries cut from them, kept so that a refused batch is sent again exactly as it was.
struct Tailer::Flight {
  // kRefused: retryable, sent again later; kRejected: refused for good (e.g. INVALID_ARGUMENT),
  // dropped and counted.
  enum class State { kSending, kAccepted, kRefused, kRejected };
  uint64_t begin = 0, end = 0;
  std::vector<Splitter::Piece> pieces;  // relative to begin
  // Set for a refused batch whose file was truncated under it: its bytes, kept here (they are
  // no longer in the file), sent until accepted; begin/end then no longer count.
  std::string orphan;
  size_t records = 0;
  State state = State::kSending;  // guarded by Sync::mu
  Status error;
};

struct Tailer::Reader {
  std::string path;
  dev_t dev = 0;
  ino_t ino = 0;
  int fd = -1;
  std::string fingerprint;  // first min(size, fingerprint_size) bytes
  uint64_t offset = 0;      // everything before was accepted by the pipeline
  std::string buffer;       // bytes read after `offset`, from buffer_pos on
  size_t buffer_pos = 0;
  uint64_t sent = 0;  // absolute offset of the first byte not handed to the pipeline yet
  std::deque<std::shared_ptr<Flight>> flights;  // oldest first; the front is not accepted
  // Batches after `offset` accepted before a restart (from the checkpoint): passed over, not
  // sent again. Ascending; the bytes before each one are cut as they were, up to its start.
  std::deque<std::pair<uint64_t, uint64_t>> skip;
  std::chrono::steady_clock::time_point last_growth;
  bool matched = true;  // the path matched the globs in this cycle
  // Retryable refusals in a row, and when the refused batches may go again (backoff).
  unsigned refusals = 0;
  std::chrono::steady_clock::time_point retry_at;
  bool moved = false;  // it had another path in the cycle before
  // A new file with nothing read yet, which may turn out to be the copy of an open file
  // (copytruncate) once it has content.
  bool copy_candidate = false;
  // The copy of the open file `original_*`, not read while that file is intact (it reads the
  // same lines itself); released at the original's offset when it is truncated or closed.
  bool is_copy = false;
  dev_t original_dev = 0;
  ino_t original_ino = 0;

  ~Reader() {
    if (fd >= 0) ::close(fd);
  }
  size_t pending() const { return buffer.size() - buffer_pos; }
  uint64_t readEnd() const { return offset + pending(); }
  // The buffered bytes from absolute offset `at` on.
  std::string_view from(uint64_t at) const {
    return std::string_view(buffer).substr(buffer_pos + static_cast<size_t>(at - offset));
  }
};

namespace {

// Reads up to `n` bytes at `offset` into `out`; fewer at end of file or on error.
size_t preadInto(int fd, uint64_t offset, char* out, size_t n) {
  size_t got = 0;
  while (got < n) {
    ssize_t r = ::pread(fd, out + got, n - got, static_cast<off_t>(offset + got));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    got += static_cast<size_t>(r);
  }
  return got;
}

std::string preadUpTo(int fd, uint64_t offset, size_t n) {
  std::string out(n, '\0');
  out.resize(preadInto(fd, offset, out.data(), n));
  return out;
}

uint64_t unixNanosNow() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

// Whether sending the same batch again can succeed. RESOURCE_EXHAUSTED inside the pipeline is
// a full queue or a memory limit, which passes (as the other receivers treat it).
bool retryable(const Status& st) {
  return st.isRetryable() || st.code() == StatusCode::kResourceExhausted;
}

bool isPrefix(const std::string& shorter, const std::string& longer) {
  return !shorter.empty() && shorter.size() <= longer.size() &&
         longer.compare(0, shorter.size(), shorter) == 0;
}

}  // namespace

Tailer::Tailer(const Config& config, pipeline::LogsConsumer& next, pipeline::StorageClient* storage,
               Clock clock, TailerLimits limits)
    : config_(config),
      next_(next),
      storage_(storage),
      clock_(clock ? std::move(clock) : [] { return std::chrono::steady_clock::now(); }),
      limits_(limits),
      chain_(OperatorChain::build(config.operators)),
      splitter_(config.multiline, config.maxLogBytes()),
      builder_(config_, chain_),
      fingerprint_size_(config.fingerprintBytes()) {
  // A whole entry must fit in one read, or it could never complete.
  limits_.max_batch_bytes = std::max<size_t>(limits_.max_batch_bytes, config.maxLogBytes() + 1);
}

Tailer::~Tailer() {
  close();
}

Status Tailer::restore() {
  if (storage_ == nullptr) return Status::ok();
  auto doc = storage_->get(kCheckpointKey);
  if (!doc.isOk()) return doc.status();
  if (!doc->has_value()) return Status::ok();
  Status st = decodeCheckpoints(**doc, restored_);
  if (!st.isOk()) {
    log::error("filelog", "ignoring unreadable checkpoints; start_at applies",
               {{"reason", std::string(st.message())}});
    restored_.clear();
  }
  return Status::ok();
}

std::vector<std::string> Tailer::matchFiles() const {
  std::vector<std::string> out;
  for (const auto& pattern : config_.include) {
    glob_t g{};
    if (::glob(pattern.c_str(), GLOB_NOSORT | GLOB_BRACE | GLOB_TILDE, nullptr, &g) == 0) {
      for (size_t i = 0; i < g.gl_pathc; ++i) out.emplace_back(g.gl_pathv[i]);
    }
    ::globfree(&g);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  std::erase_if(out, [&](const std::string& path) {
    for (const auto& ex : config_.exclude) {
      if (::fnmatch(ex.c_str(), path.c_str(), FNM_PATHNAME) == 0) return true;
    }
    struct stat st {};
    return ::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode);
  });
  return out;
}

bool Tailer::wasTruncated(const Reader& r) const {
  struct stat st {};
  if (::fstat(r.fd, &st) != 0) return false;
  if (static_cast<uint64_t>(st.st_size) < r.readEnd()) return true;
  return !r.fingerprint.empty() && preadUpTo(r.fd, 0, r.fingerprint.size()) != r.fingerprint;
}

std::unique_ptr<Tailer::Reader> Tailer::openReader(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    // Once per path, not every cycle.
    if (unreadable_.insert(path).second)
      log::warn("filelog", "cannot open file", {{"path", path}, {"error", std::strerror(errno)}});
    return nullptr;
  }
  unreadable_.erase(path);
  auto r = std::make_unique<Reader>();
  r->fd = fd;
  r->path = path;
  struct stat st {};
  ::fstat(fd, &st);
  r->dev = st.st_dev;
  r->ino = st.st_ino;
  r->fingerprint = preadUpTo(fd, 0, fingerprint_size_);
  r->last_growth = clock_();
  uint64_t size = static_cast<uint64_t>(st.st_size);

  // 1. A checkpoint from before the restart (the longest matching fingerprint wins).
  auto best = restored_.end();
  for (auto it = restored_.begin(); it != restored_.end(); ++it) {
    if (isPrefix(it->fingerprint, r->fingerprint) &&
        (best == restored_.end() || it->fingerprint.size() > best->fingerprint.size()))
      best = it;
  }
  if (best != restored_.end()) {
    r->offset = best->offset <= size ? best->offset : 0;
    if (best->offset > size) ++stats_.truncations;
    if (best->offset <= size) r->skip.assign(best->accepted.begin(), best->accepted.end());
    restored_.erase(best);
    return r;
  }
  // 2. New: files there at startup honour start_at; later ones are read from the beginning,
  //    unless they are the copy of an open file (resolveCopy decides before the first read;
  //    at startup, only files resumed from a checkpoint can be originals).
  r->offset = (first_poll_ && config_.start_at == "end") ? size : 0;
  r->copy_candidate = true;
  return r;
}

void Tailer::discover(const std::vector<std::string>& paths) {
  for (auto& r : readers_) r->matched = false;
  // Known inodes first, so that every open file has its current path and `moved` before new
  // files are compared with them (copy detection).
  std::vector<const std::string*> fresh;
  for (const auto& path : paths) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) continue;
    auto it = std::find_if(readers_.begin(), readers_.end(), [&](const auto& r) {
      return r->dev == st.st_dev && r->ino == st.st_ino;
    });
    if (it == readers_.end()) {
      fresh.push_back(&path);
      continue;
    }
    (*it)->matched = true;
    (*it)->moved = (*it)->path != path;
    (*it)->path = path;  // renamed within the glob: same file, same offset
  }
  for (const std::string* path : fresh) {
    auto r = openReader(*path);
    if (r == nullptr) continue;
    r->sent = r->offset;
    ++stats_.files_opened;
    readers_.push_back(std::move(r));
  }
}

Tailer::Reader* Tailer::findReader(dev_t dev, ino_t ino) const {
  for (const auto& r : readers_) {
    if (r->dev == dev && r->ino == ino) return r.get();
  }
  return nullptr;
}

bool Tailer::releaseCopiesOf(const Reader& original) {
  bool released = false;
  for (auto& c : readers_) {
    if (!c->is_copy || c->original_dev != original.dev || c->original_ino != original.ino) continue;
    struct stat st {};
    uint64_t size = ::fstat(c->fd, &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
    c->is_copy = false;
    c->offset = c->sent = std::min(original.offset, size);
    // The copy has the same bytes at the same offsets: the original's batches accepted after
    // its offset are passed over, its refused ones are read again from the copy.
    c->skip.clear();
    for (const auto& f : original.flights) {
      if (f->orphan.empty() && f->state == Flight::State::kAccepted && f->begin >= c->offset &&
          f->end <= size)
        c->skip.emplace_back(f->begin, f->end);
    }
    released = true;
  }
  return released;
}

void Tailer::resolveCopy(Reader& c) {
  std::string head = preadUpTo(c.fd, 0, fingerprint_size_);
  bool held_new_copy = false;
  // A copy holds the original's first bytes: while the original is intact, the copy's are a
  // prefix of the original's current ones (also while the copy is still being written); once
  // it was truncated, the copy starts with what the original had (its fingerprint).
  auto copyOf = [&](const Reader& o) {
    if (wasTruncated(o)) return isPrefix(o.fingerprint, head);
    return isPrefix(head, preadUpTo(o.fd, 0, fingerprint_size_));
  };
  if (c.copy_candidate) {
    if (head.empty()) return;  // nothing to read, nothing to compare yet
    c.copy_candidate = false;
    c.fingerprint = head;
    // The original of a copy stays where it was (copytruncate); a file that was renamed away
    // or removed was rotated by rename + create, and a new file with its first bytes is new.
    for (const auto& o : readers_) {
      if (o.get() == &c || !o->matched || o->moved || o->is_copy || o->copy_candidate ||
          !copyOf(*o))
        continue;
      c.is_copy = true;
      c.original_dev = o->dev;
      c.original_ino = o->ino;
      log::info("filelog", "new file is a copy of an open file; read from that file's offset",
                {{"path", c.path}, {"original", o->path}});
      held_new_copy = true;
      break;
    }
    if (!c.is_copy) return;
  }
  Reader* original = findReader(c.original_dev, c.original_ino);
  if (original == nullptr) {  // closing an original releases its copies: a safeguard
    c.is_copy = false;
    return;
  }
  if (wasTruncated(*original)) {
    // Handled now rather than at the original's turn (which may wait for a retry backoff),
    // once for both: the copy starts at its offset, its refused batches go to the copy.
    struct stat st {};
    ::fstat(original->fd, &st);
    checkTruncation(*original, static_cast<uint64_t>(st.st_size));
    return;
  }
  if (!copyOf(*original)) {  // it went on differently: another file after all
    c.is_copy = false;
    c.offset = c.sent = 0;
    c.fingerprint = head;
    return;
  }
  // Still held: the original reads these lines itself. Its checkpoint (and a close, once it
  // leaves the glob) treats it as read to its end.
  c.fingerprint = head;
  struct stat st {};
  if (::fstat(c.fd, &st) == 0) c.offset = c.sent = static_cast<uint64_t>(st.st_size);
  if (held_new_copy) saveCheckpoints();  // a restart now must not read it from 0
}

bool Tailer::checkTruncation(Reader& r, uint64_t size) {
  bool truncated = wasTruncated(r);
  if (truncated) {
    bool copied = releaseCopiesOf(r);  // its copy goes on from where this file was
    // Refused batches are no longer in the file: unless its copy has them, they keep their
    // bytes and are sent until accepted (only answered flights can be here: drain waits).
    std::deque<std::shared_ptr<Flight>> kept;
    for (const auto& f : r.flights) {
      if (f->state != Flight::State::kRefused || (copied && f->orphan.empty())) continue;
      if (f->orphan.empty())
        f->orphan.assign(r.from(f->begin).substr(0, static_cast<size_t>(f->end - f->begin)));
      kept.push_back(f);
    }
    ++stats_.truncations;
    log::warn("filelog", "file was truncated or rewritten; reading it again from the start",
              {{"path", r.path},
               {"offset", std::to_string(r.offset)},
               {"size", std::to_string(size)},
               {"refused_batches_kept", std::to_string(kept.size())}});
    r.offset = 0;
    r.sent = 0;
    r.flights = std::move(kept);
    r.skip.clear();
    r.buffer.clear();
    r.buffer_pos = 0;
    r.fingerprint = preadUpTo(r.fd, 0, fingerprint_size_);
  } else if (r.fingerprint.size() < fingerprint_size_ && size > r.fingerprint.size()) {
    r.fingerprint = preadUpTo(r.fd, 0, fingerprint_size_);
  }
  return truncated;
}

bool Tailer::drain(Reader& r) {
  if (r.copy_candidate || r.is_copy) return true;  // see resolveCopy
  bool waiting_retry = std::any_of(r.flights.begin(), r.flights.end(), [](const auto& f) {
    return f->state == Flight::State::kRefused;
  });
  if (waiting_retry && clock_() < r.retry_at) return true;  // backing off
  struct stat st {};
  if (::fstat(r.fd, &st) != 0) return true;
  checkTruncation(r, static_cast<uint64_t>(st.st_size));
  bool ok = true;
  size_t launched = 0;
  // Batches refused in an earlier cycle go again first, each exactly as it was.
  for (const auto& f : r.flights) {
    if (f->state == Flight::State::kRefused) {
      launch(r, f);
      ++launched;
    }
  }
  while (ok) {
    // Hand out new batches while the window has room. The window counts every batch not
    // committed yet (also those accepted behind an unanswered one), which bounds the buffer.
    while (!stop_.load(std::memory_order_relaxed)) {
      // Commit what was accepted already (a synchronous pipeline answers inside consume), so
      // that the checkpoint trails the pipeline by as little as possible.
      bool committed;
      {
        std::lock_guard lock(sync_->mu);
        committed = commitAccepted(r);
      }
      if (committed) saveCheckpoints();
      if (r.flights.size() >= limits_.max_batches_in_flight) break;
      if (launched >= limits_.max_batches_per_file) {
        backlog_ = true;  // let other files have their turn; the next cycle starts at once
        break;
      }
      // Top up the buffer to one batch's worth of unsent bytes, reading straight into it.
      bool grew = false;
      size_t unsent = static_cast<size_t>(r.readEnd() - r.sent);
      // Ranges accepted before a restart that were passed already, or that no longer line up
      // with how the file is cut (e.g. another max_log_size), are forgotten.
      while (!r.skip.empty() && r.skip.front().first < r.sent) r.skip.pop_front();
      bool at_skip = !r.skip.empty() && r.skip.front().first == r.sent;
      size_t batch_bytes =
          at_skip ? std::max<size_t>(limits_.max_batch_bytes,
                                     static_cast<size_t>(r.skip.front().second - r.sent))
                  : limits_.max_batch_bytes;
      if (unsent < batch_bytes) {
        if (r.buffer_pos > 0) {
          r.buffer.erase(0, r.buffer_pos);
          r.buffer_pos = 0;
        }
        size_t have = r.buffer.size();
        size_t want = batch_bytes - unsent;
        r.buffer.resize(have + want);
        size_t got = preadInto(r.fd, r.offset + have, r.buffer.data() + have, want);
        r.buffer.resize(have + got);
        if (got > 0) {
          grew = true;
          r.last_growth = clock_();
        }
      }
      auto f = std::make_shared<Flight>();
      std::string_view data = r.from(r.sent);
      if (at_skip) {
        // Accepted before the restart: passed over as an accepted batch, not sent.
        uint64_t end = r.skip.front().second;
        if (data.size() < end - r.sent) break;  // not all there yet (still being written?)
        r.skip.pop_front();
        f->begin = r.sent;
        f->end = r.sent = end;
        f->state = Flight::State::kAccepted;
        ++stats_.batches_skipped;
        r.flights.push_back(f);
        continue;
      }
      // Up to the next accepted range, the bytes are whole batches: cut them as such.
      bool whole = false;
      if (!r.skip.empty() && data.size() >= r.skip.front().first - r.sent) {
        data = data.substr(0, static_cast<size_t>(r.skip.front().first - r.sent));
        whole = true;
      }
      size_t consumed = splitter_.split(data, whole, limits_.max_batch_records, f->pieces);
      if (f->pieces.empty()) {
        if (grew) continue;  // e.g. a multiline entry still open: read on
        // Nothing complete and no more bytes: once everything before it was accepted, the
        // unfinished tail goes after force_flush_period.
        if (data.empty() || !r.flights.empty() ||
            clock_() - r.last_growth < config_.force_flush_period)
          break;
        consumed = splitter_.split(data, true, limits_.max_batch_records, f->pieces);
        if (f->pieces.empty()) break;
      }
      f->begin = r.sent;
      f->end = r.sent + consumed;
      r.sent = f->end;
      r.flights.push_back(f);
      launch(r, f);
      ++launched;
    }
    if (r.flights.empty()) break;
    ok = settle(r);
    if (stop_.load(std::memory_order_relaxed) || launched >= limits_.max_batches_per_file) {
      while (ok && !r.flights.empty()) ok = settle(r);  // finish what is out, then stop
      break;
    }
  }
  // Keep only the uncommitted bytes, in a buffer of their own size (many files may be open).
  std::string(r.buffer.data() + r.buffer_pos, r.pending()).swap(r.buffer);
  r.buffer_pos = 0;
  return ok;
}

void Tailer::launch(Reader& r, const std::shared_ptr<Flight>& f) {
  BatchBuilder::Outcome outcome;
  std::string_view data = !f->orphan.empty()
                              ? std::string_view(f->orphan)
                              : r.from(f->begin).substr(0, static_cast<size_t>(f->end - f->begin));
  model::Logs batch = builder_.build(data, f->pieces, r.path, unixNanosNow(), outcome);
  f->records = batch.itemCount();
  if (outcome.parse_errors > 0) {
    stats_.parse_errors += outcome.parse_errors;
    log::warn("filelog", "entries failed to parse",
              {{"path", r.path},
               {"count", std::to_string(outcome.parse_errors)},
               {"first_error", outcome.first_error}});
  }
  stats_.dropped += outcome.dropped;
  {
    std::lock_guard lock(sync_->mu);
    // Every entry dropped by an operator: nothing to wait for.
    f->state = f->records == 0 ? Flight::State::kAccepted : Flight::State::kSending;
  }
  if (f->records == 0) return;
  // The answer may come after the Tailer is gone (shutdown deadline passed): it only touches
  // what it shares.
  next_.consume(std::move(batch), [sync = sync_, f](Status st) {
    {
      std::lock_guard lock(sync->mu);
      f->error = st;
      f->state = st.isOk()       ? Flight::State::kAccepted
                 : retryable(st) ? Flight::State::kRefused
                                 : Flight::State::kRejected;
    }
    sync->cv.notify_all();
  });
}

bool Tailer::commitAccepted(Reader& r) {
  bool committed = false;
  while (!r.flights.empty() && (r.flights.front()->state == Flight::State::kAccepted ||
                                r.flights.front()->state == Flight::State::kRejected)) {
    const Flight& f = *r.flights.front();
    if (f.state == Flight::State::kRejected) {
      // Sending it again cannot help: drop it (once, logged) rather than stall the file.
      ++stats_.batches_rejected;
      stats_.records_rejected += f.records;
      log::error("filelog", "pipeline rejected entries permanently; they are dropped",
                 {{"path", r.path},
                  {"records", std::to_string(f.records)},
                  {"error", f.error.toString()}});
    } else {
      if (f.records > 0) ++stats_.batches_sent;
      stats_.records_sent += f.records;
      r.refusals = 0;
    }
    if (f.orphan.empty()) {  // an orphan is not in the file any more
      r.buffer_pos += static_cast<size_t>(f.end - f.begin);
      r.offset = f.end;
    }
    r.flights.pop_front();
    committed = true;
  }
  return committed;
}

bool Tailer::waitUntil(std::unique_lock<std::mutex>& lock, const std::function<bool()>& done) {
  while (!done()) {
    if (!stop_) {
      sync_->cv.wait(lock);
      continue;
    }
    if (std::chrono::steady_clock::now() >= sync_->deadline) {
      deadline_passed_ = true;
      return false;
    }
    sync_->cv.wait_until(lock, sync_->deadline);
  }
  return true;
}

bool Tailer::settle(Reader& r) {
  std::unique_lock lock(sync_->mu);
  bool answered =
      waitUntil(lock, [&] { return r.flights.front()->state != Flight::State::kSending; });
  bool committed = commitAccepted(r);
  if (!answered) {  // stopping, past the deadline: what is accepted is committed, no more
    lock.unlock();
    saveCheckpoints();  // with the batches accepted behind the unanswered one
    return false;
  }
  bool refused = !r.flights.empty() && r.flights.front()->state == Flight::State::kRefused;
  if (refused) {
    // Let every batch still out come back, so that none is answered after this cycle.
    waitUntil(lock, [&] {
      return std::none_of(r.flights.begin(), r.flights.end(),
                          [](const auto& f) { return f->state == Flight::State::kSending; });
    });
    for (const auto& f : r.flights) {
      if (f->state != Flight::State::kRefused) continue;
      ++stats_.batches_refused;
      stats_.records_refused += f->records;
    }
    ++r.refusals;
    auto delay = limits_.retry_initial * (1u << std::min(r.refusals - 1, 16u));
    delay = std::min<std::chrono::steady_clock::duration>(delay, limits_.retry_max);
    r.retry_at = clock_() + delay;
    log::warn(
        "filelog", "pipeline refused entries; they will be sent again",
        {{"path", r.path},
         {"error", r.flights.front()->error.toString()},
         {"retry_in_ms",
          std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(delay).count())}});
  }
  lock.unlock();
  // After a refusal, the batches accepted behind it go into the checkpoint too, so that they
  // are not sent again after a restart.
  if (committed || refused) saveCheckpoints();
  return !refused;
}

bool Tailer::pollOnce() {
  backlog_ = false;
  discover(matchFiles());
  // Before any file is read: a truncation seen by the original's reader would hide that
  // a new file is its copy.
  for (auto& r : readers_) {
    if (r->copy_candidate || r->is_copy) resolveCopy(*r);
  }
  first_poll_ = false;
  restored_.clear();  // checkpoints of files that are gone are not kept
  bool ok = true;
  size_t n = readers_.size();
  size_t budget = static_cast<size_t>(config_.max_concurrent_files);
  size_t start = n == 0 ? 0 : round_robin_ % n;
  // A file whose batches are refused does not hold up the others.
  for (size_t k = 0; k < std::min(n, budget) && !stop_; ++k) {
    if (!drain(*readers_[(start + k) % n])) ok = false;
  }
  if (n > budget) round_robin_ = (start + budget) % n;
  // Files that left the glob (rotated away, deleted) and are finished are closed.
  {
    size_t before = readers_.size();
    auto finished = [](const Reader& r) {
      // Kept batches of a truncated file are not in its buffer: they hold it open too.
      if (r.matched || r.pending() > 0 || !r.flights.empty()) return false;
      struct stat st {};
      return ::fstat(r.fd, &st) != 0 || static_cast<uint64_t>(st.st_size) <= r.readEnd();
    };
    for (const auto& r : readers_) {
      if (finished(*r)) releaseCopiesOf(*r);
    }
    std::erase_if(readers_, [&](const auto& r) { return finished(*r); });
    if (readers_.size() != before) {
      stats_.files_closed += before - readers_.size();
      saveCheckpoints();
    }
  }
  return ok;
}

void Tailer::saveCheckpoints() {
  if (storage_ == nullptr) return;
  std::vector<Checkpoint> files;
  files.reserve(readers_.size() + restored_.size());
  {
    std::lock_guard lock(sync_->mu);
    for (const auto& r : readers_) {
      Checkpoint c{r->fingerprint, r->offset, r->path, {}};
      for (const auto& f : r->flights) {
        if (f->state == Flight::State::kAccepted && f->orphan.empty() && f->end > f->begin)
          c.accepted.emplace_back(f->begin, f->end);
      }
      c.accepted.insert(c.accepted.end(), r->skip.begin(), r->skip.end());
      files.push_back(std::move(c));
    }
  }
  for (const auto& c : restored_) files.push_back(c);
  Status st = storage_->set(kCheckpointKey, encodeCheckpoints(files));
  if (!st.isOk()) {
    ++stats_.checkpoint_errors;
    log::error("filelog", "cannot save checkpoints", {{"error", st.toString()}});
  }
}

void Tailer::requestStop(std::chrono::steady_clock::time_point deadline) {
  {
    std::lock_guard lock(sync_->mu);
    sync_->deadline = deadline;
    stop_ = true;
  }
  sync_->cv.notify_all();  // a wait for answers now ends at the deadline
}

void Tailer::close() {
  std::lock_guard lock(sync_->mu);
  for (const auto& r : readers_) {
    if (r->flights.empty()) continue;
    size_t unanswered = 0, refused = 0, records = 0, lost = 0;
    for (const auto& f : r->flights) {
      if (f->state == Flight::State::kAccepted) continue;
      (f->state == Flight::State::kSending ? unanswered : refused) += 1;
      records += f->records;
      if (!f->orphan.empty()) lost += f->records;
    }
    if (unanswered + refused == 0) continue;
    // Their offset stays before them: they are read and sent again after a restart.
    log::warn("filelog", "stopping with entries the pipeline has not accepted",
              {{"path", r->path},
               {"unanswered_batches", std::to_string(unanswered)},
               {"refused_batches", std::to_string(refused)},
               {"records", std::to_string(records)},
               // Refused batches of a file truncated since: not in the file, not read again.
               {"lost_records", std::to_string(lost)},
               {"checkpoint_offset", std::to_string(r->offset)}});
  }
  readers_.clear();
}

std::vector<std::pair<std::string, uint64_t>> Tailer::offsets() const {
  std::vector<std::pair<std::string, uint64_t>> out;
  for (const auto& r : readers_) out.emplace_back(r->path, r->offset);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace periscope::components::filelog
