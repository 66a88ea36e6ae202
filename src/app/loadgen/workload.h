// Synthetic but realistic OTLP traffic: spans of a small shop (frontend → checkout → payment,
// inventory → database) with semantic-convention attributes, 10% of spans with an exception
// event, ~5% errors. Deterministic for a given seed and base time.
// Two profiles:
//   kStandard  ~410 B/span on the wire (512-span requests), 8–9 attributes per span (the
//              load generator's default).
//   kFat       ~1.88 KB/span: the same spans plus what a fully instrumented service sends —
//              HTTP request/response headers, url.*, code.*, db.statement SQL text, RPC message
//              events, long exception stack traces, k8s/cloud/host/process resource attributes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/batch.h"

namespace periscope::app::loadgen {

enum class Profile { kStandard, kFat };

// "standard" / "fat"; false for anything else.
bool parseProfile(std::string_view name, Profile& out);
std::string_view profileName(Profile profile);

// Trace ids: kRandom = 16 random bytes; kXray = X-Ray-compatible, the first 4 bytes are the
// request's start time in epoch seconds (model/propagation/xray_trace_id.h), so that X-Ray accepts
// the traces when they are exported there.
enum class IdFormat { kRandom, kXray };
// "random" / "xray"; false for anything else.
bool parseIdFormat(std::string_view name, IdFormat& out);

struct WorkloadOptions {
  int spans_per_request = 512;
  int distinct_requests = 16;  // pre-encoded pool size
  uint64_t seed = 1;
  Profile profile = Profile::kStandard;
  uint64_t base_time_unix_nano = 0;  // 0: now − 60 s
  IdFormat id_format = IdFormat::kRandom;
};

// One request's worth of spans; `seed` varies ids and values between requests. Span start times
// fall in [base, base + 1 s); base_time_unix_nano == 0 means now − 60 s, so that only a fixed
// base gives byte-identical output for the same seed.
// With IdFormat::kXray the trace ids start with the base time's epoch seconds.
model::Traces makeTraces(int spans, uint64_t seed, Profile profile = Profile::kStandard,
                         uint64_t base_time_unix_nano = 0, IdFormat id_format = IdFormat::kRandom);

// The fixed benchmark corpus shared by bench/corpus (files for ClickHouse), bench/store and
// bench/micro, so that all of them measure the very same spans: request i holds `spans` spans
// of makeTraces(spans, seed * 1000003 + i, profile, corpusRequestStart(i, rate, base)), i.e. a
// service sending `rate` spans per second in requests of kCorpusSpansPerRequest.
inline constexpr int kCorpusSpansPerRequest = 512;
inline constexpr uint64_t kCorpusBaseUnixNano = 1'767'225'600ull * 1'000'000'000ull;  // 2026-01-01
uint64_t corpusRequestStart(uint64_t i, double rate, uint64_t base = kCorpusBaseUnixNano);
model::Traces corpusRequest(uint64_t i, int spans, Profile profile, double rate, uint64_t seed = 1,
                            uint64_t base = kCorpusBaseUnixNano);

enum class Encoding { kProtobuf, kJson };
std::vector<std::string> encodeRequests(const WorkloadOptions& options, Encoding encoding);

}  // namespace periscope::app::loadgen
