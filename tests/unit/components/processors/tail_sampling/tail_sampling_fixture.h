// Helpers for tail_sampling tests: build traces span by span, decode configs, record output.
#pragma once

// SpanSpec is filled with designated initializers naming only what a test cares about.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#include <gtest/gtest.h>

#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "common/telemetry/metrics.h"
#include "components/processors/tail_sampling/factory.h"
#include "components/processors/tail_sampling/tail_sampling_processor.h"
#include "config/loader.h"
#include "model/otlp/proto_encoder.h"
#include "support/null_host.h"

namespace periscope::components::tail_sampling::testing {

// A 16-byte trace id whose last byte(s) carry n (readable in failures as "t<n>").
inline std::string traceId(uint32_t n) {
  std::string id(16, '\0');
  id[0] = 't';
  id[12] = static_cast<char>(n >> 24);
  id[13] = static_cast<char>(n >> 16);
  id[14] = static_cast<char>(n >> 8);
  id[15] = static_cast<char>(n);
  return id;
}

inline uint32_t traceNumber(std::string_view id) {
  return static_cast<uint32_t>(static_cast<uint8_t>(id[12])) << 24 |
         static_cast<uint32_t>(static_cast<uint8_t>(id[13])) << 16 |
         static_cast<uint32_t>(static_cast<uint8_t>(id[14])) << 8 |
         static_cast<uint32_t>(static_cast<uint8_t>(id[15]));
}

struct SpanSpec {
  uint32_t trace = 0;
  uint64_t start_ms = 0, end_ms = 1;
  model::StatusCode status = model::StatusCode::kUnset;
  std::vector<std::pair<std::string, model::AnyValue>> attributes;  // string values: copied
  std::string trace_state;
  std::string name = "op";
};

// One batch: resource {service.name: <service>, resource.extra: <extra>} and scope "lib" v1.
inline model::Traces makeBatch(const std::vector<SpanSpec>& specs, std::string service = "svc",
                               std::vector<std::pair<std::string, model::AnyValue>> resource = {}) {
  model::Traces batch;
  Arena& a = batch.arena();
  auto& rs = batch.resources().emplace_back();
  rs.has_resource = true;
  auto rattrs = a.allocArray<model::KeyValue>(1 + resource.size());
  rattrs[0] = {a.copy("service.name"), model::AnyValue::string(a.copy(service))};
  for (size_t i = 0; i < resource.size(); ++i) {
    model::AnyValue v = resource[i].second;
    if (v.type() == model::AnyValue::Type::kString) v = model::AnyValue::string(a.copy(v.str()));
    rattrs[i + 1] = {a.copy(resource[i].first), v};
  }
  rs.resource.attributes = rattrs;
  rs.schema_url = a.copy("https://opentelemetry.io/schemas/1.21.0");
  auto scopes = a.allocArray<model::ScopeSpans>(1);
  scopes[0].has_scope = true;
  scopes[0].scope.name = a.copy("lib");
  scopes[0].scope.version = a.copy("1.0");
  auto spans = a.allocArray<model::Span>(specs.size());
  for (size_t i = 0; i < specs.size(); ++i) {
    const SpanSpec& s = specs[i];
    model::Span& sp = spans[i];
    sp.trace_id = a.copy(traceId(s.trace));
    std::string sid(8, '\0');
    sid[0] = 's';
    sid[6] = static_cast<char>(i >> 8);
    sid[7] = static_cast<char>(i + 1);
    sp.span_id = a.copy(sid);
    sp.name = a.copy(s.name);
    sp.kind = 2;
    sp.start_time_unix_nano = 1'700'000'000'000'000'000ull + s.start_ms * 1'000'000;
    sp.end_time_unix_nano = 1'700'000'000'000'000'000ull + s.end_ms * 1'000'000;
    sp.trace_state = a.copy(s.trace_state);
    if (s.status != model::StatusCode::kUnset) {
      sp.has_status = true;
      sp.status.code = s.status;
      sp.status_code_raw = static_cast<int32_t>(s.status);
    }
    auto attrs = a.allocArray<model::KeyValue>(s.attributes.size());
    for (size_t k = 0; k < s.attributes.size(); ++k) {
      model::AnyValue v = s.attributes[k].second;
      if (v.type() == model::AnyValue::Type::kString) v = model::AnyValue::string(a.copy(v.str()));
      attrs[k] = {a.copy(s.attributes[k].first), v};
    }
    sp.attributes = attrs;
  }
  scopes[0].spans = spans;
  rs.scope_spans = scopes;
  return batch;
}

inline std::unique_ptr<Config> decodeConfig(const std::string& yaml,
                                            std::string* errors = nullptr) {
  auto factory = makeFactory();
  config::Diagnostics diags;
  config::Value v = config::loadYamlString(yaml, "test.yaml", diags);
  auto cfg = factory->createDefaultConfig();
  factory->decodeConfig(v, *cfg, diags);
  if (errors != nullptr) *errors = diags.format();
  EXPECT_TRUE(errors != nullptr || diags.size() == 0) << diags.format();
  return std::unique_ptr<Config>(static_cast<Config*>(cfg.release()));
}

// Records the trace numbers, span counts and resources of what reaches it.
class TraceRecorder : public pipeline::Consumer<model::Traces> {
 public:
  void consume(model::Traces&& data, pipeline::Done done) override {
    std::lock_guard lock(mu);
    ++batches;
    front_arena_bytes.push_back(data.arena().bytesReserved());
    encodings.emplace_back();
    model::otlp::encode(data, encodings.back());
    for (const auto& rs : data.resources()) {
      for (const auto& ss : rs.scope_spans) {
        for (const auto& s : ss.spans) {
          uint32_t n = traceNumber(s.trace_id);
          traces.insert(n);
          ++spans_by_trace[n];
          ++spans;
          scope_names.insert(std::string(ss.scope.name) + "@" + std::string(ss.scope.version));
          resource_schema.insert(std::string(rs.schema_url));
          for (const auto& kv : rs.resource.attributes) {
            if (kv.key == "service.name") services.insert(std::string(kv.value.str()));
          }
        }
      }
    }
    cv.notify_all();
    done(Status::ok());
  }
  bool waitForSpans(size_t n) {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, std::chrono::seconds(10), [&] { return spans >= n; });
  }
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::string> encodings;
  std::vector<size_t> front_arena_bytes;  // per batch: bytes of the arena its data went to
  std::set<uint32_t> traces;
  std::map<uint32_t, int> spans_by_trace;
  std::set<std::string> scope_names, resource_schema, services;
  size_t spans = 0, batches = 0;
};

// A processor driven by a fake clock (nanoseconds) and explicit tick() calls.
struct Harness {
  explicit Harness(const std::string& yaml) {
    cfg = decodeConfig(yaml);
    Status st = cfg->validate();
    EXPECT_TRUE(st.isOk()) << st.toString();
    TailSamplingProcessor::Options o;
    o.clock = [this] { return now; };
    o.run_ticker = false;
    o.registry = &registry;
    o.before_evaluate = [this] {
      if (before_evaluate) before_evaluate();
    };
    component::Settings settings;
    settings.id = component::ComponentId::parse("tail_sampling").value();
    auto p = TailSamplingProcessor::create(settings, *cfg, &out, o);
    EXPECT_TRUE(p.isOk()) << p.status().toString();
    proc = std::move(*p);
  }
  void send(model::Traces&& t) {
    ASSERT_TRUE(pipeline::consumeAndWait(*proc, std::move(t)).isOk());
  }
  void advance(int64_t ms) { now += ms * 1'000'000; }
  double metric(const std::string& name, const telemetry::Labels& labels) {
    return registry.value("otelcol_processor_tail_sampling_" + name, labels);
  }

  int64_t now = 1'000'000'000'000;
  std::function<void()> before_evaluate;
  telemetry::Registry registry;
  std::unique_ptr<Config> cfg;
  TraceRecorder out;
  std::unique_ptr<TailSamplingProcessor> proc;
};

}  // namespace periscope::components::tail_sampling::testing
