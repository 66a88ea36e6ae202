#include "components/extensions/file_storage/file_storage.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>
#include <set>

#include "common/logging.h"
#include "components/extensions/file_storage/kv_file.h"
#include "pipeline/helpers/queue_storage.h"
#include "pipeline/helpers/storage_client.h"
#include "storage/io/posix_file_system.h"
#include "storage/queue/durable_queue.h"

namespace periscope::components::file_storage {

const config::Schema<Compaction>& Compaction::schema() {
  static const auto s =
      config::Schema<Compaction>()
          .field("on_start", &Compaction::on_start,
                 "At start, rewrite the oldest queue segment if little of it is still live.")
          .field("on_rebound", &Compaction::on_rebound,
                 "While running, rewrite the oldest segment once at most a quarter of it is "
                 "live, so one old request cannot pin the backlog's disk space.")
          .field("directory", &Compaction::directory,
                 "Accepted for compatibility; compaction works inside the queue directory.")
          .field("max_transaction_size", &Compaction::max_transaction_size,
                 "Accepted for compatibility (bbolt setting; no effect).")
          .field("rebound_needed_threshold_mib", &Compaction::rebound_needed_threshold_mib,
                 "Accepted for compatibility (bbolt setting; no effect).")
          .field("rebound_trigger_threshold_mib", &Compaction::rebound_trigger_threshold_mib,
                 "Accepted for compatibility (bbolt setting; no effect).")
          .field("check_interval", &Compaction::check_interval,
                 "Accepted for compatibility; the check runs on every acknowledgement.");
  return s;
}

const config::Schema<Config>& Config::schema() {
  static const auto s =
      config::Schema<Config>()
          .field("directory", &Config::directory, "Where queue directories are created.")
          .field("create_directory", &Config::create_directory,
                 "Create `directory` if it does not exist (otherwise it must exist).")
          .field("fsync", &Config::fsync,
                 "fsync every queued request before acknowledging it (survives power loss, "
                 "not only a crash; concurrent requests share one fsync).")
          .field("timeout", &Config::timeout,
                 "Accepted for compatibility; the queue lock is taken without waiting.")
          .field("compaction", &Config::compaction, "Reclaiming space of old queue segments.");
  return s;
}

Status Config::validate() const {
  if (directory.empty()) return invalidArgument("directory must be non-empty");
  return Status::ok();
}

namespace {

// An exclusive lock on a queue directory for the life of the queue.
class DirLock {
 public:
  static Result<std::unique_ptr<DirLock>> take(const std::string& dir) {
    std::string path = dir + "/LOCK";
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
      return unavailable("cannot open " + path + ": " + std::string(std::strerror(errno)));
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      int e = errno;
      ::close(fd);
      return Status(StatusCode::kFailedPrecondition, "queue directory " + dir +
                                                         " is in use by another process (" +
                                                         std::string(std::strerror(e)) + ")");
    }
    return std::make_unique<DirLock>(fd);
  }
  explicit DirLock(int fd) : fd_(fd) {}
  ~DirLock() { ::close(fd_); }
  DirLock(const DirLock&) = delete;
  DirLock& operator=(const DirLock&) = delete;

 private:
  int fd_;
};

class FileQueueLog final : public pipeline::PersistentQueueLog {
 public:
  FileQueueLog(std::unique_ptr<DirLock> lock, std::unique_ptr<storage::DurableQueue> queue)
      : lock_(std::move(lock)), queue_(std::move(queue)) {}
  Result<uint64_t> append(std::string_view payload, uint32_t items) override {
    return queue_->append(payload, items);
  }
  Result<std::optional<Item>> next() override {
    auto n = queue_->next();
    if (!n.isOk()) return n.status();
    if (!n->has_value()) return std::optional<Item>();
    auto& q = **n;
    return std::optional<Item>(Item{q.id, q.items, std::move(q.payload)});
  }
  Status ack(uint64_t id) override { return queue_->ack(id); }
  void requeue(uint64_t id) override { queue_->requeue(id); }
  Size size() const override {
    auto s = queue_->stats();
    return {s.items, s.item_count, s.bytes};
  }
  uint64_t recovered() const override { return queue_->recoveryStats().items; }
  uint64_t lostItems() const override { return queue_->stats().lost_items; }

 private:
  std::unique_ptr<DirLock> lock_;  // released after the queue is closed (member order)
  std::unique_ptr<storage::DurableQueue> queue_;
};

// A KvFile plus the lock on its directory, released after the file is closed (member order).
class LockedClient final : public pipeline::StorageClient {
 public:
  LockedClient(std::unique_ptr<DirLock> lock, std::unique_ptr<KvFile> kv)
      : lock_(std::move(lock)), kv_(std::move(kv)) {}
  Result<std::optional<std::string>> get(std::string_view key) override { return kv_->get(key); }
  Status set(std::string_view key, std::string_view value) override { return kv_->set(key, value); }
  Status remove(std::string_view key) override { return kv_->remove(key); }

 private:
  std::unique_ptr<DirLock> lock_;
  std::unique_ptr<KvFile> kv_;
};

class Extension final : public component::Component,
                        public pipeline::QueueStorage,
                        public pipeline::KeyValueStorage {
 public:
  Extension(const component::Settings& s, const Config& c) : settings_(s), config_(c) {}

  Status start(component::Host&) override {
    struct stat st {};
    if (::stat(config_.directory.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
      if (!config_.create_directory) {
        return invalidArgument("directory \"" + config_.directory +
                               "\" does not exist (create it, or set create_directory: true)");
      }
      PERISCOPE_RETURN_IF_ERROR(fs_.createDir(config_.directory));
    }
    return Status::ok();
  }
  Status shutdown(component::Deadline) override { return Status::ok(); }

  Result<std::unique_ptr<pipeline::PersistentQueueLog>> openQueue(
      const std::string& name) override {
    {
      std::lock_guard lock(mu_);
      if (!opened_.insert(name).second)
        return Status(StatusCode::kAlreadyExists, "queue " + name + " is already open");
    }
    std::string dir = config_.directory + "/" + name;
    PERISCOPE_RETURN_IF_ERROR(fs_.createDir(dir));
    auto lock = DirLock::take(dir);
    if (!lock.isOk()) return lock.status();
    storage::DurableQueueOptions opts;
    opts.fsync = config_.fsync;
    opts.compact_on_start = config_.compaction.on_start;
    opts.compact_on_rebound = config_.compaction.on_rebound;
    auto queue = storage::DurableQueue::open(fs_, dir, opts);
    if (!queue.isOk())
      return Status(queue.status().code(), "extension " + settings_.id.toString() + ": " +
                                               std::string(queue.status().message()));
    const storage::QueueRecoveryStats& rec = (*queue)->recoveryStats();
    for (const auto& bad : rec.corruptions) {
      log::error(
          "file_storage", "damaged queue segment: its records after the damage cannot be delivered",
          {{"file", bad.file}, {"offset", std::to_string(bad.offset)}, {"reason", bad.reason}});
    }
    if (rec.truncated_bytes > 0) {
      log::warn("file_storage", "cut the torn tail of an interrupted write",
                {{"queue", dir}, {"bytes", std::to_string(rec.truncated_bytes)}});
    }
    return std::unique_ptr<pipeline::PersistentQueueLog>(
        std::make_unique<FileQueueLog>(std::move(lock).value(), std::move(queue).value()));
  }

  // A key-value client in `<directory>/<name>/data.kv` (kv_file.h), locked like a queue.
  Result<std::unique_ptr<pipeline::StorageClient>> openClient(const std::string& name) override {
    {
      std::lock_guard lock(mu_);
      if (!opened_.insert(name).second)
        return Status(StatusCode::kAlreadyExists, "storage client " + name + " is already open");
    }
    std::string dir = config_.directory + "/" + name;
    PERISCOPE_RETURN_IF_ERROR(fs_.createDir(dir));
    auto lock = DirLock::take(dir);
    if (!lock.isOk()) return lock.status();
    auto kv = KvFile::open(dir + "/data.kv", config_.fsync);
    if (!kv.isOk()) return kv.status();
    return std::unique_ptr<pipeline::StorageClient>(
        std::make_unique<LockedClient>(std::move(lock).value(), std::move(kv).value()));
  }

 private:
  component::Settings settings_;
  Config config_;
  storage::PosixFileSystem fs_;
  std::mutex mu_;
  std::set<std::string> opened_;
};

class Factory final : public component::FactoryWithConfig<Config, pipeline::ExtensionFactory> {
 public:
  std::string_view type() const override { return "file_storage"; }
  std::string_view description() const override {
    return "Disk storage for persistent sending queues (sending_queue.storage) and receivers' "
           "checkpoints (e.g. filelog's storage).";
  }
  Result<std::unique_ptr<component::Component>> create(
      const component::Settings& settings, const component::Config& config) const override {
    return std::unique_ptr<component::Component>(
        std::make_unique<Extension>(settings, static_cast<const Config&>(config)));
  }
};

}  // namespace

std::unique_ptr<pipeline::ExtensionFactory> makeFactory() {
  return std::make_unique<Factory>();
}

}  // namespace periscope::components::file_storage
