// Log segment codec: every OTLP field (all AnyValue body types, structured bodies) round-trips;
// row filters and footer filters never drop a matching record; damaged bytes are refused.
#include "storage/signals/logs/log_segment.h"

#include <gtest/gtest.h>

#include <random>

#include "model/log_line.h"
#include "storage/index/trigram_filter.h"
#include "unit/storage/signals/logs/log_test_util.h"

namespace periscope::storage::logs {
namespace {

using test::canonical;

std::vector<RecordRef> refsOf(const model::Logs& logs) {
  std::vector<RecordRef> refs;
  for (const auto& rl : logs.resources())
    for (const auto& sl : rl.scope_logs)
      for (const auto& r : sl.log_records) refs.push_back({&rl, &sl, &r, recordTime(r)});
  std::stable_sort(refs.begin(), refs.end(),
                   [](const RecordRef& a, const RecordRef& b) { return a.time_ns < b.time_ns; });
  return refs;
}

BlockReader readerOf(const std::string& file) {
  return [&file](const LogBlockRef& b) -> Result<std::string> {
    return file.substr(b.offset, b.size);
  };
}

model::Logs decodeAll(const std::string& file, const LogSegmentMeta& meta, const RowFilter& f) {
  model::Logs out;
  for (const LogRowGroupMeta& rg : meta.row_groups) {
    model::Logs part;
    auto n = decodeLogRowGroup(rg, readerOf(file), f, part);
    EXPECT_TRUE(n.isOk()) << n.status().message();
    out.append(std::move(part));
  }
  return out;
}

TEST(LogSegmentTest, RandomBatchesRoundTripEveryField) {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 30; ++round) {
    model::Logs logs = test::decodeLogs(testing::randomLogs(rng, 4));
    auto refs = refsOf(logs);
    if (refs.empty()) continue;
    LogSegmentMeta meta;
    meta.id = 42;
    meta.wal_lsn = 9;
    meta.replaces = {3, 4};
    std::string file = encodeLogSegment(refs, meta, {.zstd_level = 1, .row_group_rows = 5});
    ASSERT_TRUE(checkLogSegmentHeader(file).isOk());
    auto decoded = decodeLogSegmentMeta(file, file.size(), kLogSegmentVersion);
    ASSERT_TRUE(decoded.isOk()) << decoded.status().message();
    EXPECT_EQ(decoded->id, 42u);
    EXPECT_EQ(decoded->wal_lsn, 9u);
    EXPECT_EQ(decoded->replaces, (std::vector<uint64_t>{3, 4}));
    EXPECT_EQ(decoded->records, refs.size());
    EXPECT_EQ(decoded->row_groups.size(), (refs.size() + 4) / 5);
    EXPECT_EQ(canonical(decodeAll(file, *decoded, {})), canonical(logs)) << "round " << round;
  }
}

TEST(LogSegmentTest, StructuredBodiesKeepTheirTypeAndLine) {
  testing::PbLogs req;
  auto* sl = req.add_resource_logs()->add_scope_logs();
  auto* a = sl->add_log_records();
  a->set_time_unix_nano(10);
  auto* kv = a->mutable_body()->mutable_kvlist_value()->add_values();
  kv->set_key("msg");
  kv->mutable_value()->set_string_value("db timeout");
  auto* b = sl->add_log_records();
  b->set_time_unix_nano(0);  // no time: sorted by the observed time
  b->set_observed_time_unix_nano(5);
  b->mutable_body()->set_bytes_value(std::string("\0\x01\xff", 3));
  auto* c = sl->add_log_records();
  c->set_time_unix_nano(7);
  c->mutable_body()->mutable_array_value()->add_values()->set_double_value(2.5);
  sl->add_log_records()->set_time_unix_nano(8);  // no body
  model::Logs logs = test::decodeLogs(req);
  auto refs = refsOf(logs);
  LogSegmentMeta meta;
  std::string file = encodeLogSegment(refs, meta, {});
  auto decoded = decodeLogSegmentMeta(file, file.size(), kLogSegmentVersion);
  ASSERT_TRUE(decoded.isOk());
  EXPECT_EQ(canonical(decodeAll(file, *decoded, {})), canonical(logs));
  EXPECT_EQ(decoded->min_time_ns, 5u);
  EXPECT_EQ(decoded->max_time_ns, 10u);

  std::vector<std::string> needle = {"\"msg\":\"db timeout\""};
  RowFilter f;
  f.line_contains = needle;
  model::Logs hit = decodeAll(file, *decoded, f);
  ASSERT_EQ(hit.itemCount(), 1u);
  std::string line;
  model::logLine(hit.resources()[0].scope_logs[0].log_records[0], line);
  EXPECT_EQ(line, "{\"msg\":\"db timeout\"}");
}

// Version 2 writes record attribute keys as row-group dictionary indices and integers as
// varints: keys in varying orders and repeats, extreme integers, nested lists and entries
// longer than a one-byte length all come back exactly, across row groups.
TEST(LogSegmentTest, AttributeKeyDictionaryRoundTripsEveryShape) {
  testing::PbLogs req;
  auto* sl = req.add_resource_logs()->add_scope_logs();
  const int64_t ints[] = {0, -1, 1, 200, INT64_MIN, INT64_MAX};
  for (int i = 0; i < 12; ++i) {
    auto* r = sl->add_log_records();
    r->set_time_unix_nano(100 + static_cast<uint64_t>(i));
    r->mutable_body()->set_string_value(std::string(static_cast<size_t>(i) * 40, 'b'));
    r->set_dropped_attributes_count(static_cast<uint32_t>(i % 3));
    auto add = [&](const std::string& key) {
      auto* kv = r->add_attributes();
      kv->set_key(key);
      return kv->mutable_value();
    };
    // Orders change from row to row; a key can repeat within a record.
    if (i % 2 == 0) add("http.route")->set_string_value("/a");
    add("status")->set_int_value(ints[i % 6]);
    if (i % 2 == 1) add("http.route")->set_string_value("/b");
    if (i % 4 == 3) add("status")->set_int_value(ints[(i + 1) % 6]);
    add("long")->set_string_value(std::string(static_cast<size_t>(i) * 30, 'x'));
    auto* nested = add("nested")->mutable_kvlist_value()->add_values();
    nested->set_key("inner");
    nested->mutable_value()->set_int_value(ints[(i + 3) % 6]);
    if (i == 5) add("");  // empty key, absent value
  }
  model::Logs logs = test::decodeLogs(req);
  auto refs = refsOf(logs);
  LogSegmentMeta meta;
  std::string file = encodeLogSegment(refs, meta, {.zstd_level = 1, .row_group_rows = 5});
  auto decoded = decodeLogSegmentMeta(file, file.size(), kLogSegmentVersion);
  ASSERT_TRUE(decoded.isOk()) << decoded.status().message();
  EXPECT_EQ(decoded->row_groups.size(), 3u);
  EXPECT_EQ(canonical(decodeAll(file, *decoded, {})), canonical(logs));
}

TEST(LogSegmentTest, TrigramFilterNeverRejectsASubstring) {
  std::mt19937_64 rng(3);
  std::vector<std::string> lines;
  for (int i = 0; i < 300; ++i) {
    std::string s;
    for (int k = 0; k < 40; ++k) s.push_back(static_cast<char>('a' + rng() % 6));
    lines.push_back(s);
  }
  TrigramFilter f;
  f.reset();
  for (const auto& l : lines) f.add(l);
  f.finish();
  for (const auto& l : lines)
    for (size_t at = 0; at + 5 <= l.size(); at += 3) EXPECT_TRUE(f.mayContain(l.substr(at, 5)));
  // One line of arbitrary bytes per filter (sparse, so a wrong bit shows): every window,
  // the first and last included.
  for (int i = 0; i < 50; ++i) {
    std::string line;
    for (int k = 0; k < 3 + i; ++k) line.push_back(static_cast<char>(rng()));
    TrigramFilter one;
    one.reset();
    one.add(line);
    one.finish();
    for (size_t at = 0; at + 3 <= line.size(); ++at)
      EXPECT_TRUE(one.mayContain(line.substr(at, 3))) << "line " << i << " at " << at;
  }
  TrigramFilter g;
  g.reset();
  g.add("connection refused by upstream");
  g.finish();
  EXPECT_LT(g.words.size(), 4096u / 64);  // folded well below its build size
  EXPECT_TRUE(g.mayContain("refused by"));
  EXPECT_TRUE(g.mayContain("ab"));  // too short to prove anything
  EXPECT_FALSE(g.mayContain("timeout"));
}

TEST(LogSegmentTest, DamagedBytesAreRefused) {
  model::Logs logs = test::makeLogs({{100, 9, "hello world"}, {200, 17, "bad thing"}});
  auto refs = refsOf(logs);
  LogSegmentMeta meta;
  std::string file = encodeLogSegment(refs, meta, {});
  auto good = decodeLogSegmentMeta(file, file.size(), kLogSegmentVersion);
  ASSERT_TRUE(good.isOk());
  // A flipped byte in a block: the row group read fails with DATA_LOSS.
  std::string bad_block = file;
  bad_block[good->row_groups[0].blocks[kColBody].offset] ^= 0x40;
  model::Logs out;
  auto n = decodeLogRowGroup(good->row_groups[0], readerOf(bad_block), {}, out);
  EXPECT_EQ(n.status().code(), StatusCode::kDataLoss);
  // A flipped byte in the footer, a torn tail, a foreign header.
  std::string bad_footer = file;
  bad_footer[file.size() - kLogSegmentTrailerBytes - 3] ^= 1;
  EXPECT_EQ(decodeLogSegmentMeta(bad_footer, file.size(), kLogSegmentVersion).status().code(),
            StatusCode::kDataLoss);
  std::string torn = file.substr(0, file.size() - 5);
  EXPECT_EQ(decodeLogSegmentMeta(torn, torn.size(), kLogSegmentVersion).status().code(),
            StatusCode::kDataLoss);
  EXPECT_EQ(checkLogSegmentHeader(std::string_view("NOTOURS0\1\0\0\0", 12)).code(),
            StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace periscope::storage::logs
