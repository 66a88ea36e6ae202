// LogStore: writes and reads across head and segments (every field, pushdowns, the chunk
// ordering contract), traceLogs, resourceValues, retention by age/size/policy, live tail, and
// recovery (reopen, torn WAL tail, unfinished flush, damaged segment quarantined).
#include "storage/signals/logs/log_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "model/log_line.h"
#include "storage/io/fault_injecting_file_system.h"
#include "storage/io/posix_file_system.h"
#include "support/temp_dir.h"
#include "unit/storage/signals/logs/log_test_util.h"

namespace periscope::storage::logs {
namespace {

namespace fs = std::filesystem;
using test::canonical;
using test::makeLogs;
using test::Rec;

constexpr uint64_t kHour = 3'600'000'000'000ull;
constexpr uint64_t kT0 = 1'700'000'000'000'000'000ull / kHour * kHour;

class LogStoreTest : public ::testing::Test {
 protected:
  LogStoreOptions options() {
    LogStoreOptions o;
    o.dir = dir_.file("logs");
    o.fsync = WalSyncPolicy::kNever;
    o.background_maintenance = false;
    o.retention = std::chrono::nanoseconds(0);
    o.row_group_rows = 4;
    return o;
  }
  LogStoreOptions at(const std::string& dir) {
    LogStoreOptions o = options();
    o.dir = dir;
    return o;
  }
  std::unique_ptr<LogStore> open(LogStoreOptions o, FileSystem* fsys = nullptr,
                                 LogStore::NowFn now = {}) {
    auto s = LogStore::open(fsys ? *fsys : posix_, std::move(o), std::move(now));
    EXPECT_TRUE(s.isOk()) << s.status().message();
    return s.isOk() ? std::move(*s) : nullptr;
  }
  // Every record a scan returns (chunks checked against the ordering contract).
  static std::vector<std::string> scanAll(const LogStore& s, LogScan scan = {}) {
    std::vector<std::string> out;
    bool first = true;
    uint64_t last = 0;
    EXPECT_TRUE(s.scan(scan, [&](const LogChunk& c) {
                   uint64_t key =
                       scan.direction == ScanDirection::kBackward ? c.max_time_ns : c.min_time_ns;
                   if (!first) {
                     if (scan.direction == ScanDirection::kBackward)
                       EXPECT_LE(key, last);
                     else
                       EXPECT_GE(key, last);
                   }
                   first = false;
                   last = key;
                   for (const auto& rl : c.logs->resources())
                     for (const auto& sl : rl.scope_logs)
                       for (const auto& r : sl.log_records) {
                         uint64_t t = recordTime(r);
                         EXPECT_GE(t, c.min_time_ns);
                         EXPECT_LE(t, c.max_time_ns);
                       }
                   test::appendAll(out, canonical(*c.logs));
                   return ScanControl::kContinue;
                 }).isOk());
    return out;
  }
  // Lines of the records a scan returns, sorted.
  static std::vector<std::string> scanLines(const LogStore& s, LogScan scan) {
    std::vector<std::string> out;
    std::string line;
    EXPECT_TRUE(s.scan(scan, [&](const LogChunk& c) {
                   for (const auto& rl : c.logs->resources())
                     for (const auto& sl : rl.scope_logs)
                       for (const auto& r : sl.log_records) {
                         model::logLine(r, line);
                         out.push_back(line);
                       }
                   return ScanControl::kContinue;
                 }).isOk());
    std::sort(out.begin(), out.end());
    return out;
  }

  testing::TempDir dir_;
  PosixFileSystem posix_;
};

TEST_F(LogStoreTest, RandomBatchesRoundTripThroughHeadSegmentsAndReopen) {
  auto o = options();
  std::vector<std::string> expected;
  {
    auto s = open(o);
    std::mt19937_64 rng(11);
    for (int i = 0; i < 12; ++i) {
      model::Logs logs = test::decodeLogs(testing::randomLogs(rng, 4));
      test::stampTimeless(logs, kT0);
      test::appendAll(expected, canonical(logs));
      ASSERT_TRUE(s->writeSync(logs).isOk());
      if (i == 5) {
        ASSERT_TRUE(s->flush().isOk());
      }
    }
    EXPECT_EQ(scanAll(*s), expected);  // head + segments
    ASSERT_TRUE(s->flush().isOk());
    EXPECT_EQ(scanAll(*s), expected);  // segments only
    EXPECT_GT(s->stats().segments.load(), 0u);
    EXPECT_EQ(s->stats().head_records.load(), 0u);
  }
  auto s = open(o);
  EXPECT_EQ(scanAll(*s), expected);
  LogScan forward;
  forward.direction = ScanDirection::kForward;
  EXPECT_EQ(scanAll(*s, forward), expected);
}

TEST_F(LogStoreTest, CrashReplaysTheWalAndCutsATornTail) {
  auto o = options();
  o.fsync = WalSyncPolicy::kAlways;
  o.group_commit_window = std::chrono::microseconds(0);
  FaultInjectingFileSystem fi(posix_);
  model::Logs a = makeLogs({{kT0 + 1, 9, "a"}, {kT0 + 2, 17, "b"}});
  model::Logs b = makeLogs({{kT0 + 3, 13, "c"}});
  {
    auto s = open(o, &fi);
    ASSERT_TRUE(s->writeSync(a).isOk());
    ASSERT_TRUE(s->flush().isOk());
    ASSERT_TRUE(s->writeSync(b).isOk());
    ASSERT_TRUE(fi.crash().isOk());
    fs::copy(o.dir, dir_.file("crashed"), fs::copy_options::recursive);
  }  // its files fail after the crash; the copy is what a restart sees
  // A torn write at the end of the newest WAL segment.
  std::string newest;
  for (const auto& e : fs::directory_iterator(dir_.file("crashed") + "/wal"))
    if (fs::file_size(e.path()) > 16) newest = std::max(newest, e.path().string());
  ASSERT_FALSE(newest.empty());
  const std::string garbage("\x30\x00\x00\x00torn", 8);
  std::ofstream(newest, std::ios::app | std::ios::binary) << garbage;

  auto r = open(at(dir_.file("crashed")));
  EXPECT_EQ(r->walRecovery().truncated_bytes, garbage.size());
  EXPECT_EQ(r->stats().wal_log_records_replayed.load(), 1u);  // only b: a is in a segment
  auto expected = canonical(a);
  test::appendAll(expected, canonical(b));
  EXPECT_EQ(scanAll(*r), expected);
}

TEST_F(LogStoreTest, UnfinishedFlushAndTmpFilesAreUndoneAtOpen) {
  auto o = options();
  model::Logs a = makeLogs({{kT0 + 1, 9, "a"}});
  model::Logs b = makeLogs({{kT0 + 2, 9, "b"}});
  {
    auto s = open(o);
    ASSERT_TRUE(s->writeSync(a).isOk());
    ASSERT_TRUE(s->flush().isOk());
    ASSERT_TRUE(s->writeSync(b).isOk());
    fs::copy(o.dir, dir_.file("before"), fs::copy_options::recursive);
    ASSERT_TRUE(s->flush().isOk());
    fs::copy(o.dir, dir_.file("after"), fs::copy_options::recursive);
  }
  // "before" + the second flush's segment (no checkpoint for it) + a .tmp = a crash mid-flush.
  std::string second;
  for (const auto& e : fs::directory_iterator(dir_.file("after")))
    if (e.path().extension() == ".pls" &&
        !fs::exists(dir_.file("before") + "/" + e.path().filename().string()))
      second = e.path().filename().string();
  ASSERT_FALSE(second.empty());
  fs::copy(dir_.file("after") + "/" + second, dir_.file("before") + "/" + second);
  std::ofstream(dir_.file("before") + "/logs-0000000000000099.pls.tmp") << "partial";
  auto r = open(at(dir_.file("before")));
  EXPECT_EQ(r->stats().incomplete_flush_segments_removed.load(), 1u);
  EXPECT_FALSE(fs::exists(dir_.file("before") + "/logs-0000000000000099.pls.tmp"));
  auto expected = canonical(a);
  test::appendAll(expected, canonical(b));
  EXPECT_EQ(scanAll(*r), expected);  // b once, from the WAL
}

TEST_F(LogStoreTest, FailedFlushKeepsRecordsReadableAndRetries) {
  FaultInjectingFileSystem fi(posix_);
  auto o = options();
  auto s = open(o, &fi);
  model::Logs a = makeLogs({{kT0 + 1, 9, "kept through a full disk"}});
  ASSERT_TRUE(s->writeSync(a).isOk());
  fi.failWrite(1, ENOSPC, /*sticky=*/true);  // the segment write
  EXPECT_FALSE(s->flush().isOk());
  EXPECT_EQ(s->stats().flush_failures.load(), 1u);
  EXPECT_EQ(scanAll(*s), canonical(a));  // still served from the flushing head
  fi.clearFaults();
  ASSERT_TRUE(s->flush().isOk());
  EXPECT_EQ(s->segments().size(), 1u);
  EXPECT_EQ(scanAll(*s), canonical(a));
  for (const auto& e : fs::directory_iterator(o.dir))
    EXPECT_NE(e.path().extension(), ".tmp") << e.path();
}

TEST_F(LogStoreTest, DamagedSegmentIsQuarantinedAndTheRestServed) {
  auto o = options();
  model::Logs a = makeLogs({{kT0 + 1, 9, "in the first hour"}});
  model::Logs b = makeLogs({{kT0 + kHour + 1, 9, "in the second hour"}});
  {
    auto s = open(o);
    ASSERT_TRUE(s->writeSync(a).isOk());
    ASSERT_TRUE(s->writeSync(b).isOk());
    ASSERT_TRUE(s->close().isOk());
  }
  std::vector<std::string> segs;
  for (const auto& e : fs::directory_iterator(o.dir))
    if (e.path().extension() == ".pls") segs.push_back(e.path().string());
  std::sort(segs.begin(), segs.end());
  ASSERT_EQ(segs.size(), 2u);
  // The first file's footer is damaged: refused at open. The second's body block is damaged
  // through the FileSystem: found by the first read that touches it.
  {
    std::fstream f(segs[0], std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(fs::file_size(segs[0]) - 30));
    f.put('\x55');
  }
  auto r = open(o);
  EXPECT_EQ(r->stats().segments_quarantined.load(), 1u);
  EXPECT_TRUE(fs::exists(o.dir + "/quarantine/" + fs::path(segs[0]).filename().string()));
  EXPECT_EQ(scanAll(*r), canonical(b));
  r.reset();
  {
    std::fstream f(segs[1], std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(14);  // inside the first row group's first block
    f.put('\x00');
    f.seekp(15);
    f.put('\x7f');
  }
  FaultInjectingFileSystem fi(posix_);
  r = open(o, &fi);
  EXPECT_EQ(r->stats().segments_quarantined.load(), 0u);
  EXPECT_TRUE(scanAll(*r).empty());
  EXPECT_EQ(r->stats().segments_quarantined.load(), 1u);
  EXPECT_EQ(r->segments().size(), 0u);
}

TEST_F(LogStoreTest, ForeignDirectoryIsRefusedUntouched) {
  fs::create_directories(dir_.file("logs"));
  std::ofstream(dir_.file("logs") + "/notes.txt") << "mine";
  auto s = LogStore::open(posix_, options());
  EXPECT_EQ(s.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(fs::exists(dir_.file("logs") + "/notes.txt"));
}

// A corpus for pushdown checks: bodies with shared words, needles across word boundaries.
std::vector<Rec> corpus() {
  static const char* kWords[] = {"timeout", "connect", "refused",     "db", "cache",  "miss",
                                 "user=42", "GET",     "/api/orders", "ok", "error:", "retry"};
  std::mt19937_64 rng(5);
  std::vector<Rec> recs;
  for (int i = 0; i < 203; ++i) {
    Rec r;
    r.time_ns = kT0 + static_cast<uint64_t>(i) * 1'000'000'000ull * 30;  // crosses hours
    r.severity = 1 + static_cast<int>(rng() % 24);
    for (int w = 0; w < 4; ++w) {
      if (w) r.body += ' ';
      r.body += kWords[rng() % 12];
    }
    r.service = i % 3 == 0 ? "checkout" : (i % 3 == 1 ? "cart" : "payments");
    if (i % 5 == 0) r.trace_id = test::traceId(i % 7);
    recs.push_back(r);
  }
  return recs;
}

std::vector<std::string> bruteForce(const std::vector<Rec>& recs, const LogScan& s) {
  std::vector<std::string> out;
  for (const Rec& r : recs) {
    if (s.start_ns && r.time_ns < s.start_ns) continue;
    if (s.end_ns && r.time_ns > s.end_ns) continue;
    if (s.min_severity && r.severity < s.min_severity) continue;
    if (s.max_severity && r.severity > s.max_severity) continue;
    if (!s.trace_id.empty() && r.trace_id != s.trace_id) continue;
    bool ok = true;
    for (const auto& m : s.resource_matchers) {
      bool eq = r.service == m.value;
      ok = ok && (m.op == AttributeMatcher::Op::kEqual ? eq : !eq);
    }
    for (const auto& n : s.line_contains) ok = ok && r.body.find(n) != std::string::npos;
    if (ok) out.push_back(r.body);
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST_F(LogStoreTest, PushdownsReturnExactlyTheMatchingRecordsInHeadAndSegments) {
  auto recs = corpus();
  auto s = open(options());
  // Half flushed (row groups of 4: needles meet row-group edges), half in the head.
  std::vector<Rec> first(recs.begin(), recs.begin() + 120), second(recs.begin() + 120, recs.end());
  ASSERT_TRUE(s->writeSync(makeLogs(first)).isOk());
  ASSERT_TRUE(s->flush().isOk());
  for (size_t i = 0; i < second.size(); i += 10) {
    std::vector<Rec> part(second.begin() + static_cast<long>(i),
                          second.begin() + static_cast<long>(std::min(second.size(), i + 10)));
    ASSERT_TRUE(s->writeSync(makeLogs(part)).isOk());
  }
  using Op = AttributeMatcher::Op;
  std::vector<LogScan> scans;
  for (const char* needle :
       {"timeout", "t co", "out refused", "d db", "user=42 GET", "s error:", "zzz", "ok", "y"}) {
    LogScan sc;
    sc.line_contains = {needle};
    scans.push_back(sc);
  }
  LogScan two;
  two.line_contains = {"cache", "miss"};
  scans.push_back(two);
  LogScan window;
  window.start_ns = kT0 + 1000 * 1'000'000'000ull;
  window.end_ns = kT0 + 4000 * 1'000'000'000ull;
  window.min_severity = 17;
  scans.push_back(window);
  LogScan sev;
  sev.max_severity = 4;
  scans.push_back(sev);
  LogScan trace;
  trace.trace_id = test::traceId(3);
  scans.push_back(trace);
  LogScan svc;
  svc.resource_matchers = {{"service.name", Op::kEqual, "cart"}};
  svc.line_contains = {"retry"};
  scans.push_back(svc);
  LogScan not_svc;
  not_svc.resource_matchers = {{"service.name", Op::kNotEqual, "cart"}};
  scans.push_back(not_svc);
  for (const LogScan& sc : scans) {
    EXPECT_EQ(scanLines(*s, sc), bruteForce(recs, sc))
        << (sc.line_contains.empty() ? std::string("-") : sc.line_contains[0]);
  }
  LogScan re;
  re.resource_matchers = {{"service.name", Op::kRegexMatch, "c.*t"}};
  LogScan eq_cart = re, eq_checkout = re;
  eq_cart.resource_matchers = {{"service.name", Op::kEqual, "cart"}};
  eq_checkout.resource_matchers = {{"service.name", Op::kEqual, "checkout"}};
  auto expected = bruteForce(recs, eq_cart);
  for (auto& l : bruteForce(recs, eq_checkout)) expected.push_back(l);
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(scanLines(*s, re), expected);
  // An absent needle reads no segment row group.
  uint64_t read = s->stats().row_groups_read.load();
  LogScan absent;
  absent.line_contains = {"no such text"};
  EXPECT_TRUE(scanLines(*s, absent).empty());
  EXPECT_EQ(s->stats().row_groups_read.load(), read);
}

TEST_F(LogStoreTest, LineContainsOnAnyBodyMatchesBruteForceInHeadAndSegments) {
  std::mt19937_64 rng(21);
  std::vector<model::Logs> batches;
  for (int i = 0; i < 8; ++i) {
    batches.push_back(test::decodeLogs(testing::randomLogs(rng, 3)));
    test::stampTimeless(batches.back(), kT0);
  }
  auto s = open(options());
  for (auto& b : batches) ASSERT_TRUE(s->writeSync(b).isOk());
  // Needles cut from records' lines (string and JSON bodies alike), plus one that is absent.
  std::vector<std::string> lines;
  std::string line;
  for (const auto& b : batches)
    for (const auto& rl : b.resources())
      for (const auto& sl : rl.scope_logs)
        for (const auto& r : sl.log_records) {
          model::logLine(r, line);
          lines.push_back(line);
        }
  std::vector<std::string> needles = {"no such text anywhere"};
  for (size_t i = 0; i < lines.size() && needles.size() < 25; i += 3) {
    if (lines[i].size() < 4) continue;
    size_t at = rng() % (lines[i].size() - 3);
    needles.push_back(
        lines[i].substr(at, 3 + rng() % std::min<size_t>(6, lines[i].size() - at - 2)));
  }
  auto expected = [&](const std::string& needle) {
    std::vector<std::string> out;
    for (const auto& b : batches)
      for (const auto& rl : b.resources())
        for (const auto& sl : rl.scope_logs)
          for (const auto& r : sl.log_records) {
            model::logLine(r, line);
            if (line.find(needle) == std::string::npos) continue;
            model::Logs one;
            RecordRef ref{&rl, &sl, &r, recordTime(r)};
            buildLogs(std::span<const RecordRef>(&ref, 1), one);
            test::appendAll(out, canonical(one));
          }
    return out;
  };
  for (int pass = 0; pass < 2; ++pass) {
    for (const std::string& needle : needles) {
      LogScan sc;
      sc.line_contains = {needle};
      EXPECT_EQ(scanAll(*s, sc), expected(needle)) << "needle \"" << needle << "\" pass " << pass;
    }
    ASSERT_TRUE(s->flush().isOk());
  }
}

TEST_F(LogStoreTest, OverlappingChunksFollowTheOrderingContractAndStopEarly) {
  auto s = open(options());
  std::vector<std::string> all;
  // Batches whose time ranges overlap; some flushed, some in the head.
  for (int b = 0; b < 8; ++b) {
    std::vector<Rec> recs;
    for (int i = 0; i < 6; ++i)
      recs.push_back({kT0 + static_cast<uint64_t>((b * 7 + i * 11) % 50) * 1000, 9,
                      "b" + std::to_string(b) + "i" + std::to_string(i)});
    model::Logs logs = makeLogs(recs);
    test::appendAll(all, canonical(logs));
    ASSERT_TRUE(s->writeSync(logs).isOk());
    if (b == 3 || b == 5) {
      ASSERT_TRUE(s->flush().isOk());
    }
  }
  for (auto dir : {ScanDirection::kBackward, ScanDirection::kForward}) {
    LogScan sc;
    sc.direction = dir;
    EXPECT_EQ(scanAll(*s, sc), all);  // scanAll checks chunk order and bounds
  }
  int visited = 0;
  ASSERT_TRUE(s->scan({}, [&](const LogChunk&) {
                 ++visited;
                 return ScanControl::kStop;
               }).isOk());
  EXPECT_EQ(visited, 1);
}

TEST_F(LogStoreTest, TraceLogsAreOldestFirstAcrossHeadAndSegments) {
  auto s = open(options());
  std::string id = test::traceId(77);
  ASSERT_TRUE(s->writeSync(makeLogs({{kT0 + 50, 9, "third", "a", id},
                                     {kT0 + 10, 9, "first", "b", id},
                                     {kT0 + 20, 9, "other", "a", test::traceId(78)}}))
                  .isOk());
  ASSERT_TRUE(s->flush().isOk());
  ASSERT_TRUE(s->writeSync(makeLogs({{kT0 + 30, 9, "second", "a", id},
                                     {kT0 + 5 * kHour, 9, "fourth", "c", id}}))
                  .isOk());
  auto logs = s->traceLogs(id);
  ASSERT_TRUE(logs.isOk());
  std::vector<std::string> lines;
  std::vector<std::string> services;
  for (const auto& rl : logs->resources())
    for (const auto& sl : rl.scope_logs)
      for (const auto& r : sl.log_records) {
        lines.emplace_back(r.body.str());
        services.emplace_back(model::findAttribute(rl.resource.attributes, "service.name")->str());
      }
  EXPECT_EQ(lines, (std::vector<std::string>{"first", "second", "third", "fourth"}));
  EXPECT_EQ(services, (std::vector<std::string>{"b", "a", "a", "c"}));
  auto none = s->traceLogs(test::traceId(5));
  ASSERT_TRUE(none.isOk());
  EXPECT_EQ(none->itemCount(), 0u);
  auto values = s->resourceValues("service.name");
  ASSERT_TRUE(values.isOk());
  EXPECT_EQ(*values, (std::vector<std::string>{"a", "b", "c"}));
}

TEST_F(LogStoreTest, RetentionByAgeAndPolicyRewritesAndDeletes) {
  uint64_t now = kT0;
  auto o = options();
  o.retention = std::chrono::hours(24);
  o.retention_rules = {{"errors", 17, "", std::chrono::hours(24 * 30)},
                       {"cart warnings", 13, "cart", std::chrono::hours(24 * 3)}};
  auto s = open(o, nullptr, [&] { return now; });
  ASSERT_TRUE(s->writeSync(makeLogs({{kT0 + 1, 9, "info", "checkout"},
                                     {kT0 + 2, 17, "error", "checkout"},
                                     {kT0 + 3, 13, "warn cart", "cart"},
                                     {kT0 + 4, 13, "warn checkout", "checkout"}}))
                  .isOk());
  ASSERT_TRUE(s->writeSync(makeLogs({{kT0 + kHour + 1, 9, "later info"}})).isOk());
  ASSERT_TRUE(s->flush().isOk());
  ASSERT_EQ(s->segments().size(), 2u);
  auto lines = [&] { return scanLines(*s, {}); };

  now = kT0 + 2 * kHour;
  ASSERT_TRUE(s->applyRetention().isOk());
  EXPECT_EQ(lines().size(), 5u);
  now = kT0 + 24 * kHour + 10;  // past 1 d for the first hour only
  ASSERT_TRUE(s->applyRetention().isOk());
  EXPECT_EQ(lines(), (std::vector<std::string>{"error", "later info", "warn cart"}));
  EXPECT_EQ(s->stats().retention_rewrites.load(), 1u);
  now = kT0 + 25 * kHour + 10;  // the second hour's file expires whole
  ASSERT_TRUE(s->applyRetention().isOk());
  EXPECT_EQ(lines(), (std::vector<std::string>{"error", "warn cart"}));
  now = kT0 + 4 * 24 * kHour;
  ASSERT_TRUE(s->applyRetention().isOk());
  EXPECT_EQ(lines(), (std::vector<std::string>{"error"}));
  now = kT0 + 31 * 24 * kHour;
  ASSERT_TRUE(s->applyRetention().isOk());
  EXPECT_TRUE(lines().empty());
  EXPECT_TRUE(s->segments().empty());
  EXPECT_EQ(s->stats().retention_deleted_records.load(), 5u);
  // Survives a reopen (the rewritten files replaced the originals).
  s.reset();
  s = open(o, nullptr, [&] { return now; });
  EXPECT_TRUE(lines().empty());
}

TEST_F(LogStoreTest, CompactionMergesSmallSegmentsOfPastHours) {
  uint64_t now = kT0 + 30 * 60 * 1'000'000'000ull;  // inside the first hour
  auto o = options();
  auto s = open(o, nullptr, [&] { return now; });
  std::vector<std::string> all;
  for (int i = 0; i < 5; ++i) {
    model::Logs logs = makeLogs({{kT0 + static_cast<uint64_t>(i) * 10, 9, "r" + std::to_string(i)},
                                 {kT0 + kHour + static_cast<uint64_t>(i), 9, "next hour"}});
    test::appendAll(all, canonical(logs));
    ASSERT_TRUE(s->writeSync(logs).isOk());
    ASSERT_TRUE(s->flush().isOk());
  }
  ASSERT_EQ(s->segments().size(), 10u);
  ASSERT_TRUE(s->compact().isOk());
  EXPECT_EQ(s->segments().size(), 10u);  // the hour is not over yet
  now = kT0 + 2 * kHour;
  ASSERT_TRUE(s->compact().isOk());
  EXPECT_EQ(s->segments().size(), 2u);
  EXPECT_EQ(s->stats().compactions.load(), 2u);
  EXPECT_EQ(s->stats().segment_records.load(), 10u);
  EXPECT_EQ(scanAll(*s), all);
  s.reset();
  s = open(o, nullptr, [&] { return now; });
  EXPECT_EQ(s->segments().size(), 2u);
  EXPECT_EQ(scanAll(*s), all);
}

TEST_F(LogStoreTest, ConcurrentWritesScansAndMaintenanceLoseNothing) {
  auto o = options();
  o.background_maintenance = true;
  o.head_max_records = 50;
  o.maintenance_interval = std::chrono::milliseconds(5);
  o.compaction_target_bytes = 1 << 20;
  auto s = open(o);
  constexpr int kWriters = 3, kBatches = 60, kPer = 7;
  std::atomic<bool> done{false};
  std::thread reader([&] {
    while (!done) {
      LogScan sc;
      sc.line_contains = {"w1 "};
      size_t n = 0;
      EXPECT_TRUE(s->scan(sc, [&](const LogChunk& c) {
                     n += c.logs->itemCount();
                     return ScanControl::kContinue;
                   }).isOk());
      EXPECT_LE(n, static_cast<size_t>(kBatches * kPer));
      (void)s->traceLogs(test::traceId(1));
    }
  });
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      for (int b = 0; b < kBatches; ++b) {
        std::vector<Rec> recs;
        for (int k = 0; k < kPer; ++k)
          recs.push_back(
              {kT0 + static_cast<uint64_t>(b) * kHour / 10 + static_cast<uint64_t>(k), 9,
               "w" + std::to_string(w) + " b" + std::to_string(b) + " k" + std::to_string(k)});
        EXPECT_TRUE(s->writeSync(makeLogs(recs)).isOk());
      }
    });
  }
  for (auto& t : writers) t.join();
  done = true;
  reader.join();
  ASSERT_TRUE(s->close().isOk());
  EXPECT_EQ(s->stats().records_written.load(), static_cast<uint64_t>(kWriters * kBatches * kPer));
  auto r = open(options());
  auto lines = scanLines(*r, {});
  EXPECT_EQ(lines.size(), static_cast<size_t>(kWriters * kBatches * kPer));
  EXPECT_EQ(std::set<std::string>(lines.begin(), lines.end()).size(), lines.size());
}

TEST_F(LogStoreTest, RetentionBySizeDeletesOldestPartitionsFirst) {
  auto o = options();
  auto s = open(o);
  for (int h = 0; h < 4; ++h) {
    std::vector<Rec> recs;
    for (int i = 0; i < 50; ++i)
      recs.push_back({kT0 + static_cast<uint64_t>(h) * kHour + static_cast<uint64_t>(i), 9,
                      "hour " + std::to_string(h) + " record " + std::to_string(i * 7919)});
    ASSERT_TRUE(s->writeSync(makeLogs(recs)).isOk());
  }
  ASSERT_TRUE(s->flush().isOk());
  auto segs = s->segments();
  ASSERT_EQ(segs.size(), 4u);
  s.reset();
  o.max_bytes = segs[2].bytes + segs[3].bytes;
  s = open(o);
  ASSERT_TRUE(s->applyRetention().isOk());
  segs = s->segments();
  ASSERT_EQ(segs.size(), 2u);
  EXPECT_EQ(segs[0].partition_start_ns, kT0 + 2 * kHour);
  EXPECT_EQ(segs[1].partition_start_ns, kT0 + 3 * kHour);
  EXPECT_EQ(s->stats().retention_deleted_records.load(), 100u);
}

TEST_F(LogStoreTest, TailSeesEveryWriteAndUnsubscribesSafelyWhileWritesContinue) {
  auto s = open(options());
  std::atomic<bool> stop{false};
  std::atomic<int> written{0};
  std::thread writer([&] {
    for (int i = 0; !stop; ++i) {
      ASSERT_TRUE(s->writeSync(makeLogs({{kT0 + static_cast<uint64_t>(i), 9, "w"}})).isOk());
      ++written;
    }
  });
  std::atomic<int> seen{0};
  for (int round = 0; round < 20; ++round) {
    auto sub =
        s->subscribe([&](const model::Logs& logs) { seen += static_cast<int>(logs.itemCount()); });
    EXPECT_EQ(s->tailSubscribers(), 1u);
    while (seen < round * 3 + 3) std::this_thread::yield();
    sub.reset();
    EXPECT_EQ(s->tailSubscribers(), 0u);
    int after = seen;
    int w = written;
    while (written < w + 3) std::this_thread::yield();
    EXPECT_EQ(seen, after);  // never called once the handle is gone
  }
  stop = true;
  writer.join();

  // Synchronous: a write's done comes after its subscribers saw it.
  std::vector<std::string> got;
  auto sub = s->subscribe([&](const model::Logs& logs) {
    got.emplace_back(logs.resources()[0].scope_logs[0].log_records[0].body.str());
  });
  ASSERT_TRUE(s->writeSync(makeLogs({{kT0, 9, "tail me"}})).isOk());
  EXPECT_EQ(got, (std::vector<std::string>{"tail me"}));
}

}  // namespace
}  // namespace periscope::storage::logs

namespace periscope::storage::logs {
namespace {

// Backpressure: with 2 × head_max_records not in segments, a write waits for a flush and is
// refused (retryable) when none comes in time; what was accepted stays readable.
TEST_F(LogStoreTest, WritesAreRefusedWhenTwiceTheHeadWaitsForAFailingFlush) {
  FaultInjectingFileSystem fi(posix_);
  auto o = options();
  o.head_max_records = 2;
  o.max_write_stall = std::chrono::milliseconds(20);
  auto s = open(o, &fi);
  ASSERT_TRUE(s->writeSync(makeLogs({{kT0 + 1, 9, "a"}, {kT0 + 2, 9, "b"}})).isOk());
  fi.failWritesTo(".pls", ENOSPC);  // segment files fail, the WAL keeps working
  EXPECT_FALSE(s->flush().isOk());  // the head is taken but not written
  ASSERT_TRUE(s->writeSync(makeLogs({{kT0 + 3, 9, "c"}, {kT0 + 4, 9, "d"}})).isOk());
  Status refused = s->writeSync(makeLogs({{kT0 + 5, 9, "e"}}));
  EXPECT_EQ(refused.code(), StatusCode::kUnavailable) << refused.toString();
  EXPECT_NE(refused.message().find("4 records wait for a flush"), std::string::npos)
      << refused.message();
  EXPECT_EQ(s->stats().write_stalls.load(), 1u);
  EXPECT_EQ(scanLines(*s, {}), (std::vector<std::string>{"a", "b", "c", "d"}));
  fi.clearFaults();
  ASSERT_TRUE(s->flush().isOk());
  EXPECT_TRUE(s->writeSync(makeLogs({{kT0 + 5, 9, "e"}})).isOk());
  EXPECT_EQ(scanLines(*s, {}), (std::vector<std::string>{"a", "b", "c", "d", "e"}));
}

TEST_F(LogStoreTest, AStalledWriteProceedsOnceAFlushMakesRoom) {
  auto o = options();
  o.head_max_records = 2;
  o.max_write_stall = std::chrono::minutes(5);
  auto s = open(o);
  ASSERT_TRUE(
      s->writeSync(
           makeLogs({{kT0 + 1, 9, "a"}, {kT0 + 2, 9, "b"}, {kT0 + 3, 9, "c"}, {kT0 + 4, 9, "d"}}))
          .isOk());
  std::atomic<bool> answered{false};
  Status result = Status(StatusCode::kInternal, "not answered");
  std::thread writer([&] {
    result = s->writeSync(makeLogs({{kT0 + 5, 9, "e"}}));
    answered = true;
  });
  // The writer is waiting once it counted its stall (no background thread flushes here).
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (s->stats().write_stalls.load() == 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::yield();
  ASSERT_EQ(s->stats().write_stalls.load(), 1u);
  EXPECT_FALSE(answered.load());
  ASSERT_TRUE(s->flush().isOk());
  writer.join();
  EXPECT_TRUE(result.isOk()) << result.toString();
  EXPECT_EQ(scanLines(*s, {}), (std::vector<std::string>{"a", "b", "c", "d", "e"}));
}

}  // namespace
}  // namespace periscope::storage::logs

namespace periscope::storage::logs {
namespace {

// OTLP allows a record with neither time nor observed time; filed at 0 it would land in 1970
// and expire at once, so the store stamps the arrival time as its observed time (on a copy:
// the caller's batch is untouched).
TEST_F(LogStoreTest, RecordsWithoutTimestampsGetTheirArrivalAsObservedTime) {
  auto s = open(options(), nullptr, [] { return kT0 + 42; });
  model::Logs batch = makeLogs({{0, 9, "timeless"}, {kT0 + 7, 9, "timed"}});
  for (auto& rl : batch.resources())
    for (auto& sl : rl.scope_logs)
      for (auto& r : sl.log_records)
        if (r.time_unix_nano == 0) r.observed_time_unix_nano = 0;
  ASSERT_TRUE(s->writeSync(batch).isOk());
  EXPECT_EQ(batch.resources()[0].scope_logs[0].log_records[0].observed_time_unix_nano, 0u);
  auto check = [&](const LogStore& store) {
    std::map<std::string, std::pair<uint64_t, uint64_t>> times;  // line → (time, observed)
    std::string line;
    ASSERT_TRUE(store
                    .scan({},
                          [&](const LogChunk& c) {
                            for (const auto& rl : c.logs->resources())
                              for (const auto& sl : rl.scope_logs)
                                for (const auto& r : sl.log_records) {
                                  model::logLine(r, line);
                                  times[line] = {r.time_unix_nano, r.observed_time_unix_nano};
                                }
                            return ScanControl::kContinue;
                          })
                    .isOk());
    EXPECT_EQ(times["timeless"], std::make_pair(uint64_t{0}, kT0 + 42));
    EXPECT_EQ(times["timed"].first, kT0 + 7);
  };
  check(*s);  // head
  ASSERT_TRUE(s->flush().isOk());
  check(*s);  // segment
  s.reset();
  auto reopened = open(options(), nullptr, [] { return kT0 + 1000; });
  check(*reopened);
}

}  // namespace
}  // namespace periscope::storage::logs

namespace periscope::storage::logs {
namespace {

// A batch the WAL refuses (the sender is told to retry) is in no read and no segment, and the
// WAL is reopened by the next flush (or the background thread), so the retry is stored once.
TEST_F(LogStoreTest, ABatchTheWalRefusesIsNeitherReadNorFlushedAndTheRetryIsStoredOnce) {
  FaultInjectingFileSystem fi(posix_);
  auto s = open(options(), &fi);
  ASSERT_TRUE(s->writeSync(makeLogs({{kT0 + 1, 9, "before"}})).isOk());
  fi.failWritesTo("/wal/", EIO);
  model::Logs refused = makeLogs({{kT0 + 2, 9, "refused then retried"}});
  Status st = s->writeSync(refused);
  EXPECT_EQ(st.code(), StatusCode::kUnavailable) << st.toString();
  EXPECT_EQ(scanLines(*s, {}), (std::vector<std::string>{"before"}));
  fi.clearFaults();
  ASSERT_TRUE(s->flush().isOk());  // reopens the WAL; the refused batch reaches no segment
  EXPECT_EQ(scanLines(*s, {}), (std::vector<std::string>{"before"}));
  ASSERT_TRUE(s->writeSync(refused).isOk());  // the sender's retry
  EXPECT_EQ(scanLines(*s, {}), (std::vector<std::string>{"before", "refused then retried"}));
  s.reset();
  auto reopened = open(options());
  EXPECT_EQ(scanLines(*reopened, {}), (std::vector<std::string>{"before", "refused then retried"}));
}

}  // namespace
}  // namespace periscope::storage::logs

namespace periscope::storage::logs {
namespace {

// A directory sync may fail after the rename it follows: whichever one of a flush fails (a
// segment's, the checkpoint's, the WAL's), after a retry and a restart every record is stored
// exactly once — no segment the checkpoint does not cover, none deleted that it does.
TEST_F(LogStoreTest, AFailedDirectorySyncAtAnyStepOfAFlushLosesAndRepeatsNothing) {
  for (uint64_t nth = 1; nth <= 6; ++nth) {
    SCOPED_TRACE("failing directory sync #" + std::to_string(nth));
    testing::TempDir dir;
    FaultInjectingFileSystem fi(posix_);
    auto o = at(dir.file("logs"));
    {
      auto s = open(o, &fi);
      ASSERT_TRUE(s->writeSync(makeLogs({{kT0 + 1, 9, "one"}, {kT0 + 2, 9, "two"}})).isOk());
      ASSERT_TRUE(s->writeSync(makeLogs({{kT0 + kHour + 3, 9, "three"}})).isOk());
      fi.failDirSync(nth, EIO);
      (void)s->flush();
      fi.clearFaults();
      ASSERT_TRUE(s->writeSync(makeLogs({{kT0 + 4, 9, "four"}})).isOk());
      ASSERT_TRUE(s->flush().isOk());
      EXPECT_EQ(scanLines(*s, {}), (std::vector<std::string>{"four", "one", "three", "two"}));
    }
    auto reopened = open(o);
    EXPECT_EQ(scanLines(*reopened, {}), (std::vector<std::string>{"four", "one", "three", "two"}));
  }
}

}  // namespace
}  // namespace periscope::storage::logs
