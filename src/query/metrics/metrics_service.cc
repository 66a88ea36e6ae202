#include "query/metrics/metrics_service.h"

#include <set>

#include "query/promql/parser.h"

namespace periscope::query {

using storage::metrics::Matcher;

namespace {

Matcher::Op storageOp(promql::MatchOp op) {
  switch (op) {
    case promql::MatchOp::kNotEqual:
      return Matcher::Op::kNotEqual;
    case promql::MatchOp::kRegexMatch:
      return Matcher::Op::kRegexMatch;
    case promql::MatchOp::kRegexNoMatch:
      return Matcher::Op::kRegexNoMatch;
    case promql::MatchOp::kEqual:
      break;
  }
  return Matcher::Op::kEqual;
}

template <typename T>
void cut(std::vector<T>& v, size_t limit) {
  if (limit != 0 && v.size() > limit) v.resize(limit);
}

}  // namespace

MetricsService::MetricsService(const storage::metrics::MetricsReader& reader,
                               MetricsServiceOptions options)
    : reader_(reader), options_(options), engine_(reader, options.engine) {}

Result<promql::QueryResult> MetricsService::instant(std::string_view query, int64_t time_ms) const {
  return engine_.instant(query, time_ms);
}

Result<promql::QueryResult> MetricsService::range(std::string_view query, int64_t start_ms,
                                                  int64_t end_ms, int64_t step_ms) const {
  return engine_.range(query, start_ms, end_ms, step_ms);
}

Result<std::vector<Matcher>> MetricsService::parseSelector(std::string_view selector) {
  auto expr = promql::parse(selector);
  if (!expr.isOk()) {
    // Prometheus answers a selector of only empty-matching matchers with its own message here.
    if (expr.status().message().find("at least one non-empty matcher") != std::string_view::npos)
      return invalidArgument("match[] must contain at least one non-empty matcher");
    return expr.status();
  }
  const promql::Node* node = &expr->rootNode();
  while (node->kind() == promql::NodeKind::kParen)
    node = &expr->node(node->as<promql::Paren>().expr);
  if (node->kind() != promql::NodeKind::kVectorSelector)
    return invalidArgument("1:1: parse error: expected a series selector such as up{job=\"a\"}");
  const auto& vs = node->as<promql::VectorSelector>();
  std::vector<Matcher> out;
  if (!vs.name.empty())
    out.push_back({std::string(model::prom::kMetricNameLabel), Matcher::Op::kEqual, vs.name});
  for (const auto& m : vs.matchers) out.push_back({m.name, storageOp(m.op), m.value});
  return out;
}

Result<std::vector<model::prom::Labels>> MetricsService::series(
    const std::vector<std::string>& match, int64_t start_ms, int64_t end_ms) const {
  if (match.empty()) return invalidArgument("no match[] parameter provided");
  std::set<model::prom::Labels> all;
  for (const auto& selector : match) {
    auto matchers = parseSelector(selector);
    if (!matchers.isOk()) return matchers.status();
    auto got = reader_.series(*matchers, start_ms, end_ms);
    if (!got.isOk()) return got.status();
    for (auto& labels : *got) all.insert(std::move(labels));
  }
  std::vector<model::prom::Labels> out(all.begin(), all.end());
  cut(out, options_.max_lookup_results);
  return out;
}

Result<std::vector<std::string>> MetricsService::labelNames(const std::vector<std::string>& match,
                                                            int64_t start_ms,
                                                            int64_t end_ms) const {
  std::set<std::string> all;
  if (match.empty()) {
    auto got = reader_.labelNames({}, start_ms, end_ms);
    if (!got.isOk()) return got.status();
    all.insert(got->begin(), got->end());
  }
  for (const auto& selector : match) {
    auto matchers = parseSelector(selector);
    if (!matchers.isOk()) return matchers.status();
    auto got = reader_.labelNames(*matchers, start_ms, end_ms);
    if (!got.isOk()) return got.status();
    all.insert(got->begin(), got->end());
  }
  std::vector<std::string> out(all.begin(), all.end());
  cut(out, options_.max_lookup_results);
  return out;
}

Result<std::vector<std::string>> MetricsService::labelValues(std::string_view name,
                                                             const std::vector<std::string>& match,
                                                             int64_t start_ms,
                                                             int64_t end_ms) const {
  std::set<std::string> all;
  if (match.empty()) {
    auto got = reader_.labelValues(name, {}, start_ms, end_ms);
    if (!got.isOk()) return got.status();
    all.insert(got->begin(), got->end());
  }
  for (const auto& selector : match) {
    auto matchers = parseSelector(selector);
    if (!matchers.isOk()) return matchers.status();
    auto got = reader_.labelValues(name, *matchers, start_ms, end_ms);
    if (!got.isOk()) return got.status();
    all.insert(got->begin(), got->end());
  }
  std::vector<std::string> out(all.begin(), all.end());
  cut(out, options_.max_lookup_results);
  return out;
}

std::vector<model::prom::MetricMetadata> MetricsService::metadata(std::string_view metric,
                                                                  size_t limit) const {
  return reader_.metadata(metric, limit);
}

}  // namespace periscope::query
