// Translator: walks a Metrics batch and hands Prometheus samples to a SampleSink.
//
// Per data point the label set is built once (resource → scope → point attributes, sanitised,
// sorted, collisions joined with ';'), with slots for `__name__` and `le`/`quantile` whose values
// are swapped per sample. Strings that must be built (non-string attribute values, joined
// collisions, `job`) go to pooled std::strings that keep their capacity, so after warm-up a
// batch allocates only per metric (its names), never per sample.
#include "model/prometheus/translate.h"

#include <algorithm>
#include <cmath>

#include "model/prometheus/delta_accumulator.h"
#include "model/prometheus/label_builder.h"

namespace periscope::model::prom {
namespace {

constexpr uint32_t kNoRecordedValue = 1;
constexpr int kMaxExpScale = 8;         // Prometheus native histogram schemas stop at 8
constexpr size_t kMaxExpBuckets = 160;  // downscale wider layouts: each bucket is a series

int64_t toMs(uint64_t unix_nano) {
  return static_cast<int64_t>(unix_nano / 1'000'000);
}

// Upper boundary of exponential bucket `index` at `scale`: base^(index+1), base = 2^(2^-scale).
double expUpperBound(int64_t index, int scale) {
  int64_t e = index + 1;
  if (scale <= 0)
    return std::ldexp(1.0, static_cast<int>(std::clamp<int64_t>(e << -scale, -2000, 2000)));
  int64_t q = e >> scale;  // floor division
  int64_t r = e - (q << scale);
  return std::ldexp(std::exp2(static_cast<double>(r) / static_cast<double>(int64_t{1} << scale)),
                    static_cast<int>(std::clamp<int64_t>(q, -2000, 2000)));
}

}  // namespace

struct Translator::State {
  LabelBuilder labels;
  DeltaAccumulator deltas;
  // Names of the current metric, built once per metric.
  std::string name, name_bucket, name_sum, name_count;
  std::vector<uint64_t> exp_counts;  // downscaled exponential buckets
  TranslateStats* stats = nullptr;
  SampleSink* sink = nullptr;

  void skip(std::string_view reason, const Metric& m) {
    ++stats->skipped_points;
    if (stats->first_skip_reason.empty()) {
      stats->first_skip_reason = std::string(reason) + " (metric " + std::string(m.name) + ")";
    }
  }
  void emit(std::span<const LabelRef> l, int64_t t, double v) {
    ++stats->samples;
    sink->sample(l, t, v);
  }
};

Translator::Translator(TranslateOptions options)
    : options_(options), state_(std::make_unique<State>()) {}
Translator::~Translator() = default;
Translator::Translator(Translator&&) noexcept = default;
Translator& Translator::operator=(Translator&&) noexcept = default;

namespace {

MetricKind kindOf(const Metric& m) {
  switch (m.type) {
    case MetricType::kGauge:
      return MetricKind::kGauge;
    case MetricType::kSum:
      return m.is_monotonic ? MetricKind::kCounter : MetricKind::kGauge;
    case MetricType::kHistogram:
    case MetricType::kExponentialHistogram:
      return MetricKind::kHistogram;
    case MetricType::kSummary:
      return MetricKind::kSummary;
    case MetricType::kEmpty:
      break;
  }
  return MetricKind::kUnknown;
}

std::string_view metadataUnit(const Metric& m) {
  std::string_view unit = m.unit;
  if (unit == "1") return m.type == MetricType::kGauge ? "ratio" : "";
  if (unit.find_first_of("{}/") != std::string_view::npos) return "";
  return unitWord(unit);
}

double numberValue(const NumberDataPoint& p) {
  return p.value_type == NumberValue::kInt ? static_cast<double>(p.as_int) : p.as_double;
}

}  // namespace

TranslateStats Translator::translate(const Metrics& batch, SampleSink& sink) {
  TranslateStats stats;
  State& st = *state_;
  st.stats = &stats;
  st.sink = &sink;
  LabelBuilder& lb = st.labels;
  bool target_info_meta_sent = false;
  int64_t newest_ms = 0;

  for (const ResourceMetrics& rm : batch.resources()) {
    lb.beginResource(rm.resource.attributes, options_.resource_to_telemetry_conversion);
    int64_t resource_newest_ms = -1;
    for (const ScopeMetrics& sm : rm.scope_metrics) {
      lb.beginScope(sm.scope.name, sm.scope.version);
      for (const Metric& m : sm.metrics) {
        if (m.pointCount() == 0) continue;
        bool delta =
            m.aggregation_temporality == static_cast<int32_t>(AggregationTemporality::kDelta);
        bool cumulative =
            m.aggregation_temporality == static_cast<int32_t>(AggregationTemporality::kCumulative);
        bool has_temporality = m.type == MetricType::kSum || m.type == MetricType::kHistogram ||
                               m.type == MetricType::kExponentialHistogram;
        if (has_temporality && !delta && !cumulative) {
          for (size_t i = 0; i < m.pointCount(); ++i) st.skip("unspecified temporality", m);
          continue;
        }
        if (delta && ((m.type == MetricType::kSum && !m.is_monotonic) ||
                      m.type == MetricType::kExponentialHistogram)) {
          // The spec drops these: a delta up-down counter has no cumulative meaning without
          // its start, and delta exponential histograms may change scale between points.
          for (size_t i = 0; i < m.pointCount(); ++i) {
            st.skip(m.type == MetricType::kSum ? "delta non-monotonic sum"
                                               : "delta exponential histogram",
                    m);
          }
          continue;
        }
        st.name = prometheusMetricName(m, options_.add_metric_suffixes);
        if (st.name.empty()) {
          for (size_t i = 0; i < m.pointCount(); ++i) st.skip("empty metric name", m);
          continue;
        }
        MetricKind kind = kindOf(m);
        MetricMetadata md{st.name, kind, std::string(m.description), std::string(metadataUnit(m))};
        sink.metadata(md);
        bool hist_like = kind == MetricKind::kHistogram || kind == MetricKind::kSummary;
        if (hist_like) {
          st.name_bucket = st.name + "_bucket";
          st.name_sum = st.name + "_sum";
          st.name_count = st.name + "_count";
        }
        auto track = [&](uint64_t unix_nano) {
          int64_t t = toMs(unix_nano);
          resource_newest_ms = std::max(resource_newest_ms, t);
          newest_ms = std::max(newest_ms, t);
          return t;
        };

        for (const NumberDataPoint& p : m.number_points) {
          int64_t t = track(p.time_unix_nano);
          if (p.value_type == NumberValue::kNone && !(p.flags & kNoRecordedValue)) {
            st.skip("number point without a value", m);
            continue;
          }
          auto l = lb.point(p.attributes, st.name, {});
          double v = numberValue(p);
          if (p.flags & kNoRecordedValue) {
            v = staleNaN();
          } else if (delta) {
            auto acc = st.deltas.addSum(hashLabels(l), t, v);
            if (!acc) {
              st.skip("delta point not after the previous one", m);
              continue;
            }
            v = *acc;
          }
          st.emit(l, t, v);
        }

        for (const HistogramDataPoint& p : m.histogram_points) {
          int64_t t = track(p.time_unix_nano);
          size_t n_bounds = p.explicit_bounds.size();
          if (!p.bucket_counts.empty() && p.bucket_counts.size() != n_bounds + 1) {
            st.skip("bucket_counts size is not explicit_bounds size + 1", m);
            continue;
          }
          bool stale = p.flags & kNoRecordedValue;
          std::span<const uint64_t> counts = p.bucket_counts;
          uint64_t count = p.count;
          double sum = p.sum;
          if (delta && !stale) {
            auto base = lb.point(p.attributes, st.name, {});
            const DeltaAccumulator::Histogram* acc = st.deltas.addHistogram(
                hashLabels(base), t, p.explicit_bounds, counts, p.count, p.sum);
            if (acc == nullptr) {
              st.skip("delta point not after the previous one", m);
              continue;
            }
            counts = acc->counts;
            count = acc->count;
            sum = acc->sum;
          }
          auto bucket = lb.point(p.attributes, st.name_bucket, "le");
          uint64_t cumulative = 0;
          for (size_t i = 0; i < n_bounds && !counts.empty(); ++i) {
            cumulative += counts[i];
            FloatText le = formatFloat(p.explicit_bounds[i]);
            lb.setExtra(le.view());
            st.emit(bucket, t, stale ? staleNaN() : static_cast<double>(cumulative));
          }
          lb.setExtra("+Inf");
          st.emit(bucket, t, stale ? staleNaN() : static_cast<double>(count));
          auto plain = lb.point(p.attributes, st.name_count, {});
          st.emit(plain, t, stale ? staleNaN() : static_cast<double>(count));
          if (p.has_sum || stale) {
            lb.setName(st.name_sum);
            st.emit(plain, t, stale ? staleNaN() : sum);
          }
        }

        for (const ExponentialHistogramDataPoint& p : m.exponential_points) {
          int64_t t = track(p.time_unix_nano);
          bool stale = p.flags & kNoRecordedValue;
          // Downscale (merge neighbours) until the scale is one Prometheus knows and the
          // layout is narrow enough; index i becomes i >> d.
          int scale = p.scale;
          int64_t offset = p.positive.offset;
          std::span<const uint64_t> pos = p.positive.bucket_counts;
          int down = std::max(0, scale - kMaxExpScale);
          while (!pos.empty()) {
            int64_t lo = offset >> down;
            int64_t hi = (offset + static_cast<int64_t>(pos.size()) - 1) >> down;
            if (static_cast<size_t>(hi - lo + 1) <= kMaxExpBuckets) break;
            ++down;
          }
          if (down > 0 && !pos.empty()) {
            int64_t lo = offset >> down;
            int64_t hi = (offset + static_cast<int64_t>(pos.size()) - 1) >> down;
            st.exp_counts.assign(static_cast<size_t>(hi - lo + 1), 0);
            for (size_t k = 0; k < pos.size(); ++k) {
              st.exp_counts[static_cast<size_t>(((offset + static_cast<int64_t>(k)) >> down) -
                                                lo)] += pos[k];
            }
            pos = st.exp_counts;
            offset = lo;
          }
          scale -= down;
          // Negative observations are below every positive boundary: they are counted in the
          // zero bucket's `le` (correct cumulative counts; their values are not resolved).
          uint64_t below = p.zero_count;
          for (uint64_t c : p.negative.bucket_counts) below += c;
          auto bucket = lb.point(p.attributes, st.name_bucket, "le");
          double last_le = p.zero_threshold;
          uint64_t cumulative = below;
          // Named: the label builder keeps a view of the text until the sample is emitted.
          FloatText zero_le = formatFloat(p.zero_threshold);
          lb.setExtra(zero_le.view());
          st.emit(bucket, t, stale ? staleNaN() : static_cast<double>(cumulative));
          for (size_t k = 0; k < pos.size(); ++k) {
            cumulative += pos[k];
            double le = expUpperBound(offset + static_cast<int64_t>(k), scale);
            if (!(le > last_le) || std::isinf(le)) continue;  // folded into the next bucket
            last_le = le;
            FloatText text = formatFloat(le);
            lb.setExtra(text.view());
            st.emit(bucket, t, stale ? staleNaN() : static_cast<double>(cumulative));
          }
          lb.setExtra("+Inf");
          st.emit(bucket, t, stale ? staleNaN() : static_cast<double>(p.count));
          auto plain = lb.point(p.attributes, st.name_count, {});
          st.emit(plain, t, stale ? staleNaN() : static_cast<double>(p.count));
          if (p.has_sum || stale) {
            lb.setName(st.name_sum);
            st.emit(plain, t, stale ? staleNaN() : p.sum);
          }
        }

        for (const SummaryDataPoint& p : m.summary_points) {
          int64_t t = track(p.time_unix_nano);
          bool stale = p.flags & kNoRecordedValue;
          auto quantiles = lb.point(p.attributes, st.name, "quantile");
          for (const ValueAtQuantile& q : p.quantile_values) {
            FloatText text = formatFloat(q.quantile);
            lb.setExtra(text.view());
            st.emit(quantiles, t, stale ? staleNaN() : q.value);
          }
          auto plain = lb.point(p.attributes, st.name_count, {});
          st.emit(plain, t, stale ? staleNaN() : static_cast<double>(p.count));
          lb.setName(st.name_sum);
          st.emit(plain, t, stale ? staleNaN() : p.sum);
        }
      }
    }
    if (options_.add_target_info && resource_newest_ms >= 0 && lb.hasTargetInfo()) {
      if (!target_info_meta_sent) {
        sink.metadata(MetricMetadata{"target_info", MetricKind::kGauge, "Target metadata", ""});
        target_info_meta_sent = true;
      }
      st.emit(lb.targetInfo(), resource_newest_ms, 1.0);
    }
  }
  st.deltas.expire(newest_ms - options_.delta_state_ttl_ms, options_.delta_state_ttl_ms / 4);
  st.stats = nullptr;
  st.sink = nullptr;
  return stats;
}

}  // namespace periscope::model::prom
