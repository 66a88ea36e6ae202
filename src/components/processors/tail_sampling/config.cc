#include "components/processors/tail_sampling/config.h"

#include <re2/re2.h>

#include <set>

namespace periscope::components::tail_sampling {
namespace {

const std::vector<std::string> kLeafTypes = {
    "always_sample",     "latency",           "status_code",   "string_attribute",
    "numeric_attribute", "boolean_attribute", "probabilistic", "rate_limiting",
    "bytes_limiting",    "span_count",        "trace_state"};

std::vector<std::string> withTypes(std::vector<std::string> extra) {
  std::vector<std::string> all = kLeafTypes;
  all.insert(all.end(), extra.begin(), extra.end());
  return all;
}

// The fields every policy shape shares; T derives from LeafPolicyCfg.
template <typename T>
config::Schema<T> leafFields(std::vector<std::string> types) {
  return config::Schema<T>()
      .template field<std::string>("name", &T::name, "Name of the policy (unique; a metric label).")
      .choice("type", &T::type, std::move(types), "Policy type; its section holds its options.")
      .template field<std::optional<LatencyCfg>>("latency", &T::latency,
                                                 "Options of a latency policy.")
      .template field<std::optional<StatusCodeCfg>>("status_code", &T::status_code,
                                                    "Options of a status_code policy.")
      .template field<std::optional<StringAttributeCfg>>("string_attribute", &T::string_attribute,
                                                         "Options of a string_attribute policy.")
      .template field<std::optional<NumericAttributeCfg>>(
          "numeric_attribute", &T::numeric_attribute, "Options of a numeric_attribute policy.")
      .template field<std::optional<BooleanAttributeCfg>>(
          "boolean_attribute", &T::boolean_attribute, "Options of a boolean_attribute policy.")
      .template field<std::optional<ProbabilisticCfg>>("probabilistic", &T::probabilistic,
                                                       "Options of a probabilistic policy.")
      .template field<std::optional<RateLimitingCfg>>("rate_limiting", &T::rate_limiting,
                                                      "Options of a rate_limiting policy.")
      .template field<std::optional<BytesLimitingCfg>>("bytes_limiting", &T::bytes_limiting,
                                                       "Options of a bytes_limiting policy.")
      .template field<std::optional<SpanCountCfg>>("span_count", &T::span_count,
                                                   "Options of a span_count policy.")
      .template field<std::optional<TraceStateCfg>>("trace_state", &T::trace_state,
                                                    "Options of a trace_state policy.");
}

std::string quoted(const std::string& s) {
  return "\"" + s + "\"";
}

Status missingSection(const std::string& path, const std::string& type) {
  return invalidArgument(path + ": policy type " + quoted(type) + " needs a " + quoted(type) +
                         " section");
}

Status validateLeaf(const LeafPolicyCfg& p, const std::string& path) {
  if (p.name.empty()) return invalidArgument(path + ": name must be non-empty");
  const std::string& t = p.type;
  if (t.empty()) return invalidArgument(path + ": type must be set");
  if (t == "latency") {
    if (!p.latency) return missingSection(path, t);
    if (p.latency->upper_threshold_ms != 0 &&
        p.latency->upper_threshold_ms < p.latency->threshold_ms) {
      return invalidArgument(path +
                             ": latency.upper_threshold_ms must be greater than threshold_ms");
    }
  } else if (t == "status_code") {
    if (!p.status_code) return missingSection(path, t);
    if (p.status_code->status_codes.empty()) {
      return invalidArgument(path +
                             ": status_code.status_codes: expected at least one status code");
    }
    for (const auto& c : p.status_code->status_codes) {
      if (c != "OK" && c != "ERROR" && c != "UNSET") {
        return invalidArgument(path + ": status_code.status_codes: unknown status code " +
                               quoted(c) + ", supported: OK, ERROR, UNSET");
      }
    }
  } else if (t == "string_attribute") {
    if (!p.string_attribute) return missingSection(path, t);
    const auto& s = *p.string_attribute;
    if (s.key.empty()) return invalidArgument(path + ": string_attribute.key must be non-empty");
    if (s.enabled_regex_matching) {
      for (size_t i = 0; i < s.values.size(); ++i) {
        RE2 re(s.values[i], RE2::Quiet);
        if (!re.ok()) {
          return invalidArgument(path + ": string_attribute.values[" + std::to_string(i) +
                                 "]: invalid regex " + quoted(s.values[i]) + ": " + re.error());
        }
      }
    }
  } else if (t == "numeric_attribute") {
    if (!p.numeric_attribute) return missingSection(path, t);
    const auto& n = *p.numeric_attribute;
    if (n.key.empty()) return invalidArgument(path + ": numeric_attribute.key must be non-empty");
    if (n.min_value > n.max_value) {
      return invalidArgument(path + ": numeric_attribute.min_value must not exceed max_value");
    }
  } else if (t == "boolean_attribute") {
    if (!p.boolean_attribute) return missingSection(path, t);
    if (p.boolean_attribute->key.empty()) {
      return invalidArgument(path + ": boolean_attribute.key must be non-empty");
    }
  } else if (t == "probabilistic") {
    if (!p.probabilistic) return missingSection(path, t);
    double pct = p.probabilistic->sampling_percentage;
    if (!(pct >= 0 && pct <= 100)) {
      return invalidArgument(path +
                             ": probabilistic.sampling_percentage must be between 0 and 100");
    }
  } else if (t == "rate_limiting") {
    if (!p.rate_limiting) return missingSection(path, t);
    if (p.rate_limiting->spans_per_second <= 0) {
      return invalidArgument(path + ": rate_limiting.spans_per_second must be greater than zero");
    }
  } else if (t == "bytes_limiting") {
    if (!p.bytes_limiting) return missingSection(path, t);
    if (p.bytes_limiting->bytes_per_second <= 0) {
      return invalidArgument(path + ": bytes_limiting.bytes_per_second must be greater than zero");
    }
    if (p.bytes_limiting->burst_capacity < 0) {
      return invalidArgument(path + ": bytes_limiting.burst_capacity must not be negative");
    }
  } else if (t == "span_count") {
    if (!p.span_count) return missingSection(path, t);
    if (p.span_count->max_spans != 0 && p.span_count->max_spans < p.span_count->min_spans) {
      return invalidArgument(path +
                             ": span_count.max_spans must be greater than or equal to min_spans");
    }
  } else if (t == "trace_state") {
    if (!p.trace_state) return missingSection(path, t);
    if (p.trace_state->key.empty()) {
      return invalidArgument(path + ": trace_state.key must be non-empty");
    }
  }
  return Status::ok();
}

Status validateSubPolicies(const std::vector<LeafPolicyCfg>& subs, const std::string& path) {
  if (subs.empty()) return invalidArgument(path + ": expected at least one sub-policy");
  for (size_t i = 0; i < subs.size(); ++i) {
    Status s = validateLeaf(subs[i], path + "[" + std::to_string(i) + "]");
    if (!s.isOk()) return s;
  }
  return Status::ok();
}

Status validateComposite(const CompositeCfg& c, const std::string& path) {
  if (c.max_total_spans_per_second <= 0) {
    return invalidArgument(path + ": max_total_spans_per_second must be greater than zero");
  }
  if (c.composite_sub_policy.empty()) {
    return invalidArgument(path + ".composite_sub_policy: expected at least one sub-policy");
  }
  std::set<std::string> names;
  for (size_t i = 0; i < c.composite_sub_policy.size(); ++i) {
    const auto& sub = c.composite_sub_policy[i];
    std::string sub_path = path + ".composite_sub_policy[" + std::to_string(i) + "]";
    Status s = validateLeaf(sub, sub_path);
    if (!s.isOk()) return s;
    if (sub.type == "and") {
      if (!sub.and_cfg) return missingSection(sub_path, "and");
      s = validateSubPolicies(sub.and_cfg->and_sub_policy, sub_path + ".and.and_sub_policy");
      if (!s.isOk()) return s;
    }
    names.insert(sub.name);
  }
  int64_t total = 0;
  for (const auto& a : c.rate_allocation) {
    if (!names.contains(a.policy)) {
      return invalidArgument(path + ".rate_allocation: unknown sub-policy " + quoted(a.policy));
    }
    if (a.percent < 0)
      return invalidArgument(path + ".rate_allocation: percent must not be negative");
    total += a.percent;
  }
  if (total > 100) {
    return invalidArgument(path + ".rate_allocation: percents add up to " + std::to_string(total) +
                           ", more than 100");
  }
  return Status::ok();
}

}  // namespace

const config::Schema<LatencyCfg>& LatencyCfg::schema() {
  static const auto s =
      config::Schema<LatencyCfg>()
          .field("threshold_ms", &LatencyCfg::threshold_ms,
                 "Sample traces lasting at least this long (first start to last end).")
          .field("upper_threshold_ms", &LatencyCfg::upper_threshold_ms,
                 "When set, sample traces longer than threshold_ms and at most this long.");
  return s;
}

const config::Schema<StatusCodeCfg>& StatusCodeCfg::schema() {
  static const auto s = config::Schema<StatusCodeCfg>().field(
      "status_codes", &StatusCodeCfg::status_codes,
      "Sample traces with a span whose status is one of these (OK, ERROR, UNSET).");
  return s;
}

const config::Schema<StringAttributeCfg>& StringAttributeCfg::schema() {
  static const auto s =
      config::Schema<StringAttributeCfg>()
          .field("key", &StringAttributeCfg::key, "Resource or span attribute to look at.")
          .field("values", &StringAttributeCfg::values, "Values (or RE2 patterns) that match.")
          .field("enabled_regex_matching", &StringAttributeCfg::enabled_regex_matching,
                 "Treat values as RE2 patterns (unanchored).")
          .field("cache_max_size", &StringAttributeCfg::cache_max_size,
                 "Accepted for compatibility; RE2 matching is linear time and not cached.")
          .field("invert_match", &StringAttributeCfg::invert_match,
                 "Sample traces where no value matches.");
  return s;
}

const config::Schema<NumericAttributeCfg>& NumericAttributeCfg::schema() {
  static const auto s =
      config::Schema<NumericAttributeCfg>()
          .field("key", &NumericAttributeCfg::key, "Resource or span attribute (integer).")
          .field("min_value", &NumericAttributeCfg::min_value,
                 "Smallest matching value (inclusive; unset = unbounded).")
          .field("max_value", &NumericAttributeCfg::max_value,
                 "Largest matching value (inclusive; unset = unbounded).")
          .field("invert_match", &NumericAttributeCfg::invert_match,
                 "Sample traces where no value is in range.");
  return s;
}

const config::Schema<BooleanAttributeCfg>& BooleanAttributeCfg::schema() {
  static const auto s =
      config::Schema<BooleanAttributeCfg>()
          .field("key", &BooleanAttributeCfg::key, "Resource or span attribute (boolean).")
          .field("value", &BooleanAttributeCfg::value, "The value that matches.")
          .field("invert_match", &BooleanAttributeCfg::invert_match,
                 "Sample traces where no value matches.");
  return s;
}

const config::Schema<ProbabilisticCfg>& ProbabilisticCfg::schema() {
  static const auto s =
      config::Schema<ProbabilisticCfg>()
          .field("hash_salt", &ProbabilisticCfg::hash_salt,
                 "Salt of the trace id hash; collectors with the same salt decide alike.")
          .field("sampling_percentage", &ProbabilisticCfg::sampling_percentage,
                 "Percentage of traces to sample (0-100).");
  return s;
}

const config::Schema<RateLimitingCfg>& RateLimitingCfg::schema() {
  static const auto s = config::Schema<RateLimitingCfg>().field(
      "spans_per_second", &RateLimitingCfg::spans_per_second,
      "Spans per second this policy samples at most.");
  return s;
}

const config::Schema<BytesLimitingCfg>& BytesLimitingCfg::schema() {
  static const auto s = config::Schema<BytesLimitingCfg>()
                            .field("bytes_per_second", &BytesLimitingCfg::bytes_per_second,
                                   "Token bucket refill rate in encoded trace bytes per second.")
                            .field("burst_capacity", &BytesLimitingCfg::burst_capacity,
                                   "Token bucket size in bytes (default 2 x bytes_per_second).");
  return s;
}

const config::Schema<SpanCountCfg>& SpanCountCfg::schema() {
  static const auto s =
      config::Schema<SpanCountCfg>()
          .field("min_spans", &SpanCountCfg::min_spans,
                 "Sample traces with at least this many spans.")
          .field("max_spans", &SpanCountCfg::max_spans, "And at most this many (0 = no limit).");
  return s;
}

const config::Schema<TraceStateCfg>& TraceStateCfg::schema() {
  static const auto s =
      config::Schema<TraceStateCfg>()
          .field("key", &TraceStateCfg::key, "W3C tracestate list member key.")
          .field("values", &TraceStateCfg::values, "Values of that member that match.");
  return s;
}

const config::Schema<LeafPolicyCfg>& LeafPolicyCfg::schema() {
  static const auto s = leafFields<LeafPolicyCfg>(kLeafTypes);
  return s;
}

const config::Schema<AndCfg>& AndCfg::schema() {
  static const auto s = config::Schema<AndCfg>().field("and_sub_policy", &AndCfg::and_sub_policy,
                                                       "Sub-policies that must all sample.");
  return s;
}

const config::Schema<DropCfg>& DropCfg::schema() {
  static const auto s = config::Schema<DropCfg>().field(
      "drop_sub_policy", &DropCfg::drop_sub_policy,
      "Sub-policies that must all match for the trace to be dropped.");
  return s;
}

const config::Schema<CompositeSubPolicyCfg>& CompositeSubPolicyCfg::schema() {
  static const auto s =
      leafFields<CompositeSubPolicyCfg>(withTypes({"and"}))
          .field("and", &CompositeSubPolicyCfg::and_cfg, "Options of an and sub-policy.");
  return s;
}

const config::Schema<RateAllocationCfg>& RateAllocationCfg::schema() {
  static const auto s =
      config::Schema<RateAllocationCfg>()
          .field("policy", &RateAllocationCfg::policy, "Name of a composite sub-policy.")
          .field("percent", &RateAllocationCfg::percent,
                 "Share of max_total_spans_per_second it may sample.");
  return s;
}

const config::Schema<CompositeCfg>& CompositeCfg::schema() {
  static const auto s =
      config::Schema<CompositeCfg>()
          .field("max_total_spans_per_second", &CompositeCfg::max_total_spans_per_second,
                 "Spans per second the composite samples at most.")
          .field("policy_order", &CompositeCfg::policy_order,
                 "Accepted and ignored, as in the collector: sub-policies are evaluated in "
                 "composite_sub_policy order.")
          .field("composite_sub_policy", &CompositeCfg::composite_sub_policy, "Sub-policies.")
          .field("rate_allocation", &CompositeCfg::rate_allocation,
                 "Per sub-policy share of the span budget.");
  return s;
}

const config::Schema<PolicyCfg>& PolicyCfg::schema() {
  static const auto s =
      leafFields<PolicyCfg>(withTypes({"and", "composite", "drop"}))
          .field("and", &PolicyCfg::and_cfg, "Options of an and policy.")
          .field("composite", &PolicyCfg::composite, "Options of a composite policy.")
          .field("drop", &PolicyCfg::drop, "Options of a drop policy.");
  return s;
}

const config::Schema<DecisionCacheCfg>& DecisionCacheCfg::schema() {
  static const auto s =
      config::Schema<DecisionCacheCfg>()
          .field("sampled_cache_size", &DecisionCacheCfg::sampled_cache_size,
                 "Trace ids whose sampled decision is remembered for late spans (0 = num_traces).")
          .field("non_sampled_cache_size", &DecisionCacheCfg::non_sampled_cache_size,
                 "Trace ids whose not-sampled decision is remembered (0 = num_traces).");
  return s;
}

const config::Schema<Config>& Config::schema() {
  static const auto s =
      config::Schema<Config>()
          .field("decision_wait", &Config::decision_wait,
                 "Time from a trace's first span to its sampling decision.")
          .field("num_traces", &Config::num_traces,
                 "Traces held at most; beyond, the oldest are decided early.")
          .field("expected_new_traces_per_sec", &Config::expected_new_traces_per_sec,
                 "Sizing hint for the trace table.")
          .field("decision_cache", &Config::decision_cache,
                 "Remembered decisions, so late spans follow their trace's decision.")
          .field("sample_on_first_match", &Config::sample_on_first_match,
                 "Stop evaluating policies at the first that samples.")
          .field("drop_pending_traces_on_shutdown", &Config::drop_pending_traces_on_shutdown,
                 "At shutdown drop undecided traces instead of deciding them.")
          .field("maximum_trace_size_bytes", &Config::maximum_trace_size_bytes,
                 "A trace whose buffered spans exceed this size is decided not sampled at once "
                 "(0 = no limit).")
          .field("policies", &Config::policies, "Sampling policies (see the README).");
  return s;
}

Status Config::validate() const {
  if (decision_wait.count() <= 0) return invalidArgument("decision_wait must be greater than zero");
  if (num_traces == 0) return invalidArgument("num_traces must be greater than zero");
  if (policies.empty()) return invalidArgument("policies: at least one policy is required");
  std::set<std::string> names;
  for (size_t i = 0; i < policies.size(); ++i) {
    const PolicyCfg& p = policies[i];
    std::string path = "policies[" + std::to_string(i) + "]";
    Status s = validateLeaf(p, path);
    if (!s.isOk()) return s;
    if (!names.insert(p.name).second) {
      return invalidArgument(path + ": duplicate policy name " + quoted(p.name));
    }
    if (p.type == "and") {
      if (!p.and_cfg) return missingSection(path, "and");
      s = validateSubPolicies(p.and_cfg->and_sub_policy, path + ".and.and_sub_policy");
    } else if (p.type == "drop") {
      if (!p.drop) return missingSection(path, "drop");
      s = validateSubPolicies(p.drop->drop_sub_policy, path + ".drop.drop_sub_policy");
    } else if (p.type == "composite") {
      if (!p.composite) return missingSection(path, "composite");
      s = validateComposite(*p.composite, path + ".composite");
    }
    if (!s.isOk()) return s;
  }
  return Status::ok();
}

}  // namespace periscope::components::tail_sampling
