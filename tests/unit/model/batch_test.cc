// Batch<R>: item counting, splitting, appending and cloning keep every item, in order.
#include "model/batch.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "model/attribute_edit.h"
#include "model/otlp/proto_decoder.h"
#include "model/otlp/proto_encoder.h"
#include "support/otlp_random.h"

namespace periscope::model {
namespace {

// Each item encoded alone with its resource and scope: equal lists mean the same items in order.
std::vector<std::string> items(const Traces& b) {
  std::vector<std::string> out;
  for (ResourceSpans rs : b.resources()) {
    for (ScopeSpans ss : rs.scope_spans) {
      for (Span& s : ss.spans) {
        ScopeSpans one_scope = ss;
        one_scope.spans = {&s, 1};
        ResourceSpans one = rs;
        one.scope_spans = {&one_scope, 1};
        Traces t;
        t.resources().push_back(one);
        out.emplace_back();
        otlp::encode(t, out.back());
      }
    }
  }
  return out;
}

std::vector<std::string> items(const Logs& b) {
  std::vector<std::string> out;
  for (ResourceLogs rl : b.resources()) {
    for (ScopeLogs sl : rl.scope_logs) {
      for (LogRecord& r : sl.log_records) {
        ScopeLogs one_scope = sl;
        one_scope.log_records = {&r, 1};
        ResourceLogs one = rl;
        one.scope_logs = {&one_scope, 1};
        Logs l;
        l.resources().push_back(one);
        out.emplace_back();
        otlp::encode(l, out.back());
      }
    }
  }
  return out;
}

template <typename T>
void pointItems(const ResourceMetrics& rm, const ScopeMetrics& sm, const Metric& m,
                std::span<T> points, std::span<T> Metric::*member, std::vector<std::string>& out) {
  for (T& p : points) {
    Metric one_metric = m;
    one_metric.*member = {&p, 1};
    ScopeMetrics one_scope = sm;
    one_scope.metrics = {&one_metric, 1};
    ResourceMetrics one = rm;
    one.scope_metrics = {&one_scope, 1};
    Metrics batch;
    batch.resources().push_back(one);
    out.emplace_back();
    otlp::encode(batch, out.back());
  }
}

std::vector<std::string> items(const Metrics& b) {
  std::vector<std::string> out;
  for (const ResourceMetrics& rm : b.resources()) {
    for (const ScopeMetrics& sm : rm.scope_metrics) {
      for (const Metric& m : sm.metrics) {
        pointItems(rm, sm, m, m.number_points, &Metric::number_points, out);
        pointItems(rm, sm, m, m.histogram_points, &Metric::histogram_points, out);
        pointItems(rm, sm, m, m.exponential_points, &Metric::exponential_points, out);
        pointItems(rm, sm, m, m.summary_points, &Metric::summary_points, out);
      }
    }
  }
  return out;
}

template <typename Batch>
Batch decoded(const std::string& bytes) {
  Batch b;
  Status st = otlp::decode(b.arena().adopt(std::string(bytes)), b);
  EXPECT_TRUE(st.isOk()) << st.toString();
  return b;
}

template <typename Batch, typename Pb>
void checkSplitEverywhere(Pb (*make)(std::mt19937_64&, int), uint64_t seed) {
  std::mt19937_64 rng(seed);
  for (int round = 0; round < 30; ++round) {
    std::string bytes = make(rng, 2).SerializeAsString();
    Batch whole = decoded<Batch>(bytes);
    std::vector<std::string> all = items(whole);
    ASSERT_EQ(whole.itemCount(), all.size());
    for (size_t n = 0; n <= all.size() + 1; ++n) {
      Batch tail = decoded<Batch>(bytes);
      Batch head = tail.splitFront(n);
      size_t expect_head = std::min(n, all.size());
      ASSERT_EQ(head.itemCount(), expect_head) << "n=" << n;
      ASSERT_EQ(tail.itemCount(), all.size() - expect_head) << "n=" << n;
      std::vector<std::string> got = items(head);
      std::vector<std::string> rest = items(tail);
      got.insert(got.end(), rest.begin(), rest.end());
      ASSERT_EQ(got, all) << "n=" << n;
      // Append puts them back together.
      head.append(std::move(tail));
      EXPECT_EQ(items(head), all);
      EXPECT_EQ(tail.itemCount(), 0u);
    }
  }
}

TEST(BatchTest, SplitTracesAtEveryOffset) {
  checkSplitEverywhere<Traces>(testing::randomTraces, 1);
}
TEST(BatchTest, SplitLogsAtEveryOffset) {
  checkSplitEverywhere<Logs>(testing::randomLogs, 2);
}
TEST(BatchTest, SplitMetricsAtEveryOffset) {
  checkSplitEverywhere<Metrics>(testing::randomMetrics, 3);
}

TEST(BatchTest, SplitRepeatedlyIntoChunks) {
  std::string bytes = testing::makeRealisticTraces(4, 128, 3).SerializeAsString();
  Traces whole = decoded<Traces>(bytes);
  std::vector<std::string> all = items(whole);
  std::vector<std::string> got;
  size_t chunks = 0;
  while (!whole.empty()) {
    Traces head = whole.splitFront(100);
    EXPECT_LE(head.itemCount(), 100u);
    auto part = items(head);
    got.insert(got.end(), part.begin(), part.end());
    ++chunks;
  }
  EXPECT_EQ(chunks, 6u);
  EXPECT_EQ(got, all);
}

TEST(BatchTest, AppendKeepsBothAndOrder) {
  std::string a = testing::makeRealisticLogs(2, 10, 1).SerializeAsString();
  std::string b = testing::makeRealisticLogs(1, 5, 2).SerializeAsString();
  Logs first = decoded<Logs>(a);
  Logs second = decoded<Logs>(b);
  std::vector<std::string> expect = items(first);
  auto more = items(second);
  expect.insert(expect.end(), more.begin(), more.end());
  first.append(std::move(second));
  EXPECT_EQ(first.itemCount(), 25u);
  EXPECT_EQ(items(first), expect);
  EXPECT_TRUE(second.empty());
}

TEST(BatchTest, CloneIsDeepAndEqual) {
  std::mt19937_64 rng(9);
  for (int i = 0; i < 50; ++i) {
    std::string bytes = testing::randomMetrics(rng).SerializeAsString();
    std::string copy_bytes;
    {
      auto original = std::make_unique<Metrics>(decoded<Metrics>(bytes));
      Metrics copy = original->clone();
      original.reset();  // the clone must not point into the original's arena
      otlp::encode(copy, copy_bytes);
      EXPECT_EQ(copy.itemCount(), decoded<Metrics>(bytes).itemCount());
    }
    EXPECT_EQ(copy_bytes, bytes);
  }
}

// Both halves of a cut keep the straddling resource and scope; a processor editing one half's
// resource or scope attributes in place must not change the other half.
template <typename B, typename Pb>
void expectHalvesOwnTheirHeaders(const Pb& pb) {
  B batch = decoded<B>(pb.SerializeAsString());
  size_t total = batch.itemCount();
  ASSERT_GT(total, 2u);
  B head = batch.splitFront(total / 2 + 1);
  std::string before;
  otlp::encode(batch, before);
  for (auto& r : head.resources()) {
    // Removing the first attribute shifts the others down: an in-place write.
    ASSERT_GT(r.resource.attributes.size(), 1u);
    model::removeAttribute(r.resource.attributes, r.resource.attributes[0].key);
    model::setAttribute(head.arena(), r.resource.attributes, "edited", AnyValue::boolean(true),
                        SetMode::kUpsert);
    auto scopes = [&]() -> auto& {
      if constexpr (std::is_same_v<B, Traces>)
        return r.scope_spans;
      else if constexpr (std::is_same_v<B, Logs>)
        return r.scope_logs;
      else
        return r.scope_metrics;
    };
    for (auto& sc : scopes()) {
      if (!sc.scope.attributes.empty()) {
        model::removeAttribute(sc.scope.attributes, sc.scope.attributes[0].key);
      }
    }
  }
  std::string after;
  otlp::encode(batch, after);
  EXPECT_EQ(before, after);
}

TEST(BatchTest, SplitHalvesOwnTheirResourceAndScopeAttributes) {
  expectHalvesOwnTheirHeaders<Traces>(testing::makeRealisticTraces(1, 40, 7));
  expectHalvesOwnTheirHeaders<Logs>(testing::makeRealisticLogs(1, 40, 7));
  expectHalvesOwnTheirHeaders<Metrics>(testing::makeRealisticMetrics(1, 12, 7));
}

}  // namespace
}  // namespace periscope::model

namespace periscope::model {
namespace {

// Fan-out gives readers share()d batches over the same arrays; a batch processor splitting its
// copy must leave every other copy exactly as it was.
template <typename B, typename Pb>
void expectSplitLeavesSharesIntact(const Pb& pb) {
  B a;
  std::string bytes = pb.SerializeAsString();
  std::string_view view = a.arena().adopt(std::move(bytes));
  ASSERT_TRUE(otlp::decode(view, a).isOk());
  size_t total = a.itemCount();
  ASSERT_GT(total, 4u);
  B other = a.share();
  std::string before;
  otlp::encode(other, before);
  for (size_t cut : {size_t{1}, total / 3, total / 2}) {
    B head = a.splitFront(cut);
    EXPECT_EQ(head.itemCount(), cut);
  }
  std::string after;
  otlp::encode(other, after);
  EXPECT_EQ(before, after);
  EXPECT_EQ(other.itemCount(), total);
}

TEST(BatchTest, SplittingOneShareLeavesTheOthersIntact) {
  expectSplitLeavesSharesIntact<Traces>(testing::makeRealisticTraces(1, 40, 7));
  expectSplitLeavesSharesIntact<Logs>(testing::makeRealisticLogs(1, 40, 7));
  expectSplitLeavesSharesIntact<Metrics>(testing::makeRealisticMetrics(1, 12, 7));
}

}  // namespace
}  // namespace periscope::model
