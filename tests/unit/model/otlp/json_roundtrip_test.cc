// OTLP/JSON against libprotobuf: random requests printed by libprotobuf's JSON printer (camelCase
// or snake_case, enums as names or numbers; ids converted to hex as OTLP requires) decode with
// our decoder; our encoding is stable under a second round trip and parses back with
// libprotobuf's JsonStringToMessage into a message equal to the original.
#include <google/protobuf/util/field_comparator.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <string>

#include "model/otlp/json_bytes.h"
#include "model/otlp/json_decoder.h"
#include "model/otlp/json_encoder.h"
#include "model/otlp/proto_decoder.h"
#include "opentelemetry/proto/collector/logs/v1/logs_service.pb.h"
#include "opentelemetry/proto/collector/metrics/v1/metrics_service.pb.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

namespace periscope::model::otlp {
namespace {

namespace pb = opentelemetry::proto;
using pb::collector::logs::v1::ExportLogsServiceRequest;
using pb::collector::metrics::v1::ExportMetricsServiceRequest;
using pb::collector::trace::v1::ExportTraceServiceRequest;

class Gen {
 public:
  explicit Gen(uint64_t seed) : rng_(seed) {}

  int upTo(int n) { return static_cast<int>(rng_() % static_cast<uint64_t>(n + 1)); }
  bool coin() { return rng_() & 1; }
  uint64_t u64() {
    switch (upTo(3)) {
      case 0:
        return 0;
      case 1:
        return rng_() % 1000;
      default:
        return rng_();
    }
  }
  int64_t i64() { return static_cast<int64_t>(u64()) * (coin() ? 1 : -1); }
  uint32_t u32() { return static_cast<uint32_t>(u64()); }
  double dbl() {
    switch (upTo(6)) {
      case 0:
        return 0;
      case 1:
        return std::numeric_limits<double>::infinity() * (coin() ? 1 : -1);
      case 2:
        return std::numeric_limits<double>::quiet_NaN();
      case 3:
        return static_cast<double>(i64());
      case 4:
        return -0.0;
      default:
        return std::ldexp(static_cast<double>(rng_() % 100000) - 50000, upTo(80) - 40);
    }
  }
  // For singular (implicit presence) doubles: libprotobuf's JSON printer omits -0 there as a
  // default value, while its binary format and the differencer keep it.
  double plainDbl() {
    double d = dbl();
    return d == 0 ? 0.0 : d;
  }
  std::string str() {
    static const char* kPieces[] = {"a",
                                    "Z",
                                    "0",
                                    " ",
                                    "\"",
                                    "\\",
                                    "\n",
                                    "\t",
                                    "\x01",
                                    "\x1f",
                                    "/",
                                    "\xC3\xA9",
                                    "\xE6\x97\xA5",
                                    "\xF0\x9F\x98\x80",
                                    "\x7f",
                                    "service.name",
                                    "{",
                                    "]",
                                    ":",
                                    ","};
    std::string s;
    int n = upTo(3) == 0 ? 0 : upTo(12);
    for (int i = 0; i < n; ++i) s += kPieces[rng_() % std::size(kPieces)];
    return s;
  }
  std::string bytes(size_t n) {
    std::string b(n, '\0');
    for (char& c : b) c = static_cast<char>(rng_());
    return b;
  }
  // 16 or 8 bytes usually; sometimes empty or of another (even-hex) length.
  std::string id(size_t n) {
    switch (upTo(6)) {
      case 0:
        return "";
      case 1:
        return bytes(static_cast<size_t>(upTo(20)));
      default:
        return bytes(n);
    }
  }

  void anyValue(pb::common::v1::AnyValue* v, int depth) {
    switch (upTo(depth > 3 ? 6 : 8)) {
      case 0:
        break;  // unset oneof
      case 1:
        v->set_string_value(str());
        break;
      case 2:
        v->set_bool_value(coin());
        break;
      case 3:
        v->set_int_value(i64());
        break;
      case 4:
        v->set_double_value(dbl());
        break;
      case 5:
      case 6:
        v->set_bytes_value(bytes(static_cast<size_t>(upTo(10))));
        break;
      case 7: {
        auto* arr = v->mutable_array_value();
        for (int i = upTo(3); i > 0; --i) anyValue(arr->add_values(), depth + 1);
        break;
      }
      default:
        attributes(v->mutable_kvlist_value()->mutable_values(), depth + 1);
    }
  }
  void attributes(google::protobuf::RepeatedPtrField<pb::common::v1::KeyValue>* out,
                  int depth = 0) {
    for (int i = upTo(3); i > 0; --i) {
      auto* kv = out->Add();
      kv->set_key(str());
      if (upTo(5) > 0) anyValue(kv->mutable_value(), depth + 1);
    }
  }
  template <typename Msg>
  void resourceAndScope(Msg* r) {
    if (coin()) {
      attributes(r->mutable_resource()->mutable_attributes());
      r->mutable_resource()->set_dropped_attributes_count(u32());
    }
    r->set_schema_url(str());
  }
  void scope(pb::common::v1::InstrumentationScope* s) {
    s->set_name(str());
    s->set_version(str());
    attributes(s->mutable_attributes());
    s->set_dropped_attributes_count(u32());
  }

  ExportTraceServiceRequest traces() {
    ExportTraceServiceRequest req;
    for (int r = upTo(2); r > 0; --r) {
      auto* rs = req.add_resource_spans();
      resourceAndScope(rs);
      for (int s = upTo(2); s > 0; --s) {
        auto* ss = rs->add_scope_spans();
        if (coin()) scope(ss->mutable_scope());
        ss->set_schema_url(str());
        for (int k = upTo(3); k > 0; --k) span(ss->add_spans());
      }
    }
    return req;
  }
  void span(pb::trace::v1::Span* sp) {
    sp->set_trace_id(id(16));
    sp->set_span_id(id(8));
    sp->set_parent_span_id(id(8));
    sp->set_trace_state(str());
    sp->set_flags(u32());
    sp->set_name(str());
    sp->set_kind(static_cast<pb::trace::v1::Span::SpanKind>(upTo(5)));
    sp->set_start_time_unix_nano(u64());
    sp->set_end_time_unix_nano(u64());
    attributes(sp->mutable_attributes());
    sp->set_dropped_attributes_count(u32());
    for (int i = upTo(2); i > 0; --i) {
      auto* e = sp->add_events();
      e->set_time_unix_nano(u64());
      e->set_name(str());
      attributes(e->mutable_attributes());
      e->set_dropped_attributes_count(u32());
    }
    sp->set_dropped_events_count(u32());
    for (int i = upTo(2); i > 0; --i) {
      auto* l = sp->add_links();
      l->set_trace_id(id(16));
      l->set_span_id(id(8));
      l->set_trace_state(str());
      attributes(l->mutable_attributes());
      l->set_dropped_attributes_count(u32());
      l->set_flags(u32());
    }
    sp->set_dropped_links_count(u32());
    if (coin()) {
      sp->mutable_status()->set_message(str());
      sp->mutable_status()->set_code(static_cast<pb::trace::v1::Status::StatusCode>(upTo(2)));
    }
  }

  ExportLogsServiceRequest logs() {
    ExportLogsServiceRequest req;
    for (int r = upTo(2); r > 0; --r) {
      auto* rl = req.add_resource_logs();
      resourceAndScope(rl);
      for (int s = upTo(2); s > 0; --s) {
        auto* sl = rl->add_scope_logs();
        if (coin()) scope(sl->mutable_scope());
        sl->set_schema_url(str());
        for (int k = upTo(3); k > 0; --k) {
          auto* l = sl->add_log_records();
          l->set_time_unix_nano(u64());
          l->set_observed_time_unix_nano(u64());
          l->set_severity_number(static_cast<pb::logs::v1::SeverityNumber>(upTo(24)));
          l->set_severity_text(str());
          if (coin()) anyValue(l->mutable_body(), 1);
          attributes(l->mutable_attributes());
          l->set_dropped_attributes_count(u32());
          l->set_flags(u32());
          l->set_trace_id(id(16));
          l->set_span_id(id(8));
          l->set_event_name(str());
        }
      }
    }
    return req;
  }

  template <typename Point>
  void pointHead(Point* p) {
    attributes(p->mutable_attributes());
    p->set_start_time_unix_nano(u64());
    p->set_time_unix_nano(u64());
    p->set_flags(u32());
  }
  void exemplars(google::protobuf::RepeatedPtrField<pb::metrics::v1::Exemplar>* out) {
    for (int i = upTo(2); i > 0; --i) {
      auto* e = out->Add();
      attributes(e->mutable_filtered_attributes());
      e->set_time_unix_nano(u64());
      if (coin()) {
        e->set_as_double(dbl());
      } else if (coin()) {
        e->set_as_int(i64());
      }
      e->set_span_id(id(8));
      e->set_trace_id(id(16));
    }
  }
  void metric(pb::metrics::v1::Metric* m) {
    m->set_name(str());
    m->set_description(str());
    m->set_unit(str());
    attributes(m->mutable_metadata());
    auto numberPoints = [&](auto* points) {
      for (int i = upTo(2); i > 0; --i) {
        auto* p = points->Add();
        pointHead(p);
        if (coin()) {
          p->set_as_double(dbl());
        } else if (coin()) {
          p->set_as_int(i64());
        }
        exemplars(p->mutable_exemplars());
      }
    };
    switch (upTo(5)) {
      case 0:
        break;
      case 1:
        numberPoints(m->mutable_gauge()->mutable_data_points());
        break;
      case 2: {
        auto* sum = m->mutable_sum();
        sum->set_aggregation_temporality(
            static_cast<pb::metrics::v1::AggregationTemporality>(upTo(2)));
        sum->set_is_monotonic(coin());
        numberPoints(sum->mutable_data_points());
        break;
      }
      case 3: {
        auto* h = m->mutable_histogram();
        h->set_aggregation_temporality(
            static_cast<pb::metrics::v1::AggregationTemporality>(upTo(2)));
        for (int i = upTo(2); i > 0; --i) {
          auto* p = h->add_data_points();
          pointHead(p);
          p->set_count(u64());
          if (coin()) p->set_sum(dbl());
          if (coin()) p->set_min(dbl());
          if (coin()) p->set_max(dbl());
          for (int b = upTo(4); b > 0; --b) p->add_bucket_counts(u64());
          for (int b = upTo(3); b > 0; --b) p->add_explicit_bounds(dbl());
          exemplars(p->mutable_exemplars());
        }
        break;
      }
      case 4: {
        auto* h = m->mutable_exponential_histogram();
        h->set_aggregation_temporality(
            static_cast<pb::metrics::v1::AggregationTemporality>(upTo(2)));
        for (int i = upTo(2); i > 0; --i) {
          auto* p = h->add_data_points();
          pointHead(p);
          p->set_count(u64());
          if (coin()) p->set_sum(dbl());
          if (coin()) p->set_min(dbl());
          if (coin()) p->set_max(dbl());
          p->set_scale(upTo(40) - 20);
          p->set_zero_count(u64());
          p->set_zero_threshold(coin() ? 0 : plainDbl());
          if (coin()) {
            p->mutable_positive()->set_offset(upTo(200) - 100);
            for (int b = upTo(4); b > 0; --b) p->mutable_positive()->add_bucket_counts(u64());
          }
          if (coin()) p->mutable_negative()->set_offset(upTo(200) - 100);
          exemplars(p->mutable_exemplars());
        }
        break;
      }
      default: {
        for (int i = upTo(2); i > 0; --i) {
          auto* p = m->mutable_summary()->add_data_points();
          pointHead(p);
          p->set_count(u64());
          p->set_sum(plainDbl());
          for (int q = upTo(3); q > 0; --q) {
            auto* qv = p->add_quantile_values();
            qv->set_quantile(plainDbl());
            qv->set_value(plainDbl());
          }
        }
      }
    }
  }
  ExportMetricsServiceRequest metrics() {
    ExportMetricsServiceRequest req;
    for (int r = upTo(2); r > 0; --r) {
      auto* rm = req.add_resource_metrics();
      resourceAndScope(rm);
      for (int s = upTo(2); s > 0; --s) {
        auto* sm = rm->add_scope_metrics();
        if (coin()) scope(sm->mutable_scope());
        sm->set_schema_url(str());
        for (int k = upTo(3); k > 0; --k) metric(sm->add_metrics());
      }
    }
    return req;
  }

 private:
  std::mt19937_64 rng_;
};

// libprotobuf writes bytes fields as base64; OTLP/JSON writes ids as hex. Converts the values of
// the id keys in compact JSON (key patterns cannot occur inside escaped string values).
std::string convertIds(const std::string& json, bool to_hex) {
  static const char* kKeys[] = {"\"traceId\":\"",  "\"spanId\":\"",  "\"parentSpanId\":\"",
                                "\"trace_id\":\"", "\"span_id\":\"", "\"parent_span_id\":\""};
  std::string out;
  size_t pos = 0;
  while (true) {
    size_t best = std::string::npos, key_len = 0;
    for (const char* k : kKeys) {
      size_t at = json.find(k, pos);
      if (at < best) best = at, key_len = std::strlen(k);
    }
    if (best == std::string::npos) break;
    size_t start = best + key_len;
    size_t end = json.find('"', start);
    out.append(json, pos, start - pos);
    std::string_view value(json.data() + start, end - start);
    std::string raw(value.size() + 3, '\0');
    if (to_hex) {
      size_t n = 0;
      EXPECT_TRUE(decodeBase64(value, raw.data(), n));
      appendHex(std::string_view(raw.data(), n), out);
    } else {
      EXPECT_TRUE(decodeHex(value, raw.data()));
      appendBase64(std::string_view(raw.data(), value.size() / 2), out);
    }
    pos = end;
  }
  out.append(json, pos);
  return out;
}

template <typename BatchT, typename Msg>
void checkRoundTrip(const Msg& msg, bool snake_case, bool enums_as_ints) {
  google::protobuf::util::JsonPrintOptions opts;
  opts.preserve_proto_field_names = snake_case;
  opts.always_print_enums_as_ints = enums_as_ints;
  std::string pb_json;
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(msg, &pb_json, opts).ok());
  std::string otlp_json = convertIds(pb_json, true);

  BatchT batch;
  Status st = decodeJson(otlp_json, batch);
  ASSERT_TRUE(st.isOk()) << st.toString() << "\n" << otlp_json;
  std::string ours;
  encodeJson(batch, ours);

  // Stable: decoding our own output and encoding again gives the same bytes.
  BatchT again;
  st = decodeJson(ours, again);
  ASSERT_TRUE(st.isOk()) << st.toString() << "\n" << ours;
  std::string ours2;
  encodeJson(again, ours2);
  EXPECT_EQ(ours, ours2);

  // Compatible: libprotobuf parses our output into the original message.
  Msg back;
  auto parsed = google::protobuf::util::JsonStringToMessage(convertIds(ours, false), &back);
  ASSERT_TRUE(parsed.ok()) << parsed.ToString() << "\n" << ours;
  google::protobuf::util::DefaultFieldComparator cmp;
  cmp.set_treat_nan_as_equal(true);
  google::protobuf::util::MessageDifferencer diff;
  diff.set_field_comparator(&cmp);
  std::string report;
  diff.ReportDifferencesToString(&report);
  EXPECT_TRUE(diff.Compare(msg, back))
      << report << "\nours: " << ours << "\nlibprotobuf: " << pb_json;

  // The protobuf decoder agrees with the JSON decoder (skipped while it is an INTERNAL stub).
  BatchT from_proto;
  std::string wire = msg.SerializeAsString();
  Status proto_st = decode(wire, from_proto);
  if (proto_st.code() != periscope::StatusCode::kInternal) {
    ASSERT_TRUE(proto_st.isOk()) << proto_st.toString();
    std::string via_proto;
    encodeJson(from_proto, via_proto);
    EXPECT_EQ(via_proto, ours);
  }
}

TEST(JsonRoundTripTest, RandomTraces) {
  Gen g(1);
  for (int i = 0; i < 300; ++i) {
    checkRoundTrip<Traces>(g.traces(), i % 2 == 1, i % 3 == 0);
    if (HasFatalFailure() || HasNonfatalFailure()) return;
  }
}

TEST(JsonRoundTripTest, RandomMetrics) {
  Gen g(2);
  for (int i = 0; i < 300; ++i) {
    checkRoundTrip<Metrics>(g.metrics(), i % 2 == 1, i % 3 == 0);
    if (HasFatalFailure() || HasNonfatalFailure()) return;
  }
}

TEST(JsonRoundTripTest, RandomLogs) {
  Gen g(3);
  for (int i = 0; i < 300; ++i) {
    checkRoundTrip<Logs>(g.logs(), i % 2 == 1, i % 3 == 0);
    if (HasFatalFailure() || HasNonfatalFailure()) return;
  }
}

TEST(JsonRoundTripTest, OwnedBodyDecodesTheSame) {
  Gen g(4);
  for (int i = 0; i < 50; ++i) {
    std::string pb_json;
    ASSERT_TRUE(google::protobuf::util::MessageToJsonString(g.traces(), &pb_json).ok());
    std::string json = convertIds(pb_json, true);
    Traces a;
    ASSERT_TRUE(decodeJson(json, a).isOk());
    auto b = decodeTracesJson(std::string(json));
    ASSERT_TRUE(b.isOk());
    std::string ea, eb;
    encodeJson(a, ea);
    encodeJson(b.value(), eb);
    EXPECT_EQ(ea, eb);
  }
}

}  // namespace
}  // namespace periscope::model::otlp
