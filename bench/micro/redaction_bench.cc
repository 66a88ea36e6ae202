// The redaction processor over realistic log records: a string body and 8 attributes (service
// fields, an HTTP route, url.full, a user id, a client address, a SQL statement), about 1 record
// in 10 carrying a secret (e-mail, card number, AWS key id, JWT or a password in the body).
// Five value patterns: blocked_values `password=\S+` plus the credit_card, email,
// aws_access_key_id and jwt detectors; `allow_all_keys`, `summary: info`. Items are log records,
// so items_per_second is records per CPU-second (Google Benchmark divides by CPU time).
// "/sanitisers" adds the URL query and SQL literal sanitisers on url.full and db.statement.
//
// BM_RedactionHostile: the hostile inputs of hostile_test.cc (catastrophic-backtracking patterns,
// long digit runs, dense matches, runs of rejected candidates, quote/comment/dollar soup for the
// SQL sanitiser, a long query for the URL sanitiser) as one value of 1, 2 and 4 MiB: the time per
// value should grow linearly with its size (RE2 and the sanitisers are linear).
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "components/processors/redaction/detectors.h"
#include "components/processors/redaction/redaction_processor.h"

namespace {

namespace model = periscope::model;
namespace redaction = periscope::components::redaction;
using periscope::Arena;
constexpr int kRecords = 1024;

model::AnyValue str(Arena& a, const std::string& s) {
  return model::AnyValue::string(a.copy(s));
}

model::Logs makeBatch() {
  model::Logs logs;
  Arena& a = logs.arena();
  auto records = a.allocArray<model::LogRecord>(kRecords);
  static const char* kRoutes[] = {"/api/v1/orders/{id}", "/api/v1/cart", "/api/v1/users/{id}",
                                  "/healthz", "/api/v1/payments"};
  static const char* kSecrets[] = {
      "contact alice.smith@example.com", "card 4111 1111 1111 1111", "key AKIAIOSFODNN7EXAMPLE",
      "token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk",
      "login password=hunter2"};
  for (int i = 0; i < kRecords; ++i) {
    model::LogRecord& r = records[i];
    std::string id = std::to_string(100000 + i * 7);
    std::string route = kRoutes[i % 5];
    std::string body = "request " + id + " GET " + route + " completed with status 200 in " +
                       std::to_string(i % 97) + "ms (user 8342, region eu-west-1)";
    if (i % 10 == 3) body += "; " + std::string(kSecrets[(i / 10) % 5]);
    r.time_unix_nano = 1700000000000000000ull + static_cast<uint64_t>(i) * 1000;
    r.severity_number = 9;
    r.severity_text = "INFO";
    r.body = str(a, body);
    auto attrs = a.allocArray<model::KeyValue>(8);
    attrs[0] = {"service.version", str(a, "1.4.2")};
    attrs[1] = {"http.request.method", str(a, "GET")};
    attrs[2] = {"http.route", str(a, route)};
    attrs[3] = {"http.response.status_code", model::AnyValue::integer(200)};
    attrs[4] = {"url.full",
                str(a, "https://shop.example.com/api/v1/orders/" + id + "?page=2&sort=desc")};
    attrs[5] = {"enduser.id", str(a, "user-" + std::to_string(i % 500))};
    attrs[6] = {"client.address", str(a, "10.0." + std::to_string(i % 250) + ".17")};
    attrs[7] = {"db.statement",
                str(a, "SELECT id, total FROM orders WHERE id = " + id + " AND status = 'open'")};
    r.attributes = attrs;
  }
  model::ResourceLogs rl;
  rl.resource.attributes = a.allocArray<model::KeyValue>(1);
  rl.resource.attributes[0] = {"service.name", str(a, "checkout")};
  auto scopes = a.allocArray<model::ScopeLogs>(1);
  scopes[0].log_records = records;
  rl.scope_logs = scopes;
  logs.resources().push_back(rl);
  return logs;
}

redaction::Config benchConfig(bool sanitisers) {
  redaction::Config c;
  c.allow_all_keys = true;
  c.summary = "info";
  c.blocked_values = {"password=\\S+"};
  c.detectors = {"credit_card", "email", "aws_access_key_id", "jwt"};
  c.url_sanitizer.enabled = sanitisers;
  c.db_sanitizer.sql.enabled = sanitisers;
  return c;
}

void BM_RedactionLogs(benchmark::State& state) {
  auto redactor = redaction::Redactor::create(benchConfig(state.range(0) != 0));
  if (!redactor.isOk()) {
    state.SkipWithError(std::string(redactor.status().message()).c_str());
    return;
  }
  const model::Logs original = makeBatch();
  for (auto _ : state) {
    state.PauseTiming();
    model::Logs batch = original.clone();  // redaction edits in place: a fresh copy each pass
    state.ResumeTiming();
    redaction::redactBatch(*redactor.value(), batch);
    benchmark::DoNotOptimize(batch);
    state.PauseTiming();
    {
      model::Logs done = std::move(batch);  // freeing the copy is not the processor's cost
    }
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * kRecords);
}
BENCHMARK(BM_RedactionLogs)->ArgName("sanitisers")->Arg(0)->Arg(1);

std::string repeat(std::string_view unit, size_t total_bytes) {
  std::string out;
  out.reserve(total_bytes + unit.size());
  while (out.size() < total_bytes) out.append(unit);
  return out;
}

struct Hostile {
  const char* name;
  const char* key;  // attribute the value is scanned under (selects the sanitisers)
  std::string (*input)(size_t bytes);
  void (*configure)(redaction::Config&);
};

void allDetectors(redaction::Config& c) {
  for (const redaction::Detector& d : redaction::builtinDetectors()) {
    c.detectors.emplace_back(d.name);
  }
}

const Hostile kHostile[] = {
    {"nested_quantifiers", "k", [](size_t n) { return std::string(n, 'a'); },
     [](redaction::Config& c) {
       c.blocked_values = {"(a+)+b", "(a|aa)+$x", "(.*a){12}c"};
     }},
    {"digit_run", "k", [](size_t n) { return std::string(n, '4'); }, allDetectors},
    {"many_cards", "k", [](size_t n) { return repeat("4111111111111111 ", n); }, allDetectors},
    {"rejected_candidates", "k",
     [](size_t n) { return repeat("1.2.3.4.5 ffff: :::: a@ eyJ. Bearer x AKIA ", n); },
     allDetectors},
    {"sql_soup", "db.statement",
     [](size_t n) { return repeat("'\\' \"\\\" /* x */ $a$ -- y\n 7 # z\n $$ ", n); },
     [](redaction::Config& c) { c.db_sanitizer.sql.enabled = true; }},
    {"url_query", "url.full", [](size_t n) { return "https://u@h/p?" + repeat("a=1&", n); },
     [](redaction::Config& c) { c.url_sanitizer.enabled = true; }},
};

void BM_RedactionHostile(benchmark::State& state, const Hostile& hostile) {
  redaction::Config c;
  c.allow_all_keys = true;
  hostile.configure(c);
  auto redactor = redaction::Redactor::create(c);
  if (!redactor.isOk()) {
    state.SkipWithError(std::string(redactor.status().message()).c_str());
    return;
  }
  const std::string value = hostile.input(static_cast<size_t>(state.range(0)) << 20);
  for (auto _ : state) {
    auto out = redactor.value()->redactString(hostile.key, value);
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(value.size()));
}

// Named BM_RedactionHostile/<input>/MiB:<n>.
const bool kHostileRegistered = [] {
  for (const Hostile& h : kHostile) {
    benchmark::RegisterBenchmark(("BM_RedactionHostile/" + std::string(h.name)).c_str(),
                                 BM_RedactionHostile, h)
        ->ArgName("MiB")
        ->Arg(1)
        ->Arg(2)
        ->Arg(4)
        ->Unit(benchmark::kMillisecond);
  }
  return true;
}();

}  // namespace
