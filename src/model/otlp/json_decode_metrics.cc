// OTLP/JSON metrics: ResourceMetrics → ScopeMetrics → Metric → the five data point kinds.
#include <array>

#include "model/otlp/json_reader.h"

namespace periscope::model::otlp {
namespace {

constexpr std::array<std::string_view, 3> kTemporalityNames = {
    "AGGREGATION_TEMPORALITY_UNSPECIFIED", "AGGREGATION_TEMPORALITY_DELTA",
    "AGGREGATION_TEMPORALITY_CUMULATIVE"};

bool is(std::string_view key, std::string_view camel, std::string_view snake) {
  return JsonReader::is(key, camel, snake);
}

bool optionalDbl(JsonReader& r, std::string_view name, od::value& f, double& out, bool& has) {
  has = true;
  return r.dbl(name, f, out);
}

// Fields every data point kind shares; false with `handled` unset when `key` is not one.
template <typename Point>
bool readCommonPointField(JsonReader& r, std::string_view key, od::value& f, Point& p,
                          bool& handled) {
  handled = true;
  if (key == "attributes") return r.attributes(f, "attributes", p.attributes);
  if (is(key, "startTimeUnixNano", "start_time_unix_nano")) {
    return r.u64("startTimeUnixNano", f, p.start_time_unix_nano);
  }
  if (is(key, "timeUnixNano", "time_unix_nano")) return r.u64("timeUnixNano", f, p.time_unix_nano);
  if (key == "flags") return r.u32("flags", f, p.flags);
  handled = false;
  return true;
}

bool readExemplar(JsonReader& r, od::value& v, Exemplar& e) {
  return r.object(v, [&](std::string_view key, od::value& f) {
    if (is(key, "filteredAttributes", "filtered_attributes")) {
      return r.attributes(f, "filteredAttributes", e.filtered_attributes);
    }
    if (is(key, "timeUnixNano", "time_unix_nano"))
      return r.u64("timeUnixNano", f, e.time_unix_nano);
    if (is(key, "asDouble", "as_double")) {
      e.value_type = NumberValue::kDouble;
      return r.dbl("asDouble", f, e.as_double);
    }
    if (is(key, "asInt", "as_int")) {
      e.value_type = NumberValue::kInt;
      return r.field("asInt", [&] { return r.i64(f, e.as_int); });
    }
    if (is(key, "spanId", "span_id")) return r.id("spanId", f, e.span_id);
    if (is(key, "traceId", "trace_id")) return r.id("traceId", f, e.trace_id);
    return true;
  });
}

bool readExemplars(JsonReader& r, od::value& f, std::span<Exemplar>& out) {
  return r.array(f, "exemplars", out,
                 [&](Exemplar& e, od::value& ev) { return readExemplar(r, ev, e); });
}

bool readU64Array(JsonReader& r, od::value& f, std::string_view name, std::span<uint64_t>& out) {
  return r.array(f, name, out, [&](uint64_t& x, od::value& ev) { return r.u64(ev, x); });
}

bool readNumberPoint(JsonReader& r, od::value& v, NumberDataPoint& p) {
  return r.object(v, [&](std::string_view key, od::value& f) {
    bool handled = false;
    if (!readCommonPointField(r, key, f, p, handled)) return false;
    if (handled) return true;
    if (is(key, "asDouble", "as_double")) {
      p.value_type = NumberValue::kDouble;
      return r.dbl("asDouble", f, p.as_double);
    }
    if (is(key, "asInt", "as_int")) {
      p.value_type = NumberValue::kInt;
      return r.field("asInt", [&] { return r.i64(f, p.as_int); });
    }
    if (key == "exemplars") return readExemplars(r, f, p.exemplars);
    return true;
  });
}

bool readHistogramPoint(JsonReader& r, od::value& v, HistogramDataPoint& p) {
  return r.object(v, [&](std::string_view key, od::value& f) {
    bool handled = false;
    if (!readCommonPointField(r, key, f, p, handled)) return false;
    if (handled) return true;
    if (key == "count") return r.u64("count", f, p.count);
    if (key == "sum") return optionalDbl(r, "sum", f, p.sum, p.has_sum);
    if (key == "min") return optionalDbl(r, "min", f, p.min, p.has_min);
    if (key == "max") return optionalDbl(r, "max", f, p.max, p.has_max);
    if (is(key, "bucketCounts", "bucket_counts")) {
      return readU64Array(r, f, "bucketCounts", p.bucket_counts);
    }
    if (is(key, "explicitBounds", "explicit_bounds")) {
      return r.array(f, "explicitBounds", p.explicit_bounds,
                     [&](double& x, od::value& ev) { return r.dbl(ev, x); });
    }
    if (key == "exemplars") return readExemplars(r, f, p.exemplars);
    return true;
  });
}

bool readBuckets(JsonReader& r, od::value& v, ExponentialBuckets& b) {
  return r.object(v, [&](std::string_view key, od::value& f) {
    if (key == "offset") return r.field("offset", [&] { return r.i32(f, b.offset); });
    if (is(key, "bucketCounts", "bucket_counts")) {
      return readU64Array(r, f, "bucketCounts", b.bucket_counts);
    }
    return true;
  });
}

bool readExponentialPoint(JsonReader& r, od::value& v, ExponentialHistogramDataPoint& p) {
  return r.object(v, [&](std::string_view key, od::value& f) {
    bool handled = false;
    if (!readCommonPointField(r, key, f, p, handled)) return false;
    if (handled) return true;
    if (key == "count") return r.u64("count", f, p.count);
    if (key == "sum") return optionalDbl(r, "sum", f, p.sum, p.has_sum);
    if (key == "min") return optionalDbl(r, "min", f, p.min, p.has_min);
    if (key == "max") return optionalDbl(r, "max", f, p.max, p.has_max);
    if (key == "scale") return r.field("scale", [&] { return r.i32(f, p.scale); });
    if (is(key, "zeroCount", "zero_count")) return r.u64("zeroCount", f, p.zero_count);
    if (is(key, "zeroThreshold", "zero_threshold")) {
      return r.dbl("zeroThreshold", f, p.zero_threshold);
    }
    if (key == "positive") {
      p.has_positive = true;
      return r.field("positive", [&] { return readBuckets(r, f, p.positive); });
    }
    if (key == "negative") {
      p.has_negative = true;
      return r.field("negative", [&] { return readBuckets(r, f, p.negative); });
    }
    if (key == "exemplars") return readExemplars(r, f, p.exemplars);
    return true;
  });
}

bool readSummaryPoint(JsonReader& r, od::value& v, SummaryDataPoint& p) {
  return r.object(v, [&](std::string_view key, od::value& f) {
    bool handled = false;
    if (!readCommonPointField(r, key, f, p, handled)) return false;
    if (handled) return true;
    if (key == "count") return r.u64("count", f, p.count);
    if (key == "sum") return r.dbl("sum", f, p.sum);
    if (is(key, "quantileValues", "quantile_values")) {
      return r.array(f, "quantileValues", p.quantile_values,
                     [&](ValueAtQuantile& q, od::value& qv) {
                       return r.object(qv, [&](std::string_view k, od::value& x) {
                         if (k == "quantile") return r.dbl("quantile", x, q.quantile);
                         if (k == "value") return r.dbl("value", x, q.value);
                         return true;
                       });
                     });
    }
    return true;
  });
}

// gauge / sum / histogram / exponentialHistogram / summary: the data points plus, where the
// kind has them, aggregationTemporality and isMonotonic.
template <typename Point, typename ReadPoint>
bool readData(JsonReader& r, od::value& v, Metric& m, std::span<Point>& points,
              ReadPoint read_point) {
  return r.object(v, [&](std::string_view key, od::value& f) {
    if (is(key, "dataPoints", "data_points")) {
      return r.array(f, "dataPoints", points,
                     [&](Point& p, od::value& pv) { return read_point(r, pv, p); });
    }
    if (is(key, "aggregationTemporality", "aggregation_temporality")) {
      return r.field("aggregationTemporality", [&] {
        return r.enumeration(f, kTemporalityNames, m.aggregation_temporality);
      });
    }
    if (is(key, "isMonotonic", "is_monotonic")) {
      return r.field("isMonotonic", [&] { return r.boolean(f, m.is_monotonic); });
    }
    return true;
  });
}

// A later data member replaces an earlier one (proto3 oneof semantics).
void resetData(Metric& m, MetricType type) {
  m.type = type;
  m.aggregation_temporality = 0;
  m.is_monotonic = false;
  m.number_points = {};
  m.histogram_points = {};
  m.exponential_points = {};
  m.summary_points = {};
}

bool readMetric(JsonReader& r, od::value& v, Metric& m) {
  return r.object(v, [&](std::string_view key, od::value& f) {
    if (key == "name") return r.str("name", f, m.name);
    if (key == "description") return r.str("description", f, m.description);
    if (key == "unit") return r.str("unit", f, m.unit);
    if (key == "metadata") return r.attributes(f, "metadata", m.metadata);
    if (key == "gauge") {
      resetData(m, MetricType::kGauge);
      return r.field("gauge", [&] { return readData(r, f, m, m.number_points, readNumberPoint); });
    }
    if (key == "sum") {
      resetData(m, MetricType::kSum);
      return r.field("sum", [&] { return readData(r, f, m, m.number_points, readNumberPoint); });
    }
    if (key == "histogram") {
      resetData(m, MetricType::kHistogram);
      return r.field("histogram",
                     [&] { return readData(r, f, m, m.histogram_points, readHistogramPoint); });
    }
    if (is(key, "exponentialHistogram", "exponential_histogram")) {
      resetData(m, MetricType::kExponentialHistogram);
      return r.field("exponentialHistogram",
                     [&] { return readData(r, f, m, m.exponential_points, readExponentialPoint); });
    }
    if (key == "summary") {
      resetData(m, MetricType::kSummary);
      return r.field("summary",
                     [&] { return readData(r, f, m, m.summary_points, readSummaryPoint); });
    }
    return true;
  });
}

bool readScopeMetrics(JsonReader& r, od::value& v, ScopeMetrics& sm) {
  return r.object(v, [&](std::string_view key, od::value& f) {
    if (key == "scope") {
      sm.has_scope = true;
      return r.field("scope", [&] { return r.scope(f, sm.scope); });
    }
    if (key == "metrics") {
      return r.array(f, "metrics", sm.metrics,
                     [&](Metric& m, od::value& mv) { return readMetric(r, mv, m); });
    }
    if (is(key, "schemaUrl", "schema_url")) return r.str("schemaUrl", f, sm.schema_url);
    return true;
  });
}

bool readResourceMetrics(JsonReader& r, od::value& v, ResourceMetrics& rm) {
  return r.object(v, [&](std::string_view key, od::value& f) {
    if (key == "resource") {
      rm.has_resource = true;
      return r.field("resource", [&] { return r.resource(f, rm.resource); });
    }
    if (is(key, "scopeMetrics", "scope_metrics")) {
      return r.array(f, "scopeMetrics", rm.scope_metrics,
                     [&](ScopeMetrics& sm, od::value& sv) { return readScopeMetrics(r, sv, sm); });
    }
    if (is(key, "schemaUrl", "schema_url")) return r.str("schemaUrl", f, rm.schema_url);
    return true;
  });
}

}  // namespace

bool readMetricsRequest(JsonReader& r, od::object& root, std::span<ResourceMetrics>& out) {
  return r.fields(root, [&](std::string_view key, od::value& f) {
    if (!is(key, "resourceMetrics", "resource_metrics")) return true;
    return r.array(f, "resourceMetrics", out, [&](ResourceMetrics& rm, od::value& rv) {
      return readResourceMetrics(r, rv, rm);
    });
  });
}

}  // namespace periscope::model::otlp
