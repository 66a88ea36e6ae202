// TraceBuffer alone: trace keys, the collector's trace size, and linear growth.
#include "components/processors/tail_sampling/trace_buffer.h"

#include <gtest/gtest.h>

#include "model/otlp/proto_encoder.h"
#include "tail_sampling_fixture.h"

namespace periscope::components::tail_sampling {
namespace {

using testing::makeBatch;
using testing::SpanSpec;

TEST(TraceKey, KeysExactlySixteenBytesOrTheEmptyId) {
  std::string id = testing::traceId(7);
  ASSERT_TRUE(TraceKey::of(id).has_value());
  EXPECT_FALSE(TraceKey::of(id) == TraceKey::of(testing::traceId(8)));
  EXPECT_EQ(TraceKey::of(""), TraceKey{});  // the collector reads an empty id as all zeros
  EXPECT_EQ(TraceKey::of(std::string(16, '\0')), TraceKey{});
  // Ids of other lengths used to be zero-padded or cut, so distinct ids shared a key.
  EXPECT_FALSE(TraceKey::of(id.substr(0, 8)).has_value());
  EXPECT_FALSE(TraceKey::of(id + "x").has_value());
}

// The size checked against maximum_trace_size_bytes is the collector's: the protobuf size of
// the ResourceSpans (resource, scope and spans) of each appended group, summed.
TEST(TraceBuffer, MeasuresATraceAsTheCollectorsResourceSpansSize) {
  model::Traces batch = makeBatch({{.trace = 1}, {.trace = 1, .name = "second"}});
  std::string request;
  model::otlp::encode(batch, request);
  // The request is one field-1 ResourceSpans: tag, length varint, then the message.
  ASSERT_EQ(request[0], 0x0A);
  size_t message = 0, at = 1;
  for (int shift = 0;; shift += 7) {
    auto byte = static_cast<uint8_t>(request[at++]);
    message |= size_t{byte & 0x7fu} << shift;
    if (byte < 0x80) break;
  }
  ASSERT_EQ(at + message, request.size());

  TraceBuffer buffer;
  const auto& rs = batch.resources()[0];
  uint32_t header = buffer.internHeader(rs, rs.scope_spans[0]);
  auto added = buffer.append(*TraceKey::of(rs.scope_spans[0].spans[0].trace_id), header,
                             rs.scope_spans[0].spans, 0);
  EXPECT_TRUE(added.created);
  EXPECT_EQ(added.resource_spans_bytes, message);
  auto again = buffer.append(*TraceKey::of(rs.scope_spans[0].spans[0].trace_id), header,
                             rs.scope_spans[0].spans, 0);
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.resource_spans_bytes, 2 * message);
}

// A trace fed one span at a time used to be reallocated and copied whole on every append
// (quadratic, under the lock receivers wait on); growth by half keeps the copying linear.
TEST(TraceBuffer, AppendingSpanBySpanCopiesLinearly) {
  model::Traces batch = makeBatch({{.trace = 1}});
  const auto& rs = batch.resources()[0];
  TraceBuffer buffer;
  TraceKey key = *TraceKey::of(rs.scope_spans[0].spans[0].trace_id);
  constexpr int kSpans = 2000;
  for (int i = 0; i < kSpans; ++i) {
    uint32_t header = buffer.internHeader(rs, rs.scope_spans[0]);
    buffer.append(key, header, rs.scope_spans[0].spans, 0);
  }
  EXPECT_EQ(buffer.spanCount(), static_cast<uint64_t>(kSpans));
  std::string body;
  TraceBuffer::Extracted x = buffer.extract(key, body);
  EXPECT_EQ(x.span_count, static_cast<uint32_t>(kSpans));
  uint64_t stored = x.bytes;  // what the trace holds, reassembled (larger than its chunks)
  // Growth by half copies at most 2x the final size in total (exact-size growth: ~1000x).
  EXPECT_LE(buffer.copiedBytes(), 2 * stored);
  EXPECT_GT(buffer.copiedBytes(), 0u);
  EXPECT_EQ(buffer.storedBytes(), 0u);
  EXPECT_EQ(buffer.traceCount(), 0u);
}

}  // namespace
}  // namespace periscope::components::tail_sampling
