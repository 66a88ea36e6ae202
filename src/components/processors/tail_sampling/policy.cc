#include "components/processors/tail_sampling/policy.h"

#include <re2/re2.h>

#include <algorithm>
#include <limits>
#include <map>
#include <vector>

namespace periscope::components::tail_sampling {
namespace {

constexpr int64_t kNanosPerSecond = 1'000'000'000;
constexpr std::string_view kDefaultHashSalt = "default-hash-seed";  // the collector's default

// Calls fn(span) for every span until it returns true; answers whether one did.
template <typename Fn>
bool anySpan(const TraceData& t, Fn&& fn) {
  for (const auto& rs : t.resources) {
    for (const auto& ss : rs.scope_spans) {
      for (const auto& span : ss.spans) {
        if (fn(span)) return true;
      }
    }
  }
  return false;
}

// Whether a resource or span attribute `key` satisfies `match` (resources first, as the
// collector checks them).
template <typename Match>
bool anyAttribute(const TraceData& t, std::string_view key, Match&& match) {
  for (const auto& rs : t.resources) {
    if (const model::AnyValue* v = model::findAttribute(rs.resource.attributes, key)) {
      if (match(*v)) return true;
    }
  }
  return anySpan(t, [&](const model::Span& span) {
    const model::AnyValue* v = model::findAttribute(span.attributes, key);
    return v != nullptr && match(*v);
  });
}

// invert_match flips the policy's own answer and nothing else: since the collector's
// processor.tailsamplingprocessor.disableinvertdecisions gate became the only behaviour (stable in
// v0.152.0, then removed), an inverted match is a plain not-sampled that vetoes nothing.
Decision matchDecision(bool matched, bool invert) {
  return matched != invert ? Decision::kSampled : Decision::kNotSampled;
}

class AlwaysSample final : public Policy {
 public:
  Decision evaluate(const TraceData&) override { return Decision::kSampled; }
};

// Duration = latest end - earliest start over the whole trace, in whole milliseconds.
class Latency final : public Policy {
 public:
  explicit Latency(const LatencyCfg& c) : cfg_(c) {}
  Decision evaluate(const TraceData& t) override {
    uint64_t min_start = std::numeric_limits<uint64_t>::max(), max_end = 0;
    anySpan(t, [&](const model::Span& s) {
      min_start = std::min(min_start, s.start_time_unix_nano);
      max_end = std::max(max_end, s.end_time_unix_nano);
      return false;
    });
    if (max_end < min_start) return Decision::kNotSampled;
    int64_t ms = static_cast<int64_t>((max_end - min_start) / 1'000'000);
    bool hit = cfg_.upper_threshold_ms == 0
                   ? ms >= cfg_.threshold_ms
                   : cfg_.threshold_ms < ms && ms <= cfg_.upper_threshold_ms;
    return hit ? Decision::kSampled : Decision::kNotSampled;
  }

 private:
  LatencyCfg cfg_;
};

class StatusCode final : public Policy {
 public:
  explicit StatusCode(const StatusCodeCfg& c) {
    for (const auto& s : c.status_codes) {
      if (s == "OK") wanted_[static_cast<int>(model::StatusCode::kOk)] = true;
      if (s == "ERROR") wanted_[static_cast<int>(model::StatusCode::kError)] = true;
      if (s == "UNSET") wanted_[static_cast<int>(model::StatusCode::kUnset)] = true;
    }
  }
  Decision evaluate(const TraceData& t) override {
    bool hit = anySpan(t, [&](const model::Span& s) {
      auto code = static_cast<int>(s.status.code);
      return code >= 0 && code < 3 && wanted_[code];
    });
    return hit ? Decision::kSampled : Decision::kNotSampled;
  }

 private:
  bool wanted_[3] = {false, false, false};
};

class StringAttribute final : public Policy {
 public:
  explicit StringAttribute(const StringAttributeCfg& c) : cfg_(c) {
    if (c.enabled_regex_matching) {
      for (const auto& v : c.values) regexes_.push_back(std::make_unique<RE2>(v, RE2::Quiet));
    }
  }
  Decision evaluate(const TraceData& t) override {
    bool hit = anyAttribute(t, cfg_.key, [&](const model::AnyValue& v) {
      if (v.type() != model::AnyValue::Type::kString) return false;
      std::string_view s = v.str();
      if (!regexes_.empty()) {
        for (const auto& re : regexes_) {
          if (RE2::PartialMatch(s, *re)) return true;
        }
        return false;
      }
      return std::find(cfg_.values.begin(), cfg_.values.end(), s) != cfg_.values.end();
    });
    return matchDecision(hit, cfg_.invert_match);
  }

 private:
  StringAttributeCfg cfg_;
  std::vector<std::unique_ptr<RE2>> regexes_;
};

class NumericAttribute final : public Policy {
 public:
  explicit NumericAttribute(const NumericAttributeCfg& c) : cfg_(c) {}
  Decision evaluate(const TraceData& t) override {
    bool hit = anyAttribute(t, cfg_.key, [&](const model::AnyValue& v) {
      if (v.type() != model::AnyValue::Type::kInt) return false;
      return v.intValue() >= cfg_.min_value && v.intValue() <= cfg_.max_value;
    });
    return matchDecision(hit, cfg_.invert_match);
  }

 private:
  NumericAttributeCfg cfg_;
};

class BooleanAttribute final : public Policy {
 public:
  explicit BooleanAttribute(const BooleanAttributeCfg& c) : cfg_(c) {}
  Decision evaluate(const TraceData& t) override {
    bool hit = anyAttribute(t, cfg_.key, [&](const model::AnyValue& v) {
      return v.type() == model::AnyValue::Type::kBool && v.boolValue() == cfg_.value;
    });
    return matchDecision(hit, cfg_.invert_match);
  }

 private:
  BooleanAttributeCfg cfg_;
};

class Probabilistic final : public Policy {
 public:
  explicit Probabilistic(const ProbabilisticCfg& c)
      : salt_(c.hash_salt.empty() ? std::string(kDefaultHashSalt) : c.hash_salt),
        threshold_(probabilisticThreshold(c.sampling_percentage / 100)) {}
  Decision evaluate(const TraceData& t) override {
    return hashTraceId(salt_, t.trace_id) <= threshold_ ? Decision::kSampled
                                                        : Decision::kNotSampled;
  }

 private:
  std::string salt_;
  uint64_t threshold_;
};

// Spans sampled per wall second; a trace that would exceed the budget is not sampled.
class RateLimiting final : public Policy {
 public:
  RateLimiting(const RateLimitingCfg& c, Clock clock)
      : limit_(c.spans_per_second), clock_(std::move(clock)) {}
  Decision evaluate(const TraceData& t) override {
    int64_t second = clock_() / kNanosPerSecond;
    if (second != current_second_) {
      current_second_ = second;
      spans_in_second_ = 0;
    }
    int64_t if_sampled = spans_in_second_ + t.span_count;
    if (if_sampled > limit_) return Decision::kNotSampled;
    spans_in_second_ = if_sampled;
    return Decision::kSampled;
  }

 private:
  int64_t limit_;
  Clock clock_;
  int64_t current_second_ = std::numeric_limits<int64_t>::min();
  int64_t spans_in_second_ = 0;
};

// Token bucket over encoded trace bytes, starting full.
class BytesLimiting final : public Policy {
 public:
  BytesLimiting(const BytesLimitingCfg& c, Clock clock)
      : rate_(static_cast<double>(c.bytes_per_second)),
        capacity_(
            static_cast<double>(c.burst_capacity > 0 ? c.burst_capacity : 2 * c.bytes_per_second)),
        tokens_(capacity_),
        clock_(std::move(clock)),
        last_(clock_()) {}
  Decision evaluate(const TraceData& t) override {
    int64_t now = clock_();
    if (now > last_) {
      tokens_ = std::min(capacity_, tokens_ + rate_ * static_cast<double>(now - last_) / 1e9);
      last_ = now;
    }
    auto size = static_cast<double>(t.encoded_bytes);
    if (tokens_ < size) return Decision::kNotSampled;
    tokens_ -= size;
    return Decision::kSampled;
  }

 private:
  double rate_, capacity_, tokens_;
  Clock clock_;
  int64_t last_;
};

class SpanCount final : public Policy {
 public:
  explicit SpanCount(const SpanCountCfg& c) : cfg_(c) {}
  Decision evaluate(const TraceData& t) override {
    auto n = static_cast<int64_t>(t.span_count);
    bool hit = n >= cfg_.min_spans && (cfg_.max_spans == 0 || n <= cfg_.max_spans);
    return hit ? Decision::kSampled : Decision::kNotSampled;
  }

 private:
  SpanCountCfg cfg_;
};

std::string_view trimOws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The value of list member `key` in a W3C tracestate header, if present.
std::optional<std::string_view> traceStateValue(std::string_view ts, std::string_view key) {
  while (!ts.empty()) {
    size_t comma = ts.find(',');
    std::string_view member = trimOws(ts.substr(0, comma));
    ts = comma == std::string_view::npos ? std::string_view() : ts.substr(comma + 1);
    size_t eq = member.find('=');
    if (eq != std::string_view::npos && member.substr(0, eq) == key) return member.substr(eq + 1);
  }
  return std::nullopt;
}

class TraceState final : public Policy {
 public:
  explicit TraceState(const TraceStateCfg& c) : cfg_(c) {}
  Decision evaluate(const TraceData& t) override {
    bool hit = anySpan(t, [&](const model::Span& s) {
      auto v = traceStateValue(s.trace_state, cfg_.key);
      return v && std::find(cfg_.values.begin(), cfg_.values.end(), *v) != cfg_.values.end();
    });
    return hit ? Decision::kSampled : Decision::kNotSampled;
  }

 private:
  TraceStateCfg cfg_;
};

using Policies = std::vector<std::unique_ptr<Policy>>;

// Sampled when every sub-policy samples.
class And final : public Policy {
 public:
  explicit And(Policies subs) : subs_(std::move(subs)) {}
  Decision evaluate(const TraceData& t) override {
    for (auto& p : subs_) {
      Decision d = p->evaluate(t);
      if (d == Decision::kNotSampled) {
        return Decision::kNotSampled;
      }
    }
    return Decision::kSampled;
  }

 private:
  Policies subs_;
};

// Dropped when every sub-policy matches; dropping vetoes every other policy's decision.
class Drop final : public Policy {
 public:
  explicit Drop(Policies subs) : subs_(std::move(subs)) {}
  Decision evaluate(const TraceData& t) override {
    for (auto& p : subs_) {
      Decision d = p->evaluate(t);
      if (d == Decision::kNotSampled) {
        return Decision::kNotSampled;
      }
    }
    return Decision::kDropped;
  }

 private:
  Policies subs_;
};

// The first sub-policy (in composite_sub_policy order) that samples spends from its own per-second
// span allocation and the composite's total; over budget the trace is not sampled.
class Composite final : public Policy {
 public:
  struct Sub {
    std::unique_ptr<Policy> policy;
    int64_t allocated = 0;
    int64_t sampled = 0;
  };
  Composite(int64_t max_total, std::vector<Sub> subs, Clock clock)
      : max_total_(max_total), subs_(std::move(subs)), clock_(std::move(clock)) {}
  Decision evaluate(const TraceData& t) override {
    int64_t second = clock_() / kNanosPerSecond;
    if (second != current_second_) {
      current_second_ = second;
      for (auto& s : subs_) s.sampled = 0;
    }
    for (auto& s : subs_) {
      Decision d = s.policy->evaluate(t);
      if (d != Decision::kSampled) continue;
      int64_t if_sampled = s.sampled + t.span_count;
      if (if_sampled <= s.allocated && if_sampled <= max_total_) {
        s.sampled = if_sampled;
        return Decision::kSampled;
      }
      return Decision::kNotSampled;
    }
    return Decision::kNotSampled;
  }

 private:
  int64_t max_total_;
  std::vector<Sub> subs_;
  Clock clock_;
  int64_t current_second_ = std::numeric_limits<int64_t>::min();
};

Result<Policies> makeSubPolicies(const std::vector<LeafPolicyCfg>& cfgs, const Clock& clock) {
  Policies out;
  for (const auto& c : cfgs) {
    auto p = makeLeafPolicy(c, clock);
    if (!p.isOk()) return p.status();
    out.push_back(std::move(*p));
  }
  return out;
}

Result<std::unique_ptr<Policy>> makeComposite(const CompositeCfg& c, const Clock& clock) {
  // Allocation: percent of the total, an equal share when percent is 0, nothing when unlisted.
  std::map<std::string, int64_t> allocation;
  double total = static_cast<double>(c.max_total_spans_per_second);
  double equal_share = total / static_cast<double>(c.composite_sub_policy.size());
  for (const auto& a : c.rate_allocation) {
    allocation[a.policy] = static_cast<int64_t>(
        a.percent > 0 ? static_cast<double>(a.percent) / 100 * total : equal_share);
  }
  // The collector evaluates sub-policies in composite_sub_policy order and never reads
  // policy_order; so do we.
  std::vector<Composite::Sub> subs;
  for (const CompositeSubPolicyCfg& entry : c.composite_sub_policy) {
    const CompositeSubPolicyCfg* sub = &entry;
    Composite::Sub s;
    if (sub->type == "and") {
      auto parts = makeSubPolicies(sub->and_cfg->and_sub_policy, clock);
      if (!parts.isOk()) return parts.status();
      s.policy = std::make_unique<And>(std::move(*parts));
    } else {
      auto p = makeLeafPolicy(*sub, clock);
      if (!p.isOk()) return p.status();
      s.policy = std::move(*p);
    }
    auto it = allocation.find(sub->name);
    s.allocated = it == allocation.end() ? 0 : it->second;
    subs.push_back(std::move(s));
  }
  return std::unique_ptr<Policy>(
      std::make_unique<Composite>(c.max_total_spans_per_second, std::move(subs), clock));
}

}  // namespace

uint64_t hashTraceId(std::string_view salt, std::string_view trace_id) {
  uint64_t h = 14695981039346656037ull;  // FNV-1a 64 offset basis
  auto mix = [&h](std::string_view bytes) {
    for (unsigned char c : bytes) {
      h ^= c;
      h *= 1099511628211ull;  // FNV-1a 64 prime
    }
  };
  mix(salt);
  mix(trace_id);
  return h;
}

uint64_t probabilisticThreshold(double ratio) {
  if (ratio <= 0) return 0;
  if (ratio >= 1) return std::numeric_limits<uint64_t>::max();
  // 64-bit mantissa multiplication, rounded to nearest then truncated, as Go's big.Float does.
  long double product = static_cast<long double>(std::numeric_limits<uint64_t>::max()) *
                        static_cast<long double>(ratio);
  return static_cast<uint64_t>(product);
}

Result<std::unique_ptr<Policy>> makeLeafPolicy(const LeafPolicyCfg& c, const Clock& clock) {
  const std::string& t = c.type;
  std::unique_ptr<Policy> p;
  if (t == "always_sample") {
    p = std::make_unique<AlwaysSample>();
  } else if (t == "latency" && c.latency) {
    p = std::make_unique<Latency>(*c.latency);
  } else if (t == "status_code" && c.status_code) {
    p = std::make_unique<StatusCode>(*c.status_code);
  } else if (t == "string_attribute" && c.string_attribute) {
    p = std::make_unique<StringAttribute>(*c.string_attribute);
  } else if (t == "numeric_attribute" && c.numeric_attribute) {
    p = std::make_unique<NumericAttribute>(*c.numeric_attribute);
  } else if (t == "boolean_attribute" && c.boolean_attribute) {
    p = std::make_unique<BooleanAttribute>(*c.boolean_attribute);
  } else if (t == "probabilistic" && c.probabilistic) {
    p = std::make_unique<Probabilistic>(*c.probabilistic);
  } else if (t == "rate_limiting" && c.rate_limiting) {
    p = std::make_unique<RateLimiting>(*c.rate_limiting, clock);
  } else if (t == "bytes_limiting" && c.bytes_limiting) {
    p = std::make_unique<BytesLimiting>(*c.bytes_limiting, clock);
  } else if (t == "span_count" && c.span_count) {
    p = std::make_unique<SpanCount>(*c.span_count);
  } else if (t == "trace_state" && c.trace_state) {
    p = std::make_unique<TraceState>(*c.trace_state);
  } else {
    return invalidArgument("unknown sampling policy type \"" + t + "\" or missing its section");
  }
  return p;
}

Result<std::unique_ptr<Policy>> makePolicy(const PolicyCfg& c, const Clock& clock) {
  if (c.type == "and" && c.and_cfg) {
    auto subs = makeSubPolicies(c.and_cfg->and_sub_policy, clock);
    if (!subs.isOk()) return subs.status();
    return std::unique_ptr<Policy>(std::make_unique<And>(std::move(*subs)));
  }
  if (c.type == "drop" && c.drop) {
    auto subs = makeSubPolicies(c.drop->drop_sub_policy, clock);
    if (!subs.isOk()) return subs.status();
    return std::unique_ptr<Policy>(std::make_unique<Drop>(std::move(*subs)));
  }
  if (c.type == "composite" && c.composite) return makeComposite(*c.composite, clock);
  return makeLeafPolicy(c, clock);
}

}  // namespace periscope::components::tail_sampling
