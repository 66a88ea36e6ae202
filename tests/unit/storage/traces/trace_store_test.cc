// The trace store end to end in one process: writes, reads from head and segments, search
// semantics, the catalog, dependencies, restart and crash recovery, compaction and retention.
#include "storage/signals/traces/trace_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>

#include "storage/catalog/data_dir.h"
#include "storage/io/fault_injecting_file_system.h"
#include "storage/io/posix_file_system.h"
#include "support/temp_dir.h"
#include "trace_builder.h"

namespace periscope::storage {
namespace {

namespace fs = std::filesystem;
using testing::build;
using testing::spanNumbers;
using testing::SpanSpec;
using testing::traceId;
using testing::traceNumbers;

constexpr uint64_t kSec = 1'000'000'000ull;
constexpr uint64_t kHour = 3600 * kSec;
constexpr uint64_t kDay = 24 * kHour;
constexpr uint64_t kT0 = 1'790'000'000 * kSec;  // 2026-09-21, an exact hour

class TraceStoreTest : public ::testing::Test {
 protected:
  TraceStoreOptions options() {
    TraceStoreOptions o;
    o.dir = tmp_.file("traces");
    o.group_commit_window = std::chrono::microseconds(100);
    o.head_max_age = std::chrono::hours(1);          // tests flush explicitly
    o.maintenance_interval = std::chrono::hours(1);  // tests run maintenance explicitly
    o.row_group_rows = 2;  // many row groups per segment, so every path crosses them
    return o;
  }
  std::unique_ptr<TraceStore> open(TraceStoreOptions o, FileSystem* fs = nullptr) {
    auto s = TraceStore::open(fs ? *fs : posix_, std::move(o), [this] { return now_.load(); });
    EXPECT_TRUE(s.isOk()) << s.status().toString();
    return s.isOk() ? std::move(*s) : nullptr;
  }
  std::unique_ptr<TraceStore> open() { return open(options()); }

  static std::set<int> get(TraceStore& s, uint8_t trace) {
    auto t = s.getTrace(traceId(trace), 0, 0);
    EXPECT_TRUE(t.isOk()) << t.status().toString();
    return t.isOk() ? spanNumbers(*t) : std::set<int>{};
  }
  static std::vector<int> find(TraceStore& s, TraceQuery q) {
    if (q.limit == 0) q.limit = 20;
    auto r = s.findTraces(q);
    EXPECT_TRUE(r.isOk()) << r.status().toString();
    return r.isOk() ? traceNumbers(*r) : std::vector<int>{};
  }
  // A shop-like set of traces used by the search tests.
  static model::Traces shop() {
    return build({
        // trace 1: frontend → checkout (error) → payment, slow
        {.trace = 1,
         .id = 1,
         .service = "frontend",
         .name = "POST /cart",
         .kind = 2,
         .start_ns = kT0 + 10 * kSec,
         .duration_ns = 900'000'000,
         .string_attrs = {{"http.method", "POST"}},
         .int_attrs = {{"http.status_code", 500}},
         .resource_attrs = {{"deployment.environment", "prod"}}},
        {.trace = 1,
         .id = 2,
         .parent = 1,
         .service = "checkout",
         .name = "PlaceOrder",
         .kind = 2,
         .start_ns = kT0 + 10 * kSec + 1000,
         .duration_ns = 800'000'000,
         .error = true,
         .string_attrs = {{"order.id", "A1"}}},
        {.trace = 1,
         .id = 3,
         .parent = 2,
         .service = "payment",
         .name = "Charge",
         .kind = 3,
         .start_ns = kT0 + 10 * kSec + 2000,
         .duration_ns = 50'000'000},
        // trace 2: frontend → checkout, fast, later
        {.trace = 2,
         .id = 1,
         .service = "frontend",
         .name = "POST /cart",
         .kind = 2,
         .start_ns = kT0 + 20 * kSec,
         .duration_ns = 30'000'000,
         .string_attrs = {{"http.method", "POST"}},
         .int_attrs = {{"http.status_code", 200}},
         .resource_attrs = {{"deployment.environment", "staging"}}},
        {.trace = 2,
         .id = 2,
         .parent = 1,
         .service = "checkout",
         .name = "PlaceOrder",
         .kind = 2,
         .start_ns = kT0 + 20 * kSec + 1000,
         .duration_ns = 20'000'000,
         .string_attrs = {{"order.id", "B2"}}},
        // trace 3: frontend GET only, earliest
        {.trace = 3,
         .id = 1,
         .service = "frontend",
         .name = "GET /",
         .kind = 2,
         .start_ns = kT0 + 5 * kSec,
         .duration_ns = 5'000'000,
         .string_attrs = {{"http.method", "GET"}},
         .int_attrs = {{"http.status_code", 200}}},
    });
  }

  periscope::testing::TempDir tmp_;
  PosixFileSystem posix_;
  std::atomic<uint64_t> now_{kT0 + kHour};
};

TEST_F(TraceStoreTest, ReadYourWritesFromHeadThenFromSegmentAfterFlush) {
  auto s = open();
  ASSERT_TRUE(s->writeSync(shop()).isOk());
  EXPECT_EQ(get(*s, 1), (std::set<int>{1, 2, 3}));  // visible as soon as the write is answered
  EXPECT_EQ(get(*s, 9), std::set<int>{});
  auto before = s->getTrace(traceId(1), 0, 0);
  ASSERT_TRUE(s->flushHead().isOk());
  EXPECT_EQ(s->stats().head_spans.load(), 0u);
  ASSERT_EQ(s->segmentMetas().size(), 1u);
  auto after = s->getTrace(traceId(1), 0, 0);
  ASSERT_TRUE(after.isOk());
  EXPECT_EQ(testing::canonicalSpans(*after), testing::canonicalSpans(*before));
}

TEST_F(TraceStoreTest, SpansOfOneTraceInHeadAndSegmentsAreMerged) {
  auto s = open();
  ASSERT_TRUE(s->writeSync(build({{.trace = 5, .id = 1, .start_ns = kT0}})).isOk());
  ASSERT_TRUE(s->flushHead().isOk());
  ASSERT_TRUE(
      s->writeSync(build({{.trace = 5, .id = 2, .parent = 1, .start_ns = kT0 + 1}})).isOk());
  ASSERT_TRUE(s->flushHead().isOk());
  ASSERT_TRUE(
      s->writeSync(build({{.trace = 5, .id = 3, .parent = 1, .start_ns = kT0 + 2}})).isOk());
  // The same span delivered twice (a client retry) is returned once.
  ASSERT_TRUE(
      s->writeSync(build({{.trace = 5, .id = 3, .parent = 1, .start_ns = kT0 + 2}})).isOk());
  EXPECT_EQ(get(*s, 5), (std::set<int>{1, 2, 3}));
  auto t = s->getTrace(traceId(5), 0, 0);
  EXPECT_EQ(t->itemCount(), 3u);
}

class TraceSearchTest : public TraceStoreTest, public ::testing::WithParamInterface<bool> {
 protected:
  // Param: false = search the head, true = search segments after a flush.
  std::unique_ptr<TraceStore> loaded() {
    auto s = open();
    EXPECT_TRUE(s->writeSync(shop()).isOk());
    if (GetParam()) {
      EXPECT_TRUE(s->flushHead().isOk());
    }
    return s;
  }
};

TEST_P(TraceSearchTest, ServiceAndOperation) {
  auto s = loaded();
  EXPECT_EQ(find(*s, {.service = "frontend"}), (std::vector<int>{2, 1, 3}));  // newest first
  EXPECT_EQ(find(*s, {.service = "payment"}), (std::vector<int>{1}));
  EXPECT_EQ(find(*s, {.service = "frontend", .operation = "GET /"}), (std::vector<int>{3}));
  EXPECT_EQ(find(*s, {.service = "payment", .operation = "GET /"}), (std::vector<int>{}));
  EXPECT_EQ(find(*s, {.service = "nope"}), (std::vector<int>{}));
}

TEST_P(TraceSearchTest, TagsMatchSpanOrResourceAttributesOnOneSpan) {
  auto s = loaded();
  EXPECT_EQ(find(*s, {.tags = {{"http.status_code", "500"}}}), (std::vector<int>{1}));
  EXPECT_EQ(find(*s, {.tags = {{"http.method", "POST"}}}), (std::vector<int>{2, 1}));
  EXPECT_EQ(find(*s, {.tags = {{"deployment.environment", "prod"}}}), (std::vector<int>{1}));
  EXPECT_EQ(find(*s, {.tags = {{"http.method", "POST"}, {"http.status_code", "200"}}}),
            (std::vector<int>{2}));
  // Both tags exist in trace 1 but on different spans: no match (one span must satisfy all).
  EXPECT_EQ(find(*s, {.tags = {{"http.method", "POST"}, {"order.id", "A1"}}}),
            (std::vector<int>{}));
  EXPECT_EQ(find(*s, {.service = "checkout", .tags = {{"order.id", "B2"}}}), (std::vector<int>{2}));
  EXPECT_EQ(find(*s, {.tags = {{"http.method", "DELETE"}}}), (std::vector<int>{}));
}

TEST_P(TraceSearchTest, KindErrorsDurationTimeAndLimit) {
  auto s = loaded();
  EXPECT_EQ(find(*s, {.span_kind = 3}), (std::vector<int>{1}));
  EXPECT_EQ(find(*s, {.errors_only = true}), (std::vector<int>{1}));
  EXPECT_EQ(find(*s, {.service = "frontend", .min_duration_ns = 25'000'000}),
            (std::vector<int>{2, 1}));
  EXPECT_EQ(find(*s, {.service = "frontend", .max_duration_ns = 25'000'000}),
            (std::vector<int>{3}));
  EXPECT_EQ(
      find(*s,
           {.service = "frontend", .min_duration_ns = 10'000'000, .max_duration_ns = 100'000'000}),
      (std::vector<int>{2}));
  EXPECT_EQ(find(*s, {.start_time_min_ns = kT0 + 8 * kSec, .start_time_max_ns = kT0 + 15 * kSec}),
            (std::vector<int>{1}));
  EXPECT_EQ(find(*s, {.service = "frontend", .limit = 2}), (std::vector<int>{2, 1}));
}

INSTANTIATE_TEST_SUITE_P(HeadAndSegments, TraceSearchTest, ::testing::Bool());

TEST_F(TraceStoreTest, AttributeKeysOverTheCardinalityCapAreStillSearchable) {
  auto o = options();
  o.attribute_cardinality_cap = 2;
  auto s = open(o);
  std::vector<SpanSpec> specs;
  for (uint8_t i = 1; i <= 6; ++i)
    specs.push_back(
        {.trace = i,
         .id = 1,
         .start_ns = kT0 + i,
         .string_attrs = {{"user.id", "u" + std::to_string(i)}, {"tier", i % 2 ? "a" : "b"}}});
  ASSERT_TRUE(s->writeSync(build(specs)).isOk());
  ASSERT_TRUE(s->flushHead().isOk());
  for (uint8_t i = 1; i <= 6; ++i)
    EXPECT_EQ(find(*s, {.tags = {{"user.id", "u" + std::to_string(i)}}}), (std::vector<int>{i}));
  EXPECT_EQ(find(*s, {.tags = {{"tier", "b"}}}), (std::vector<int>{6, 4, 2}));
}

TEST_F(TraceStoreTest, ServicesOperationsAndDependencies) {
  auto s = open();
  ASSERT_TRUE(s->writeSync(shop()).isOk());
  ASSERT_TRUE(s->flushHead().isOk());
  ASSERT_TRUE(s->writeSync(build({{.trace = 7,
                                   .id = 1,
                                   .service = "inventory",
                                   .name = "SELECT",
                                   .kind = 3,
                                   .start_ns = kT0 + 30 * kSec}}))
                  .isOk());
  EXPECT_EQ(*s->services(),
            (std::vector<std::string>{"checkout", "frontend", "inventory", "payment"}));
  EXPECT_EQ(*s->operations("frontend", std::nullopt),
            (std::vector<OperationInfo>{{"GET /", 2}, {"POST /cart", 2}}));
  EXPECT_EQ(*s->operations("payment", 3), (std::vector<OperationInfo>{{"Charge", 3}}));
  EXPECT_EQ(*s->operations("payment", 2), (std::vector<OperationInfo>{}));

  auto deps = s->dependencies(kT0 + kHour, kHour);
  ASSERT_TRUE(deps.isOk());
  ASSERT_EQ(deps->size(), 2u);
  EXPECT_EQ((*deps)[0].parent, "checkout");
  EXPECT_EQ((*deps)[0].child, "payment");
  EXPECT_EQ((*deps)[0].call_count, 1u);
  EXPECT_EQ((*deps)[1].parent, "frontend");
  EXPECT_EQ((*deps)[1].child, "checkout");
  EXPECT_EQ((*deps)[1].call_count, 2u);
  EXPECT_EQ((*deps)[1].error_count, 1u);
  // A window that excludes trace 2 (t0+20s) counts only trace 1.
  auto early = s->dependencies(kT0 + 15 * kSec, 15 * kSec);
  ASSERT_EQ(early->size(), 2u);
  EXPECT_EQ((*early)[1].call_count, 1u);
}

TEST_F(TraceStoreTest, RestartReplaysTheWalAndKeepsSegments) {
  {
    auto s = open();
    ASSERT_TRUE(s->writeSync(build({{.trace = 1, .id = 1, .start_ns = kT0}})).isOk());
    ASSERT_TRUE(s->flushHead().isOk());
    ASSERT_TRUE(s->writeSync(build({{.trace = 2, .id = 1, .start_ns = kT0}})).isOk());
    // Simulated crash: copy the directory while the store runs (everything acked is synced).
    fs::copy(tmp_.file("traces"), tmp_.file("crashed"), fs::copy_options::recursive);
  }
  auto o = options();
  o.dir = tmp_.file("crashed");
  auto s = open(o);
  EXPECT_EQ(s->stats().wal_spans_replayed.load(), 1u);  // only the unflushed span
  EXPECT_EQ(s->segmentMetas().size(), 1u);
  EXPECT_EQ(get(*s, 1), (std::set<int>{1}));
  EXPECT_EQ(get(*s, 2), (std::set<int>{1}));
  EXPECT_EQ(*s->services(), (std::vector<std::string>{"frontend"}));
}

TEST_F(TraceStoreTest, CleanCloseFlushesSoTheNextStartReplaysNothing) {
  {
    auto s = open();
    ASSERT_TRUE(s->writeSync(shop()).isOk());
    ASSERT_TRUE(s->close().isOk());
  }
  auto s = open();
  EXPECT_EQ(s->stats().wal_spans_replayed.load(), 0u);
  EXPECT_EQ(get(*s, 1), (std::set<int>{1, 2, 3}));
}

TEST_F(TraceStoreTest, PowerLossKeepsEveryAcknowledgedSpan) {
  FaultInjectingFileSystem fi(posix_);
  {
    auto s = open(options(), &fi);
    for (uint8_t i = 1; i <= 20; ++i)
      ASSERT_TRUE(s->writeSync(build({{.trace = i, .id = 1, .start_ns = kT0 + i}})).isOk());
    ASSERT_TRUE(fi.crash().isOk());  // drops whatever was not fsynced
    fi.failWrite(1, EIO, /*sticky=*/true);
    fi.failSync(1, EIO, /*sticky=*/true);
  }
  fi.clearFaults();
  auto s = open();
  for (uint8_t i = 1; i <= 20; ++i) EXPECT_EQ(get(*s, i), (std::set<int>{1})) << int(i);
}

TEST_F(TraceStoreTest, TornWalTailIsCutAndCountedExactly) {
  {
    auto s = open();
    for (uint8_t i = 1; i <= 5; ++i)
      ASSERT_TRUE(s->writeSync(build({{.trace = i, .id = 1, .start_ns = kT0 + i}})).isOk());
    fs::copy(tmp_.file("traces"), tmp_.file("crashed"), fs::copy_options::recursive);
  }
  // Append a partial record (garbage) to the newest WAL segment.
  std::string newest;
  for (const auto& e : fs::directory_iterator(tmp_.file("crashed") + "/wal"))
    newest = std::max(newest, e.path().string());
  const std::string garbage = "\x30\x00\x00\x00garbage-torn-write";
  std::ofstream(newest, std::ios::app | std::ios::binary) << garbage;
  auto o = options();
  o.dir = tmp_.file("crashed");
  auto s = open(o);
  EXPECT_EQ(s->walRecovery().truncated_bytes, garbage.size());
  EXPECT_TRUE(s->walRecovery().corrupt_tail);
  EXPECT_EQ(s->stats().wal_spans_replayed.load(), 5u);
  for (uint8_t i = 1; i <= 5; ++i) EXPECT_EQ(get(*s, i), (std::set<int>{1}));
}

TEST_F(TraceStoreTest, TruncatedSegmentIsQuarantinedAndTheRestServed) {
  std::string victim;
  {
    auto s = open();
    ASSERT_TRUE(s->writeSync(build({{.trace = 1, .id = 1, .start_ns = kT0}})).isOk());
    ASSERT_TRUE(s->flushHead().isOk());
    victim = tmp_.file("traces") + "/seg-" + std::string(16 - 1, '0') + "1.pst";
    ASSERT_TRUE(s->writeSync(build({{.trace = 2, .id = 1, .start_ns = kT0},
                                    {.trace = 2, .id = 2, .start_ns = kT0}}))
                    .isOk());
    ASSERT_TRUE(s->close().isOk());
  }
  ASSERT_TRUE(fs::exists(victim));
  fs::resize_file(victim, fs::file_size(victim) - 10);
  auto s = open();
  EXPECT_EQ(s->stats().segments_quarantined.load(), 1u);
  EXPECT_FALSE(fs::exists(victim));
  EXPECT_TRUE(
      fs::exists(tmp_.file("traces") + "/quarantine/" + fs::path(victim).filename().string()));
  EXPECT_EQ(s->stats().segment_spans.load(), 2u);
  EXPECT_EQ(get(*s, 1), std::set<int>{});
  EXPECT_EQ(get(*s, 2), (std::set<int>{1, 2}));
}

TEST_F(TraceStoreTest, ASegmentFoundDamagedWhileServingIsQuarantinedNotServed) {
  auto s = open();
  ASSERT_TRUE(s->writeSync(build({{.trace = 1, .id = 1, .start_ns = kT0}})).isOk());
  ASSERT_TRUE(s->flushHead().isOk());
  ASSERT_TRUE(s->writeSync(build({{.trace = 2, .id = 1, .start_ns = kT0}})).isOk());
  ASSERT_TRUE(s->flushHead().isOk());
  auto metas = s->segmentMetas();
  ASSERT_EQ(metas.size(), 2u);
  // Flip a byte inside the first segment's first column block, in place (same inode).
  std::string path = tmp_.file("traces") + "/seg-" + std::string(15, '0') + "1.pst";
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(static_cast<std::streamoff>(metas[0].row_groups[0].offset + 2));
    char c = 0;
    f.read(&c, 1);
    f.seekp(static_cast<std::streamoff>(metas[0].row_groups[0].offset + 2));
    c = static_cast<char>(c ^ 0x40);
    f.write(&c, 1);
  }
  EXPECT_EQ(get(*s, 1), std::set<int>{});  // never served, and not an error for the reader
  EXPECT_EQ(s->stats().segments_quarantined.load(), 1u);
  EXPECT_TRUE(
      fs::exists(tmp_.file("traces") + "/quarantine/" + fs::path(path).filename().string()));
  EXPECT_EQ(s->segmentMetas().size(), 1u);
  EXPECT_EQ(get(*s, 2), (std::set<int>{1}));
  EXPECT_EQ(find(*s, {.service = "frontend"}), (std::vector<int>{2}));
}

TEST_F(TraceStoreTest, SegmentsOfAFlushWithoutCheckpointAreDroppedAndReplayedOnce) {
  {
    auto s = open();
    ASSERT_TRUE(s->writeSync(build({{.trace = 1, .id = 1, .start_ns = kT0}})).isOk());
    fs::copy(tmp_.file("traces"), tmp_.file("crashed"), fs::copy_options::recursive);
    ASSERT_TRUE(s->flushHead().isOk());
    // The crash happened after the segment rename but before the checkpoint.
    for (const auto& e : fs::directory_iterator(tmp_.file("traces")))
      if (e.path().extension() == ".pst")
        fs::copy(e.path(), tmp_.file("crashed") / e.path().filename());
  }
  auto o = options();
  o.dir = tmp_.file("crashed");
  auto s = open(o);
  EXPECT_EQ(s->stats().incomplete_flush_segments_removed.load(), 1u);
  EXPECT_EQ(s->segmentMetas().size(), 0u);
  EXPECT_EQ(s->stats().wal_spans_replayed.load(), 1u);
  auto t = s->getTrace(traceId(1), 0, 0);
  EXPECT_EQ(t->itemCount(), 1u);
}

// A directory sync may fail after the rename it follows: whichever one of a flush fails, after
// a retry and a restart every span is in exactly one segment — no orphan the checkpoint
// covers, no segment deleted that it covers.
TEST_F(TraceStoreTest, AFailedDirectorySyncAtAnyStepOfAFlushLosesAndRepeatsNothing) {
  for (uint64_t nth = 1; nth <= 6; ++nth) {
    SCOPED_TRACE("failing directory sync #" + std::to_string(nth));
    auto o = options();
    o.dir = tmp_.file("traces-" + std::to_string(nth));
    FaultInjectingFileSystem fi(posix_);
    {
      auto s = open(o, &fi);
      ASSERT_TRUE(s->writeSync(build({{.trace = 1, .id = 1, .start_ns = kT0}})).isOk());
      ASSERT_TRUE(s->writeSync(build({{.trace = 2, .id = 1, .start_ns = kT0 + kHour}})).isOk());
      fi.failDirSync(nth, EIO);
      (void)s->flushHead();
      fi.clearFaults();
      ASSERT_TRUE(s->flushHead().isOk());
    }
    auto s = open(o);
    EXPECT_EQ(get(*s, 1), (std::set<int>{1}));
    EXPECT_EQ(get(*s, 2), (std::set<int>{1}));
    uint64_t stored = 0;
    for (const auto& m : s->segmentMetas()) stored += m.spans;
    EXPECT_EQ(stored + s->stats().wal_spans_replayed.load(), 2u);
  }
}

TEST_F(TraceStoreTest, CompactionMergesAPartitionAndAnInterruptedOneIsFinishedAtOpen) {
  {
    auto s = open();
    for (uint8_t i = 1; i <= 4; ++i) {
      ASSERT_TRUE(s->writeSync(build({{.trace = i, .id = 1, .start_ns = kT0 + i * kSec}})).isOk());
      ASSERT_TRUE(s->flushHead().isOk());
    }
    ASSERT_EQ(s->segmentMetas().size(), 4u);
    fs::copy(tmp_.file("traces"), tmp_.file("before"), fs::copy_options::recursive);
    now_ = kT0 + 3 * kHour;  // the partition is closed
    ASSERT_TRUE(s->compact().isOk());
    auto metas = s->segmentMetas();
    ASSERT_EQ(metas.size(), 1u);
    EXPECT_EQ(metas[0].replaces, (std::vector<uint64_t>{1, 2, 3, 4}));
    EXPECT_EQ(metas[0].spans, 4u);
    for (uint8_t i = 1; i <= 4; ++i) EXPECT_EQ(get(*s, i), (std::set<int>{1}));
    EXPECT_EQ(s->stats().compactions.load(), 1u);
    ASSERT_TRUE(s->close().isOk());
  }
  // Crash between writing the output and deleting the inputs: the inputs come back.
  for (const auto& e : fs::directory_iterator(tmp_.file("before")))
    if (e.path().extension() == ".pst")
      fs::copy(e.path(), tmp_.file("traces") / e.path().filename(),
               fs::copy_options::skip_existing);
  auto s = open();
  EXPECT_EQ(s->segmentMetas().size(), 1u);
  for (uint8_t i = 1; i <= 4; ++i) {
    auto t = s->getTrace(traceId(i), 0, 0);
    EXPECT_EQ(t->itemCount(), 1u) << "no duplicates after finishing the compaction";
  }
}

TEST_F(TraceStoreTest, PerPolicyRetentionIsEvaluatedPerTrace) {
  auto o = options();
  o.retention = std::chrono::hours(24 * 3);
  o.retention_rules.push_back(
      {.name = "errors", .errors_only = true, .retention = std::chrono::hours(24 * 30)});
  o.retention_rules.push_back({.name = "vip",
                               .attributes = {{"customer.tier", "gold"}},
                               .retention = std::chrono::hours(24 * 10)});
  auto s = open(o);
  ASSERT_TRUE(s->writeSync(build({
                               // trace 1: one error span among ok spans → whole trace kept 30d
                               {.trace = 1, .id = 1, .start_ns = kT0},
                               {.trace = 1,
                                .id = 2,
                                .parent = 1,
                                .service = "db",
                                .start_ns = kT0 + 1,
                                .error = true},
                               // trace 2: plain → 3d
                               {.trace = 2, .id = 1, .start_ns = kT0 + 2},
                               // trace 3: gold customer → 10d
                               {.trace = 3,
                                .id = 1,
                                .start_ns = kT0 + 3,
                                .string_attrs = {{"customer.tier", "gold"}}},
                           }))
                  .isOk());
  ASSERT_TRUE(s->flushHead().isOk());
  now_ = kT0 + 2 * kDay;
  ASSERT_TRUE(s->applyRetention().isOk());
  EXPECT_EQ(s->stats().retention_deleted_spans.load(), 0u);
  now_ = kT0 + 4 * kDay;
  ASSERT_TRUE(s->applyRetention().isOk());
  EXPECT_EQ(get(*s, 1), (std::set<int>{1, 2}));
  EXPECT_EQ(get(*s, 2), std::set<int>{});
  EXPECT_EQ(get(*s, 3), (std::set<int>{1}));
  EXPECT_EQ(s->stats().retention_deleted_spans.load(), 1u);
  now_ = kT0 + 11 * kDay;
  ASSERT_TRUE(s->applyRetention().isOk());
  EXPECT_EQ(get(*s, 3), std::set<int>{});
  EXPECT_EQ(get(*s, 1), (std::set<int>{1, 2}));
  now_ = kT0 + 31 * kDay;
  ASSERT_TRUE(s->applyRetention().isOk());
  EXPECT_EQ(get(*s, 1), std::set<int>{});
  EXPECT_EQ(s->segmentMetas().size(), 0u);
  EXPECT_EQ(*s->services(), std::vector<std::string>{});
}

TEST_F(TraceStoreTest, SizeLimitDeletesTheOldestPartitionsFirst) {
  auto o = options();
  auto s = open(o);
  for (uint8_t h = 0; h < 3; ++h) {
    ASSERT_TRUE(
        s->writeSync(
             build({{.trace = static_cast<uint8_t>(h + 1), .id = 1, .start_ns = kT0 + h * kHour}}))
            .isOk());
    ASSERT_TRUE(s->flushHead().isOk());
  }
  ASSERT_EQ(s->segmentMetas().size(), 3u);
  uint64_t one = s->segmentMetas()[0].file_bytes;
  s.reset();
  o.max_bytes = one * 2;  // room for two of the three
  s = open(o);
  ASSERT_TRUE(s->applyRetention().isOk());
  EXPECT_EQ(get(*s, 1), std::set<int>{});
  EXPECT_EQ(get(*s, 2), (std::set<int>{1}));
  EXPECT_EQ(get(*s, 3), (std::set<int>{1}));
}

TEST_F(TraceStoreTest, ForeignFilesInTheStoreDirectoryAreRefusedUntouched) {
  fs::create_directories(tmp_.file("traces"));
  std::ofstream(tmp_.file("traces") + "/notes.txt") << "mine";
  auto s = TraceStore::open(posix_, options());
  ASSERT_FALSE(s.isOk());
  EXPECT_EQ(s.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(s.status().message().find("notes.txt"), std::string_view::npos);
  EXPECT_TRUE(fs::exists(tmp_.file("traces") + "/notes.txt"));
}

TEST_F(TraceStoreTest, DataDirIsClaimedOnlyWhenEmptyOrOurs) {
  EXPECT_TRUE(claimDataDir(posix_, tmp_.file("fresh")).isOk());
  EXPECT_TRUE(fs::exists(tmp_.file("fresh") + "/PERISCOPE_DATA"));
  EXPECT_TRUE(claimDataDir(posix_, tmp_.file("fresh")).isOk()) << "idempotent";

  fs::create_directories(tmp_.file("home"));
  std::ofstream(tmp_.file("home") + "/thesis.tex") << "x";
  Status st = claimDataDir(posix_, tmp_.file("home"));
  EXPECT_EQ(st.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(st.message().find("thesis.tex"), std::string_view::npos);
  EXPECT_FALSE(fs::exists(tmp_.file("home") + "/PERISCOPE_DATA"));

  fs::create_directories(tmp_.file("future"));
  std::ofstream(tmp_.file("future") + "/PERISCOPE_DATA") << "periscope data directory\nformat 99\n";
  st = claimDataDir(posix_, tmp_.file("future"));
  EXPECT_EQ(st.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(st.message().find("newer"), std::string_view::npos);
}

TEST_F(TraceStoreTest, WriteAfterCloseIsRefusedRetryably) {
  auto s = open();
  ASSERT_TRUE(s->close().isOk());
  Status st = s->writeSync(shop());
  EXPECT_EQ(st.code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace periscope::storage
