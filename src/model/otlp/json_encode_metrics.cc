// OTLP/JSON encoding of Metric and its five data point kinds.
#include "model/otlp/json_writer.h"

namespace periscope::model::otlp {
namespace {

template <typename Point>
void writePointHead(JsonWriter& w, const Point& p) {
  writeAttributes(w, "attributes", p.attributes);
  w.u64Field("startTimeUnixNano", p.start_time_unix_nano);
  w.u64Field("timeUnixNano", p.time_unix_nano);
}

void writeNumberValue(JsonWriter& w, NumberValue type, double as_double, int64_t as_int) {
  if (type == NumberValue::kDouble) {
    w.key("asDouble");
    w.dbl(as_double);
  } else if (type == NumberValue::kInt) {
    w.key("asInt");
    w.quotedI64(as_int);
  }
}

void writeExemplars(JsonWriter& w, std::span<const Exemplar> exemplars) {
  if (exemplars.empty()) return;
  w.key("exemplars");
  w.beginArray();
  for (const Exemplar& e : exemplars) {
    w.beginObject();
    writeAttributes(w, "filteredAttributes", e.filtered_attributes);
    w.u64Field("timeUnixNano", e.time_unix_nano);
    writeNumberValue(w, e.value_type, e.as_double, e.as_int);
    w.hexField("spanId", e.span_id);
    w.hexField("traceId", e.trace_id);
    w.endObject();
  }
  w.endArray();
}

void writeU64Array(JsonWriter& w, std::string_view name, std::span<const uint64_t> values) {
  if (values.empty()) return;
  w.key(name);
  w.beginArray();
  for (uint64_t v : values) w.quotedU64(v);
  w.endArray();
}

void writeOptionalDbl(JsonWriter& w, std::string_view name, bool has, double v) {
  if (!has) return;
  w.key(name);
  w.dbl(v);
}

void writeNumberPoint(JsonWriter& w, const NumberDataPoint& p) {
  w.beginObject();
  writePointHead(w, p);
  writeNumberValue(w, p.value_type, p.as_double, p.as_int);
  writeExemplars(w, p.exemplars);
  w.intField("flags", p.flags);
  w.endObject();
}

void writeHistogramPoint(JsonWriter& w, const HistogramDataPoint& p) {
  w.beginObject();
  writePointHead(w, p);
  w.u64Field("count", p.count);
  writeOptionalDbl(w, "sum", p.has_sum, p.sum);
  writeU64Array(w, "bucketCounts", p.bucket_counts);
  if (!p.explicit_bounds.empty()) {
    w.key("explicitBounds");
    w.beginArray();
    for (double b : p.explicit_bounds) w.dbl(b);
    w.endArray();
  }
  writeExemplars(w, p.exemplars);
  w.intField("flags", p.flags);
  writeOptionalDbl(w, "min", p.has_min, p.min);
  writeOptionalDbl(w, "max", p.has_max, p.max);
  w.endObject();
}

void writeBuckets(JsonWriter& w, std::string_view name, const ExponentialBuckets& b) {
  w.key(name);
  w.beginObject();
  w.intField("offset", b.offset);
  writeU64Array(w, "bucketCounts", b.bucket_counts);
  w.endObject();
}

void writeExponentialPoint(JsonWriter& w, const ExponentialHistogramDataPoint& p) {
  w.beginObject();
  writePointHead(w, p);
  w.u64Field("count", p.count);
  writeOptionalDbl(w, "sum", p.has_sum, p.sum);
  w.intField("scale", p.scale);
  w.u64Field("zeroCount", p.zero_count);
  if (p.has_positive) writeBuckets(w, "positive", p.positive);
  if (p.has_negative) writeBuckets(w, "negative", p.negative);
  w.intField("flags", p.flags);
  writeExemplars(w, p.exemplars);
  writeOptionalDbl(w, "min", p.has_min, p.min);
  writeOptionalDbl(w, "max", p.has_max, p.max);
  w.dblField("zeroThreshold", p.zero_threshold);
  w.endObject();
}

void writeSummaryPoint(JsonWriter& w, const SummaryDataPoint& p) {
  w.beginObject();
  writePointHead(w, p);
  w.u64Field("count", p.count);
  w.dblField("sum", p.sum);
  if (!p.quantile_values.empty()) {
    w.key("quantileValues");
    w.beginArray();
    for (const ValueAtQuantile& q : p.quantile_values) {
      w.beginObject();
      w.dblField("quantile", q.quantile);
      w.dblField("value", q.value);
      w.endObject();
    }
    w.endArray();
  }
  w.intField("flags", p.flags);
  w.endObject();
}

template <typename Point, typename WritePoint>
void writeData(JsonWriter& w, std::string_view name, const Metric& m, std::span<Point> points,
               WritePoint write_point, bool has_temporality) {
  w.key(name);
  w.beginObject();
  if (!points.empty()) {
    w.key("dataPoints");
    w.beginArray();
    for (const Point& p : points) write_point(w, p);
    w.endArray();
  }
  if (has_temporality) w.intField("aggregationTemporality", m.aggregation_temporality);
  if (m.type == MetricType::kSum && m.is_monotonic) {
    w.key("isMonotonic");
    w.boolean(true);
  }
  w.endObject();
}

}  // namespace

void writeMetric(JsonWriter& w, const Metric& m) {
  w.beginObject();
  w.stringField("name", m.name);
  w.stringField("description", m.description);
  w.stringField("unit", m.unit);
  switch (m.type) {
    case MetricType::kEmpty:
      break;
    case MetricType::kGauge:
      writeData(w, "gauge", m, m.number_points, writeNumberPoint, false);
      break;
    case MetricType::kSum:
      writeData(w, "sum", m, m.number_points, writeNumberPoint, true);
      break;
    case MetricType::kHistogram:
      writeData(w, "histogram", m, m.histogram_points, writeHistogramPoint, true);
      break;
    case MetricType::kExponentialHistogram:
      writeData(w, "exponentialHistogram", m, m.exponential_points, writeExponentialPoint, true);
      break;
    case MetricType::kSummary:
      writeData(w, "summary", m, m.summary_points, writeSummaryPoint, false);
      break;
  }
  writeAttributes(w, "metadata", m.metadata);
  w.endObject();
}

}  // namespace periscope::model::otlp
