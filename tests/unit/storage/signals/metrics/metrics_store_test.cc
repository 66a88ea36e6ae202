// MetricsStore: selection with every matcher op, label queries, ingest rules (out of order,
// duplicates, cardinality), head→block flush, reopen, crash recovery (unsynced data dropped,
// torn WAL tail, unfinished flush, damaged block), retention and OTLP writes.
#include "storage/signals/metrics/metrics_store.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "storage/io/fault_injecting_file_system.h"
#include "storage/io/posix_file_system.h"
#include "support/metrics_builder.h"
#include "support/temp_dir.h"

namespace periscope::storage::metrics {
namespace {

namespace fs = std::filesystem;
using Op = Matcher::Op;

// Owns label storage for one series: sorted pairs in, LabelRefs out.
struct TestSeries {
  Labels labels;
  std::vector<LabelRef> refs;
  explicit TestSeries(Labels l) : labels(std::move(l)) {
    std::sort(labels.begin(), labels.end());
    for (const Label& x : labels) refs.push_back({x.name, x.value});
  }
};

class MetricsStoreTest : public ::testing::Test {
 protected:
  MetricsStoreOptions options(const std::string& dir) {
    MetricsStoreOptions o;
    o.dir = dir;
    o.fsync = WalSyncPolicy::kNever;
    o.background_maintenance = false;
    o.retention = std::chrono::milliseconds(0);
    return o;
  }
  std::unique_ptr<MetricsStore> open(MetricsStoreOptions o, FileSystem* fsys = nullptr,
                                     MetricsStore::NowFn now = {}) {
    auto s = MetricsStore::open(fsys ? *fsys : posix_, std::move(o), std::move(now));
    EXPECT_TRUE(s.isOk()) << s.status().message();
    return s.isOk() ? std::move(*s) : nullptr;
  }
  static void append(MetricsStore& s, const TestSeries& series,
                     std::initializer_list<std::pair<int64_t, double>> points) {
    std::vector<SampleRef> batch;
    for (auto [t, v] : points) batch.push_back({series.refs, t, v});
    ASSERT_TRUE(s.appendSamplesSync(batch).isOk());
  }
  static std::vector<std::string> render(const std::vector<Series>& result) {
    std::vector<std::string> out;
    for (const Series& s : result) {
      std::string line = model::prom::labelsToString(s.labels);
      for (const Sample& x : s.samples) {
        line += " " + std::to_string(x.t) + ":" +
                (model::prom::isStaleNaN(x.v) ? std::string("stale") : std::to_string(x.v));
      }
      out.push_back(line);
    }
    return out;
  }
  static std::vector<std::string> selectAll(const MetricsStore& s, std::vector<Matcher> m,
                                            int64_t mint = INT64_MIN, int64_t maxt = INT64_MAX) {
    auto r = s.select(m, mint, maxt);
    EXPECT_TRUE(r.isOk()) << r.status().message();
    return r.isOk() ? render(*r) : std::vector<std::string>{};
  }
  std::string dir(const std::string& name) { return tmp_.file(name); }

  periscope::testing::TempDir tmp_;
  PosixFileSystem posix_;
  TestSeries up_a_{{{"__name__", "up"}, {"job", "a"}, {"instance", "1"}}};
  TestSeries up_b_{{{"__name__", "up"}, {"job", "b"}, {"instance", "2"}}};
  TestSeries up_c_{{{"__name__", "up"}, {"job", "c"}}};
  TestSeries http_a_{{{"__name__", "http_total"}, {"job", "a"}}};
};

TEST_F(MetricsStoreTest, SelectWithEveryMatcherOp) {
  auto s = open(options(dir("m")));
  append(*s, up_a_, {{1000, 1}, {2000, 0}});
  append(*s, up_b_, {{1000, 1}});
  append(*s, up_c_, {{1500, model::prom::staleNaN()}});
  append(*s, http_a_, {{1000, 10}});

  EXPECT_EQ(selectAll(*s, {{"__name__", Op::kEqual, "up"}}),
            (std::vector<std::string>{
                R"({__name__="up", instance="1", job="a"} 1000:1.000000 2000:0.000000)",
                R"({__name__="up", instance="2", job="b"} 1000:1.000000)",
                R"({__name__="up", job="c"} 1500:stale)"}));
  EXPECT_EQ(selectAll(*s, {{"__name__", Op::kEqual, "up"}, {"job", Op::kNotEqual, "a"}}).size(),
            2u);
  EXPECT_EQ(
      selectAll(*s, {{"__name__", Op::kEqual, "up"}, {"instance", Op::kRegexMatch, "1|2"}}).size(),
      2u);
  // A missing label is the empty value: c has no instance, so `instance!~"1"` keeps it.
  EXPECT_EQ(selectAll(*s, {{"__name__", Op::kEqual, "up"}, {"instance", Op::kRegexNoMatch, "1"}}),
            (std::vector<std::string>{R"({__name__="up", instance="2", job="b"} 1000:1.000000)",
                                      R"({__name__="up", job="c"} 1500:stale)"}));
  EXPECT_EQ(selectAll(*s, {{"__name__", Op::kEqual, "up"}, {"instance", Op::kEqual, ""}}),
            (std::vector<std::string>{R"({__name__="up", job="c"} 1500:stale)"}));
  // Regexes are anchored: "a" does not match "ab", ".*" matches everything.
  EXPECT_EQ(selectAll(*s, {{"job", Op::kRegexMatch, "a"}}),
            (std::vector<std::string>{R"({__name__="http_total", job="a"} 1000:10.000000)",
                                      R"({__name__="up", instance="1", job="a"} 1000:1.000000 )"
                                      R"(2000:0.000000)"}));
  EXPECT_EQ(selectAll(*s, {{"__name__", Op::kRegexMatch, "u."}}).size(), 3u);
  EXPECT_EQ(selectAll(*s, {{"job", Op::kRegexMatch, ".*"}}).size(), 4u);
  EXPECT_EQ(selectAll(*s, {{"job", Op::kEqual, "zzz"}}).size(), 0u);
  // Time range: inclusive at both ends.
  EXPECT_EQ(selectAll(*s, {{"job", Op::kEqual, "a"}, {"__name__", Op::kEqual, "up"}}, 2000, 2000),
            (std::vector<std::string>{R"({__name__="up", instance="1", job="a"} 2000:0.000000)"}));

  std::vector<Matcher> bad{{"job", Op::kRegexMatch, "("}};
  auto r = s->select(bad, 0, 10000);
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
}

TEST_F(MetricsStoreTest, LabelNamesValuesAndSeries) {
  auto s = open(options(dir("m")));
  append(*s, up_a_, {{1000, 1}});
  append(*s, up_b_, {{5000, 1}});
  append(*s, http_a_, {{1000, 1}});
  std::vector<Matcher> none;
  EXPECT_EQ(*s->labelNames(none, 0, 10000),
            (std::vector<std::string>{"__name__", "instance", "job"}));
  EXPECT_EQ(*s->labelValues("job", none, 0, 10000), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(*s->labelValues("job", none, 0, 2000), (std::vector<std::string>{"a"}));
  std::vector<Matcher> http{{"__name__", Op::kEqual, "http_total"}};
  EXPECT_EQ(*s->labelNames(http, 0, 10000), (std::vector<std::string>{"__name__", "job"}));
  std::vector<Matcher> up{{"__name__", Op::kEqual, "up"}};
  auto series = s->series(up, 0, 10000);
  ASSERT_TRUE(series.isOk());
  EXPECT_EQ(*series, (std::vector<Labels>{up_a_.labels, up_b_.labels}));
}

TEST_F(MetricsStoreTest, OutOfOrderAndDuplicateSamples) {
  auto s = open(options(dir("m")));
  append(*s, up_a_, {{1000, 1}, {2000, 2}, {1500, 9}, {2000, 2}, {2000, 3}, {3000, 3}});
  EXPECT_EQ(s->stats().samples_appended, 3u);
  EXPECT_EQ(s->stats().rejected_out_of_order, 1u);
  EXPECT_EQ(s->stats().duplicates_ignored, 1u);
  EXPECT_EQ(s->stats().rejected_duplicate, 1u);
  EXPECT_EQ(selectAll(*s, {{"job", Op::kEqual, "a"}}),
            (std::vector<std::string>{R"({__name__="up", instance="1", job="a"} 1000:1.000000 )"
                                      R"(2000:2.000000 3000:3.000000)"}));
  // The rules hold across a flush: the head is empty but the block's last time is known.
  ASSERT_TRUE(s->flushHead().isOk());
  append(*s, up_a_, {{2500, 1}, {4000, 4}});
  EXPECT_EQ(s->stats().rejected_out_of_order, 2u);
  EXPECT_EQ(s->stats().samples_appended, 4u);
}

TEST_F(MetricsStoreTest, CardinalityLimitPerMetricName) {
  auto o = options(dir("m"));
  o.max_series_per_metric = 2;
  auto s = open(o);
  append(*s, up_a_, {{1000, 1}});
  append(*s, up_b_, {{1000, 1}});
  append(*s, up_c_, {{1000, 1}, {2000, 1}});  // a third `up` series: refused
  append(*s, http_a_, {{1000, 1}});           // other names are unaffected
  append(*s, up_a_, {{2000, 1}});             // existing series keep working
  EXPECT_EQ(s->stats().rejected_cardinality, 2u);
  EXPECT_EQ(s->stats().series_created, 3u);
  EXPECT_EQ(selectAll(*s, {{"__name__", Op::kEqual, "up"}}).size(), 2u);
}

TEST_F(MetricsStoreTest, PerQuerySeriesLimit) {
  auto o = options(dir("m"));
  o.max_series_per_query = 2;
  auto s = open(o);
  append(*s, up_a_, {{1000, 1}});
  append(*s, up_b_, {{1000, 1}});
  append(*s, up_c_, {{1000, 1}});
  std::vector<Matcher> up{{"__name__", Op::kEqual, "up"}};
  auto r = s->select(up, 0, 5000);
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted);
  std::vector<Matcher> two{{"__name__", Op::kEqual, "up"}, {"job", Op::kNotEqual, "c"}};
  EXPECT_TRUE(s->select(two, 0, 5000).isOk());
}

TEST_F(MetricsStoreTest, HeadFlushesToBlockAndReadsMergeBoth) {
  auto o = options(dir("m"));
  o.samples_per_chunk = 50;
  std::vector<std::string> before;
  {
    auto s = open(o);
    for (int i = 0; i < 300; ++i) {
      append(*s, up_a_, {{i * 15000, static_cast<double>(i)}});
      append(*s, up_b_, {{i * 15000, i % 7 == 0 ? model::prom::staleNaN() : -i * 0.5}});
    }
    ASSERT_TRUE(s->flushHead().isOk());
    EXPECT_EQ(s->stats().blocks, 1u);
    EXPECT_EQ(s->stats().block_samples, 600u);
    EXPECT_EQ(s->stats().head_samples, 0u);
    for (int i = 300; i < 310; ++i) append(*s, up_a_, {{i * 15000, static_cast<double>(i)}});
    auto r = s->select(std::vector<Matcher>{{"__name__", Op::kEqual, "up"}}, 0, 400 * 15000);
    ASSERT_TRUE(r.isOk());
    ASSERT_EQ(r->size(), 2u);
    ASSERT_EQ((*r)[0].samples.size(), 310u);
    for (int i = 0; i < 310; ++i) {
      EXPECT_EQ((*r)[0].samples[i].t, i * 15000);
      EXPECT_EQ((*r)[0].samples[i].v, i);
    }
    EXPECT_EQ((*r)[1].samples.size(), 300u);
    // A range inside the block only.
    EXPECT_EQ(selectAll(*s, {{"job", Op::kEqual, "a"}}, 15000, 30000),
              (std::vector<std::string>{R"({__name__="up", instance="1", job="a"} )"
                                        R"(15000:1.000000 30000:2.000000)"}));
    before = selectAll(*s, {{"__name__", Op::kEqual, "up"}});
    ASSERT_TRUE(s->close().isOk());  // flushes the 10 head samples into a second block
  }
  // The flush started a fresh WAL segment and deleted the ones it covered: what is left
  // holds no record (a segment header only).
  std::vector<uintmax_t> wal_sizes;
  for (const auto& e : fs::directory_iterator(dir("m") + "/wal"))
    wal_sizes.push_back(e.file_size());
  EXPECT_EQ(wal_sizes, std::vector<uintmax_t>{12});
  auto s = open(o);
  EXPECT_EQ(s->stats().blocks, 2u);
  EXPECT_EQ(s->stats().wal_records_replayed, 0u);
  EXPECT_EQ(selectAll(*s, {{"__name__", Op::kEqual, "up"}}), before);
  // Ids survive the restart: new samples extend the same series.
  append(*s, up_a_, {{310 * 15000, 310}});
  EXPECT_EQ(s->stats().series_created, 0u);
  EXPECT_EQ(selectAll(*s, {{"job", Op::kEqual, "a"}}, 309 * 15000, 310 * 15000),
            (std::vector<std::string>{R"({__name__="up", instance="1", job="a"} )"
                                      R"(4635000:309.000000 4650000:310.000000)"}));
}

TEST_F(MetricsStoreTest, CrashKeepsSyncedSamplesAndDropsUnsynced) {
  FaultInjectingFileSystem fi(posix_);
  auto o = options(dir("m"));
  o.fsync = WalSyncPolicy::kAlways;
  o.group_commit_window = std::chrono::microseconds(0);
  auto s = open(o, &fi);
  append(*s, up_a_, {{1000, 1}, {2000, 2}});
  append(*s, http_a_, {{1000, 5}});
  ASSERT_TRUE(fi.crash().isOk());
  fs::copy(dir("m"), dir("crashed"), fs::copy_options::recursive);
  s.reset();  // its files fail after the crash; the copy is what a restart sees

  auto r = open(options(dir("crashed")));
  EXPECT_EQ(r->stats().wal_samples_replayed, 3u);
  EXPECT_EQ(selectAll(*r, {{"job", Op::kEqual, "a"}}).size(), 2u);

  // Without fsync, a power loss drops what was only written.
  FaultInjectingFileSystem fi2(posix_);
  auto s2 = open(options(dir("n")), &fi2);
  append(*s2, up_a_, {{1000, 1}});
  ASSERT_TRUE(fi2.crash().isOk());
  fs::copy(dir("n"), dir("crashed2"), fs::copy_options::recursive);
  s2.reset();
  auto r2 = open(options(dir("crashed2")));
  EXPECT_EQ(r2->stats().wal_samples_replayed, 0u);
  EXPECT_EQ(selectAll(*r2, {{"job", Op::kEqual, "a"}}).size(), 0u);
}

TEST_F(MetricsStoreTest, TornWalTailIsCut) {
  auto s = open(options(dir("m")));
  append(*s, up_a_, {{1000, 1}});
  append(*s, up_a_, {{2000, 2}});
  fs::copy(dir("m"), dir("crashed"), fs::copy_options::recursive);
  s.reset();
  std::string last;
  for (const auto& e : fs::directory_iterator(dir("crashed") + "/wal")) {
    if (fs::file_size(e.path()) > 16) last = e.path().string();
  }
  ASSERT_FALSE(last.empty());
  fs::resize_file(last, fs::file_size(last) - 3);  // the second record loses its end

  auto r = open(options(dir("crashed")));
  EXPECT_GT(r->stats().wal_truncated_bytes, 0u);
  EXPECT_EQ(selectAll(*r, {{"job", Op::kEqual, "a"}}),
            (std::vector<std::string>{R"({__name__="up", instance="1", job="a"} 1000:1.000000)"}));
}

TEST_F(MetricsStoreTest, BlockWithoutCheckpointIsDroppedAndReplayed) {
  auto s = open(options(dir("m")));
  append(*s, up_a_, {{1000, 1}});
  ASSERT_TRUE(s->flushHead().isOk());
  append(*s, up_a_, {{2000, 2}});
  fs::copy(dir("m"), dir("crashed"), fs::copy_options::recursive);
  s.reset();
  // As if a second flush had renamed its block but crashed before the checkpoint.
  fs::copy_file(dir("crashed") + "/blocks/block-0000000000000001.pmb",
                dir("crashed") + "/blocks/block-0000000000000002.pmb");
  auto r = open(options(dir("crashed")));
  EXPECT_FALSE(fs::exists(dir("crashed") + "/blocks/block-0000000000000002.pmb"));
  EXPECT_EQ(r->stats().blocks, 1u);
  EXPECT_EQ(selectAll(*r, {{"job", Op::kEqual, "a"}}),
            (std::vector<std::string>{R"({__name__="up", instance="1", job="a"} 1000:1.000000 )"
                                      R"(2000:2.000000)"}));
}

TEST_F(MetricsStoreTest, DamagedBlockIsQuarantined) {
  {
    auto s = open(options(dir("m")));
    append(*s, up_a_, {{1000, 1}});
  }  // close flushes to block 1
  std::string block = dir("m") + "/blocks/block-0000000000000001.pmb";
  ASSERT_TRUE(fs::exists(block));
  {
    std::fstream f(block, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(fs::file_size(block)) - 30);  // inside the index
    f.put('\x5a');
  }
  auto s = open(options(dir("m")));
  EXPECT_EQ(s->stats().blocks_quarantined, 1u);
  EXPECT_TRUE(fs::exists(dir("m") + "/quarantine/block-0000000000000001.pmb"));
  // The flush started a new WAL segment and deleted the one holding the sample, so it is gone
  // with the block; the store still opens and takes new samples of the series.
  EXPECT_TRUE(selectAll(*s, {{"job", Op::kEqual, "a"}}).empty());
  append(*s, up_a_, {{2000, 2}});
  EXPECT_EQ(selectAll(*s, {{"job", Op::kEqual, "a"}}),
            (std::vector<std::string>{R"({__name__="up", instance="1", job="a"} 2000:2.000000)"}));
}

TEST_F(MetricsStoreTest, RetentionByAgeAndBySize) {
  int64_t now = 0;
  auto o = options(dir("m"));
  o.retention = std::chrono::hours(1);
  auto s = open(o, nullptr, [&] { return now; });
  for (int b = 0; b < 3; ++b) {
    append(*s, up_a_, {{b * 3'600'000 + 1, static_cast<double>(b)}});
    ASSERT_TRUE(s->flushHead().isOk());
  }
  EXPECT_EQ(s->stats().blocks, 3u);
  now = 3'600'000 + 2;  // block 0 (t=1) is older than 1h
  ASSERT_TRUE(s->applyRetention().isOk());
  EXPECT_EQ(s->stats().blocks, 2u);
  EXPECT_EQ(s->stats().retention_deleted_blocks, 1u);
  EXPECT_FALSE(fs::exists(dir("m") + "/blocks/block-0000000000000001.pmb"));
  EXPECT_EQ(selectAll(*s, {{"job", Op::kEqual, "a"}}),
            (std::vector<std::string>{R"({__name__="up", instance="1", job="a"} )"
                                      R"(3600001:1.000000 7200001:2.000000)"}));

  // By size: only the newest block fits.
  auto o2 = options(dir("n"));
  o2.max_bytes = 1;
  auto s2 = open(o2);
  append(*s2, up_a_, {{1, 1}});
  ASSERT_TRUE(s2->flushHead().isOk());
  append(*s2, up_a_, {{2, 2}});
  ASSERT_TRUE(s2->flushHead().isOk());
  ASSERT_TRUE(s2->applyRetention().isOk());
  EXPECT_EQ(s2->stats().blocks, 0u);  // even the newest is over 1 byte
  auto o3 = options(dir("o"));
  auto s3 = open(o3);
  for (int b = 0; b < 3; ++b) {
    append(*s3, up_a_, {{b + 1, static_cast<double>(b)}});
    ASSERT_TRUE(s3->flushHead().isOk());
  }
  ASSERT_TRUE(s3->close().isOk());
  s3.reset();
  o3.max_bytes = fs::file_size(dir("o") + "/blocks/block-0000000000000003.pmb") + 1;
  s3 = open(o3);
  ASSERT_TRUE(s3->applyRetention().isOk());
  EXPECT_EQ(s3->stats().blocks, 1u);
  EXPECT_TRUE(fs::exists(dir("o") + "/blocks/block-0000000000000003.pmb"));
  EXPECT_EQ(selectAll(*s3, {{"job", Op::kEqual, "a"}}),
            (std::vector<std::string>{R"({__name__="up", instance="1", job="a"} 3:2.000000)"}));
}

TEST_F(MetricsStoreTest, SeriesWhoseDataRetentionDeletedAreNoLongerListed) {
  int64_t now = 0;
  auto o = options(dir("m"));
  o.retention = std::chrono::hours(1);
  auto s = open(o, nullptr, [&] { return now; });
  append(*s, up_b_, {{1, 1}});  // only in the old block
  append(*s, up_a_, {{2, 1}});
  ASSERT_TRUE(s->flushHead().isOk());
  append(*s, up_a_, {{7'200'000, 2}});  // up_a_ also has newer data, in a block and the head
  ASSERT_TRUE(s->flushHead().isOk());
  append(*s, up_a_, {{7'300'000, 3}});
  constexpr int64_t kAll = INT64_MAX / 2;
  ASSERT_EQ(s->series({}, -kAll, kAll)->size(), 2u);
  now = 3'600'000 + 10;
  ASSERT_TRUE(s->applyRetention().isOk());
  EXPECT_EQ(*s->series({}, -kAll, kAll), (std::vector<Labels>{up_a_.labels}));
  EXPECT_EQ(*s->labelValues("job", {}, -kAll, kAll), (std::vector<std::string>{"a"}));
  // What is left of up_a_ still bounds it: nothing before 7,200,000.
  EXPECT_TRUE(s->series({}, 0, 7'199'999)->empty());
  EXPECT_EQ(s->series({}, 7'300'000, 7'300'000)->size(), 1u);
}

TEST_F(MetricsStoreTest, OtlpWritesAndMetadata) {
  using namespace periscope::testing;
  auto s = open(options(dir("m")));
  model::Metrics b;
  Arena& a = b.arena();
  model::Metric g =
      gauge("memory.used", "By", arenaArray(a, {numberPoint(a, {kv("pool", "heap")}, 5000, 42)}));
  g.description = "Memory in use";
  addResource(b, {kv("service.name", "api")}, "", "", {g});
  ASSERT_TRUE(s->writeSync(b).isOk());
  EXPECT_EQ(selectAll(*s, {{"__name__", Op::kEqual, "memory_used_bytes"}}),
            (std::vector<std::string>{
                R"({__name__="memory_used_bytes", job="api", pool="heap"} 5000:42.000000)"}));
  auto md = s->metadata("memory_used_bytes", 0);
  ASSERT_EQ(md.size(), 1u);
  EXPECT_EQ(md[0].help, "Memory in use");
  EXPECT_EQ(md[0].unit, "bytes");
  EXPECT_EQ(md[0].kind, model::prom::MetricKind::kGauge);

  // Metadata survives a restart (checkpoint) as samples do.
  ASSERT_TRUE(s->close().isOk());
  s = open(options(dir("m")));
  EXPECT_EQ(s->metadata("", 0).size(), 1u);

  // A batch with nothing representable is a permanent error naming why.
  model::Metrics bad;
  Arena& ba = bad.arena();
  addResource(bad, {}, "", "",
              {sum("c", "", true, model::AggregationTemporality::kUnspecified,
                   arenaArray(ba, {numberPoint(ba, {}, 1, 1)}))});
  Status st = s->writeSync(bad);
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(st.message(),
            "no point of the batch could be stored: unspecified temporality (metric c)");
}

TEST_F(MetricsStoreTest, RefusesForeignDirectory) {
  fs::create_directories(dir("m"));
  std::ofstream(dir("m") + "/notes.txt") << "mine";
  auto s = MetricsStore::open(posix_, options(dir("m")));
  ASSERT_FALSE(s.isOk());
  EXPECT_EQ(s.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(fs::exists(dir("m") + "/notes.txt"));
}

}  // namespace
}  // namespace periscope::storage::metrics
