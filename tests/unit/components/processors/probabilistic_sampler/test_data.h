// Helpers for the probabilistic_sampler tests: spans and log records with chosen ids,
// tracestate and attributes, built in one arena.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/arena.h"
#include "components/processors/probabilistic_sampler/config.h"
#include "model/log_record.h"
#include "model/span.h"

namespace periscope::components::probabilistic_sampler::testdata {

// 32 hex digits -> 16 raw bytes.
inline std::string hexId(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

inline model::Span span(Arena& a, std::string_view trace_id_hex, std::string_view tracestate = {},
                        std::vector<model::KeyValue> attrs = {}) {
  model::Span s;
  s.trace_id = a.copy(hexId(trace_id_hex));
  s.span_id = a.copy(std::string(8, '\x01'));
  s.trace_state = a.copy(tracestate);
  auto list = a.allocArray<model::KeyValue>(attrs.size());
  for (size_t i = 0; i < attrs.size(); ++i) list[i] = attrs[i];
  s.attributes = list;
  return s;
}

inline model::LogRecord logRecord(Arena& a, std::string_view trace_id_hex,
                                  std::vector<model::KeyValue> attrs = {}) {
  model::LogRecord r;
  if (!trace_id_hex.empty()) r.trace_id = a.copy(hexId(trace_id_hex));
  auto list = a.allocArray<model::KeyValue>(attrs.size());
  for (size_t i = 0; i < attrs.size(); ++i) list[i] = attrs[i];
  r.attributes = list;
  return r;
}

inline Config config(double pct, std::string mode = "hash_seed", uint32_t seed = 0) {
  Config c;
  c.sampling_percentage = pct;
  c.mode = std::move(mode);
  c.hash_seed = seed;
  return c;
}

inline std::string attrString(const model::LogRecord& r, std::string_view key) {
  const model::AnyValue* v = model::findAttribute(r.attributes, key);
  return v == nullptr ? "<absent>" : std::string(v->str());
}

}  // namespace periscope::components::probabilistic_sampler::testdata
