#include "components/exporters/awsemf/emf_translator.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "components/exporters/awsemf/units.h"
#include "model/prometheus/label_builder.h"

namespace periscope::components::awsemf_exporter {

namespace {

using Json = nlohmann::ordered_json;

constexpr std::string_view kOTelLibDimension = "OTelLib";
constexpr int64_t kDeltaStateTtlMs = 5 * 60 * 1000;

struct Value {
  enum class Kind : uint8_t { kNumber, kStats, kHistogram };
  Kind kind = Kind::kNumber;
  double number = 0;
  double count = 0;
  double sum = 0;
  double min = 0;
  double max = 0;
  std::vector<double> values;  // kHistogram
  std::vector<double> counts;
};

struct MetricEntry {
  std::string name;
  std::string unit;
  Value value;
};

std::string text(const model::AnyValue& v) {
  std::string out;
  model::prom::appendAttributeText(v, out);
  return out;
}

std::string namespaceFor(const model::Resource& resource, const std::string& configured) {
  if (!configured.empty()) return configured;
  const model::AnyValue* name = model::findAttribute(resource.attributes, "service.name");
  const model::AnyValue* ns = model::findAttribute(resource.attributes, "service.namespace");
  bool has_name = name && name->type() == model::AnyValue::Type::kString;
  bool has_ns = ns && ns->type() == model::AnyValue::Type::kString;
  if (has_name && has_ns) return std::string(ns->str()) + "/" + std::string(name->str());
  if (has_name) return std::string(name->str());
  if (has_ns) return std::string(ns->str());
  return "default";
}

// Resource labels (if converted), then the point's attributes (which win), then OTelLib.
Labels makeLabels(const Labels& resource, model::Attributes attrs, std::string_view scope,
                  const std::pair<std::string, std::string>* extra) {
  std::map<std::string, std::string, std::less<>> m(resource.begin(), resource.end());
  for (const auto& kv : attrs) m[std::string(kv.key)] = text(kv.value);
  if (!scope.empty()) m[std::string(kOTelLibDimension)] = std::string(scope);
  if (extra) m[extra->first] = extra->second;
  return Labels(m.begin(), m.end());
}

void appendLabelsKey(const Labels& labels, std::string& key) {
  for (const auto& [k, v] : labels) {
    key += k;
    key += '\x1e';
    key += v;
    key += '\x1f';
  }
}

double numberOf(const model::NumberDataPoint& p) {
  return p.value_type == model::NumberValue::kInt ? static_cast<double>(p.as_int) : p.as_double;
}

int64_t millis(uint64_t unix_nano, int64_t now_ms) {
  return unix_nano == 0 ? now_ms : static_cast<int64_t>(unix_nano / 1'000'000);
}

// Bucket midpoints (values descending: positive buckets high to low, zero, negative low to
// high) with their counts; empty buckets are left out.
void exponentialBuckets(const model::ExponentialHistogramDataPoint& p, std::vector<double>& values,
                        std::vector<double>& counts) {
  auto bound = [&](int64_t index) {
    return std::exp2(std::ldexp(static_cast<double>(index), -p.scale));
  };
  const auto& pos = p.positive.bucket_counts;
  for (size_t i = pos.size(); i-- > 0;) {
    if (pos[i] == 0) continue;
    int64_t idx = static_cast<int64_t>(p.positive.offset) + static_cast<int64_t>(i);
    values.push_back((bound(idx) + bound(idx + 1)) / 2);
    counts.push_back(static_cast<double>(pos[i]));
  }
  if (p.zero_count > 0) {
    values.push_back(0);
    counts.push_back(static_cast<double>(p.zero_count));
  }
  const auto& neg = p.negative.bucket_counts;
  for (size_t i = 0; i < neg.size(); ++i) {
    if (neg[i] == 0) continue;
    int64_t idx = static_cast<int64_t>(p.negative.offset) + static_cast<int64_t>(i);
    values.push_back(-(bound(idx) + bound(idx + 1)) / 2);
    counts.push_back(static_cast<double>(neg[i]));
  }
}

bool finite(const Value& v) {
  if (v.kind == Value::Kind::kNumber) return std::isfinite(v.number);
  return std::isfinite(v.sum) && std::isfinite(v.min) && std::isfinite(v.max);
}

// Counts are whole numbers; written as integers like the collector's uint64.
uint64_t count(const Value& v) {
  return v.count > 0 ? static_cast<uint64_t>(v.count) : 0;
}

Json valueJson(const Value& v) {
  switch (v.kind) {
    case Value::Kind::kNumber:
      return v.number;
    case Value::Kind::kStats:
      return Json{{"Max", v.max}, {"Min", v.min}, {"Count", count(v)}, {"Sum", v.sum}};
    case Value::Kind::kHistogram:
      return Json{{"Values", v.values}, {"Counts", v.counts}, {"Max", v.max},
                  {"Min", v.min},       {"Count", count(v)},  {"Sum", v.sum}};
  }
  return nullptr;
}

bool isAscii(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 128; });
}

}  // namespace

struct EmfTranslator::Group {
  std::string ns;
  int64_t timestamp_ms = 0;
  Labels labels;
  std::vector<MetricEntry> metrics;
  std::unordered_map<std::string, size_t> by_name;
};

struct EmfTranslator::Directive {
  std::vector<std::vector<std::string>> dimensions;
  std::vector<size_t> metrics;  // indexes into Group::metrics
};

EmfTranslator::EmfTranslator(const Config& config) : config_(config) {
  for (const auto& d : config_.metric_declarations) declarations_.emplace_back(d);
}

TranslateStats EmfTranslator::translate(const model::Metrics& metrics, int64_t now_ms,
                                        std::vector<LogEvent>& out) {
  TranslateStats stats;
  std::vector<Group> groups;
  std::unordered_map<std::string, size_t> group_index;
  std::string key;

  for (const auto& rm : metrics.resources()) {
    const std::string ns = namespaceFor(rm.resource, config_.namespace_);
    Labels resource_labels;
    if (config_.resource_to_telemetry_conversion.enabled) {
      resource_labels = makeLabels({}, rm.resource.attributes, {}, nullptr);
    }
    const model::AnyValue* receiver = model::findAttribute(rm.resource.attributes, "receiver");
    const bool from_prometheus = receiver && receiver->str() == "prometheus";

    for (const auto& sm : rm.scope_metrics) {
      const std::string_view scope = sm.has_scope ? sm.scope.name : std::string_view();
      for (const auto& m : sm.metrics) {
        std::string unit(cloudWatchUnit(m.unit));
        for (const auto& d : config_.metric_descriptors) {
          if (d.metric_name == m.name && (m.unit.empty() || d.overwrite)) unit = d.unit;
        }
        // Adds one value under `name` to the group of (labels, time, type, chunk).
        auto add = [&](std::string name, Labels labels, int64_t ts, Value value, size_t chunk) {
          if (!finite(value)) {
            ++stats.non_finite_values;
            return;
          }
          key.assign(ns);
          key += '\x1f';
          key += std::to_string(ts);
          key += '\x1f';
          key += std::to_string(static_cast<int>(m.type));
          key += '\x1f';
          key += std::to_string(chunk);
          key += '\x1f';
          appendLabelsKey(labels, key);
          auto [it, added] = group_index.try_emplace(key, groups.size());
          if (added) {
            Group& g = groups.emplace_back();
            g.ns = ns;
            g.timestamp_ms = ts;
            g.labels = std::move(labels);
          }
          Group& g = groups[it->second];
          auto [slot, fresh] = g.by_name.try_emplace(name, g.metrics.size());
          // A duplicate (same name, labels and time) is ignored: the first one wins, as in the
          // collector.
          if (fresh) g.metrics.push_back({std::move(name), unit, std::move(value)});
        };
        auto deltaKey = [&](const Labels& labels) {
          std::string k = ns + '\x1f' + std::string(m.name) + '\x1f';
          appendLabelsKey(labels, k);
          return k;
        };

        switch (m.type) {
          case model::MetricType::kGauge:
          case model::MetricType::kSum:
            for (const auto& p : m.number_points) {
              Labels labels = makeLabels(resource_labels, p.attributes, scope, nullptr);
              Value v;
              v.number = numberOf(p);
              bool cumulative =
                  m.type == model::MetricType::kSum &&
                  m.aggregation_temporality ==
                      static_cast<int32_t>(model::AggregationTemporality::kCumulative);
              if (cumulative && std::isfinite(v.number)) {
                auto d = deltas_.update(deltaKey(labels), v.number, 0, now_ms);
                if (!d.has_previous && !config_.retain_initial_value_of_delta_metric) {
                  ++stats.first_cumulative_points;
                  continue;
                }
                v.number = d.a;
              }
              add(std::string(m.name), std::move(labels), millis(p.time_unix_nano, now_ms),
                  std::move(v), 0);
            }
            break;
          case model::MetricType::kHistogram:
            for (const auto& p : m.histogram_points) {
              Value v;
              v.kind = Value::Kind::kStats;
              v.count = static_cast<double>(p.count);
              v.sum = p.sum;
              v.min = p.has_min ? p.min : 0;
              v.max = p.has_max ? p.max : 0;
              add(std::string(m.name), makeLabels(resource_labels, p.attributes, scope, nullptr),
                  millis(p.time_unix_nano, now_ms), std::move(v), 0);
            }
            break;
          case model::MetricType::kExponentialHistogram:
            for (const auto& p : m.exponential_points) {
              std::vector<double> values, counts;
              exponentialBuckets(p, values, counts);
              // EMF keeps ≤100 values per metric: larger histograms become several points in
              // separate events; the first carries the sum, all carry min and max.
              size_t chunks = std::max<size_t>(
                  1, (values.size() + kMaxValuesPerMetric - 1) / kMaxValuesPerMetric);
              for (size_t c = 0; c < chunks; ++c) {
                Value v;
                v.kind = Value::Kind::kHistogram;
                size_t b = c * kMaxValuesPerMetric;
                size_t e = std::min(values.size(), b + kMaxValuesPerMetric);
                v.values.assign(values.begin() + static_cast<ptrdiff_t>(b),
                                values.begin() + static_cast<ptrdiff_t>(e));
                v.counts.assign(counts.begin() + static_cast<ptrdiff_t>(b),
                                counts.begin() + static_cast<ptrdiff_t>(e));
                v.count = chunks == 1 ? static_cast<double>(p.count) : 0;
                for (size_t i = 0; chunks > 1 && i < v.counts.size(); ++i) v.count += v.counts[i];
                v.sum = c == 0 ? p.sum : 0;
                v.min = p.has_min ? p.min : 0;
                v.max = p.has_max ? p.max : 0;
                add(std::string(m.name), makeLabels(resource_labels, p.attributes, scope, nullptr),
                    millis(p.time_unix_nano, now_ms), std::move(v), c);
              }
            }
            break;
          case model::MetricType::kSummary:
            for (const auto& p : m.summary_points) {
              Labels labels = makeLabels(resource_labels, p.attributes, scope, nullptr);
              int64_t ts = millis(p.time_unix_nano, now_ms);
              double sum = p.sum;
              double count = static_cast<double>(p.count);
              if (from_prometheus) {  // Prometheus summaries are cumulative
                auto d = deltas_.update(deltaKey(labels), sum, count, now_ms);
                if (!d.has_previous && !config_.retain_initial_value_of_delta_metric) {
                  ++stats.first_cumulative_points;
                  continue;
                }
                sum = d.a;
                count = d.b;
              }
              if (config_.detailed_metrics) {
                Value s, n;
                s.number = sum;
                n.number = count;
                add(std::string(m.name) + "_sum", labels, ts, std::move(s), 0);
                add(std::string(m.name) + "_count", labels, ts, std::move(n), 0);
                for (const auto& q : p.quantile_values) {
                  char buf[32];
                  std::snprintf(buf, sizeof buf, "%g", q.quantile);
                  std::pair<std::string, std::string> quantile{"quantile", buf};
                  Value v;
                  v.number = q.value;
                  add(std::string(m.name),
                      makeLabels(resource_labels, p.attributes, scope, &quantile), ts, std::move(v),
                      0);
                }
              } else {
                Value v;
                v.kind = Value::Kind::kStats;
                v.count = count;
                v.sum = sum;
                if (!p.quantile_values.empty()) {
                  v.min = p.quantile_values.front().value;
                  v.max = p.quantile_values.back().value;
                }
                add(std::string(m.name), std::move(labels), ts, std::move(v), 0);
              }
            }
            break;
          case model::MetricType::kEmpty:
            break;
        }
      }
    }
  }

  if (now_ms - last_expiry_ms_ >= 60'000) {
    deltas_.expireBefore(now_ms - kDeltaStateTtlMs);
    last_expiry_ms_ = now_ms;
  }
  size_t before = out.size();
  for (const Group& g : groups) translateGroup(g, stats, out);
  stats.events = out.size() - before;
  return stats;
}

std::vector<EmfTranslator::Directive> EmfTranslator::directivesFor(const Group& group,
                                                                   TranslateStats& stats) const {
  // Labels CloudWatch accepts as dimensions; others stay plain members of the event.
  std::vector<std::string> eligible;
  bool has_otel_lib = false;
  for (const auto& [k, v] : group.labels) {
    bool json_member = std::find(config_.parse_json_encoded_attr_values.begin(),
                                 config_.parse_json_encoded_attr_values.end(),
                                 k) != config_.parse_json_encoded_attr_values.end();
    bool ok = !k.empty() && k.size() <= kMaxDimensionNameBytes && isAscii(k) && k != "_aws" &&
              !v.empty() && v.size() <= kMaxDimensionValueBytes && !json_member &&
              !group.by_name.contains(k);
    if (!ok) {
      ++stats.invalid_dimensions;
      continue;
    }
    if (k == kOTelLibDimension) has_otel_lib = true;
    eligible.push_back(k);
  }
  auto isEligible = [&](const std::string& n) {
    return std::binary_search(eligible.begin(), eligible.end(), n);
  };

  std::vector<std::vector<std::string>> rollup;
  {
    const std::string& opt = config_.dimension_rollup_option;
    bool zero = opt == "ZeroAndSingleDimensionRollup";
    bool single = zero || opt == "SingleDimensionRollupOnly";
    std::vector<std::string> base;
    if (has_otel_lib) base.emplace_back(kOTelLibDimension);
    size_t others = eligible.size() - (has_otel_lib ? 1 : 0);
    if (zero && others > 0) rollup.push_back(base);
    for (const auto& n : eligible) {
      if (!single || n == kOTelLibDimension) continue;
      std::vector<std::string> set = base;
      set.push_back(n);
      std::sort(set.begin(), set.end());
      rollup.push_back(std::move(set));
    }
  }

  std::vector<Directive> directives;
  if (declarations_.empty()) {
    Directive d;
    bool single_label = eligible.size() <= 1 || (eligible.size() == 2 && has_otel_lib);
    // The rollup already holds the one-label set; do not repeat it.
    if (!(single_label && !rollup.empty() &&
          config_.dimension_rollup_option != "NoDimensionRollup")) {
      d.dimensions.push_back(eligible);
    }
    d.dimensions.insert(d.dimensions.end(), rollup.begin(), rollup.end());
    for (size_t i = 0; i < group.metrics.size(); ++i) d.metrics.push_back(i);
    directives.push_back(std::move(d));
  } else {
    std::vector<const MetricDeclaration*> matching;
    for (const auto& decl : declarations_) {
      if (decl.matchesLabels(group.labels)) matching.push_back(&decl);
    }
    // Metrics selected by the same declarations share a directive.
    std::map<std::vector<size_t>, std::vector<size_t>> by_declarations;
    for (size_t i = 0; i < group.metrics.size(); ++i) {
      std::vector<size_t> which;
      for (size_t j = 0; j < matching.size(); ++j) {
        if (matching[j]->matchesName(group.metrics[i].name)) which.push_back(j);
      }
      if (which.empty()) {
        ++stats.unmatched_metrics;
        continue;
      }
      by_declarations[which].push_back(i);
    }
    for (auto& [which, metric_indexes] : by_declarations) {
      Directive d;
      for (size_t j : which) {
        for (auto& set : matching[j]->dimensionsFor(group.labels)) {
          if (std::all_of(set.begin(), set.end(), isEligible)) d.dimensions.push_back(set);
        }
      }
      d.dimensions.insert(d.dimensions.end(), rollup.begin(), rollup.end());
      if (d.dimensions.empty()) {
        stats.unmatched_metrics += metric_indexes.size();
        continue;
      }
      d.metrics = std::move(metric_indexes);
      directives.push_back(std::move(d));
    }
  }

  // >30 names: split the set into sets of ≤30 names, so every label still is a dimension.
  for (auto& d : directives) {
    std::vector<std::vector<std::string>> sets;
    for (auto& set : d.dimensions) {
      if (set.size() <= kMaxDimensionsPerSet) {
        sets.push_back(std::move(set));
        continue;
      }
      for (size_t b = 0; b < set.size(); b += kMaxDimensionsPerSet) {
        size_t e = std::min(set.size(), b + kMaxDimensionsPerSet);
        sets.emplace_back(set.begin() + static_cast<ptrdiff_t>(b),
                          set.begin() + static_cast<ptrdiff_t>(e));
        if (b > 0) ++stats.dimension_set_splits;
      }
    }
    std::vector<std::vector<std::string>> unique;
    for (auto& s : sets) {
      if (std::find(unique.begin(), unique.end(), s) == unique.end())
        unique.push_back(std::move(s));
    }
    d.dimensions = std::move(unique);
  }
  return directives;
}

void EmfTranslator::translateGroup(const Group& group, TranslateStats& stats,
                                   std::vector<LogEvent>& out) const {
  std::vector<Directive> directives = directivesFor(group, stats);
  if (directives.empty()) return;
  std::vector<size_t> all;
  bool fits = true;
  for (const auto& d : directives) {
    all.insert(all.end(), d.metrics.begin(), d.metrics.end());
    fits = fits && d.metrics.size() <= kMaxMetricsPerDirective;
  }
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  if (fits && all.size() <= kMaxMetricsPerDirective) {
    emit(group, directives, std::move(all), stats, out);
    return;
  }
  // Too many metrics for one event: one event per ≤100 metrics of each directive.
  size_t made = 0;
  for (const auto& d : directives) {
    for (size_t b = 0; b < d.metrics.size(); b += kMaxMetricsPerDirective) {
      size_t e = std::min(d.metrics.size(), b + kMaxMetricsPerDirective);
      Directive part{d.dimensions,
                     std::vector<size_t>(d.metrics.begin() + static_cast<ptrdiff_t>(b),
                                         d.metrics.begin() + static_cast<ptrdiff_t>(e))};
      std::vector<size_t> members = part.metrics;
      emit(group, {std::move(part)}, std::move(members), stats, out);
      ++made;
    }
  }
  stats.directive_splits += made - 1;
}

void EmfTranslator::emit(const Group& group, const std::vector<Directive>& directives,
                         std::vector<size_t> metric_indexes, TranslateStats& stats,
                         std::vector<LogEvent>& out) const {
  Json root = Json::object();
  if (!config_.disable_metric_extraction) {
    Json cwm = Json::array();
    for (const auto& d : directives) {
      Json defs = Json::array();
      for (size_t i : d.metrics) {
        const MetricEntry& m = group.metrics[i];
        Json def = {{"Name", m.name}};
        if (!m.unit.empty()) def["Unit"] = m.unit;
        defs.push_back(std::move(def));
      }
      cwm.push_back({{"Namespace", group.ns}, {"Dimensions", d.dimensions}, {"Metrics", defs}});
    }
    root["_aws"] = {{"Timestamp", group.timestamp_ms}, {"CloudWatchMetrics", std::move(cwm)}};
  }
  for (const auto& [k, v] : group.labels) {
    if (k == "_aws") continue;
    bool json_member = std::find(config_.parse_json_encoded_attr_values.begin(),
                                 config_.parse_json_encoded_attr_values.end(),
                                 k) != config_.parse_json_encoded_attr_values.end();
    Json parsed = json_member ? Json::parse(v, nullptr, false) : Json();
    root[k] = json_member && !parsed.is_discarded() ? std::move(parsed) : Json(v);
  }
  for (size_t i : metric_indexes) root[group.metrics[i].name] = valueJson(group.metrics[i].value);

  std::string message = root.dump(-1, ' ', false, Json::error_handler_t::replace);
  if (message.size() <= kMaxEventBytes) {
    out.push_back({group.timestamp_ms, std::move(message)});
    return;
  }
  if (metric_indexes.size() == 1) {
    ++stats.oversized_metrics;
    return;
  }
  // Too large: halve the metrics (each half keeps its directives' dimensions).
  size_t half = metric_indexes.size() / 2;
  for (int part = 0; part < 2; ++part) {
    std::vector<size_t> members(
        metric_indexes.begin() + (part == 0 ? 0 : static_cast<ptrdiff_t>(half)),
        part == 0 ? metric_indexes.begin() + static_cast<ptrdiff_t>(half) : metric_indexes.end());
    std::vector<Directive> sub;
    for (const auto& d : directives) {
      Directive s{d.dimensions, {}};
      for (size_t i : d.metrics) {
        if (std::binary_search(members.begin(), members.end(), i)) s.metrics.push_back(i);
      }
      if (!s.metrics.empty()) sub.push_back(std::move(s));
    }
    emit(group, sub, std::move(members), stats, out);
  }
}

}  // namespace periscope::components::awsemf_exporter
