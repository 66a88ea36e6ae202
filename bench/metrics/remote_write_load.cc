// periscope_remote_write_load: the load generator of bench/metrics/run. Two steps, so the
// generator does no encoding while it measures and every server gets the same bytes:
//   periscope_remote_write_load encode --out FILE [--hours H] [--end-ms T] [--series-per-request N]
//   periscope_remote_write_load send --in FILE --url http://HOST:PORT/api/v1/write
//                                    [--connections C] [--window W]
// `encode` writes every remote-write request of the workload (snappy + protobuf, from
// model/prometheus/remote_write.h) into FILE and a key=value summary into FILE.meta.
// `send` posts them as fast as the server answers: C connections, request slot k of every scrape
// on connection k % C, each connection in time order (a series always travels on the same
// connection, as in a sharded Prometheus queue), no connection more than W scrapes ahead of the
// slowest (Prometheus refuses samples more than 1 h older than its newest). 5xx and transport
// errors are retried; 4xx are counted as failed. Prints one summary line.
//
// Workload (bench/metrics/README.md): 22,000 series scraped every 15 s from 120 targets.
//   http_requests_total{code,instance,job,method,route,service}          10,000 counters
//   http_request_duration_seconds_bucket{instance,job,le,method,route,service} 10,000 (1,000 × 10
//   le) rpc_requests_total{code,instance,job,method,service}                  1,000 counters
//   rpc_duration_seconds_bucket{instance,job,le,method,service}           1,000 (100 × 10 le)
// Series are spread over request slots by a fixed shuffle (as a sharded queue would), grouped by
// target inside a slot; each target scrapes at its own offset within the 15 s interval.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "app/http_client.h"
#include "common/compression.h"
#include "model/prometheus/remote_write.h"

namespace {

namespace prom = periscope::model::prom;

constexpr int64_t kIntervalMs = 15'000;
constexpr uint32_t kMetadataScrape = 0xffffffff;
constexpr double kBounds[] = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
constexpr const char* kLe[] = {"0.005", "0.01", "0.025", "0.05", "0.1",
                               "0.25",  "0.5",  "1",     "2.5",  "+Inf"};

struct Target {
  std::string job, service, instance;
  int64_t offset_ms;
};

// One counter series or one histogram (its 10 cumulative buckets are consecutive series).
struct Source {
  size_t first_series;
  bool histogram;
  double rate;        // requests per second
  double latency_mu;  // log-normal latency (seconds) of a histogram
};

struct Workload {
  std::vector<Target> targets;
  std::vector<prom::OwnedSeries> series;
  std::vector<size_t> target_of;  // per series
  std::vector<Source> sources;
  std::vector<double> values;
  std::mt19937_64 rng{42};

  void addTarget(std::string job, std::string service, int instance) {
    size_t i = targets.size();
    targets.push_back({std::move(job), std::move(service),
                       "10.1." + std::to_string(i / 200) + "." + std::to_string(i % 200 + 10) +
                           ":" + std::to_string(8080 + instance),
                       static_cast<int64_t>((i * 7919) % kIntervalMs)});
  }
  size_t add(size_t target, prom::Labels labels) {
    std::sort(labels.begin(), labels.end());
    series.push_back({std::move(labels), {prom::RemoteSample{}}});
    target_of.push_back(target);
    return series.size() - 1;
  }
  double pickRate() {
    static constexpr double kRates[] = {0.02, 0.1, 0.5, 2, 10, 40};
    return kRates[rng() % std::size(kRates)];
  }

  Workload() {
    static const char* kServices[] = {"cart",     "checkout",  "payment", "shipping", "catalog",
                                      "search",   "frontend",  "auth",    "profile",  "orders",
                                      "invoices", "reviews",   "ads",     "currency", "email",
                                      "gateway",  "inventory", "pricing", "promo",    "users"};
    static const char* kMethods[] = {"GET", "POST", "PUT", "DELETE"};
    static const char* kRoutes[] = {"/api/v1/items", "/api/v1/items/{id}", "/api/v1/cart",
                                    "/healthz", "/api/v1/checkout"};
    static const char* kCodes[] = {"200", "201", "400", "404", "500"};
    static const char* kRpcMethods[] = {"Get", "List", "Create", "Update", "Delete"};
    static const char* kRpcCodes[] = {
        "OK",       "CANCELLED",   "UNKNOWN",           "INVALID_ARGUMENT", "NOT_FOUND",
        "INTERNAL", "UNAVAILABLE", "DEADLINE_EXCEEDED", "ABORTED",          "PERMISSION_DENIED"};
    for (int s = 0; s < 20; ++s)
      for (int i = 0; i < 5; ++i) addTarget("shop", kServices[s], i);
    for (int s = 0; s < 10; ++s)
      for (int i = 0; i < 2; ++i) addTarget("grpc", std::string(kServices[s]) + "-rpc", i);
    auto base = [&](size_t t, const char* name) {
      return prom::Labels{{"__name__", name},
                          {"instance", targets[t].instance},
                          {"job", targets[t].job},
                          {"service", targets[t].service}};
    };
    auto histogram = [&](size_t t, const char* name, prom::Labels extra) {
      size_t first = series.size();
      for (const char* le : kLe) {
        auto l = base(t, name);
        l.insert(l.end(), extra.begin(), extra.end());
        l.push_back({"le", le});
        add(t, std::move(l));
      }
      sources.push_back(
          {first, true, pickRate(), std::log(0.02) + static_cast<double>(rng() % 100) / 40.0});
    };
    for (size_t t = 0; t < 100; ++t) {
      for (const char* m : kMethods)
        for (const char* r : kRoutes)
          for (const char* c : kCodes) {
            auto l = base(t, "http_requests_total");
            l.insert(l.end(), {{"method", m}, {"route", r}, {"code", c}});
            sources.push_back({add(t, std::move(l)), false, pickRate(), 0});
          }
      for (int m = 0; m < 2; ++m)
        for (const char* r : kRoutes)
          histogram(t, "http_request_duration_seconds_bucket",
                    {{"method", kMethods[m]}, {"route", r}});
    }
    for (size_t t = 100; t < targets.size(); ++t) {
      for (const char* m : kRpcMethods)
        for (const char* c : kRpcCodes) {
          auto l = base(t, "rpc_requests_total");
          l.insert(l.end(), {{"method", m}, {"code", c}});
          sources.push_back({add(t, std::move(l)), false, pickRate(), 0});
        }
      for (const char* m : kRpcMethods)
        histogram(t, "rpc_duration_seconds_bucket", {{"method", m}});
    }
    values.assign(series.size(), 0);
  }

  // Advances every counter by one scrape: integer increments around rate × 15 s; a histogram's
  // requests fall into buckets by a log-normal latency, cumulative over le.
  void step() {
    std::uniform_real_distribution<double> u(0.5, 1.5);
    std::normal_distribution<double> z(0, 1);
    for (const auto& s : sources) {
      auto n = std::round(s.rate * 15 * u(rng));
      if (!s.histogram) {
        values[s.first_series] += n;
        continue;
      }
      // n requests: sample a handful of latencies and scale, so big n stays cheap.
      double counts[10] = {0};
      int draws = static_cast<int>(std::min(n, 32.0));
      for (int d = 0; d < draws; ++d) {
        double latency = std::exp(s.latency_mu + 0.8 * z(rng));
        size_t b =
            std::lower_bound(std::begin(kBounds), std::end(kBounds), latency) - std::begin(kBounds);
        for (size_t k = b; k < 10; ++k) counts[k] += 1;
      }
      for (size_t k = 0; k < 10; ++k) {
        double inc = draws ? std::round(counts[k] * n / draws) : 0;
        values[s.first_series + k] += inc;
      }
    }
  }
};

void writeU32(std::ofstream& out, uint32_t v) {
  out.write(reinterpret_cast<const char*>(&v), 4);
}

int encode(int argc, char** argv) {
  std::string out_path;
  double hours = 2;
  size_t per_request = 2000;
  int64_t end_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  for (int i = 0; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--out")
      out_path = v;
    else if (k == "--hours")
      hours = std::stod(v);
    else if (k == "--end-ms")
      end_ms = std::stoll(v);
    else if (k == "--series-per-request")
      per_request = std::stoul(v);
    else {
      std::fprintf(stderr, "encode: unknown flag %s\n", k.c_str());
      return 2;
    }
  }
  if (out_path.empty()) {
    std::fprintf(stderr, "encode: --out FILE is required\n");
    return 2;
  }
  end_ms -= end_ms % kIntervalMs;
  auto scrapes = static_cast<uint32_t>(hours * 3600'000 / kIntervalMs);
  int64_t start_ms = end_ms - static_cast<int64_t>(scrapes) * kIntervalMs;  // scrape 0's interval

  Workload w;
  // Slots: a fixed shuffle of the series, cut into requests, each sorted by target then series.
  std::vector<size_t> order(w.series.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), std::mt19937_64{7});
  std::vector<std::vector<const prom::OwnedSeries*>> slots;
  for (size_t i = 0; i < order.size(); i += per_request) {
    std::vector<size_t> part(order.begin() + i,
                             order.begin() + std::min(order.size(), i + per_request));
    std::sort(part.begin(), part.end());
    auto& slot = slots.emplace_back();
    for (size_t s : part) slot.push_back(&w.series[s]);
  }

  std::ofstream out(out_path, std::ios::binary);
  auto emit = [&](uint32_t scrape, uint32_t slot, uint32_t samples, const std::string& raw) {
    auto body = periscope::compression::compress(periscope::compression::Encoding::kSnappy, raw);
    writeU32(out, scrape);
    writeU32(out, slot);
    writeU32(out, samples);
    writeU32(out, static_cast<uint32_t>(body.value().size()));
    out.write(body.value().data(), static_cast<std::streamsize>(body.value().size()));
    return body.value().size();
  };
  // Metadata first, in a request of its own, as Prometheus 2.x sends it.
  std::vector<prom::MetricMetadata> md = {
      {"http_requests_total", prom::MetricKind::kCounter, "Requests served.", ""},
      {"http_request_duration_seconds", prom::MetricKind::kHistogram, "Request latency.",
       "seconds"},
      {"rpc_requests_total", prom::MetricKind::kCounter, "RPCs served.", ""},
      {"rpc_duration_seconds", prom::MetricKind::kHistogram, "RPC latency.", "seconds"}};
  std::string raw;
  prom::encodeWriteRequest({}, md, raw);
  emit(kMetadataScrape, 0, 0, raw);

  uint64_t bytes = 0, raw_bytes = 0, requests = 0;
  for (uint32_t s = 0; s < scrapes; ++s) {
    w.step();
    int64_t scrape_ms = start_ms + static_cast<int64_t>(s + 1) * kIntervalMs;
    for (size_t i = 0; i < w.series.size(); ++i) {
      auto& sample = w.series[i].samples[0];
      sample.value = w.values[i];
      sample.timestamp_ms = scrape_ms - kIntervalMs + w.targets[w.target_of[i]].offset_ms;
    }
    for (uint32_t k = 0; k < slots.size(); ++k) {
      raw.clear();
      prom::encodeWriteRequest(slots[k], {}, raw);
      raw_bytes += raw.size();
      bytes += emit(s, k, static_cast<uint32_t>(slots[k].size()), raw);
      ++requests;
    }
  }
  out.close();
  if (!out) {
    std::fprintf(stderr, "encode: writing %s failed\n", out_path.c_str());
    return 1;
  }
  size_t counts[4] = {0};
  for (const auto& s : w.series) {
    auto name = prom::labelValue(s.labels, "__name__");
    counts[name == "http_requests_total"                    ? 0
           : name == "http_request_duration_seconds_bucket" ? 1
           : name == "rpc_requests_total"                   ? 2
                                                            : 3]++;
  }
  std::ofstream meta(out_path + ".meta");
  uint64_t samples = static_cast<uint64_t>(w.series.size()) * scrapes;
  // First and last sample timestamps, so queries can cover exactly the loaded range.
  int64_t first_ms = start_ms, last_ms = start_ms + static_cast<int64_t>(scrapes) * kIntervalMs;
  meta << "series=" << w.series.size() << "\nscrapes=" << scrapes << "\nsamples=" << samples
       << "\nrequests=" << requests << "\nslots=" << slots.size() << "\ninterval_ms=" << kIntervalMs
       << "\nfirst_ms=" << first_ms << "\nlast_ms=" << last_ms
       << "\nhttp_requests_total=" << counts[0]
       << "\nhttp_request_duration_seconds_bucket=" << counts[1]
       << "\nrpc_requests_total=" << counts[2] << "\nrpc_duration_seconds_bucket=" << counts[3]
       << "\nsnappy_bytes=" << bytes << "\nprotobuf_bytes=" << raw_bytes << "\n";
  std::fprintf(stderr, "encoded %llu requests, %llu samples, %.1f MB snappy (%.1f B/sample raw)\n",
               static_cast<unsigned long long>(requests), static_cast<unsigned long long>(samples),
               static_cast<double>(bytes) / 1e6,
               static_cast<double>(raw_bytes) / static_cast<double>(samples));
  return 0;
}

struct Request {
  uint32_t scrape, slot, samples;
  std::string_view body;
};

int send(int argc, char** argv) {
  std::string in_path, url;
  int connections = 4;
  uint32_t window = 4;
  for (int i = 0; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--in")
      in_path = v;
    else if (k == "--url")
      url = v;
    else if (k == "--connections")
      connections = std::stoi(v);
    else if (k == "--window")
      window = static_cast<uint32_t>(std::stoul(v));
    else {
      std::fprintf(stderr, "send: unknown flag %s\n", k.c_str());
      return 2;
    }
  }
  std::ifstream in(in_path, std::ios::binary);
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in || data.empty() || url.empty() || connections < 1) {
    std::fprintf(stderr, "send: need --in FILE (readable) and --url URL\n");
    return 2;
  }
  std::vector<Request> requests;
  uint32_t slots = 0, scrapes = 0;
  for (size_t p = 0; p + 16 <= data.size();) {
    uint32_t h[4];
    std::memcpy(h, data.data() + p, 16);
    requests.push_back({h[0], h[1], h[2], std::string_view(data).substr(p + 16, h[3])});
    p += 16 + h[3];
    if (h[0] != kMetadataScrape) {
      slots = std::max(slots, h[1] + 1);
      scrapes = std::max(scrapes, h[0] + 1);
    }
  }
  const std::vector<std::string> headers = {
      "Content-Type: application/x-protobuf", "Content-Encoding: snappy",
      "X-Prometheus-Remote-Write-Version: 0.1.0", "User-Agent: periscope-bench/1", "Expect:"};
  std::atomic<uint64_t> sent{0}, ok_samples{0}, failed_samples{0}, retries{0}, failed{0};
  std::mutex mu;
  std::condition_variable cv;
  std::string first_error;
  std::vector<uint32_t> done(static_cast<size_t>(connections), 0);  // scrapes finished, per conn

  auto post = [&](periscope::app::HttpClient& client, const Request& r) {
    for (int attempt = 0;; ++attempt) {
      auto resp = client.post(url, r.body, std::chrono::seconds(60));
      sent++;
      bool ok =
          resp.outcome == periscope::app::HttpResponse::Outcome::kOk && resp.status / 100 == 2;
      bool retryable = resp.outcome != periscope::app::HttpResponse::Outcome::kOk ||
                       resp.status / 100 == 5 || resp.status == 429;
      if (ok) {
        ok_samples += r.samples;
        return;
      }
      if (!retryable || attempt >= 50) {
        failed++;
        failed_samples += r.samples;
        std::lock_guard lock(mu);
        if (first_error.empty())
          first_error =
              resp.outcome == periscope::app::HttpResponse::Outcome::kOk
                  ? "HTTP " + std::to_string(resp.status) + ": " + resp.body.substr(0, 300)
                  : resp.error;
        return;
      }
      retries++;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  };

  auto t0 = std::chrono::steady_clock::now();
  {
    periscope::app::HttpClient client(headers);
    for (const auto& r : requests)
      if (r.scrape == kMetadataScrape) post(client, r);
  }
  std::vector<std::thread> threads;
  for (int c = 0; c < connections; ++c) {
    threads.emplace_back([&, c] {
      periscope::app::HttpClient client(headers);
      size_t next = 0;
      for (uint32_t s = 0; s < scrapes; ++s) {
        {
          std::unique_lock lock(mu);
          cv.wait(lock, [&] { return *std::min_element(done.begin(), done.end()) + window >= s; });
        }
        for (; next < requests.size() &&
               (requests[next].scrape == kMetadataScrape || requests[next].scrape <= s);
             ++next) {
          const auto& r = requests[next];
          if (r.scrape == kMetadataScrape ||
              r.slot % static_cast<uint32_t>(connections) != static_cast<uint32_t>(c))
            continue;
          post(client, r);
        }
        {
          std::lock_guard lock(mu);
          done[static_cast<size_t>(c)] = s + 1;
        }
        cv.notify_all();
      }
    });
  }
  for (auto& t : threads) t.join();
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf(
      "requests=%llu failed_requests=%llu retries=%llu samples_ok=%llu samples_failed=%llu "
      "seconds=%.3f samples_per_s=%.0f slots=%u scrapes=%u\n",
      static_cast<unsigned long long>(sent.load()), static_cast<unsigned long long>(failed.load()),
      static_cast<unsigned long long>(retries.load()),
      static_cast<unsigned long long>(ok_samples.load()),
      static_cast<unsigned long long>(failed_samples.load()), secs,
      static_cast<double>(ok_samples.load()) / secs, slots, scrapes);
  if (!first_error.empty()) std::printf("first_error: %s\n", first_error.c_str());
  return failed.load() == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::string cmd = argc > 1 ? argv[1] : "";
  if (cmd == "encode") return encode(argc - 2, argv + 2);
  if (cmd == "send") return send(argc - 2, argv + 2);
  std::fprintf(stderr,
               "usage: periscope_remote_write_load encode --out FILE [--hours H] [--end-ms T] "
               "[--series-per-request N]\n"
               "       periscope_remote_write_load send --in FILE --url URL [--connections C] "
               "[--window W]\n");
  return 2;
}
