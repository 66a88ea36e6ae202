#include "components/connectors/servicegraph/edge_store.h"

#include <gtest/gtest.h>

#include <map>
#include <random>

#include "unit/components/connectors/connector_fixture.h"

namespace periscope::components::servicegraph {
namespace {

EdgeKey key(uint32_t trace, uint32_t span) {
  return makeEdgeKey(testing::traceId(trace), testing::spanId(span));
}

TEST(EdgeStore, RandomUpsertsRemovesAndExpiriesAgreeWithAMap) {
  // Few distinct keys in a small table: long probe chains, so deletion is well exercised.
  EdgeStore store(64, 100, 1);
  std::map<EdgeKey, uint64_t> reference;  // key -> created
  std::mt19937 rng(7);
  uint64_t now = 0;
  for (int step = 0; step < 20000; ++step) {
    now += rng() % 3;
    const EdgeKey k = key(rng() % 200, rng() % 2);
    switch (rng() % 4) {
      case 0:
      case 1: {
        auto [edge, found] = store.upsert(k, now);
        if (reference.count(k)) {
          ASSERT_EQ(found, EdgeStore::Found::kExisting);
          ASSERT_EQ(edge->created, reference[k]);
        } else if (reference.size() == 64) {
          ASSERT_EQ(found, EdgeStore::Found::kFull);
        } else {
          ASSERT_EQ(found, EdgeStore::Found::kNew);
          ASSERT_EQ(store.clientDims(edge)[0], kNone);
          store.clientDims(edge)[0] = step;
          reference[k] = now;
        }
        break;
      }
      case 2: {
        auto [edge, found] = store.upsert(k, now);
        if (edge != nullptr) {
          if (found == EdgeStore::Found::kNew) reference[k] = now;
          store.remove(edge);
          reference.erase(k);
        }
        break;
      }
      default: {
        store.expire(now, [&](const Edge& e) {
          ASSERT_LE(e.created + 100, now);
          ASSERT_EQ(reference.count(e.key), 1u);
          reference.erase(e.key);
        });
        for (const auto& [k2, created] : reference) ASSERT_GT(created + 100, now);
        break;
      }
    }
    ASSERT_EQ(store.size(), reference.size());
  }
}

TEST(EdgeStore, ExpiresOldestFirstAtTheTtl) {
  EdgeStore store(4, 10, 0);
  store.upsert(key(1, 1), 0);
  store.upsert(key(2, 1), 5);
  store.upsert(key(3, 1), 7);
  std::vector<uint64_t> created;
  store.expire(9, [&](const Edge& e) { created.push_back(e.created); });
  EXPECT_TRUE(created.empty());
  store.expire(15, [&](const Edge& e) { created.push_back(e.created); });
  EXPECT_EQ(created, (std::vector<uint64_t>{0, 5}));
  EXPECT_EQ(store.size(), 1u);
}

}  // namespace
}  // namespace periscope::components::servicegraph
