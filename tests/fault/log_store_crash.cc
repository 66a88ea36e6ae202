// Crash consistency of the log store under SIGKILL (the logs counterpart of
// metrics_crash.test.mjs; a C++ harness because the log query API is not part of the store).
//
// A writer process appends batches to a LogStore (fsync always, a head flushed every 20
// batches, so segment writes, checkpoints and WAL truncations happen all the time). Batch n
// holds ten records "crash n=<n> k=<k>" (times one second apart per batch: hour partitions
// change every hour of batches); the writer reports "S n" before write() and "A n" once it
// answered OK, through a pipe. Each cycle ends in a SIGKILL: from the harness at a seeded
// random moment (blackbox), or from the process at a kill point (whitebox, every `logs.*`
// point of the write, flush and compaction path: the batches' hours are long past, so the
// background thread merges the small segments of each hour as it goes). After each cycle this
// process opens the store and reads every record back:
//   - every acknowledged batch is there, all ten records (0 lost);
//   - every stored record belongs to a batch that was started (0 phantom), at most once
//     (0 duplicated);
//   - a batch is one store write: stored whole or not at all (0 torn).
// Cycles reuse the directory. PERISCOPE_CRASH_SEED=<n> replays a schedule.
//   log_store_crash            run the harness
//   log_store_crash writer DIR FIRST_BATCH FD    (internal: the writer process)
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "model/otlp/proto_decoder.h"
#include "storage/io/posix_file_system.h"
#include "storage/signals/logs/log_store.h"

namespace {

namespace logs = periscope::storage::logs;
namespace model = periscope::model;

constexpr int kRecords = 10;
constexpr uint64_t kT0 = 1'700'000'000'000'000'000ull;

logs::LogStoreOptions options(const std::string& dir, bool background) {
  logs::LogStoreOptions o;
  o.dir = dir;
  o.fsync = periscope::storage::WalSyncPolicy::kAlways;
  o.group_commit_window = std::chrono::microseconds(200);
  o.head_max_records = 20 * kRecords;
  o.row_group_rows = 64;
  o.retention = std::chrono::nanoseconds(0);
  o.maintenance_interval = std::chrono::milliseconds(50);
  o.background_maintenance = background;
  return o;
}

// One batch as OTLP bytes decoded into a model batch (the store's usual input).
model::Logs batch(uint64_t n) {
  std::string body;
  auto field = [&](int tag, std::string_view bytes) {  // length-delimited protobuf field
    body.push_back(static_cast<char>(tag << 3 | 2));
    uint64_t len = bytes.size();
    while (len >= 0x80) {
      body.push_back(static_cast<char>(len | 0x80));
      len >>= 7;
    }
    body.push_back(static_cast<char>(len));
    body.append(bytes);
  };
  std::string records;
  for (int k = 0; k < kRecords; ++k) {
    std::string rec, any, text = "crash n=" + std::to_string(n) + " k=" + std::to_string(k);
    uint64_t t = kT0 + n * 1'000'000'000ull + static_cast<uint64_t>(k);
    rec.push_back(0x09);  // time_unix_nano, fixed64
    for (int i = 0; i < 8; ++i) rec.push_back(static_cast<char>(t >> (8 * i)));
    body.clear();
    field(1, text);  // AnyValue.string_value
    any = body;
    body.clear();
    field(5, any);  // LogRecord.body
    rec += body;
    body.clear();
    field(2, rec);  // ScopeLogs.log_records
    records += body;
  }
  body.clear();
  field(2, records);  // ResourceLogs.scope_logs
  std::string rl = body;
  body.clear();
  field(1, rl);  // ExportLogsServiceRequest.resource_logs
  model::Logs out;
  std::string_view view = out.arena().adopt(std::move(body));
  (void)model::otlp::decode(view, out);
  return out;
}

int writer(const std::string& dir, uint64_t first, int fd) {
  periscope::storage::PosixFileSystem fs;
  auto store = logs::LogStore::open(fs, options(dir, true));
  if (!store.isOk()) {
    std::fprintf(stderr, "writer: %s\n", store.status().toString().c_str());
    return 2;
  }
  for (uint64_t n = first;; ++n) {
    model::Logs b = batch(n);
    dprintf(fd, "S %llu\n", static_cast<unsigned long long>(n));
    if (!(*store)->writeSync(b).isOk()) return 3;
    dprintf(fd, "A %llu\n", static_cast<unsigned long long>(n));
  }
}

struct Cycle {
  std::string kill_point;  // "" = blackbox
  int kill_after_ms = 0;
};

int fail(const std::string& what, uint64_t seed) {
  std::fprintf(stderr, "log_store_crash: FAILED: %s (replay with PERISCOPE_CRASH_SEED=%llu)\n",
               what.c_str(), static_cast<unsigned long long>(seed));
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 5 && std::string(argv[1]) == "writer")
    return writer(argv[2], std::strtoull(argv[3], nullptr, 10), std::atoi(argv[4]));

  const char* seed_env = std::getenv("PERISCOPE_CRASH_SEED");
  uint64_t seed = seed_env ? std::strtoull(seed_env, nullptr, 10)
                           : static_cast<uint64_t>(time(nullptr)) % 0x7fffffff;
  std::printf("log_store_crash: seed %llu\n", static_cast<unsigned long long>(seed));
  std::mt19937_64 rng(seed);
  std::string dir =
      (std::filesystem::temp_directory_path() / ("periscope-log-crash-" + std::to_string(getpid())))
          .string();
  std::filesystem::remove_all(dir);

  std::vector<Cycle> cycles;
  for (const char* point : {"logs.wal.after_sync_before_ack:1/20", "logs.flush.start",
                            "logs.segment.before_rename", "logs.segment.after_rename",
                            "logs.checkpoint.before_rename", "logs.checkpoint.after_rename",
                            "logs.flush.before_wal_truncate", "logs.rewrite.before_delete"})
    cycles.push_back({point, 10'000});
  for (int i = 0; i < 6; ++i) cycles.push_back({"", 50 + static_cast<int>(rng() % 400)});
  std::shuffle(cycles.begin(), cycles.end(), rng);

  uint64_t next = 0;
  std::set<uint64_t> acked, started;
  for (const Cycle& c : cycles) {
    int fds[2];
    if (pipe(fds) != 0) return fail("pipe", seed);
    pid_t pid = fork();
    if (pid == 0) {
      close(fds[0]);
      std::string env = "PERISCOPE_KILL_POINT=" + c.kill_point;
      std::string first = std::to_string(next), fd = std::to_string(fds[1]);
      char* args[] = {const_cast<char*>("/proc/self/exe"),
                      const_cast<char*>("writer"),
                      dir.data(),
                      first.data(),
                      fd.data(),
                      nullptr};
      char* envp[] = {env.data(), nullptr};
      execve("/proc/self/exe", args, envp);
      _exit(127);
    }
    close(fds[1]);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(c.kill_after_ms);
    std::string buf;
    bool killed = false;
    while (true) {
      pollfd p{fds[0], POLLIN, 0};
      int ms = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                    deadline - std::chrono::steady_clock::now())
                                    .count());
      if (!killed && ms <= 0) {
        kill(pid, SIGKILL);
        killed = true;
      }
      if (poll(&p, 1, killed ? 1000 : std::max(ms, 1)) <= 0) continue;
      char chunk[4096];
      ssize_t got = read(fds[0], chunk, sizeof chunk);
      if (got <= 0) break;  // the writer died
      buf.append(chunk, static_cast<size_t>(got));
    }
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL)
      return fail("writer ended without SIGKILL (" + c.kill_point + ")", seed);
    size_t pos = 0;
    while (true) {
      size_t nl = buf.find('\n', pos);
      if (nl == std::string::npos) break;
      uint64_t n = std::strtoull(buf.c_str() + pos + 2, nullptr, 10);
      (buf[pos] == 'A' ? acked : started).insert(n);
      started.insert(n);
      next = std::max(next, n + 1);
      pos = nl + 1;
    }

    // Read everything back.
    periscope::storage::PosixFileSystem fs;
    auto store = logs::LogStore::open(fs, options(dir, false));
    if (!store.isOk()) return fail("reopen: " + store.status().toString(), seed);
    std::map<uint64_t, std::multiset<int>> stored;
    auto st = (*store)->scan({}, [&](const logs::LogChunk& chunk) {
      for (const auto& rl : chunk.logs->resources())
        for (const auto& sl : rl.scope_logs)
          for (const auto& r : sl.log_records) {
            unsigned long long n = 0;
            int k = 0;
            std::string text(r.body.str());
            if (std::sscanf(text.c_str(), "crash n=%llu k=%d", &n, &k) == 2) stored[n].insert(k);
          }
      return logs::ScanControl::kContinue;
    });
    if (!st.isOk()) return fail("scan: " + st.toString(), seed);
    if ((*store)->stats().segments_quarantined.load() != 0)
      return fail("a segment was damaged", seed);
    for (uint64_t n : acked)
      if (stored[n].size() != kRecords)
        return fail("acknowledged batch " + std::to_string(n) + " has " +
                        std::to_string(stored[n].size()) + " records (" + c.kill_point + ")",
                    seed);
    for (const auto& [n, ks] : stored) {
      if (ks.empty()) continue;
      if (!started.count(n)) return fail("phantom batch " + std::to_string(n), seed);
      if (ks.size() != kRecords || std::set<int>(ks.begin(), ks.end()).size() != kRecords)
        return fail("batch " + std::to_string(n) + " is torn or duplicated: " +
                        std::to_string(ks.size()) + " records (" + c.kill_point + ")",
                    seed);
    }
    std::printf("cycle %-40s acked %zu, stored batches %zu, segments %zu\n",
                c.kill_point.empty() ? "blackbox" : c.kill_point.c_str(), acked.size(),
                stored.size(), (*store)->segments().size());
    (void)(*store)->close();
  }
  std::filesystem::remove_all(dir);
  std::printf("log_store_crash: ok, %zu cycles, 0 lost, 0 phantom, 0 torn, 0 duplicated\n",
              cycles.size());
  return 0;
}
