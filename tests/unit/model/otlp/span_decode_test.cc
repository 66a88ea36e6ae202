// The span decoder's less common shapes: more attributes than its stack buffer holds, and
// links on the wire before events (field order is not guaranteed), checked against libprotobuf.
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include "model/otlp/proto_decoder.h"
#include "model/otlp/proto_encoder.h"
#include "support/otlp_random.h"

namespace periscope::model::otlp {
namespace {

using periscope::testing::PbTraces;
namespace pb_trace = opentelemetry::proto::trace::v1;

std::string lenField(int field, const std::string& payload) {
  std::string out(1, static_cast<char>(field << 3 | 2));
  size_t n = payload.size();
  while (n >= 0x80) {
    out += static_cast<char>(n | 0x80);
    n >>= 7;
  }
  out += static_cast<char>(n);
  return out + payload;
}

// A request whose single span is `span_bytes` exactly as given.
std::string requestWithSpan(const std::string& span_bytes) {
  return lenField(1, lenField(2, lenField(2, span_bytes)));
}

void expectSameAsLibprotobuf(const std::string& request) {
  PbTraces reference;
  ASSERT_TRUE(reference.ParseFromString(request));
  auto ours = decodeTraces(std::string(request));
  ASSERT_TRUE(ours.isOk()) << ours.status().toString();
  std::string encoded;
  encode(*ours, encoded);
  PbTraces roundtrip;
  ASSERT_TRUE(roundtrip.ParseFromString(encoded));
  std::string diff;
  google::protobuf::util::MessageDifferencer d;
  d.ReportDifferencesToString(&diff);
  EXPECT_TRUE(d.Compare(reference, roundtrip)) << diff;
}

TEST(SpanDecode, ManyAttributesOverflowTheStackBuffer) {
  for (int n : {63, 64, 65, 200}) {
    pb_trace::Span span;
    span.set_trace_id(std::string(16, '\1'));
    span.set_span_id(std::string(8, '\2'));
    span.set_name("many");
    for (int i = 0; i < n; ++i) {
      auto* kv = span.add_attributes();
      kv->set_key("k" + std::to_string(i));
      if (i % 3 == 0)
        kv->mutable_value()->set_int_value(i);
      else
        kv->mutable_value()->set_string_value("v" + std::to_string(i));
    }
    auto* e = span.add_events();
    e->set_name("after-the-attributes");
    expectSameAsLibprotobuf(requestWithSpan(span.SerializeAsString()));
  }
}

TEST(SpanDecode, LinksBeforeEventsAndAttributesAfterThem) {
  pb_trace::Span links_part;
  for (int i = 0; i < 3; ++i) {
    auto* l = links_part.add_links();
    l->set_trace_id(std::string(16, static_cast<char>('a' + i)));
    l->set_span_id(std::string(8, 'b'));
  }
  pb_trace::Span events_part;
  for (int i = 0; i < 2; ++i) events_part.add_events()->set_name("e" + std::to_string(i));
  pb_trace::Span rest;
  rest.set_trace_id(std::string(16, '\3'));
  rest.set_span_id(std::string(8, '\4'));
  auto* kv = rest.add_attributes();
  kv->set_key("late");
  kv->mutable_value()->set_bool_value(true);
  auto* more_links = rest.add_links();  // a link again after the events
  more_links->set_trace_id(std::string(16, 'z'));
  // Concatenated messages merge: links, then events, then attributes and one more link.
  expectSameAsLibprotobuf(requestWithSpan(
      links_part.SerializeAsString() + events_part.SerializeAsString() + rest.SerializeAsString()));
}

}  // namespace
}  // namespace periscope::model::otlp
