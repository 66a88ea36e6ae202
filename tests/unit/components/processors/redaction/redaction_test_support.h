// Builders and printers shared by the redaction processor tests.
#pragma once

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include "common/arena.h"
#include "components/processors/redaction/redactor.h"
#include "model/batch.h"

namespace periscope::components::redaction::test {

inline model::AnyValue str(Arena& a, std::string_view s) {
  return model::AnyValue::string(a.copy(s));
}

inline model::Attributes attrs(
    Arena& a, std::initializer_list<std::pair<std::string_view, model::AnyValue>> kvs) {
  auto out = a.allocArray<model::KeyValue>(kvs.size());
  size_t i = 0;
  for (const auto& [k, v] : kvs) out[i++] = {a.copy(k), v};
  return out;
}

inline model::AnyValue kvlist(
    Arena& a, std::initializer_list<std::pair<std::string_view, model::AnyValue>> kvs) {
  return model::AnyValue::kvlist(attrs(a, kvs));
}

inline model::AnyValue array(Arena& a, std::initializer_list<model::AnyValue> values) {
  auto out = a.allocArray<model::AnyValue>(values.size());
  size_t i = 0;
  for (const auto& v : values) out[i++] = v;
  return model::AnyValue::array(out);
}

// "s" for strings, i:N for ints, {k=v,...} for maps, [a,b] for arrays.
inline std::string show(const model::AnyValue& v) {
  switch (v.type()) {
    case model::AnyValue::Type::kString:
      return std::string(v.str());
    case model::AnyValue::Type::kInt:
      return "i:" + std::to_string(v.intValue());
    case model::AnyValue::Type::kBool:
      return v.boolValue() ? "true" : "false";
    case model::AnyValue::Type::kDouble:
      return "d:" + std::to_string(v.doubleValue());
    case model::AnyValue::Type::kKvList: {
      std::string out = "{";
      for (const auto& kv : v.kvlistValues()) {
        if (out.size() > 1) out += ",";
        out += std::string(kv.key) + "=" + show(kv.value);
      }
      return out + "}";
    }
    case model::AnyValue::Type::kArray: {
      std::string out = "[";
      for (const auto& e : v.arrayValues()) {
        if (out.size() > 1) out += ",";
        out += show(e);
      }
      return out + "]";
    }
    default:
      return "<other>";
  }
}

inline std::string show(model::Attributes attrs) {
  std::string out;
  for (const auto& kv : attrs) {
    if (!out.empty()) out += "; ";
    out += std::string(kv.key) + "=" + show(kv.value);
  }
  return out;
}

inline std::unique_ptr<Redactor> make(const Config& c) {
  auto r = Redactor::create(c);
  EXPECT_TRUE(r.isOk()) << r.status().message();
  return std::move(r).value();
}

// One log record with `body` and `attributes` built in the batch's own arena by `build`.
template <typename Build>
model::Logs oneLog(Build build) {
  model::Logs logs;
  Arena& a = logs.arena();
  model::ResourceLogs rl;
  rl.has_resource = true;
  auto scopes = a.allocArray<model::ScopeLogs>(1);
  auto records = a.allocArray<model::LogRecord>(1);
  build(a, records[0]);
  scopes[0].log_records = records;
  rl.scope_logs = scopes;
  logs.resources().push_back(rl);
  return logs;
}

}  // namespace periscope::components::redaction::test
