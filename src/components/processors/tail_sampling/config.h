// Config of the `tail_sampling` processor: the collector's keys, defaults and policy shapes
// (each policy is {name, type, <type>: {...}}; `and`, `drop` and `composite` nest sub-policies).
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "component/component.h"
#include "config/schema.h"

namespace periscope::components::tail_sampling {

struct LatencyCfg {
  int64_t threshold_ms = 0;
  int64_t upper_threshold_ms = 0;  // 0 = no upper bound
  static const config::Schema<LatencyCfg>& schema();
};

struct StatusCodeCfg {
  std::vector<std::string> status_codes;  // OK, ERROR, UNSET
  static const config::Schema<StatusCodeCfg>& schema();
};

struct StringAttributeCfg {
  std::string key;
  std::vector<std::string> values;
  bool enabled_regex_matching = false;
  int32_t cache_max_size = 0;
  bool invert_match = false;
  static const config::Schema<StringAttributeCfg>& schema();
};

struct NumericAttributeCfg {
  std::string key;
  int64_t min_value = std::numeric_limits<int64_t>::min();  // unset = unbounded
  int64_t max_value = std::numeric_limits<int64_t>::max();
  bool invert_match = false;
  static const config::Schema<NumericAttributeCfg>& schema();
};

struct BooleanAttributeCfg {
  std::string key;
  bool value = false;
  bool invert_match = false;
  static const config::Schema<BooleanAttributeCfg>& schema();
};

struct ProbabilisticCfg {
  std::string hash_salt;  // "" = the collector's default salt
  double sampling_percentage = 0;
  static const config::Schema<ProbabilisticCfg>& schema();
};

struct RateLimitingCfg {
  int64_t spans_per_second = 0;
  static const config::Schema<RateLimitingCfg>& schema();
};

struct BytesLimitingCfg {
  int64_t bytes_per_second = 0;
  int64_t burst_capacity = 0;  // 0 = 2 x bytes_per_second
  static const config::Schema<BytesLimitingCfg>& schema();
};

struct SpanCountCfg {
  int32_t min_spans = 0;
  int32_t max_spans = 0;  // 0 = no upper bound
  static const config::Schema<SpanCountCfg>& schema();
};

struct TraceStateCfg {
  std::string key;
  std::vector<std::string> values;
  static const config::Schema<TraceStateCfg>& schema();
};

// A policy without sub-policies (what `and` and `drop` may hold).
struct LeafPolicyCfg {
  std::string name;
  std::string type;
  std::optional<LatencyCfg> latency;
  std::optional<StatusCodeCfg> status_code;
  std::optional<StringAttributeCfg> string_attribute;
  std::optional<NumericAttributeCfg> numeric_attribute;
  std::optional<BooleanAttributeCfg> boolean_attribute;
  std::optional<ProbabilisticCfg> probabilistic;
  std::optional<RateLimitingCfg> rate_limiting;
  std::optional<BytesLimitingCfg> bytes_limiting;
  std::optional<SpanCountCfg> span_count;
  std::optional<TraceStateCfg> trace_state;
  static const config::Schema<LeafPolicyCfg>& schema();
};

struct AndCfg {
  std::vector<LeafPolicyCfg> and_sub_policy;
  static const config::Schema<AndCfg>& schema();
};

struct DropCfg {
  std::vector<LeafPolicyCfg> drop_sub_policy;
  static const config::Schema<DropCfg>& schema();
};

// A composite's sub-policy: a leaf or an `and`.
struct CompositeSubPolicyCfg : LeafPolicyCfg {
  std::optional<AndCfg> and_cfg;
  static const config::Schema<CompositeSubPolicyCfg>& schema();
};

struct RateAllocationCfg {
  std::string policy;
  int64_t percent = 0;
  static const config::Schema<RateAllocationCfg>& schema();
};

struct CompositeCfg {
  int64_t max_total_spans_per_second = 0;
  std::vector<std::string> policy_order;  // accepted, ignored (as the collector does)
  std::vector<CompositeSubPolicyCfg> composite_sub_policy;
  std::vector<RateAllocationCfg> rate_allocation;
  static const config::Schema<CompositeCfg>& schema();
};

struct PolicyCfg : LeafPolicyCfg {
  std::optional<AndCfg> and_cfg;
  std::optional<CompositeCfg> composite;
  std::optional<DropCfg> drop;
  static const config::Schema<PolicyCfg>& schema();
};

struct DecisionCacheCfg {
  uint32_t sampled_cache_size = 0;      // 0 = remember the last num_traces decisions
  uint32_t non_sampled_cache_size = 0;  // 0 = remember the last num_traces decisions
  static const config::Schema<DecisionCacheCfg>& schema();
};

struct Config : component::Config {
  config::Duration decision_wait = std::chrono::seconds(30);
  uint64_t num_traces = 50000;
  uint64_t expected_new_traces_per_sec = 0;
  DecisionCacheCfg decision_cache;
  bool sample_on_first_match = false;
  bool drop_pending_traces_on_shutdown = false;
  uint64_t maximum_trace_size_bytes = 0;  // 0 = no limit (the collector's default)
  std::vector<PolicyCfg> policies;
  static const config::Schema<Config>& schema();
  Status validate() const override;
};

}  // namespace periscope::components::tail_sampling
