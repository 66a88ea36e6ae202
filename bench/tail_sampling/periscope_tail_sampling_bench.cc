// periscope_tail_sampling_bench: the tail_sampling processor's buffer under a steady span rate,
// in process and on simulated time (a fake clock; the machine runs as fast as it can).
//   periscope_tail_sampling_bench [--rate SPANS_PER_S] [--wait S] [--extra S]
//                                 [--spans-per-trace N] [--batch N]
// Traffic: ~200-byte spans (HTTP server spans with 4 attributes), N spans per trace sent in two
// halves from two services 0.25 s apart, requests of --batch spans, 5 services.
// Phases, each printed as one line:
//   fill    --wait seconds of traffic, no decision due yet: RSS delta / buffered spans (process
//           resident memory before and after), buffer bytes / span, encoded bytes / span;
//   steady  --extra seconds more with a tick per simulated second, so traces are decided
//           (errors, latency >= 1 s, 10 % probabilistic): spans per CPU-second of the processor
//           (thread CPU time of consume() and tick() only; generating the spans is excluded).
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "components/processors/tail_sampling/factory.h"
#include "components/processors/tail_sampling/tail_sampling_processor.h"
#include "config/loader.h"
#include "model/otlp/proto_encoder.h"

namespace {

namespace ts = periscope::components::tail_sampling;
namespace model = periscope::model;
using periscope::Arena;

double threadCpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

uint64_t rssBytes() {
  std::ifstream in("/proc/self/statm");
  uint64_t size = 0, resident = 0;
  in >> size >> resident;
  return resident * static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
}

// Counts what the processor forwards.
class CountingConsumer : public periscope::pipeline::Consumer<model::Traces> {
 public:
  void consume(model::Traces&& data, periscope::pipeline::Done done) override {
    spans += data.itemCount();
    done(periscope::Status::ok());
  }
  uint64_t spans = 0;
};

struct PendingSpan {
  std::string trace_id;
  uint64_t start_ns;
  uint64_t duration_ns;
  bool error;
};

const char* kServices[] = {"frontend", "checkout", "payment", "inventory", "orders"};
const char* kRoutes[] = {"/api/orders/{id}", "/api/cart", "/api/pay", "/api/items/{sku}"};

model::Traces makeBatch(const std::vector<PendingSpan>& spans, int service, std::mt19937_64& rng) {
  model::Traces batch;
  Arena& a = batch.arena();
  auto& rs = batch.resources().emplace_back();
  rs.has_resource = true;
  auto rattrs = a.allocArray<model::KeyValue>(4);
  rattrs[0] = {"service.name", model::AnyValue::string(kServices[service])};
  rattrs[1] = {"host.name", model::AnyValue::string("ip-10-0-3-17.ec2.internal")};
  rattrs[2] = {"telemetry.sdk.language", model::AnyValue::string("go")};
  rattrs[3] = {"deployment.environment", model::AnyValue::string("production")};
  rs.resource.attributes = rattrs;
  auto scopes = a.allocArray<model::ScopeSpans>(1);
  scopes[0].has_scope = true;
  scopes[0].scope.name = "go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp";
  scopes[0].scope.version = "0.49.0";
  auto out = a.allocArray<model::Span>(spans.size());
  for (size_t i = 0; i < spans.size(); ++i) {
    const PendingSpan& p = spans[i];
    model::Span& s = out[i];
    s.trace_id = a.copy(p.trace_id);
    uint64_t ids[2] = {rng(), rng()};
    s.span_id = a.copy(std::string_view(reinterpret_cast<const char*>(&ids[0]), 8));
    s.parent_span_id = a.copy(std::string_view(reinterpret_cast<const char*>(&ids[1]), 8));
    const char* route = kRoutes[ids[0] % 4];
    s.name = a.copy(std::string("GET ") + route);
    s.kind = 2;
    s.start_time_unix_nano = p.start_ns;
    s.end_time_unix_nano = p.start_ns + p.duration_ns;
    auto attrs = a.allocArray<model::KeyValue>(4);
    attrs[0] = {"http.request.method", model::AnyValue::string("GET")};
    attrs[1] = {"http.route", model::AnyValue::string(route)};
    attrs[2] = {"http.response.status_code", model::AnyValue::integer(p.error ? 500 : 200)};
    attrs[3] = {"server.address", model::AnyValue::string("orders.internal")};
    s.attributes = attrs;
    if (p.error) {
      s.has_status = true;
      s.status.code = model::StatusCode::kError;
      s.status_code_raw = 2;
    }
  }
  scopes[0].spans = out;
  rs.scope_spans = scopes;
  return batch;
}

}  // namespace

int main(int argc, char** argv) {
  double rate = 200000;
  int wait_s = 30, extra_s = 10, per_trace = 10, batch_size = 512;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i];
    double v = std::atof(argv[i + 1]);
    if (k == "--rate") rate = v;
    if (k == "--wait") wait_s = static_cast<int>(v);
    if (k == "--extra") extra_s = static_cast<int>(v);
    if (k == "--spans-per-trace") per_trace = static_cast<int>(v);
    if (k == "--batch") batch_size = static_cast<int>(v);
  }
  std::string yaml = "decision_wait: " + std::to_string(wait_s) +
                     "s\nnum_traces: 5000000\nexpected_new_traces_per_sec: " +
                     std::to_string(static_cast<int64_t>(rate / per_trace)) + R"(
decision_cache: {sampled_cache_size: 100000, non_sampled_cache_size: 100000}
policies:
  - {name: errors, type: status_code, status_code: {status_codes: [ERROR]}}
  - {name: slow, type: latency, latency: {threshold_ms: 1000}}
  - {name: sample, type: probabilistic, probabilistic: {sampling_percentage: 10}}
)";
  auto factory = ts::makeFactory();
  periscope::config::Diagnostics diags;
  auto value = periscope::config::loadYamlString(yaml, "bench.yaml", diags);
  auto cfg_base = factory->createDefaultConfig();
  factory->decodeConfig(value, *cfg_base, diags);
  const auto& cfg = static_cast<const ts::Config&>(*cfg_base);
  if (!diags.ok() || !cfg.validate().isOk()) {
    std::fprintf(stderr, "bad config: %s\n", diags.format().c_str());
    return 1;
  }
  int64_t now = 1'000'000'000'000;
  periscope::telemetry::Registry registry;
  CountingConsumer out;
  ts::TailSamplingProcessor::Options o;
  o.clock = [&now] { return now; };
  o.run_ticker = false;
  o.registry = &registry;
  periscope::component::Settings settings;
  settings.id = periscope::component::ComponentId::parse("tail_sampling").value();
  auto created = ts::TailSamplingProcessor::create(settings, cfg, &out, o);
  if (!created.isOk()) return 1;
  auto& proc = **created;

  std::mt19937_64 rng(1);
  const int64_t batch_ns = static_cast<int64_t>(1e9 * batch_size / rate);
  const int64_t half_delay_ns = 250'000'000;
  std::deque<std::pair<int64_t, PendingSpan>> second_halves;  // due time, span
  uint64_t wall_base = 1'767'225'600ull * 1'000'000'000ull;
  double cpu = 0;
  uint64_t fed = 0, encoded_bytes = 0, encoded_spans = 0;
  int64_t next_tick = now + 1'000'000'000;
  int service = 0;

  auto feed = [&](int seconds, bool ticks) {
    int64_t end = now + static_cast<int64_t>(seconds) * 1'000'000'000;
    std::vector<PendingSpan> spans;
    while (now < end) {
      spans.clear();
      while (!second_halves.empty() && second_halves.front().first <= now &&
             static_cast<int>(spans.size()) < batch_size) {
        spans.push_back(second_halves.front().second);
        second_halves.pop_front();
      }
      while (static_cast<int>(spans.size()) + per_trace / 2 <= batch_size) {
        uint64_t id[2] = {rng(), rng()};
        std::string tid(reinterpret_cast<const char*>(id), 16);
        bool error = rng() % 20 == 0;
        bool slow = rng() % 50 == 0;
        uint64_t start = wall_base + static_cast<uint64_t>(now);
        for (int s = 0; s < per_trace; ++s) {
          PendingSpan p{tid, start + static_cast<uint64_t>(s) * 1'000'000,
                        (slow && s == 0 ? 1'500'000'000ull : 20'000'000ull), error && s == 3};
          if (s < per_trace / 2) {
            spans.push_back(p);
          } else {
            second_halves.emplace_back(now + half_delay_ns, p);
          }
        }
      }
      model::Traces batch = makeBatch(spans, service, rng);
      service = (service + 1) % 5;
      if (encoded_spans < 100000) {
        std::string bytes;
        periscope::model::otlp::encode(batch, bytes);
        encoded_bytes += bytes.size();
        encoded_spans += spans.size();
      }
      fed += spans.size();
      double c0 = threadCpuSeconds();
      proc.consume(std::move(batch), [](periscope::Status) {});
      if (ticks && now >= next_tick) {
        proc.tick();
        next_tick += 1'000'000'000;
      }
      cpu += threadCpuSeconds() - c0;
      now += batch_ns;
    }
    if (!ticks) next_tick = now + 1'000'000'000;
  };

  uint64_t rss0 = rssBytes();
  feed(wait_s - 1, false);  // all buffered: nothing is due yet
  uint64_t rss1 = rssBytes();
  uint64_t buffered = proc.pendingSpans();
  std::printf(
      "fill    rate=%.0f spans/s wait=%ds spans/trace=%d: buffered_spans=%llu traces=%zu "
      "encoded_bytes_per_span=%.1f rss_delta_mib=%.1f rss_bytes_per_buffered_span=%.1f "
      "cpu_s=%.2f spans_per_cpu_s=%.0f\n",
      rate, wait_s, per_trace, static_cast<unsigned long long>(buffered), proc.pendingTraces(),
      static_cast<double>(encoded_bytes) / static_cast<double>(encoded_spans),
      static_cast<double>(rss1 - rss0) / (1 << 20),
      static_cast<double>(rss1 - rss0) / static_cast<double>(buffered), cpu,
      static_cast<double>(fed) / cpu);
  uint64_t fed_before = fed;
  const std::string kGlobal = "otelcol_processor_tail_sampling_global_count_traces_sampled";
  double cpu_before = cpu;
  feed(extra_s + 1, true);
  std::printf(
      "steady  extra=%ds: fed_spans=%llu forwarded_spans=%llu buffered_spans=%llu rss_mib=%.1f "
      "cpu_s=%.2f spans_per_cpu_s=%.0f traces_sampled=%.0f traces_not_sampled=%.0f\n",
      extra_s, static_cast<unsigned long long>(fed - fed_before),
      static_cast<unsigned long long>(out.spans),
      static_cast<unsigned long long>(proc.pendingSpans()),
      static_cast<double>(rssBytes()) / (1 << 20), cpu - cpu_before,
      static_cast<double>(fed - fed_before) / (cpu - cpu_before),
      registry.value(
          kGlobal, {{"processor", "tail_sampling"}, {"sampled", "true"}, {"decision", "sampled"}}),
      registry.value(
          kGlobal,
          {{"processor", "tail_sampling"}, {"sampled", "false"}, {"decision", "not_sampled"}}));
  return 0;
}
