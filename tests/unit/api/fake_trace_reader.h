// FakeTraceReader: an in-memory storage::TraceReader for API tests. Traces are kept as OTLP/JSON
// and decoded afresh for every call (each answer owns its arena, as the store's do). It records
// the arguments of the last call of each kind so tests can assert how HTTP parameters were
// translated. Thread-safe: the API server calls it from its own threads.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "model/otlp/json_decoder.h"
#include "storage/signals/traces/trace_reader.h"

namespace periscope::api::testing {

// Trace A: three resources, two of them identical (frontend on host h1), one "cart".
inline constexpr char kTraceAHex[] = "5b8efff798038103d269b633813fc60c";
inline const std::string kTraceA = R"({"resourceSpans":[
 {"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"frontend"}},
                            {"key":"host.name","value":{"stringValue":"h1"}}]},
  "scopeSpans":[{"scope":{"name":"io.opentelemetry.http","version":"1.2.3"},"spans":[
   {"traceId":"5b8efff798038103d269b633813fc60c","spanId":"1111111111111111","name":"GET /cart",
    "kind":2,"flags":769,"traceState":"vendor=1",
    "startTimeUnixNano":"1700000000123456789","endTimeUnixNano":"1700000000623457999",
    "attributes":[{"key":"http.status_code","value":{"intValue":"500"}},
                  {"key":"http.method","value":{"stringValue":"GET"}},
                  {"key":"ratio","value":{"doubleValue":0.5}},
                  {"key":"cached","value":{"boolValue":false}},
                  {"key":"payload","value":{"bytesValue":"aGk="}},
                  {"key":"list","value":{"arrayValue":{"values":[{"stringValue":"a"},{"intValue":"1"}]}}},
                  {"key":"obj","value":{"kvlistValue":{"values":[{"key":"k","value":{"stringValue":"v"}}]}}}],
    "events":[{"timeUnixNano":"1700000000200000999","name":"exception",
               "attributes":[{"key":"exception.type","value":{"stringValue":"E"}}]}],
    "status":{"code":2,"message":"boom"}}]}]},
 {"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"frontend"}},
                            {"key":"host.name","value":{"stringValue":"h1"}}]},
  "scopeSpans":[{"spans":[
   {"traceId":"5b8efff798038103d269b633813fc60c","spanId":"2222222222222222",
    "parentSpanId":"1111111111111111","name":"SELECT","kind":3,
    "startTimeUnixNano":"1700000000200000000","endTimeUnixNano":"1700000000300000000",
    "links":[{"traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"3333333333333333"}],
    "status":{"code":1}}]}]},
 {"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"cart"}}]},
  "scopeSpans":[{"spans":[
   {"traceId":"5b8efff798038103d269b633813fc60c","spanId":"4444444444444444",
    "parentSpanId":"2222222222222222","name":"load","kind":1,
    "startTimeUnixNano":"1700000000210000000","endTimeUnixNano":"1700000000220000000",
    "events":[{"timeUnixNano":"1700000000215000000","name":"ignored",
               "attributes":[{"key":"event","value":{"stringValue":"custom"}}]}]}]}]}]})";

// Trace B: one span; the high half of its id is zero (Jaeger prints it with 16 digits).
inline constexpr char kTraceBHex[] = "00000000000000000000000000000abc";
inline const std::string kTraceB = R"({"resourceSpans":[
 {"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"cart"}}]},
  "scopeSpans":[{"spans":[
   {"traceId":"00000000000000000000000000000abc","spanId":"5555555555555555","name":"checkout",
    "kind":2,"startTimeUnixNano":"1700000001000000000","endTimeUnixNano":"1700000001000001000"}]}]}]})";

inline std::string unhex(std::string_view hex) {
  std::string out(hex.size() / 2, '\0');
  for (size_t i = 0; i < out.size(); ++i)
    out[i] = static_cast<char>(std::stoi(std::string(hex.substr(2 * i, 2)), nullptr, 16));
  return out;
}

inline model::Traces decode(const std::string& json) {
  model::Traces t;
  Status st = model::otlp::decodeJson(json, t);
  EXPECT_TRUE(st.isOk()) << st.toString();
  return t;
}

class FakeTraceReader : public storage::TraceReader {
 public:
  // Raw 16-byte id → OTLP/JSON; findTraces answers every trace in `found` (JSON), in order.
  std::map<std::string, std::string> by_id;
  std::vector<std::string> found;
  std::vector<std::string> service_names;
  std::vector<storage::OperationInfo> ops;
  std::vector<storage::DependencyLink> links;
  Status error;  // when set, every call fails with it

  struct Calls {
    std::optional<storage::TraceQuery> query;
    std::string get_id;
    uint64_t get_start = 0, get_end = 0;
    std::optional<std::string> ops_service;
    std::optional<int32_t> ops_kind;
    uint64_t deps_end = 0, deps_lookback = 0;
  };
  Calls calls() {
    std::lock_guard lock(mu_);
    return calls_;
  }

  Result<model::Traces> getTrace(std::string_view id, uint64_t start, uint64_t end) override {
    std::lock_guard lock(mu_);
    calls_.get_id = std::string(id);
    calls_.get_start = start;
    calls_.get_end = end;
    if (!error.isOk()) return error;
    auto it = by_id.find(std::string(id));
    if (it == by_id.end()) return model::Traces();
    return decode(it->second);
  }
  Result<std::vector<model::Traces>> findTraces(const storage::TraceQuery& q) override {
    std::lock_guard lock(mu_);
    calls_.query = q;
    if (!error.isOk()) return error;
    std::vector<model::Traces> out;
    for (const std::string& json : found) out.push_back(decode(json));
    return out;
  }
  Result<std::vector<std::string>> services() override {
    if (!error.isOk()) return error;
    return service_names;
  }
  Result<std::vector<storage::OperationInfo>> operations(std::string_view service,
                                                         std::optional<int32_t> kind) override {
    std::lock_guard lock(mu_);
    calls_.ops_service = std::string(service);
    calls_.ops_kind = kind;
    if (!error.isOk()) return error;
    return ops;
  }
  Result<std::vector<storage::DependencyLink>> dependencies(uint64_t end,
                                                            uint64_t lookback) override {
    std::lock_guard lock(mu_);
    calls_.deps_end = end;
    calls_.deps_lookback = lookback;
    if (!error.isOk()) return error;
    return links;
  }

 private:
  std::mutex mu_;
  Calls calls_;
};

}  // namespace periscope::api::testing
