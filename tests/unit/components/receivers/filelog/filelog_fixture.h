// Shared helpers for the filelog receiver tests: YAML → Config through the factory, a consumer
// that keeps each record's fields as plain strings, and file helpers on a temp dir.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <string>
#include <vector>

#include "common/hex.h"
#include "components/receivers/filelog/config.h"
#include "components/receivers/filelog/factory.h"
#include "config/loader.h"
#include "model/any_value_json.h"
#include "pipeline/consumer.h"

namespace periscope::components::filelog::testing {

inline std::unique_ptr<Config> decode(const std::string& yaml, std::string* errors = nullptr) {
  auto factory = makeFactory();
  config::Diagnostics diags;
  config::Value v = config::loadYamlString(yaml, "test.yaml", diags);
  auto cfg = factory->createDefaultConfig();
  factory->decodeConfig(v, *cfg, diags);
  if (errors != nullptr) *errors = diags.format();
  EXPECT_TRUE(errors != nullptr || diags.size() == 0) << diags.format();
  return std::unique_ptr<Config>(static_cast<Config*>(cfg.release()));
}

struct SeenRecord {
  std::string body;                               // string bodies as is; others as compact JSON
  std::map<std::string, std::string> attributes;  // values as compact JSON except strings
  std::map<std::string, std::string> resource;
  int32_t severity = 0;
  std::string severity_text;
  uint64_t time = 0;
  std::string trace_id, span_id;  // hex
  uint32_t flags = 0;
};

// Keeps what it receives; answers `answer` (set it to an error to refuse batches).
class LinesConsumer : public pipeline::LogsConsumer {
 public:
  void consume(model::Logs&& logs, pipeline::Done done) override {
    ++calls;
    Status st = script.empty() ? answer : script.front();
    if (!script.empty()) script.erase(script.begin());
    if (!st.isOk()) {
      done(st);
      return;
    }
    for (const auto& rl : logs.resources()) {
      for (const auto& sl : rl.scope_logs) {
        for (const auto& r : sl.log_records) {
          SeenRecord s;
          s.body = r.body.type() == model::AnyValue::Type::kString ? std::string(r.body.str())
                                                                   : json(r.body);
          for (const auto& kv : r.attributes) s.attributes[std::string(kv.key)] = text(kv.value);
          for (const auto& kv : rl.resource.attributes)
            s.resource[std::string(kv.key)] = text(kv.value);
          s.severity = r.severity_number;
          s.severity_text = std::string(r.severity_text);
          s.time = r.time_unix_nano;
          s.trace_id = hexEncode(r.trace_id);
          s.span_id = hexEncode(r.span_id);
          s.flags = r.flags;
          records.push_back(std::move(s));
        }
      }
    }
    ++accepted_batches;
    done(Status::ok());
  }
  std::vector<std::string> bodies() const {
    std::vector<std::string> out;
    for (const auto& r : records) out.push_back(r.body);
    return out;
  }

  std::vector<SeenRecord> records;
  Status answer;
  std::vector<Status> script;  // answers for the next calls, in order; then `answer`
  int calls = 0;
  int accepted_batches = 0;

 private:
  static std::string json(const model::AnyValue& v) {
    std::string out;
    model::appendCompactJson(v, out);
    return out;
  }
  static std::string text(const model::AnyValue& v) {
    return v.type() == model::AnyValue::Type::kString ? std::string(v.str()) : json(v);
  }
};

inline void writeFile(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}
inline void appendFile(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::app) << text;
}

// A steady clock the test moves by hand (force_flush_period).
struct FakeClock {
  std::chrono::steady_clock::time_point now{};
  void advance(std::chrono::milliseconds d) { now += d; }
  auto fn() {
    return [this] { return now; };
  }
};

}  // namespace periscope::components::filelog::testing
