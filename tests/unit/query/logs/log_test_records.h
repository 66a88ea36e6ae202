// Log records written compactly as JSON, one object per record, for the log query tests:
//   {"t":10, "obs":9.5, "svc":"checkout", "res":{"k8s.pod.name":"p1"}, "scope":"lib",
//    "sev":17, "text":"ERROR", "body":"timeout" or any JSON, "attrs":{"k":"v","n":3},
//    "trace":"<32 hex>", "span":"<16 hex>"}
// t and obs are seconds. Attribute and body values: strings, integers, doubles, booleans, null
// (an empty value), arrays and objects (maps). Consecutive records with the same svc, res and
// scope share one resource/scope group.
#pragma once

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>

#include "model/batch.h"

namespace periscope::query::logs::testing {

inline model::AnyValue anyValueOf(const nlohmann::ordered_json& j, Arena& arena) {
  using model::AnyValue;
  if (j.is_string()) return AnyValue::string(arena.copy(j.get<std::string>()));
  if (j.is_boolean()) return AnyValue::boolean(j.get<bool>());
  if (j.is_number_integer()) return AnyValue::integer(j.get<int64_t>());
  if (j.is_number()) return AnyValue::dbl(j.get<double>());
  if (j.is_array()) {
    auto values = arena.allocArray<AnyValue>(j.size());
    for (size_t i = 0; i < j.size(); ++i) values[i] = anyValueOf(j[i], arena);
    return AnyValue::array(values);
  }
  if (j.is_object()) {
    auto kvs = arena.allocArray<model::KeyValue>(j.size());
    size_t i = 0;
    for (const auto& [k, v] : j.items()) {
      kvs[i].key = arena.copy(k);
      kvs[i].value = anyValueOf(v, arena);
      ++i;
    }
    return AnyValue::kvlist(kvs);
  }
  return AnyValue::empty();
}

inline model::Attributes attributesOf(const nlohmann::ordered_json& j, Arena& arena) {
  if (!j.is_object()) return {};
  return anyValueOf(j, arena).kvlistValues();
}

inline std::string bytesOfHex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

inline uint64_t nanosOf(const nlohmann::ordered_json& seconds) {
  return static_cast<uint64_t>(std::llround(seconds.get<double>() * 1e9));
}

// Builds one batch (one chunk of the in-memory reader) record by record.
class BatchBuilder {
 public:
  // Appends one record: to the last group when its svc, res and scope are the same.
  void add(const nlohmann::ordered_json& j) {
    Arena& arena = logs_.arena();
    nlohmann::ordered_json res = j.value("res", nlohmann::ordered_json::object());
    if (j.contains("svc")) res["service.name"] = j["svc"];
    std::string scope = j.value("scope", "");

    model::LogRecord r;
    if (j.contains("t")) r.time_unix_nano = nanosOf(j["t"]);
    if (j.contains("obs")) r.observed_time_unix_nano = nanosOf(j["obs"]);
    r.severity_number = j.value("sev", 0);
    r.severity_text = arena.copy(j.value("text", ""));
    if (j.contains("body")) r.body = anyValueOf(j["body"], arena);
    r.attributes = attributesOf(j.value("attrs", nlohmann::ordered_json::object()), arena);
    r.trace_id = arena.copy(bytesOfHex(j.value("trace", "")));
    r.span_id = arena.copy(bytesOfHex(j.value("span", "")));

    auto& groups = logs_.resources();
    std::string key = res.dump() + "|" + scope;
    if (!groups.empty() && key == last_key_) {
      auto& sl = groups.back().scope_logs[0];
      auto records = arena.allocArray<model::LogRecord>(sl.log_records.size() + 1);
      std::copy(sl.log_records.begin(), sl.log_records.end(), records.begin());
      records.back() = r;
      sl.log_records = records;
      return;
    }
    last_key_ = key;
    model::ResourceLogs rl;
    rl.has_resource = true;
    rl.resource.attributes = attributesOf(res, arena);
    auto scopes = arena.allocArray<model::ScopeLogs>(1);
    scopes[0].has_scope = !scope.empty();
    scopes[0].scope.name = arena.copy(scope);
    auto records = arena.allocArray<model::LogRecord>(1);
    records[0] = r;
    scopes[0].log_records = records;
    rl.scope_logs = scopes;
    groups.push_back(rl);
  }
  void addJson(std::string_view json) { add(nlohmann::ordered_json::parse(json)); }

  bool empty() const { return logs_.resources().empty(); }
  model::Logs take() {
    last_key_.clear();
    return std::exchange(logs_, model::Logs());
  }

 private:
  model::Logs logs_;
  std::string last_key_;
};

}  // namespace periscope::query::logs::testing
