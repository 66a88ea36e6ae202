// Helpers for log store tests: OTLP log batches from protobuf requests or short record lists,
// and a canonical, order-free form of a batch's records for exact comparisons.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "model/batch.h"
#include "model/otlp/proto_decoder.h"
#include "model/otlp/proto_encoder.h"
#include "storage/signals/logs/log_segment.h"
#include "support/otlp_random.h"

namespace periscope::storage::logs::test {

inline model::Logs decodeLogs(const testing::PbLogs& req) {
  model::Logs out;
  std::string_view bytes = out.arena().adopt(req.SerializeAsString());
  Status st = model::otlp::decode(bytes, out);
  EXPECT_TRUE(st.isOk()) << st.message();
  return out;
}

// One string per record: the OTLP encoding of a batch holding just it (with its resource and
// scope), sorted, so two batches compare equal when they hold the same records.
inline std::vector<std::string> canonical(const model::Logs& logs) {
  std::vector<std::string> out;
  for (const auto& rl : logs.resources()) {
    for (const auto& sl : rl.scope_logs) {
      for (const auto& r : sl.log_records) {
        model::Logs one;
        RecordRef ref{&rl, &sl, &r, recordTime(r)};
        buildLogs(std::span<const RecordRef>(&ref, 1), one);
        std::string bytes;
        model::otlp::encode(one, bytes);
        out.push_back(std::move(bytes));
      }
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

inline void appendAll(std::vector<std::string>& to, const std::vector<std::string>& from) {
  to.insert(to.end(), from.begin(), from.end());
  std::sort(to.begin(), to.end());
}

struct Rec {
  Rec() = default;
  Rec(uint64_t t, int sev, std::string b, std::string svc = "checkout", std::string trace = "")
      : time_ns(t),
        severity(sev),
        body(std::move(b)),
        service(std::move(svc)),
        trace_id(std::move(trace)) {}
  uint64_t time_ns = 0;
  int severity = 9;
  std::string body;
  std::string service = "checkout";
  std::string trace_id;  // 16 raw bytes or empty
};

inline std::string traceId(int n) {
  std::string id(16, '\0');
  for (int i = 0; i < 8; ++i)
    id[static_cast<size_t>(i)] = static_cast<char>(static_cast<uint64_t>(n) >> (8 * i));
  id[15] = 't';
  return id;
}

// One resource per distinct service (in order of first appearance), one scope each.
inline model::Logs makeLogs(const std::vector<Rec>& recs) {
  testing::PbLogs req;
  std::vector<std::string> services;
  for (const Rec& r : recs) {
    auto it = std::find(services.begin(), services.end(), r.service);
    size_t idx = static_cast<size_t>(it - services.begin());
    if (it == services.end()) {
      services.push_back(r.service);
      auto* rl = req.add_resource_logs();
      auto* kv = rl->mutable_resource()->add_attributes();
      kv->set_key("service.name");
      kv->mutable_value()->set_string_value(r.service);
      rl->add_scope_logs()->mutable_scope()->set_name("test");
    }
    auto* l =
        req.mutable_resource_logs(static_cast<int>(idx))->mutable_scope_logs(0)->add_log_records();
    l->set_time_unix_nano(r.time_ns);
    l->set_observed_time_unix_nano(r.time_ns + 5);
    l->set_severity_number(static_cast<opentelemetry::proto::logs::v1::SeverityNumber>(r.severity));
    l->mutable_body()->set_string_value(r.body);
    if (!r.trace_id.empty()) l->set_trace_id(r.trace_id);
  }
  return decodeLogs(req);
}

// Records with neither timestamp get `observed` (what the store does on write), so that a
// random batch round-trips exactly.
inline void stampTimeless(model::Logs& logs, uint64_t observed) {
  for (auto& rl : logs.resources())
    for (auto& sl : rl.scope_logs)
      for (auto& r : sl.log_records)
        if (r.time_unix_nano == 0 && r.observed_time_unix_nano == 0)
          r.observed_time_unix_nano = observed;
}

}  // namespace periscope::storage::logs::test
