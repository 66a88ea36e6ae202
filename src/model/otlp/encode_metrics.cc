// Encoding of model::Metrics as ExportMetricsServiceRequest (metrics.proto).
#include "model/otlp/encode_context.h"
#include "model/otlp/proto_encoder.h"

namespace periscope::model::otlp {

namespace {

using wire::kFixed64;
using wire::kVarint;

// A oneof/optional double or sfixed64 field: tag + 8 bytes when present.
constexpr size_t kPresent64 = 9;

size_t sizeExemplar(const Exemplar& e, SizeTable& sizes) {
  size_t slot = sizes.reserve();
  size_t n = fixed64FieldSize(2, e.time_unix_nano) +
             (e.value_type != NumberValue::kNone ? kPresent64 : 0) + stringFieldSize(4, e.span_id) +
             stringFieldSize(5, e.trace_id) + sizeAttributes(7, e.filtered_attributes, sizes);
  return sizes.set(slot, n);
}

uint8_t* writeExemplar(uint8_t* p, const Exemplar& e, SizeTable& sizes) {
  p = writeFixed64Field(p, 2, e.time_unix_nano);
  if (e.value_type == NumberValue::kDouble)
    p = writePresentFixed64(p, 3, wire::bitsOf(e.as_double));
  p = writeStringField(p, 4, e.span_id);
  p = writeStringField(p, 5, e.trace_id);
  if (e.value_type == NumberValue::kInt) {
    p = writePresentFixed64(p, 6, static_cast<uint64_t>(e.as_int));
  }
  return writeAttributes(p, 7, e.filtered_attributes, sizes);
}

size_t sizeExemplars(uint32_t field, std::span<const Exemplar> exemplars, SizeTable& sizes) {
  size_t n = 0;
  for (const Exemplar& e : exemplars) n += lenFieldSize(field, sizeExemplar(e, sizes));
  return n;
}

uint8_t* writeExemplars(uint8_t* p, uint32_t field, std::span<const Exemplar> exemplars,
                        SizeTable& sizes) {
  for (const Exemplar& e : exemplars) {
    p = writeLenPrefix(p, field, sizes.take());
    p = writeExemplar(p, e, sizes);
  }
  return p;
}

size_t sizePoint(const NumberDataPoint& d, SizeTable& sizes) {
  size_t slot = sizes.reserve();
  size_t n = fixed64FieldSize(2, d.start_time_unix_nano) + fixed64FieldSize(3, d.time_unix_nano) +
             (d.value_type != NumberValue::kNone ? kPresent64 : 0) +
             sizeExemplars(5, d.exemplars, sizes) + sizeAttributes(7, d.attributes, sizes) +
             varintFieldSize(8, d.flags);
  return sizes.set(slot, n);
}

uint8_t* writePoint(uint8_t* p, const NumberDataPoint& d, SizeTable& sizes) {
  p = writeFixed64Field(p, 2, d.start_time_unix_nano);
  p = writeFixed64Field(p, 3, d.time_unix_nano);
  if (d.value_type == NumberValue::kDouble)
    p = writePresentFixed64(p, 4, wire::bitsOf(d.as_double));
  p = writeExemplars(p, 5, d.exemplars, sizes);
  if (d.value_type == NumberValue::kInt) {
    p = writePresentFixed64(p, 6, static_cast<uint64_t>(d.as_int));
  }
  p = writeAttributes(p, 7, d.attributes, sizes);
  return writeVarintField(p, 8, d.flags);
}

template <typename T>
size_t packedFixedSize(uint32_t field, std::span<const T> v) {
  return v.empty() ? 0 : lenFieldSize(field, v.size() * 8);
}

template <typename T>
uint8_t* writePackedFixed(uint8_t* p, uint32_t field, std::span<const T> v) {
  if (v.empty()) return p;
  p = writeLenPrefix(p, field, v.size() * 8);
  std::memcpy(p, v.data(), v.size() * 8);
  return p + v.size() * 8;
}

size_t sizePoint(const HistogramDataPoint& d, SizeTable& sizes) {
  size_t slot = sizes.reserve();
  size_t n = fixed64FieldSize(2, d.start_time_unix_nano) + fixed64FieldSize(3, d.time_unix_nano) +
             fixed64FieldSize(4, d.count) + (d.has_sum ? kPresent64 : 0) +
             packedFixedSize<uint64_t>(6, d.bucket_counts) +
             packedFixedSize<double>(7, d.explicit_bounds) + sizeExemplars(8, d.exemplars, sizes) +
             sizeAttributes(9, d.attributes, sizes) + varintFieldSize(10, d.flags) +
             (d.has_min ? kPresent64 : 0) + (d.has_max ? kPresent64 : 0);
  return sizes.set(slot, n);
}

uint8_t* writePoint(uint8_t* p, const HistogramDataPoint& d, SizeTable& sizes) {
  p = writeFixed64Field(p, 2, d.start_time_unix_nano);
  p = writeFixed64Field(p, 3, d.time_unix_nano);
  p = writeFixed64Field(p, 4, d.count);
  if (d.has_sum) p = writePresentFixed64(p, 5, wire::bitsOf(d.sum));
  p = writePackedFixed<uint64_t>(p, 6, d.bucket_counts);
  p = writePackedFixed<double>(p, 7, d.explicit_bounds);
  p = writeExemplars(p, 8, d.exemplars, sizes);
  p = writeAttributes(p, 9, d.attributes, sizes);
  p = writeVarintField(p, 10, d.flags);
  if (d.has_min) p = writePresentFixed64(p, 11, wire::bitsOf(d.min));
  if (d.has_max) p = writePresentFixed64(p, 12, wire::bitsOf(d.max));
  return p;
}

size_t packedVarintPayload(std::span<const uint64_t> v) {
  size_t n = 0;
  for (uint64_t x : v) n += varintSize(x);
  return n;
}

size_t bucketsBody(const ExponentialBuckets& b) {
  size_t n = varintFieldSize(1, wire::zigzag32(b.offset));
  if (!b.bucket_counts.empty()) n += lenFieldSize(2, packedVarintPayload(b.bucket_counts));
  return n;
}

uint8_t* writeBuckets(uint8_t* p, uint32_t field, const ExponentialBuckets& b) {
  p = writeLenPrefix(p, field, bucketsBody(b));
  p = writeVarintField(p, 1, wire::zigzag32(b.offset));
  if (b.bucket_counts.empty()) return p;
  p = writeLenPrefix(p, 2, packedVarintPayload(b.bucket_counts));
  for (uint64_t x : b.bucket_counts) p = wire::writeVarint(p, x);
  return p;
}

size_t sizePoint(const ExponentialHistogramDataPoint& d, SizeTable& sizes) {
  size_t slot = sizes.reserve();
  size_t n = sizeAttributes(1, d.attributes, sizes) + fixed64FieldSize(2, d.start_time_unix_nano) +
             fixed64FieldSize(3, d.time_unix_nano) + fixed64FieldSize(4, d.count) +
             (d.has_sum ? kPresent64 : 0) + varintFieldSize(6, wire::zigzag32(d.scale)) +
             fixed64FieldSize(7, d.zero_count) +
             (d.has_positive ? lenFieldSize(8, bucketsBody(d.positive)) : 0) +
             (d.has_negative ? lenFieldSize(9, bucketsBody(d.negative)) : 0) +
             varintFieldSize(10, d.flags) + sizeExemplars(11, d.exemplars, sizes) +
             (d.has_min ? kPresent64 : 0) + (d.has_max ? kPresent64 : 0) +
             doubleFieldSize(14, d.zero_threshold);
  return sizes.set(slot, n);
}

uint8_t* writePoint(uint8_t* p, const ExponentialHistogramDataPoint& d, SizeTable& sizes) {
  p = writeAttributes(p, 1, d.attributes, sizes);
  p = writeFixed64Field(p, 2, d.start_time_unix_nano);
  p = writeFixed64Field(p, 3, d.time_unix_nano);
  p = writeFixed64Field(p, 4, d.count);
  if (d.has_sum) p = writePresentFixed64(p, 5, wire::bitsOf(d.sum));
  p = writeVarintField(p, 6, wire::zigzag32(d.scale));
  p = writeFixed64Field(p, 7, d.zero_count);
  if (d.has_positive) p = writeBuckets(p, 8, d.positive);
  if (d.has_negative) p = writeBuckets(p, 9, d.negative);
  p = writeVarintField(p, 10, d.flags);
  p = writeExemplars(p, 11, d.exemplars, sizes);
  if (d.has_min) p = writePresentFixed64(p, 12, wire::bitsOf(d.min));
  if (d.has_max) p = writePresentFixed64(p, 13, wire::bitsOf(d.max));
  return writeDoubleField(p, 14, d.zero_threshold);
}

size_t quantileBody(const ValueAtQuantile& q) {
  return doubleFieldSize(1, q.quantile) + doubleFieldSize(2, q.value);
}

size_t sizePoint(const SummaryDataPoint& d, SizeTable& sizes) {
  size_t slot = sizes.reserve();
  size_t n = fixed64FieldSize(2, d.start_time_unix_nano) + fixed64FieldSize(3, d.time_unix_nano) +
             fixed64FieldSize(4, d.count) + doubleFieldSize(5, d.sum);
  for (const ValueAtQuantile& q : d.quantile_values) n += lenFieldSize(6, quantileBody(q));
  n += sizeAttributes(7, d.attributes, sizes) + varintFieldSize(8, d.flags);
  return sizes.set(slot, n);
}

uint8_t* writePoint(uint8_t* p, const SummaryDataPoint& d, SizeTable& sizes) {
  p = writeFixed64Field(p, 2, d.start_time_unix_nano);
  p = writeFixed64Field(p, 3, d.time_unix_nano);
  p = writeFixed64Field(p, 4, d.count);
  p = writeDoubleField(p, 5, d.sum);
  for (const ValueAtQuantile& q : d.quantile_values) {
    p = writeLenPrefix(p, 6, quantileBody(q));
    p = writeDoubleField(p, 1, q.quantile);
    p = writeDoubleField(p, 2, q.value);
  }
  p = writeAttributes(p, 7, d.attributes, sizes);
  return writeVarintField(p, 8, d.flags);
}

// Field number of the `data` oneof member for a metric type (0 for kEmpty).
uint32_t dataField(MetricType t) {
  switch (t) {
    case MetricType::kGauge:
      return 5;
    case MetricType::kSum:
      return 7;
    case MetricType::kHistogram:
      return 9;
    case MetricType::kExponentialHistogram:
      return 10;
    case MetricType::kSummary:
      return 11;
    default:
      return 0;
  }
}

template <typename Point>
size_t sizePoints(std::span<const Point> points, SizeTable& sizes) {
  size_t n = 0;
  for (const Point& d : points) n += lenFieldSize(1, sizePoint(d, sizes));
  return n;
}

template <typename Point>
uint8_t* writePoints(uint8_t* p, std::span<const Point> points, SizeTable& sizes) {
  for (const Point& d : points) {
    p = writeLenPrefix(p, 1, sizes.take());
    p = writePoint(p, d, sizes);
  }
  return p;
}

// Body of Gauge / Sum / Histogram / ExponentialHistogram / Summary.
size_t sizeData(const Metric& m, SizeTable& sizes) {
  size_t slot = sizes.reserve();
  size_t n = 0;
  size_t temporality = varintFieldSize(2, wire::int32Wire(m.aggregation_temporality));
  switch (m.type) {
    case MetricType::kGauge:
      n = sizePoints<NumberDataPoint>(m.number_points, sizes);
      break;
    case MetricType::kSum:
      n = sizePoints<NumberDataPoint>(m.number_points, sizes) + temporality +
          (m.is_monotonic ? 2 : 0);
      break;
    case MetricType::kHistogram:
      n = sizePoints<HistogramDataPoint>(m.histogram_points, sizes) + temporality;
      break;
    case MetricType::kExponentialHistogram:
      n = sizePoints<ExponentialHistogramDataPoint>(m.exponential_points, sizes) + temporality;
      break;
    case MetricType::kSummary:
      n = sizePoints<SummaryDataPoint>(m.summary_points, sizes);
      break;
    default:
      break;
  }
  return sizes.set(slot, n);
}

uint8_t* writeData(uint8_t* p, const Metric& m, SizeTable& sizes) {
  uint64_t temporality = wire::int32Wire(m.aggregation_temporality);
  switch (m.type) {
    case MetricType::kGauge:
      return writePoints<NumberDataPoint>(p, m.number_points, sizes);
    case MetricType::kSum:
      p = writePoints<NumberDataPoint>(p, m.number_points, sizes);
      p = writeVarintField(p, 2, temporality);
      return writeVarintField(p, 3, m.is_monotonic ? 1 : 0);
    case MetricType::kHistogram:
      p = writePoints<HistogramDataPoint>(p, m.histogram_points, sizes);
      return writeVarintField(p, 2, temporality);
    case MetricType::kExponentialHistogram:
      p = writePoints<ExponentialHistogramDataPoint>(p, m.exponential_points, sizes);
      return writeVarintField(p, 2, temporality);
    case MetricType::kSummary:
      return writePoints<SummaryDataPoint>(p, m.summary_points, sizes);
    default:
      return p;
  }
}

size_t sizeMetric(const Metric& m, SizeTable& sizes) {
  size_t slot = sizes.reserve();
  size_t n =
      stringFieldSize(1, m.name) + stringFieldSize(2, m.description) + stringFieldSize(3, m.unit);
  if (uint32_t field = dataField(m.type); field != 0) n += lenFieldSize(field, sizeData(m, sizes));
  n += sizeAttributes(12, m.metadata, sizes);
  return sizes.set(slot, n);
}

uint8_t* writeMetric(uint8_t* p, const Metric& m, SizeTable& sizes) {
  p = writeStringField(p, 1, m.name);
  p = writeStringField(p, 2, m.description);
  p = writeStringField(p, 3, m.unit);
  if (uint32_t field = dataField(m.type); field != 0) {
    p = writeLenPrefix(p, field, sizes.take());
    p = writeData(p, m, sizes);
  }
  return writeAttributes(p, 12, m.metadata, sizes);
}

size_t sizeScopeMetrics(const ScopeMetrics& sm, SizeTable& sizes) {
  size_t slot = sizes.reserve();
  size_t n = sm.has_scope ? lenFieldSize(1, sizeScope(sm.scope, sizes)) : 0;
  for (const Metric& m : sm.metrics) n += lenFieldSize(2, sizeMetric(m, sizes));
  n += stringFieldSize(3, sm.schema_url);
  return sizes.set(slot, n);
}

uint8_t* writeScopeMetrics(uint8_t* p, const ScopeMetrics& sm, SizeTable& sizes) {
  if (sm.has_scope) {
    p = writeLenPrefix(p, 1, sizes.take());
    p = writeScope(p, sm.scope, sizes);
  }
  for (const Metric& m : sm.metrics) {
    p = writeLenPrefix(p, 2, sizes.take());
    p = writeMetric(p, m, sizes);
  }
  return writeStringField(p, 3, sm.schema_url);
}

size_t sizeResourceMetrics(const ResourceMetrics& rm, SizeTable& sizes) {
  size_t slot = sizes.reserve();
  size_t n = rm.has_resource ? lenFieldSize(1, sizeResource(rm.resource, sizes)) : 0;
  for (const ScopeMetrics& sm : rm.scope_metrics) n += lenFieldSize(2, sizeScopeMetrics(sm, sizes));
  n += stringFieldSize(3, rm.schema_url);
  return sizes.set(slot, n);
}

uint8_t* writeResourceMetrics(uint8_t* p, const ResourceMetrics& rm, SizeTable& sizes) {
  if (rm.has_resource) {
    p = writeLenPrefix(p, 1, sizes.take());
    p = writeResource(p, rm.resource, sizes);
  }
  for (const ScopeMetrics& sm : rm.scope_metrics) {
    p = writeLenPrefix(p, 2, sizes.take());
    p = writeScopeMetrics(p, sm, sizes);
  }
  return writeStringField(p, 3, rm.schema_url);
}

}  // namespace

void encode(const Metrics& batch, std::string& out) {
  SizeTable sizes(sizeScratch());
  size_t total = 0;
  for (const ResourceMetrics& rm : batch.resources()) {
    total += lenFieldSize(1, sizeResourceMetrics(rm, sizes));
  }
  uint8_t* p = growBy(out, total);
  for (const ResourceMetrics& rm : batch.resources()) {
    p = writeLenPrefix(p, 1, sizes.take());
    p = writeResourceMetrics(p, rm, sizes);
  }
}

}  // namespace periscope::model::otlp
