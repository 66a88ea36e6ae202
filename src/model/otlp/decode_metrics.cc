// Decoding of ExportMetricsServiceRequest / MetricsData (metrics.proto) into model::Metrics.
// Packed numeric arrays (bucket counts, bounds) are copied into the arena: wire data is unaligned.
#include <array>

#include "model/otlp/decode_context.h"
#include "model/otlp/decode_envelope.h"
#include "model/otlp/proto_decoder.h"

namespace periscope::model::otlp {

using wire::Field;
using wire::kFixed64;
using wire::kLen;
using wire::kVarint;
using wire::ReadError;
using wire::tag;

namespace {

constexpr std::array<const char*, 2> kRequestNames = {nullptr, "resource_metrics"};
constexpr std::array<const char*, 4> kResourceMetricsNames = {nullptr, "resource", "scope_metrics",
                                                              "schema_url"};
constexpr std::array<const char*, 4> kScopeMetricsNames = {nullptr, "scope", "metrics",
                                                           "schema_url"};
constexpr std::array<const char*, 13> kMetricNames = {
    nullptr, "name",      "description",           "unit",    nullptr,   "gauge", nullptr, "sum",
    nullptr, "histogram", "exponential_histogram", "summary", "metadata"};
constexpr std::array<const char*, 4> kDataNames = {nullptr, "data_points",
                                                   "aggregation_temporality", "is_monotonic"};
constexpr std::array<const char*, 9> kNumberPointNames = {
    nullptr,     nullptr,  "start_time_unix_nano", "time_unix_nano", "as_double",
    "exemplars", "as_int", "attributes",           "flags"};
constexpr std::array<const char*, 8> kExemplarNames = {
    nullptr,   nullptr,    "time_unix_nano", "as_double",
    "span_id", "trace_id", "as_int",         "filtered_attributes"};
constexpr std::array<const char*, 13> kHistogramPointNames = {nullptr,
                                                              nullptr,
                                                              "start_time_unix_nano",
                                                              "time_unix_nano",
                                                              "count",
                                                              "sum",
                                                              "bucket_counts",
                                                              "explicit_bounds",
                                                              "exemplars",
                                                              "attributes",
                                                              "flags",
                                                              "min",
                                                              "max"};
constexpr std::array<const char*, 15> kExpPointNames = {nullptr,
                                                        "attributes",
                                                        "start_time_unix_nano",
                                                        "time_unix_nano",
                                                        "count",
                                                        "sum",
                                                        "scale",
                                                        "zero_count",
                                                        "positive",
                                                        "negative",
                                                        "flags",
                                                        "exemplars",
                                                        "min",
                                                        "max",
                                                        "zero_threshold"};
constexpr std::array<const char*, 3> kBucketsNames = {nullptr, "offset", "bucket_counts"};
constexpr std::array<const char*, 9> kSummaryPointNames = {
    nullptr, nullptr,           "start_time_unix_nano", "time_unix_nano", "count",
    "sum",   "quantile_values", "attributes",           "flags"};
constexpr std::array<const char*, 3> kQuantileNames = {nullptr, "quantile", "value"};

// Number of elements a repeated fixed-width field occurrence contributes (packed or not);
// 0 for a malformed packed length, which the fill pass then reports.
template <size_t kWidth>
uint32_t fixedCount(const Field& f) {
  if (f.wireType() == kLen) return f.len % kWidth == 0 ? static_cast<uint32_t>(f.len / kWidth) : 0;
  return 1;
}

// Number of varints in a packed payload (bytes ending a varint) or 1 for an unpacked one.
uint32_t varintCount(const Field& f) {
  if (f.wireType() != kLen) return 1;
  uint32_t n = 0;
  for (size_t i = 0; i < f.len; ++i) n += f.data[i] < 0x80;
  return n;
}

// Appends the values of a repeated fixed64/double occurrence (wire type `unpacked` or packed).
template <typename T>
bool fillFixed(DecodeContext& ctx, const Field& f, std::span<T> dst, size_t& i, FieldNames names) {
  if (f.wireType() == kLen) {
    if (f.len % 8 != 0) {
      ctx.in(names, f.number());
      return ctx.fail(f.at, "packed length " + std::to_string(f.len) + " not a multiple of 8");
    }
    size_t n = f.len / 8;
    if (n > dst.size() - i) return ctx.fail(f.at, "internal: count mismatch");
    if (n != 0) std::memcpy(dst.data() + i, f.data, f.len);
    i += n;
    return true;
  }
  if (i >= dst.size()) return ctx.fail(f.at, "internal: count mismatch");
  std::memcpy(&dst[i++], &f.value, 8);
  return true;
}

bool fillVarints(DecodeContext& ctx, const Field& f, std::span<uint64_t> dst, size_t& i,
                 FieldNames names) {
  if (f.wireType() != kLen) {
    if (i >= dst.size()) return ctx.fail(f.at, "internal: count mismatch");
    dst[i++] = f.value;
    return true;
  }
  const uint8_t* p = f.data;
  const uint8_t* end = f.end();
  while (p < end) {
    uint64_t v;
    const uint8_t* q = wire::readVarint(p, end, v);
    if (q == nullptr) {
      ctx.in(names, f.number());
      return ctx.fail(p, wire::varintError(p, end) == ReadError::kVarintTooLong
                             ? "varint longer than 10 bytes"
                             : "truncated packed varint");
    }
    if (i >= dst.size()) return ctx.fail(p, "internal: count mismatch");
    dst[i++] = v;
    p = q;
  }
  return true;
}

bool decodeExemplar(DecodeContext& ctx, const uint8_t* p, const uint8_t* end, Exemplar& out) {
  uint32_t counts[3] = {0, 0, 0};
  countLenFields(p, end, 7, 0, 0, counts);
  size_t a = out.filtered_attributes.size();
  out.filtered_attributes = extend(ctx.arena(), out.filtered_attributes, counts[0]);
  Field f;
  while (p < end) {
    const uint8_t* at = p;
    if (ReadError e = wire::readField(p, end, f); e != ReadError::kNone) {
      return ctx.readFailed(e, f, at, kExemplarNames);
    }
    switch (f.tag) {
      case tag(2, kFixed64):
        out.time_unix_nano = f.value;
        break;
      case tag(3, kFixed64):
        out.value_type = NumberValue::kDouble;
        out.as_double = wire::doubleOf(f.value);
        out.as_int = 0;
        break;
      case tag(4, kLen):
        out.span_id = f.view();
        break;
      case tag(5, kLen):
        out.trace_id = f.view();
        break;
      case tag(6, kFixed64):
        out.value_type = NumberValue::kInt;
        out.as_int = static_cast<int64_t>(f.value);
        out.as_double = 0;
        break;
      case tag(7, kLen):
        if (!decodeAttribute(ctx, f, out.filtered_attributes, a, kExemplarNames)) return false;
        break;
      default:
        if (f.number() >= 2 && f.number() <= 7) return ctx.wrongWireType(f, kExemplarNames);
    }
  }
  return true;
}

bool decodeExemplarField(DecodeContext& ctx, const Field& f, std::span<Exemplar> dst, size_t& i,
                         FieldNames names) {
  if (i >= dst.size()) return ctx.fail(f.at, "internal: count mismatch");
  if (!decodeExemplar(ctx, f.data, f.end(), dst[i])) return ctx.in(names, f.number(), i);
  ++i;
  return true;
}

bool decodeNumberPoint(DecodeContext& ctx, const uint8_t* p, const uint8_t* end,
                       NumberDataPoint& out) {
  uint32_t counts[3] = {0, 0, 0};
  countLenFields(p, end, 7, 5, 0, counts);
  size_t a = 0, x = 0;
  out.attributes = extend(ctx.arena(), out.attributes, counts[0]);
  out.exemplars = extend(ctx.arena(), out.exemplars, counts[1]);
  Field f;
  while (p < end) {
    const uint8_t* at = p;
    if (ReadError e = wire::readField(p, end, f); e != ReadError::kNone) {
      return ctx.readFailed(e, f, at, kNumberPointNames);
    }
    switch (f.tag) {
      case tag(2, kFixed64):
        out.start_time_unix_nano = f.value;
        break;
      case tag(3, kFixed64):
        out.time_unix_nano = f.value;
        break;
      case tag(4, kFixed64):
        out.value_type = NumberValue::kDouble;
        out.as_double = wire::doubleOf(f.value);
        out.as_int = 0;
        break;
      case tag(5, kLen):
        if (!decodeExemplarField(ctx, f, out.exemplars, x, kNumberPointNames)) return false;
        break;
      case tag(6, kFixed64):
        out.value_type = NumberValue::kInt;
        out.as_int = static_cast<int64_t>(f.value);
        out.as_double = 0;
        break;
      case tag(7, kLen):
        if (!decodeAttribute(ctx, f, out.attributes, a, kNumberPointNames)) return false;
        break;
      case tag(8, kVarint):
        out.flags = static_cast<uint32_t>(f.value);
        break;
      default:
        if (f.number() >= 2 && f.number() <= 8) return ctx.wrongWireType(f, kNumberPointNames);
    }
  }
  return true;
}

bool decodeHistogramPoint(DecodeContext& ctx, const uint8_t* p, const uint8_t* end,
                          HistogramDataPoint& out) {
  uint32_t n_attrs = 0, n_ex = 0, n_counts = 0, n_bounds = 0;
  Field f;
  for (const uint8_t* q = p; q < end;) {
    if (wire::readField(q, end, f) != ReadError::kNone) break;
    switch (f.tag) {
      case tag(9, kLen):
        ++n_attrs;
        break;
      case tag(8, kLen):
        ++n_ex;
        break;
      case tag(6, kLen):
      case tag(6, kFixed64):
        n_counts += fixedCount<8>(f);
        break;
      case tag(7, kLen):
      case tag(7, kFixed64):
        n_bounds += fixedCount<8>(f);
        break;
    }
  }
  Arena& arena = ctx.arena();
  size_t a = 0, x = 0, c = 0, b = 0;
  out.attributes = extend(arena, out.attributes, n_attrs);
  out.exemplars = extend(arena, out.exemplars, n_ex);
  out.bucket_counts = extend(arena, out.bucket_counts, n_counts);
  out.explicit_bounds = extend(arena, out.explicit_bounds, n_bounds);
  while (p < end) {
    const uint8_t* at = p;
    if (ReadError e = wire::readField(p, end, f); e != ReadError::kNone) {
      return ctx.readFailed(e, f, at, kHistogramPointNames);
    }
    switch (f.tag) {
      case tag(2, kFixed64):
        out.start_time_unix_nano = f.value;
        break;
      case tag(3, kFixed64):
        out.time_unix_nano = f.value;
        break;
      case tag(4, kFixed64):
        out.count = f.value;
        break;
      case tag(5, kFixed64):
        out.has_sum = true;
        out.sum = wire::doubleOf(f.value);
        break;
      case tag(6, kLen):
      case tag(6, kFixed64):
        if (!fillFixed(ctx, f, out.bucket_counts, c, kHistogramPointNames)) return false;
        break;
      case tag(7, kLen):
      case tag(7, kFixed64):
        if (!fillFixed(ctx, f, out.explicit_bounds, b, kHistogramPointNames)) return false;
        break;
      case tag(8, kLen):
        if (!decodeExemplarField(ctx, f, out.exemplars, x, kHistogramPointNames)) return false;
        break;
      case tag(9, kLen):
        if (!decodeAttribute(ctx, f, out.attributes, a, kHistogramPointNames)) return false;
        break;
      case tag(10, kVarint):
        out.flags = static_cast<uint32_t>(f.value);
        break;
      case tag(11, kFixed64):
        out.has_min = true;
        out.min = wire::doubleOf(f.value);
        break;
      case tag(12, kFixed64):
        out.has_max = true;
        out.max = wire::doubleOf(f.value);
        break;
      default:
        if (f.number() >= 2 && f.number() <= 12) {
          return ctx.wrongWireType(f, kHistogramPointNames);
        }
    }
  }
  return true;
}

bool decodeBuckets(DecodeContext& ctx, const uint8_t* p, const uint8_t* end,
                   ExponentialBuckets& out) {
  uint32_t n = 0;
  Field f;
  for (const uint8_t* q = p; q < end;) {
    if (wire::readField(q, end, f) != ReadError::kNone) break;
    if (f.tag == tag(2, kLen) || f.tag == tag(2, kVarint)) n += varintCount(f);
  }
  size_t i = out.bucket_counts.size();
  out.bucket_counts = extend(ctx.arena(), out.bucket_counts, n);
  while (p < end) {
    const uint8_t* at = p;
    if (ReadError e = wire::readField(p, end, f); e != ReadError::kNone) {
      return ctx.readFailed(e, f, at, kBucketsNames);
    }
    switch (f.tag) {
      case tag(1, kVarint):
        out.offset = wire::unzigzag32(static_cast<uint32_t>(f.value));
        break;
      case tag(2, kLen):
      case tag(2, kVarint):
        if (!fillVarints(ctx, f, out.bucket_counts, i, kBucketsNames)) return false;
        break;
      default:
        if (f.number() <= 2) return ctx.wrongWireType(f, kBucketsNames);
    }
  }
  return true;
}

bool decodeExpPoint(DecodeContext& ctx, const uint8_t* p, const uint8_t* end,
                    ExponentialHistogramDataPoint& out) {
  uint32_t counts[3] = {0, 0, 0};
  countLenFields(p, end, 1, 11, 0, counts);
  size_t a = 0, x = 0;
  out.attributes = extend(ctx.arena(), out.attributes, counts[0]);
  out.exemplars = extend(ctx.arena(), out.exemplars, counts[1]);
  Field f;
  while (p < end) {
    const uint8_t* at = p;
    if (ReadError e = wire::readField(p, end, f); e != ReadError::kNone) {
      return ctx.readFailed(e, f, at, kExpPointNames);
    }
    switch (f.tag) {
      case tag(1, kLen):
        if (!decodeAttribute(ctx, f, out.attributes, a, kExpPointNames)) return false;
        break;
      case tag(2, kFixed64):
        out.start_time_unix_nano = f.value;
        break;
      case tag(3, kFixed64):
        out.time_unix_nano = f.value;
        break;
      case tag(4, kFixed64):
        out.count = f.value;
        break;
      case tag(5, kFixed64):
        out.has_sum = true;
        out.sum = wire::doubleOf(f.value);
        break;
      case tag(6, kVarint):
        out.scale = wire::unzigzag32(static_cast<uint32_t>(f.value));
        break;
      case tag(7, kFixed64):
        out.zero_count = f.value;
        break;
      case tag(8, kLen):
        out.has_positive = true;
        if (!decodeBuckets(ctx, f.data, f.end(), out.positive)) return ctx.in(kExpPointNames, 8);
        break;
      case tag(9, kLen):
        out.has_negative = true;
        if (!decodeBuckets(ctx, f.data, f.end(), out.negative)) return ctx.in(kExpPointNames, 9);
        break;
      case tag(10, kVarint):
        out.flags = static_cast<uint32_t>(f.value);
        break;
      case tag(11, kLen):
        if (!decodeExemplarField(ctx, f, out.exemplars, x, kExpPointNames)) return false;
        break;
      case tag(12, kFixed64):
        out.has_min = true;
        out.min = wire::doubleOf(f.value);
        break;
      case tag(13, kFixed64):
        out.has_max = true;
        out.max = wire::doubleOf(f.value);
        break;
      case tag(14, kFixed64):
        out.zero_threshold = wire::doubleOf(f.value);
        break;
      default:
        if (f.number() <= 14) return ctx.wrongWireType(f, kExpPointNames);
    }
  }
  return true;
}

bool decodeQuantile(DecodeContext& ctx, const uint8_t* p, const uint8_t* end,
                    ValueAtQuantile& out) {
  Field f;
  while (p < end) {
    const uint8_t* at = p;
    if (ReadError e = wire::readField(p, end, f); e != ReadError::kNone) {
      return ctx.readFailed(e, f, at, kQuantileNames);
    }
    switch (f.tag) {
      case tag(1, kFixed64):
        out.quantile = wire::doubleOf(f.value);
        break;
      case tag(2, kFixed64):
        out.value = wire::doubleOf(f.value);
        break;
      default:
        if (f.number() <= 2) return ctx.wrongWireType(f, kQuantileNames);
    }
  }
  return true;
}

bool decodeSummaryPoint(DecodeContext& ctx, const uint8_t* p, const uint8_t* end,
                        SummaryDataPoint& out) {
  uint32_t counts[3] = {0, 0, 0};
  countLenFields(p, end, 7, 6, 0, counts);
  size_t a = 0, q = 0;
  out.attributes = extend(ctx.arena(), out.attributes, counts[0]);
  out.quantile_values = extend(ctx.arena(), out.quantile_values, counts[1]);
  Field f;
  while (p < end) {
    const uint8_t* at = p;
    if (ReadError e = wire::readField(p, end, f); e != ReadError::kNone) {
      return ctx.readFailed(e, f, at, kSummaryPointNames);
    }
    switch (f.tag) {
      case tag(2, kFixed64):
        out.start_time_unix_nano = f.value;
        break;
      case tag(3, kFixed64):
        out.time_unix_nano = f.value;
        break;
      case tag(4, kFixed64):
        out.count = f.value;
        break;
      case tag(5, kFixed64):
        out.sum = wire::doubleOf(f.value);
        break;
      case tag(6, kLen):
        if (q >= out.quantile_values.size()) return ctx.fail(f.at, "internal: count mismatch");
        if (!decodeQuantile(ctx, f.data, f.end(), out.quantile_values[q])) {
          return ctx.in(kSummaryPointNames, 6, q);
        }
        ++q;
        break;
      case tag(7, kLen):
        if (!decodeAttribute(ctx, f, out.attributes, a, kSummaryPointNames)) return false;
        break;
      case tag(8, kVarint):
        out.flags = static_cast<uint32_t>(f.value);
        break;
      default:
        if (f.number() >= 2 && f.number() <= 8) return ctx.wrongWireType(f, kSummaryPointNames);
    }
  }
  return true;
}

// Gauge, Sum, Histogram, ExponentialHistogram or Summary: data_points = 1, plus
// aggregation_temporality = 2 and is_monotonic = 3 where the message has them.
template <typename Point,
          bool (*kDecodePoint)(DecodeContext&, const uint8_t*, const uint8_t*, Point&)>
bool decodeData(DecodeContext& ctx, const uint8_t* p, const uint8_t* end, Metric& m,
                std::span<Point>& points, uint32_t last_field) {
  uint32_t counts[3] = {0, 0, 0};
  countLenFields(p, end, 1, 0, 0, counts);
  size_t i = points.size();
  points = extend(ctx.arena(), points, counts[0]);
  Field f;
  while (p < end) {
    const uint8_t* at = p;
    if (ReadError e = wire::readField(p, end, f); e != ReadError::kNone) {
      return ctx.readFailed(e, f, at, kDataNames);
    }
    if (f.number() > last_field) continue;
    switch (f.tag) {
      case tag(1, kLen):
        if (i >= points.size()) return ctx.fail(f.at, "internal: count mismatch");
        if (!kDecodePoint(ctx, f.data, f.end(), points[i])) return ctx.in(kDataNames, 1, i);
        ++i;
        break;
      case tag(2, kVarint):
        m.aggregation_temporality = static_cast<int32_t>(f.value);
        break;
      case tag(3, kVarint):
        m.is_monotonic = f.value != 0;
        break;
      default:
        return ctx.wrongWireType(f, kDataNames);
    }
  }
  return true;
}

// Oneof `data`: a different member clears the previous one; the same member merges.
void selectData(Metric& m, MetricType type) {
  if (m.type == type) return;
  m.type = type;
  m.aggregation_temporality = 0;
  m.is_monotonic = false;
  m.number_points = {};
  m.histogram_points = {};
  m.exponential_points = {};
  m.summary_points = {};
}

bool decodeMetric(DecodeContext& ctx, const uint8_t* p, const uint8_t* end, Metric& out) {
  uint32_t counts[3] = {0, 0, 0};
  countLenFields(p, end, 12, 0, 0, counts);
  size_t a = 0;
  out.metadata = extend(ctx.arena(), out.metadata, counts[0]);
  Field f;
  while (p < end) {
    const uint8_t* at = p;
    if (ReadError e = wire::readField(p, end, f); e != ReadError::kNone) {
      return ctx.readFailed(e, f, at, kMetricNames);
    }
    bool ok = true;
    switch (f.tag) {
      case tag(1, kLen):
        if (!readString(ctx, f, out.name, kMetricNames)) return false;
        break;
      case tag(2, kLen):
        if (!readString(ctx, f, out.description, kMetricNames)) return false;
        break;
      case tag(3, kLen):
        if (!readString(ctx, f, out.unit, kMetricNames)) return false;
        break;
      case tag(5, kLen):
        selectData(out, MetricType::kGauge);
        ok = decodeData<NumberDataPoint, decodeNumberPoint>(ctx, f.data, f.end(), out,
                                                            out.number_points, 1);
        break;
      case tag(7, kLen):
        selectData(out, MetricType::kSum);
        ok = decodeData<NumberDataPoint, decodeNumberPoint>(ctx, f.data, f.end(), out,
                                                            out.number_points, 3);
        break;
      case tag(9, kLen):
        selectData(out, MetricType::kHistogram);
        ok = decodeData<HistogramDataPoint, decodeHistogramPoint>(ctx, f.data, f.end(), out,
                                                                  out.histogram_points, 2);
        break;
      case tag(10, kLen):
        selectData(out, MetricType::kExponentialHistogram);
        ok = decodeData<ExponentialHistogramDataPoint, decodeExpPoint>(ctx, f.data, f.end(), out,
                                                                       out.exponential_points, 2);
        break;
      case tag(11, kLen):
        selectData(out, MetricType::kSummary);
        ok = decodeData<SummaryDataPoint, decodeSummaryPoint>(ctx, f.data, f.end(), out,
                                                              out.summary_points, 1);
        break;
      case tag(12, kLen):
        if (!decodeAttribute(ctx, f, out.metadata, a, kMetricNames)) return false;
        break;
      default:
        if (f.number() <= 12 && kMetricNames[f.number()] != nullptr) {
          return ctx.wrongWireType(f, kMetricNames);
        }
    }
    if (!ok) return ctx.in(kMetricNames, f.number());
  }
  return true;
}

bool decodeScopeMetrics(DecodeContext& ctx, const uint8_t* p, const uint8_t* end,
                        ScopeMetrics& out) {
  return decodeGroup<&ScopeMetrics::has_scope, &ScopeMetrics::scope, &ScopeMetrics::metrics,
                     decodeScope, decodeMetric>(ctx, p, end, out, kScopeMetricsNames);
}

bool decodeResourceMetrics(DecodeContext& ctx, const uint8_t* p, const uint8_t* end,
                           ResourceMetrics& out) {
  return decodeGroup<&ResourceMetrics::has_resource, &ResourceMetrics::resource,
                     &ResourceMetrics::scope_metrics, decodeResource, decodeScopeMetrics>(
      ctx, p, end, out, kResourceMetricsNames);
}

}  // namespace

Status decode(std::string_view bytes, Metrics& into) {
  return decodeRequest<decodeResourceMetrics>(bytes, into, kRequestNames);
}

Result<Metrics> decodeMetrics(std::string&& body) {
  return decodeOwned<Metrics>(std::move(body));
}

}  // namespace periscope::model::otlp
