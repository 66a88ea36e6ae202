// Cross-checks the hand-written OTLP codec against libprotobuf: random round trips, unknown
// fields, explicit defaults, merges of repeated singular fields, and hostile input.
#include <google/protobuf/stubs/logging.h>
#include <google/protobuf/unknown_field_set.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "model/otlp/proto_decoder.h"
#include "model/otlp/proto_encoder.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"
#include "support/otlp_random.h"

namespace periscope::model::otlp {
namespace {

using google::protobuf::Message;
using google::protobuf::util::MessageDifferencer;
using testing::PbLogs;
using testing::PbMetrics;
using testing::PbTraces;

template <typename Pb>
struct BatchOf;
template <>
struct BatchOf<PbTraces> {
  using type = Traces;
};
template <>
struct BatchOf<PbMetrics> {
  using type = Metrics;
};
template <>
struct BatchOf<PbLogs> {
  using type = Logs;
};

// libprotobuf logs every invalid UTF-8 string it rejects; the hostile tests make many.
class QuietProtobuf : public ::testing::Environment {
 public:
  void SetUp() override { google::protobuf::SetLogHandler(nullptr); }
};
const auto* const kQuiet = ::testing::AddGlobalTestEnvironment(new QuietProtobuf);

template <typename Pb>
Result<std::string> reencode(std::string_view bytes) {
  typename BatchOf<Pb>::type batch;
  Status st = decode(bytes, batch);
  if (!st.isOk()) return st;
  std::string out;
  encode(batch, out);
  return out;
}

// Both parsers accept `bytes`, and our decode → encode equals libprotobuf parse → serialize.
template <typename Pb>
void crossCheck(const std::string& bytes) {
  Pb pb;
  ASSERT_TRUE(pb.ParseFromString(bytes));
  pb.DiscardUnknownFields();
  auto ours = reencode<Pb>(bytes);
  ASSERT_TRUE(ours.isOk()) << ours.status().toString();
  EXPECT_EQ(*ours, pb.SerializeAsString());
}

template <typename Pb>
void randomRoundTrips(Pb (*make)(std::mt19937_64&, int), uint64_t seed) {
  std::mt19937_64 rng(seed);
  for (int i = 0; i < 600; ++i) {
    Pb original = make(rng, 3);
    std::string bytes = original.SerializeAsString();
    auto batch = [&] {
      if constexpr (std::is_same_v<Pb, PbTraces>) return decodeTraces(std::string(bytes));
      if constexpr (std::is_same_v<Pb, PbMetrics>) return decodeMetrics(std::string(bytes));
      if constexpr (std::is_same_v<Pb, PbLogs>) return decodeLogs(std::string(bytes));
    }();
    ASSERT_TRUE(batch.isOk()) << "message " << i << ": " << batch.status().toString();
    std::string ours;
    encode(*batch, ours);
    Pb parsed;
    ASSERT_TRUE(parsed.ParseFromString(ours)) << "message " << i;
    ASSERT_TRUE(MessageDifferencer::Equals(original, parsed)) << "message " << i << "\n"
                                                              << original.DebugString() << "\nvs\n"
                                                              << parsed.DebugString();
    // Same field order and default omission as libprotobuf: byte-identical.
    ASSERT_EQ(ours, bytes) << "message " << i;
  }
}

TEST(ProtoCodecTest, RandomTracesRoundTrip) {
  randomRoundTrips<PbTraces>(testing::randomTraces, 1);
}
TEST(ProtoCodecTest, RandomMetricsRoundTrip) {
  randomRoundTrips<PbMetrics>(testing::randomMetrics, 2);
}
TEST(ProtoCodecTest, RandomLogsRoundTrip) {
  randomRoundTrips<PbLogs>(testing::randomLogs, 3);
}

TEST(ProtoCodecTest, RealisticCorporaRoundTrip) {
  PbTraces t = testing::makeRealisticTraces(4, 128, 7);
  crossCheck<PbTraces>(t.SerializeAsString());
  double per_span = static_cast<double>(t.ByteSizeLong()) / 512;
  EXPECT_GT(per_span, 400);
  EXPECT_LT(per_span, 560);
  crossCheck<PbLogs>(testing::makeRealisticLogs(4, 128, 7).SerializeAsString());
  crossCheck<PbMetrics>(testing::makeRealisticMetrics(2, 30, 7).SerializeAsString());
}

// Adds unknown fields of every wire type to random messages of the tree.
void addUnknownFields(Message* m, std::mt19937_64& rng) {
  const auto* refl = m->GetReflection();
  const auto* desc = m->GetDescriptor();
  if (rng() % 2 == 0) {
    auto* unknown = refl->MutableUnknownFields(m);
    unknown->AddVarint(99, rng());
    unknown->AddFixed32(100, static_cast<uint32_t>(rng()));
    unknown->AddFixed64(101, rng());
    unknown->AddLengthDelimited(1000, "unknown \xff bytes");
    unknown->AddVarint(536870911, 1);  // the largest field number
  }
  for (int i = 0; i < desc->field_count(); ++i) {
    const auto* f = desc->field(i);
    if (f->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) continue;
    if (f->is_repeated()) {
      for (int j = 0; j < refl->FieldSize(*m, f); ++j) {
        addUnknownFields(refl->MutableRepeatedMessage(m, f, j), rng);
      }
    } else if (refl->HasField(*m, f)) {
      addUnknownFields(refl->MutableMessage(m, f), rng);
    }
  }
}

TEST(ProtoCodecTest, UnknownFieldsAreSkipped) {
  std::mt19937_64 rng(11);
  for (int i = 0; i < 100; ++i) {
    PbTraces t = testing::randomTraces(rng);
    addUnknownFields(&t, rng);
    crossCheck<PbTraces>(t.SerializeAsString());
    PbMetrics m = testing::randomMetrics(rng);
    addUnknownFields(&m, rng);
    crossCheck<PbMetrics>(m.SerializeAsString());
    PbLogs l = testing::randomLogs(rng);
    addUnknownFields(&l, rng);
    crossCheck<PbLogs>(l.SerializeAsString());
  }
}

// ---- hand-built wire bytes ----

std::string varint(uint64_t v) {
  std::string s;
  while (v >= 0x80) {
    s += static_cast<char>(v | 0x80);
    v >>= 7;
  }
  s += static_cast<char>(v);
  return s;
}
std::string key(uint32_t field, uint32_t wt) {
  return varint(field << 3 | wt);
}
std::string len(uint32_t field, const std::string& body) {
  return key(field, 2) + varint(body.size()) + body;
}
std::string vint(uint32_t field, uint64_t v) {
  return key(field, 0) + varint(v);
}
std::string fixed64(uint32_t field, uint64_t v) {
  std::string s = key(field, 1);
  s.append(reinterpret_cast<const char*>(&v), 8);
  return s;
}
std::string fixed32(uint32_t field, uint32_t v) {
  std::string s = key(field, 5);
  s.append(reinterpret_cast<const char*>(&v), 4);
  return s;
}
// A trace request holding one span with the given body.
std::string traceWithSpan(const std::string& span) {
  return len(1, len(2, len(2, span)));
}
std::string logsWithRecord(const std::string& record) {
  return len(1, len(2, len(2, record)));
}
std::string metricsWithMetric(const std::string& metric) {
  return len(1, len(2, len(2, metric)));
}

TEST(ProtoCodecTest, ExplicitZeroValuesAccepted) {
  // As the OpenTelemetry JS serializer writes them.
  std::string span = len(1, std::string(16, 'a')) + len(2, std::string(8, 'b')) + len(3, "") +
                     len(5, "") + vint(6, 0) + fixed64(7, 0) + fixed64(8, 0) + vint(10, 0) +
                     vint(12, 0) + vint(14, 0) + fixed32(16, 0) +
                     len(9, len(1, "k") + len(2, vint(3, 0)));
  crossCheck<PbTraces>(traceWithSpan(span));
  Traces batch;
  std::string bytes = traceWithSpan(span + len(15, ""));
  ASSERT_TRUE(decode(bytes, batch).isOk());
  const Span& s = batch.resources()[0].scope_spans[0].spans[0];
  EXPECT_TRUE(s.has_status);
  EXPECT_EQ(s.attributes[0].value.type(), AnyValue::Type::kInt);
  crossCheck<PbTraces>(bytes);
  // Empty AnyValue (kEmpty) versus no value (kAbsent).
  std::string logs =
      logsWithRecord(len(5, "") + len(6, len(1, "absent")) + len(6, len(1, "empty") + len(2, "")));
  Logs lb;
  ASSERT_TRUE(decode(logs, lb).isOk());
  const LogRecord& r = lb.resources()[0].scope_logs[0].log_records[0];
  EXPECT_EQ(r.body.type(), AnyValue::Type::kEmpty);
  EXPECT_EQ(r.attributes[0].value.type(), AnyValue::Type::kAbsent);
  EXPECT_EQ(r.attributes[1].value.type(), AnyValue::Type::kEmpty);
  crossCheck<PbLogs>(logs);
}

TEST(ProtoCodecTest, RepeatedSingularFieldsMergeLikeLibprotobuf) {
  // Resource twice: attributes concatenate, scalars last-wins.
  std::string kv_a = len(1, "a") + len(2, len(1, "x"));
  std::string kv_b = len(1, "b") + len(2, vint(3, 5));
  crossCheck<PbTraces>(len(1, len(1, len(1, kv_a) + vint(2, 3)) + len(1, len(1, kv_b))));
  // KeyValue.value twice: string then int → int; arrays concatenate; kvlist then empty → kvlist.
  std::string arr1 = len(5, len(1, vint(3, 1)) + len(1, vint(3, 2)));
  std::string arr2 = len(5, len(1, vint(2, 1)));
  std::string kvl = len(6, len(1, kv_a));
  std::string attrs = len(9, len(1, "s") + len(2, len(1, "x")) + len(2, vint(3, 9))) +
                      len(9, len(1, "a") + len(2, arr1) + len(2, arr2)) +
                      len(9, len(1, "l") + len(2, kvl) + len(2, "")) +
                      len(9, len(1, "m") + len(2, arr1 + len(1, "str") + arr2));
  crossCheck<PbTraces>(traceWithSpan(attrs));
  // Status twice; scope twice.
  crossCheck<PbTraces>(traceWithSpan(len(15, len(2, "m") + vint(3, 2)) + len(15, vint(3, 1))));
  crossCheck<PbTraces>(len(1, len(2, len(1, len(1, "n")) + len(1, len(2, "v")))));
  // Metric data oneof: gauge then sum → sum only; sum twice → points merge.
  std::string point = len(1, fixed64(3, 7) + fixed64(4, 0x3ff0000000000000ull));
  std::string metric = len(5, point) + len(7, point + vint(2, 1)) + len(7, point + vint(3, 1));
  crossCheck<PbMetrics>(metricsWithMetric(metric));
  // Histogram buckets packed and unpacked, mixed; exp buckets twice.
  std::string packed;
  for (uint64_t v : {1ull, 2ull, 3ull}) packed.append(reinterpret_cast<const char*>(&v), 8);
  std::string hp =
      len(6, packed) + fixed64(6, 4) + len(6, "") + fixed64(7, 0) + len(7, packed) + fixed64(5, 0);
  crossCheck<PbMetrics>(metricsWithMetric(len(9, len(1, hp))));
  std::string buckets1 = vint(1, 3) + len(2, varint(1) + varint(300)) + vint(2, 7);
  std::string buckets2 = vint(1, 4) + vint(2, 1ull << 40);
  std::string ep =
      len(8, buckets1) + len(8, buckets2) + len(9, "") + fixed64(5, 0) + vint(6, 0xffffffffull);
  crossCheck<PbMetrics>(metricsWithMetric(len(10, len(1, ep))));
  // Number point value oneof: last wins.
  std::string np = fixed64(4, 1) + fixed64(6, 2);
  crossCheck<PbMetrics>(metricsWithMetric(len(5, len(1, np))));
  crossCheck<PbMetrics>(metricsWithMetric(len(5, len(1, np + fixed64(4, 3)))));
}

// Tags of three or more bytes (field numbers from 2048 on, or non-minimal encodings; libprotobuf
// takes both) before or among repeated fields: the pass that counts the repeated fields must step
// over them like the decoding pass does. Found by the differential fuzz target.
TEST(ProtoCodecTest, LongTagsAmongRepeatedFields) {
  std::string unknown = vint(5000, 1) + len(536870911, "x");
  std::string kv = len(1, "k") + len(2, len(1, "v"));
  // Resource.attributes (field 1, tag 0x0a) as a five-byte tag.
  std::string nonminimal_attr = std::string("\x8a\x80\x80\x80\x00", 5) + varint(kv.size()) + kv;
  std::string resource = unknown + len(1, kv) + nonminimal_attr + len(1, kv);
  std::string span = len(5, "s") + len(11, len(2, "e1")) + unknown + len(11, len(2, "e2")) +
                     len(13, len(3, "l1")) + unknown + len(13, "");
  std::string traces = unknown + len(1, len(1, resource) + unknown + len(2, len(2, span))) +
                       unknown + len(1, unknown + len(2, unknown + len(2, span)));
  crossCheck<PbTraces>(traces);
  Traces batch;
  ASSERT_TRUE(decode(traces, batch).isOk());
  ASSERT_EQ(batch.resources().size(), 2u);
  EXPECT_EQ(batch.resources()[0].resource.attributes.size(), 3u);
  EXPECT_EQ(batch.resources()[1].scope_spans[0].spans[0].events.size(), 2u);
  EXPECT_EQ(batch.resources()[1].scope_spans[0].spans[0].links.size(), 2u);

  std::string point = len(1, fixed64(3, 7) + fixed64(6, 1));
  std::string metric = len(1, "m") + len(5, unknown + point + unknown + point) + unknown +
                       len(12, kv) + unknown + len(12, kv);
  crossCheck<PbMetrics>(metricsWithMetric(metric));
  std::string record = len(6, kv) + unknown + len(6, kv) + len(5, len(5, unknown + len(1, "")));
  crossCheck<PbLogs>(logsWithRecord(record) + unknown + logsWithRecord(record));
}

template <typename Batch>
Status decodeString(const std::string& bytes) {
  Batch b;
  return decode(bytes, b);
}

TEST(ProtoCodecTest, RejectsMalformedInput) {
  // Wrong wire type for a known field.
  Status st = decodeString<Traces>(traceWithSpan(vint(5, 1)));
  EXPECT_EQ(st.code(), ::periscope::StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("resource_spans[0].scope_spans[0].spans[0].name"), std::string::npos)
      << st.message();
  // 11-byte varint.
  st = decodeString<Traces>(traceWithSpan(key(6, 0) + std::string(10, '\x80') + '\x01'));
  EXPECT_NE(st.message().find("varint longer than 10 bytes"), std::string::npos) << st.message();
  // Length past the end, inside an attribute value.
  std::string span = len(9, len(1, "a")) + len(9, len(1, "b") + key(2, 2) + varint(900));
  st = decodeString<Traces>(traceWithSpan(span));
  EXPECT_NE(st.message().find("spans[0].attributes[1].value: length 900 past end of message at "
                              "byte"),
            std::string::npos)
      << st.message();
  // Groups, invalid wire types, field number 0.
  EXPECT_FALSE(decodeString<Traces>(traceWithSpan(key(99, 3) + key(99, 4))).isOk());
  EXPECT_FALSE(decodeString<Traces>(traceWithSpan(key(99, 6))).isOk());
  EXPECT_FALSE(decodeString<Traces>(traceWithSpan(vint(0, 1))).isOk());
  // Packed fixed64 of a length not multiple of 8.
  EXPECT_FALSE(decodeString<Metrics>(metricsWithMetric(len(9, len(1, len(6, "1234"))))).isOk());
  // Invalid UTF-8 in a string field (libprotobuf rejects it too); bytes fields take anything.
  std::string bad = traceWithSpan(len(5, "ab\xc3"));
  st = decodeString<Traces>(bad);
  EXPECT_NE(st.message().find("name: invalid UTF-8"), std::string::npos) << st.message();
  PbTraces pb;
  EXPECT_FALSE(pb.ParseFromString(bad));
  EXPECT_TRUE(decodeString<Traces>(traceWithSpan(len(1, "\xff\xfe"))).isOk());
  std::string long_bad = std::string(100, 'x') + "\xed\xa0\x80";  // surrogate
  EXPECT_FALSE(decodeString<Logs>(logsWithRecord(len(3, long_bad))).isOk());
}

TEST(ProtoCodecTest, ErrorLeavesBatchUnchanged) {
  Traces batch;
  std::string good = testing::makeRealisticTraces(1, 3, 1).SerializeAsString();
  ASSERT_TRUE(decode(good, batch).isOk());
  std::string bad = good + len(1, len(2, len(2, len(5, "\xff"))));
  EXPECT_FALSE(decode(bad, batch).isOk());
  EXPECT_EQ(batch.resources().size(), 1u);
  EXPECT_EQ(batch.itemCount(), 3u);
}

std::string nestedKvlist(int levels) {
  std::string value = len(1, "leaf");  // AnyValue{string_value}
  for (int i = 0; i < levels; ++i) {
    value = len(6, len(1, len(1, "k") + len(2, value)));
  }
  return logsWithRecord(len(5, value));
}

TEST(ProtoCodecTest, NestingLimit) {
  EXPECT_TRUE(decodeString<Logs>(nestedKvlist(50)).isOk());
  EXPECT_TRUE(decodeString<Logs>(nestedKvlist(kMaxNestingDepth - 1)).isOk());
  Status st = decodeString<Logs>(nestedKvlist(kMaxNestingDepth));
  EXPECT_NE(st.message().find("nesting deeper than"), std::string::npos) << st.message();
  EXPECT_FALSE(decodeString<Logs>(nestedKvlist(1000)).isOk());
  std::string arr = len(1, "leaf");
  for (int i = 0; i < 1000; ++i) arr = len(5, len(1, arr));
  EXPECT_FALSE(decodeString<Logs>(logsWithRecord(len(5, arr))).isOk());
}

template <typename Pb>
void checkAgainstLibprotobuf(const std::string& bytes, bool require_same_outcome) {
  Pb pb;
  bool pb_ok = pb.ParseFromString(bytes);
  auto ours = reencode<Pb>(bytes);
  if (!pb_ok) {
    ASSERT_FALSE(ours.isOk()) << "accepted input libprotobuf rejects";
    return;
  }
  if (require_same_outcome) {
    ASSERT_TRUE(ours.isOk()) << ours.status().toString();
  }
  if (ours.isOk()) {
    pb.DiscardUnknownFields();
    ASSERT_EQ(*ours, pb.SerializeAsString());
  }
}

TEST(ProtoCodecTest, TruncationAtEveryOffset) {
  std::mt19937_64 rng(5);
  for (int i = 0; i < 6; ++i) {
    std::string t = testing::randomTraces(rng).SerializeAsString();
    std::string m = testing::randomMetrics(rng).SerializeAsString();
    std::string l = testing::randomLogs(rng).SerializeAsString();
    for (size_t n = 0; n < t.size(); ++n) checkAgainstLibprotobuf<PbTraces>(t.substr(0, n), true);
    for (size_t n = 0; n < m.size(); ++n) checkAgainstLibprotobuf<PbMetrics>(m.substr(0, n), true);
    for (size_t n = 0; n < l.size(); ++n) checkAgainstLibprotobuf<PbLogs>(l.substr(0, n), true);
  }
}

template <typename Pb>
void fuzz(Pb (*make)(std::mt19937_64&, int), uint64_t seed, int iterations) {
  std::mt19937_64 rng(seed);
  std::vector<std::string> corpus;
  for (int i = 0; i < 20; ++i) corpus.push_back(make(rng, 3).SerializeAsString());
  for (int i = 0; i < iterations; ++i) {
    std::string s = corpus[rng() % corpus.size()];
    if (s.empty()) continue;
    for (int k = 1 + static_cast<int>(rng() % 4); k > 0; --k) {
      size_t at = rng() % s.size();
      switch (rng() % 5) {
        case 0:
          s[at] = static_cast<char>(rng());
          break;
        case 1:
          s[at] ^= static_cast<char>(1 << (rng() % 8));
          break;
        case 2:
          s.insert(at, 1, static_cast<char>(rng()));
          break;
        case 3:
          s.erase(at, 1 + rng() % 4);
          break;
        default:
          s[at] = static_cast<char>(0x80 | rng());
      }
      if (s.empty()) break;
    }
    checkAgainstLibprotobuf<Pb>(s, false);
    if (::testing::Test::HasFatalFailure()) {
      ADD_FAILURE() << "iteration " << i;
      return;
    }
  }
}

TEST(ProtoCodecTest, RandomMutationsNeverCrash) {
  fuzz<PbTraces>(testing::randomTraces, 21, 8000);
  fuzz<PbMetrics>(testing::randomMetrics, 22, 8000);
  fuzz<PbLogs>(testing::randomLogs, 23, 8000);
}

TEST(ProtoCodecTest, ExportResponse) {
  EXPECT_EQ(encodeExportResponse(0, ""), "");
  opentelemetry::proto::collector::trace::v1::ExportTraceServiceResponse pb;
  pb.mutable_partial_success()->set_rejected_spans(3);
  pb.mutable_partial_success()->set_error_message("bad span id");
  EXPECT_EQ(encodeExportResponse(3, "bad span id"), pb.SerializeAsString());
  pb.mutable_partial_success()->set_rejected_spans(-1);
  pb.mutable_partial_success()->clear_error_message();
  EXPECT_EQ(encodeExportResponse(-1, ""), pb.SerializeAsString());
}

}  // namespace
}  // namespace periscope::model::otlp
