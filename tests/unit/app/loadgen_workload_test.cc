// The load generator's synthetic workload, which is also the fixed benchmark corpus
// (bench/corpus): deterministic for a seed and base time, size bands per profile.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <set>
#include <string>

#include "app/loadgen/workload.h"
#include "common/hex.h"
#include "model/otlp/proto_encoder.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

namespace periscope::app::loadgen {
namespace {

constexpr uint64_t kBase = 1'767'225'600'000'000'000ull;  // 2026-01-01T00:00:00Z

std::string encoded(int spans, uint64_t seed, Profile profile, uint64_t base = kBase) {
  std::string out;
  model::otlp::encode(makeTraces(spans, seed, profile, base), out);
  return out;
}

const model::AnyValue* attr(model::Attributes attrs, std::string_view key) {
  return model::findAttribute(attrs, key);
}

TEST(Workload, SameSeedAndBaseGiveIdenticalBytes) {
  for (Profile p : {Profile::kStandard, Profile::kFat}) {
    EXPECT_EQ(encoded(512, 42, p), encoded(512, 42, p)) << profileName(p);
    EXPECT_NE(encoded(512, 42, p), encoded(512, 43, p)) << profileName(p);
    EXPECT_NE(encoded(512, 42, p), encoded(512, 42, p, kBase + 1)) << profileName(p);
  }
}

TEST(Workload, StartTimesAreAnchoredAtTheBase) {
  for (Profile p : {Profile::kStandard, Profile::kFat}) {
    model::Traces t = makeTraces(512, 7, p, kBase);
    EXPECT_EQ(t.itemCount(), 512u);
    for (const auto& rs : t.resources()) {
      for (const auto& ss : rs.scope_spans) {
        for (const auto& s : ss.spans) {
          EXPECT_GE(s.start_time_unix_nano, kBase);
          // Roots start in the first second; their children (≤ 1.4 s requests) later.
          EXPECT_LT(s.start_time_unix_nano,
                    kBase + (s.parent_span_id.empty() ? 1 : 3) * 1'000'000'000ull);
          EXPECT_GT(s.end_time_unix_nano, s.start_time_unix_nano);
          for (const auto& e : s.events) {
            EXPECT_GE(e.time_unix_nano, s.start_time_unix_nano);
            EXPECT_LE(e.time_unix_nano, s.end_time_unix_nano);
          }
        }
      }
    }
  }
}

// Traces are real request trees: every parent is in the batch, in the same trace, and encloses
// its children in time; each trace has one root and crosses all four services.
TEST(Workload, TracesAreCoherentTrees) {
  model::Traces t = makeTraces(512, 11, Profile::kStandard, kBase);
  std::map<std::string_view, const model::Span*> by_id;
  std::map<std::string_view, std::set<std::string_view>> services_of_trace;
  std::map<std::string_view, int> roots;
  for (const auto& rs : t.resources()) {
    std::string_view service = model::findAttribute(rs.resource.attributes, "service.name")->str();
    for (const auto& ss : rs.scope_spans)
      for (const auto& s : ss.spans) {
        by_id[s.span_id] = &s;
        services_of_trace[s.trace_id].insert(service);
        if (s.parent_span_id.empty()) roots[s.trace_id]++;
      }
  }
  ASSERT_EQ(by_id.size(), 512u);
  for (const auto& [id, s] : by_id) {
    if (s->parent_span_id.empty()) continue;
    auto p = by_id.find(s->parent_span_id);
    ASSERT_NE(p, by_id.end()) << "parent missing";
    EXPECT_EQ(p->second->trace_id, s->trace_id);
    EXPECT_GE(s->start_time_unix_nano, p->second->start_time_unix_nano);
    EXPECT_LE(s->end_time_unix_nano, p->second->end_time_unix_nano);
  }
  EXPECT_EQ(roots.size(), 64u);
  for (const auto& [trace, n] : roots) EXPECT_EQ(n, 1);
  for (const auto& [trace, services] : services_of_trace) EXPECT_EQ(services.size(), 4u);
}

TEST(Workload, WithoutABaseSpansStartAMinuteAgo) {
  model::Traces t = makeTraces(16, 1);
  const auto& s = t.resources()[0].scope_spans[0].spans[0];
  uint64_t now = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                           std::chrono::system_clock::now().time_since_epoch())
                                           .count());
  EXPECT_LT(s.start_time_unix_nano, now - 58'000'000'000ull);
  EXPECT_GT(s.start_time_unix_nano, now - 62'000'000'000ull);
}

TEST(Workload, EncodedSizePerSpanIsInItsBand) {
  double standard = static_cast<double>(encoded(512, 1, Profile::kStandard).size()) / 512;
  double fat = static_cast<double>(encoded(512, 1, Profile::kFat).size()) / 512;
  EXPECT_GT(standard, 350);  // ~410 B/span; the load generator's documented ~450 B/span band
  EXPECT_LT(standard, 500);
  EXPECT_GE(fat, 1500);  // ~1.88 KB/span
  EXPECT_LT(fat, 2300);
}

TEST(Workload, FatHasTheStandardSkeletonPlusMore) {
  model::Traces standard = makeTraces(512, 9, Profile::kStandard, kBase);
  model::Traces fat = makeTraces(512, 9, Profile::kFat, kBase);
  ASSERT_EQ(standard.resources().size(), fat.resources().size());
  std::set<std::string> services;
  for (size_t r = 0; r < standard.resources().size(); ++r) {
    const auto& a = standard.resources()[r];
    const auto& b = fat.resources()[r];
    EXPECT_GT(b.resource.attributes.size(), a.resource.attributes.size() + 20);
    ASSERT_NE(attr(b.resource.attributes, "k8s.pod.name"), nullptr);
    services.insert(std::string(attr(b.resource.attributes, "service.name")->str()));
    const auto& sa = a.scope_spans[0].spans;
    const auto& sb = b.scope_spans[0].spans;
    ASSERT_EQ(sa.size(), sb.size());
    for (size_t i = 0; i < sa.size(); ++i) {
      EXPECT_EQ(sa[i].trace_id, sb[i].trace_id);
      EXPECT_EQ(sa[i].span_id, sb[i].span_id);
      EXPECT_EQ(sa[i].name, sb[i].name);
      EXPECT_EQ(sa[i].start_time_unix_nano, sb[i].start_time_unix_nano);
      EXPECT_EQ(sa[i].end_time_unix_nano, sb[i].end_time_unix_nano);
      EXPECT_GE(sb[i].attributes.size(), sa[i].attributes.size() + 20);
      // The standard attributes come first, unchanged.
      for (size_t k = 0; k < sa[i].attributes.size(); ++k)
        EXPECT_EQ(sa[i].attributes[k].key, sb[i].attributes[k].key);
      const auto* traceparent = attr(sb[i].attributes, "http.request.header.traceparent");
      ASSERT_NE(traceparent, nullptr);
      ASSERT_EQ(traceparent->type(), model::AnyValue::Type::kArray);
      EXPECT_EQ(traceparent->arrayValues()[0].str().size(), 55u);
      if (attr(b.resource.attributes, "service.name")->str() == "inventory") {
        EXPECT_NE(attr(sb[i].attributes, "db.statement"), nullptr);
      }
      if (!sa[i].events.empty()) {
        const auto* st =
            attr(sb[i].events[sb[i].events.size() > 1 ? 1 : 0].attributes, "exception.stacktrace");
        ASSERT_NE(st, nullptr);
        EXPECT_GT(st->str().size(), 800u);
      }
    }
  }
  EXPECT_EQ(services, (std::set<std::string>{"frontend", "checkout", "payment", "inventory"}));
}

TEST(Workload, FatParsesWithLibprotobuf) {
  std::string bytes = encoded(512, 3, Profile::kFat);
  opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest req;
  ASSERT_TRUE(req.ParseFromString(bytes));
  size_t spans = 0;
  for (const auto& rs : req.resource_spans())
    for (const auto& ss : rs.scope_spans()) spans += static_cast<size_t>(ss.spans_size());
  EXPECT_EQ(spans, 512u);
  EXPECT_EQ(req.SerializeAsString().size(), bytes.size());
}

TEST(Workload, ProfileNames) {
  Profile p = Profile::kStandard;
  EXPECT_TRUE(parseProfile("fat", p));
  EXPECT_EQ(p, Profile::kFat);
  EXPECT_TRUE(parseProfile("standard", p));
  EXPECT_EQ(p, Profile::kStandard);
  EXPECT_FALSE(parseProfile("huge", p));
  EXPECT_EQ(profileName(Profile::kFat), "fat");
}

TEST(Workload, EncodeRequestsUsesProfileAndBase) {
  WorkloadOptions o;
  o.distinct_requests = 2;
  o.spans_per_request = 64;
  o.profile = Profile::kFat;
  o.base_time_unix_nano = kBase;
  auto a = encodeRequests(o, Encoding::kProtobuf);
  auto b = encodeRequests(o, Encoding::kProtobuf);
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a, b);
  EXPECT_EQ(a[0], encoded(64, o.seed * 1000003, Profile::kFat));
}

TEST(Workload, XrayIdFormatPrefixesTraceIdsWithTheBaseSeconds) {
  IdFormat f = IdFormat::kRandom;
  ASSERT_TRUE(parseIdFormat("xray", f));
  EXPECT_EQ(f, IdFormat::kXray);
  ASSERT_TRUE(parseIdFormat("random", f));
  EXPECT_EQ(f, IdFormat::kRandom);
  EXPECT_FALSE(parseIdFormat("uuid", f));

  // kBase = 1767225600 s = 0x6955b900.
  model::Traces t = makeTraces(512, 3, Profile::kStandard, kBase, IdFormat::kXray);
  std::set<std::string> traces;
  for (const auto& rs : t.resources()) {
    for (const auto& span : rs.scope_spans[0].spans) {
      ASSERT_EQ(span.trace_id.size(), 16u);
      EXPECT_EQ(hexEncode(span.trace_id.substr(0, 4)), "6955b900");
      traces.insert(std::string(span.trace_id));
    }
  }
  EXPECT_EQ(traces.size(), 64u);  // 8 spans per trace, ids still distinct
  // The default (random) output is unchanged by the option's existence.
  std::string random_ids;
  model::otlp::encode(makeTraces(512, 3, Profile::kStandard, kBase, IdFormat::kRandom), random_ids);
  EXPECT_EQ(random_ids, encoded(512, 3, Profile::kStandard));

  WorkloadOptions o;
  o.spans_per_request = 8;
  o.distinct_requests = 1;
  o.base_time_unix_nano = kBase;
  o.id_format = IdFormat::kXray;
  std::string xray_request;
  model::otlp::encode(makeTraces(8, o.seed * 1000003, Profile::kStandard, kBase, IdFormat::kXray),
                      xray_request);
  EXPECT_EQ(encodeRequests(o, Encoding::kProtobuf)[0], xray_request);
}

}  // namespace
}  // namespace periscope::app::loadgen
