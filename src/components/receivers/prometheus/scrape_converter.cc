#include "components/receivers/prometheus/scrape_converter.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <unordered_map>

namespace periscope::components::prometheus_receiver {

namespace prom = model::prom;

namespace {

enum class Role { kValue, kBucket, kSum, kCount, kCreated };

struct Meta {
  prom::MetricKind kind = prom::MetricKind::kUnknown;
  std::string help;
  std::string unit;
};
using MetaMap = std::unordered_map<std::string, Meta>;

struct Placement {
  std::string family;
  prom::MetricKind kind = prom::MetricKind::kUnknown;
  Role role = Role::kValue;
  const Meta* meta = nullptr;
};

bool endsWith(std::string_view s, std::string_view suffix) {
  return s.size() > suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Which family a sample belongs to, from the TYPE lines seen so far.
Placement place(const std::string& name, const MetaMap& meta) {
  using K = prom::MetricKind;
  auto it = meta.find(name);
  if (it != meta.end() && it->second.kind != K::kHistogram) {
    return {name, it->second.kind, Role::kValue, &it->second};
  }
  struct Suffix {
    std::string_view text;
    Role role;
    bool counter, histogram, summary;
  };
  static constexpr Suffix kSuffixes[] = {
      {"_bucket", Role::kBucket, false, true, false},
      {"_sum", Role::kSum, false, true, true},
      {"_count", Role::kCount, false, true, true},
      {"_created", Role::kCreated, true, true, true},
      {"_total", Role::kValue, true, false, false},
  };
  for (const Suffix& s : kSuffixes) {
    if (!endsWith(name, s.text)) continue;
    auto f = meta.find(name.substr(0, name.size() - s.text.size()));
    if (f == meta.end()) continue;
    K k = f->second.kind;
    if ((k == K::kCounter && s.counter) || (k == K::kHistogram && s.histogram) ||
        (k == K::kSummary && s.summary))
      return {f->first, k, s.role, &f->second};
  }
  return {name, K::kUnknown, Role::kValue, it != meta.end() ? &it->second : nullptr};
}

bool parseBound(std::string_view s, double& out) {
  if (s == "+Inf" || s == "Inf") {
    out = INFINITY;
    return true;
  }
  if (s == "-Inf") {
    out = -INFINITY;
    return true;
  }
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

std::string labelsKey(const prom::Labels& labels) {
  std::string key;
  for (const prom::Label& l : labels) {
    key += l.name;
    key += '\xff';
    key += l.value;
    key += '\xfe';
  }
  return key;
}

double cumulativeValue(const PointDraft& p, prom::MetricKind kind) {
  if (kind == prom::MetricKind::kCounter) return p.value;
  if (p.has_count) return p.count;
  auto inf = p.buckets.find(INFINITY);
  return inf != p.buckets.end() ? inf->second : 0;
}

}  // namespace

ScrapeConverter::ScrapeConverter(Target target, ScrapeOptions options)
    : target_(std::move(target)), options_(options) {}

Status ScrapeConverter::parse(std::string_view body, prom::TextFormat format, int64_t time_ms,
                              ScrapeDraft& draft, size_t& scraped, size_t& kept) {
  MetaMap meta;
  prom::TextParser p(body, format);
  prom::Labels labels;
  for (;;) {
    auto e = p.next();
    if (!e.isOk()) return e.status();
    switch (*e) {
      case prom::TextParser::Entry::kEnd:
        return Status::ok();
      case prom::TextParser::Entry::kHelp:
        meta[std::string(p.name())].help = std::string(p.help());
        continue;
      case prom::TextParser::Entry::kUnit:
        meta[std::string(p.name())].unit = std::string(p.unit());
        continue;
      case prom::TextParser::Entry::kType:
        meta[std::string(p.name())].kind = p.kind();
        continue;
      case prom::TextParser::Entry::kComment:
        continue;
      case prom::TextParser::Entry::kSample:
        break;
    }
    ++scraped;
    labels.clear();
    labels.push_back({std::string(prom::kMetricNameLabel), std::string(p.name())});
    for (const prom::LabelRef& l : p.labels()) {
      if (!l.value.empty()) labels.push_back({std::string(l.name), std::string(l.value)});
    }
    std::sort(labels.begin(), labels.end());
    for (const prom::Label& t : target_.labels) {
      std::string existing(prom::labelValue(labels, t.name));
      if (options_.honor_labels) {
        if (existing.empty()) setLabel(labels, t.name, t.value);
        continue;
      }
      if (!existing.empty()) {
        std::string renamed = "exported_" + t.name;
        while (!prom::labelValue(labels, renamed).empty()) renamed = "exported_" + renamed;
        setLabel(labels, renamed, existing);
      }
      setLabel(labels, t.name, t.value);
    }
    if (options_.metric_relabel != nullptr && !options_.metric_relabel->apply(labels)) continue;
    std::string name(prom::labelValue(labels, prom::kMetricNameLabel));
    if (name.empty()) continue;
    ++kept;

    Placement where = place(name, meta);
    std::pair<std::string, std::string> resource{std::string(prom::labelValue(labels, "job")),
                                                 std::string(prom::labelValue(labels, "instance"))};
    std::string_view role_label =
        where.role == Role::kBucket                                              ? "le"
        : where.kind == prom::MetricKind::kSummary && where.role == Role::kValue ? "quantile"
                                                                                 : "";
    double bound = 0;
    if (!role_label.empty() && !parseBound(prom::labelValue(labels, role_label), bound)) continue;
    std::erase_if(labels, [&](const prom::Label& l) {
      return l.name == prom::kMetricNameLabel || l.name == "job" || l.name == "instance" ||
             (!role_label.empty() && l.name == role_label);
    });

    ResourceDraft& r = draft[resource];
    r.job = resource.first;
    r.instance = resource.second;
    MetricDraft& m = r.metrics[where.family];
    if (m.name.empty()) {
      m.name = where.family;
      m.kind = where.kind;
      if (where.meta != nullptr) {
        m.description = where.meta->help;
        m.unit = where.meta->unit;
      }
    }
    PointDraft& pt = m.points[labelsKey(labels)];
    if (pt.attributes.empty()) pt.attributes = labels;
    if (where.role != Role::kCreated)
      pt.time_ms = options_.honor_timestamps && p.timestampMs() ? *p.timestampMs() : time_ms;
    double v = p.value();
    switch (where.role) {
      case Role::kValue:
        if (where.kind == prom::MetricKind::kSummary) {
          pt.quantiles[bound] = v;
        } else {
          pt.value = v;
        }
        pt.has_value = true;
        break;
      case Role::kBucket:
        pt.buckets[bound] = v;
        pt.has_value = true;
        break;
      case Role::kSum:
        pt.has_sum = true;
        pt.sum = v;
        pt.has_value = true;
        break;
      case Role::kCount:
        pt.has_count = true;
        pt.count = v;
        pt.has_value = true;
        break;
      case Role::kCreated:
        if (std::isfinite(v) && v > 0) pt.created_ms = static_cast<int64_t>(std::llround(v * 1000));
        break;
    }
  }
}

size_t ScrapeConverter::track(ScrapeDraft& draft) {
  size_t added = 0;
  for (auto& [rkey, r] : draft) {
    for (auto& [mname, m] : r.metrics) {
      std::erase_if(m.points, [](const auto& kv) { return !kv.second.has_value; });
      bool cumulative = m.kind == prom::MetricKind::kCounter ||
                        m.kind == prom::MetricKind::kHistogram ||
                        m.kind == prom::MetricKind::kSummary;
      for (auto& [pkey, p] : m.points) {
        std::string key = rkey.first + '\xfd' + rkey.second + '\xfd' + mname + '\xfd' + pkey;
        auto [it, inserted] = series_.try_emplace(std::move(key));
        SeriesState& s = it->second;
        double now = cumulativeValue(p, m.kind);
        if (inserted || s.kind != m.kind) {
          if (inserted) ++added;
          s = SeriesState{rkey, mname, m.kind, p.attributes, pkey, p.time_ms, now, 0};
        } else if (now < s.last) {  // counter reset: a new cumulative run starts here
          s.start_ms = p.time_ms;
        }
        if (p.created_ms > 0) s.start_ms = p.created_ms;
        s.last = now;
        s.generation = generation_;
        p.start_ms = cumulative ? s.start_ms : 0;
      }
    }
    std::erase_if(r.metrics, [](const auto& kv) { return kv.second.points.empty(); });
  }
  return added;
}

void ScrapeConverter::addStale(ScrapeDraft& draft, int64_t time_ms) {
  for (auto it = series_.begin(); it != series_.end();) {
    const SeriesState& s = it->second;
    if (s.generation == generation_) {
      ++it;
      continue;
    }
    ResourceDraft& r = draft[s.resource];
    r.job = s.resource.first;
    r.instance = s.resource.second;
    MetricDraft& m = r.metrics[s.metric];
    if (m.name.empty()) {
      m.name = s.metric;
      m.kind = s.kind;
    }
    PointDraft& p = m.points[s.point_key];
    p.attributes = s.attributes;
    p.stale = true;
    p.time_ms = time_ms;
    it = series_.erase(it);
  }
}

void ScrapeConverter::addReport(ScrapeDraft& draft, int64_t time_ms, bool up, double duration_s,
                                size_t scraped, size_t kept, size_t added) {
  ResourceDraft& r = draft[{target_.job, target_.instance}];
  r.job = target_.job;
  r.instance = target_.instance;
  prom::Labels attrs = target_.labels;
  std::erase_if(attrs,
                [](const prom::Label& l) { return l.name == "job" || l.name == "instance"; });
  std::string key = labelsKey(attrs);
  auto gauge = [&](const char* name, const char* help, double v) {
    MetricDraft& m = r.metrics[name];
    m.name = name;
    m.description = help;
    m.kind = prom::MetricKind::kGauge;
    PointDraft& p = m.points[key];
    p.attributes = attrs;
    p.time_ms = time_ms;
    p.value = v;
    p.has_value = true;
  };
  gauge("up", "The scraping was successful", up ? 1 : 0);
  gauge("scrape_duration_seconds", "Duration of the scrape", duration_s);
  gauge("scrape_samples_scraped", "The number of samples the target exposed",
        static_cast<double>(scraped));
  gauge("scrape_samples_post_metric_relabeling",
        "The number of samples remaining after metric relabeling was applied",
        static_cast<double>(kept));
  gauge("scrape_series_added", "The approximate number of new series in this scrape",
        static_cast<double>(added));
}

model::Metrics ScrapeConverter::scraped(std::string_view body, prom::TextFormat format,
                                        int64_t time_ms, double duration_s, Status& error) {
  ScrapeDraft draft;
  size_t scraped = 0, kept = 0;
  error = parse(body, format, time_ms, draft, scraped, kept);
  if (!error.isOk()) return failed(time_ms, duration_s);
  ++generation_;
  size_t added = track(draft);
  addStale(draft, time_ms);
  addReport(draft, time_ms, true, duration_s, scraped, kept, added);
  return toBatch(draft, target_.scheme);
}

model::Metrics ScrapeConverter::failed(int64_t time_ms, double duration_s) {
  ScrapeDraft draft;
  ++generation_;
  addStale(draft, time_ms);
  addReport(draft, time_ms, false, duration_s, 0, 0, 0);
  return toBatch(draft, target_.scheme);
}

}  // namespace periscope::components::prometheus_receiver
