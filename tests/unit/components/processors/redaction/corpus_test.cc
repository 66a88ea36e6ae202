// Corpus tests: secrets embedded in attributes, log bodies, URLs and SQL are all masked (none of
// them is left anywhere in the re-encoded OTLP/JSON), and look-alikes are left exactly alone.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "components/processors/redaction/detectors.h"
#include "components/processors/redaction/redaction_processor.h"
#include "model/otlp/json_encoder.h"
#include "redaction_test_support.h"

namespace periscope::components::redaction {
namespace {

namespace fs = std::filesystem;
using test::str;

struct Line {
  std::string kind;
  std::string secret;  // empty for look-alikes
  std::string text;
};

fs::path testdata() {
  return fs::path(PERISCOPE_SOURCE_DIR) / "tests/unit/components/processors/redaction/testdata";
}

std::vector<Line> readCorpus(const std::string& name, bool with_secret) {
  std::ifstream in(testdata() / name);
  std::vector<Line> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    size_t tab1 = line.find('\t');
    Line l;
    l.kind = line.substr(0, tab1);
    if (with_secret) {
      size_t tab2 = line.find('\t', tab1 + 1);
      l.secret = line.substr(tab1 + 1, tab2 - tab1 - 1);
      l.text = line.substr(tab2 + 1);
      l.text.replace(l.text.find("@@"), 2, l.secret);
    } else {
      l.text = line.substr(tab1 + 1);
    }
    out.push_back(std::move(l));
  }
  return out;
}

// Fail-closed: every key the corpus places is listed except the `unlisted` lines' keys (and no
// redaction.* name). The allowed_values pattern matches the empty string, which must not exempt
// non-string values.
Config corpusConfig() {
  Config c;
  c.allowed_keys = {"message",      "nested",   "detail",       "list",          "url.full",
                    "http.url",     "msg",      "db.statement", "db.query.text", "context",
                    "context_list", "password", "pin",          "api_key"};
  for (const Detector& d : builtinDetectors()) c.detectors.emplace_back(d.name);
  c.blocked_values = {"(?i)password=\\S+"};
  c.blocked_key_patterns = {"(?i)^(password|pin|api_key)$"};
  c.allowed_values = {"^[a-z]*$"};
  c.url_sanitizer.enabled = true;
  c.db_sanitizer.sql.enabled = true;
  return c;
}

// `key=value` of a `blocked` or `unlisted` line; an all-digit value is placed as an int.
std::pair<std::string, model::AnyValue> keyValue(Arena& a, const std::string& text) {
  size_t eq = text.find('=');
  std::string value = text.substr(eq + 1);
  bool digits = !value.empty() && value.find_first_not_of("0123456789") == std::string::npos;
  return {text.substr(0, eq), digits ? model::AnyValue::integer(std::stoll(value)) : str(a, value)};
}

// Every line as log records (string body, map body, attributes) and as a span (attributes and an
// event), in one logs and one traces batch.
struct Batches {
  model::Logs logs;
  model::Traces traces;
};

Batches build(const std::vector<Line>& lines) {
  Batches b;
  Arena& la = b.logs.arena();
  std::vector<model::LogRecord> records;
  Arena& ta = b.traces.arena();
  std::vector<model::Span> spans;
  for (const Line& l : lines) {
    model::LogRecord string_body;
    model::LogRecord map_body;
    model::Span span;
    if (l.kind == "text") {
      string_body.body = str(la, l.text);
      string_body.attributes = test::attrs(la, {{"message", str(la, l.text)}});
      map_body.body = test::kvlist(la, {{"message", str(la, l.text)},
                                        {"nested", test::kvlist(la, {{"detail", str(la, l.text)}})},
                                        {"list", test::array(la, {str(la, l.text)})}});
      span.attributes = test::attrs(ta, {{"message", str(ta, l.text)}});
    } else if (l.kind == "url") {
      string_body.body = str(la, "request to " + l.text + " failed");
      string_body.attributes = test::attrs(la, {{"url.full", str(la, l.text)}});
      map_body.body = test::kvlist(la, {{"msg", str(la, "GET " + l.text)}});
      map_body.attributes = test::attrs(la, {{"http.url", str(la, l.text)}});
      span.attributes =
          test::attrs(ta, {{"url.full", str(ta, l.text)}, {"http.url", str(ta, l.text)}});
    } else if (l.kind == "blocked" || l.kind == "unlisted") {
      auto [lk, lv] = keyValue(la, l.text);
      auto [tk, tv] = keyValue(ta, l.text);
      string_body.attributes = test::attrs(la, {{lk, lv}});
      map_body.body = test::kvlist(la, {{lk, lv}});
      span.attributes = test::attrs(ta, {{tk, tv}});
      if (l.kind == "blocked") {  // key rules do not reach unlisted keys nested in a value
        map_body.attributes =
            test::attrs(la, {{"context", test::kvlist(la, {{lk, lv}})},
                             {"context_list", test::array(la, {test::kvlist(la, {{lk, lv}})})}});
      }
    } else {
      string_body.attributes = test::attrs(la, {{"db.statement", str(la, l.text)}});
      map_body.body = test::kvlist(la, {{"db.statement", str(la, l.text)}});
      span.attributes =
          test::attrs(ta, {{"db.statement", str(ta, l.text)}, {"db.query.text", str(ta, l.text)}});
    }
    auto events = ta.allocArray<model::SpanEvent>(1);
    events[0].attributes = test::attrs(ta, {{span.attributes[0].key, span.attributes[0].value}});
    span.events = events;
    records.push_back(string_body);
    records.push_back(map_body);
    spans.push_back(span);
  }
  model::ResourceLogs rl;
  auto scope_logs = la.allocArray<model::ScopeLogs>(1);
  scope_logs[0].log_records = la.copyArray<model::LogRecord>(records);
  rl.scope_logs = scope_logs;
  b.logs.resources().push_back(rl);
  model::ResourceSpans rs;
  auto scope_spans = ta.allocArray<model::ScopeSpans>(1);
  scope_spans[0].spans = ta.copyArray<model::Span>(spans);
  rs.scope_spans = scope_spans;
  b.traces.resources().push_back(rs);
  return b;
}

TEST(RedactionCorpus, EverySecretIsMasked) {
  std::vector<Line> lines = readCorpus("secrets.tsv", true);
  ASSERT_GE(lines.size(), 25u);
  Batches b = build(lines);
  auto redactor = test::make(corpusConfig());
  redactBatch(*redactor, b.logs);
  redactBatch(*redactor, b.traces);

  std::string json;
  model::otlp::encodeJson(b.logs, json);
  model::otlp::encodeJson(b.traces, json);
  // Every value as text too, for a check independent of JSON escaping.
  std::vector<std::string> values;
  for (const auto& r : b.logs.resources()[0].scope_logs[0].log_records) {
    values.push_back(test::show(r.body));
    values.push_back(test::show(r.attributes));
  }
  for (const auto& s : b.traces.resources()[0].scope_spans[0].spans) {
    values.push_back(test::show(s.attributes));
    values.push_back(test::show(s.events[0].attributes));
  }
  size_t leaks = 0;
  for (const Line& l : lines) {
    bool in_json = json.find(l.secret) != std::string::npos;
    bool in_values = false;
    for (const std::string& v : values) in_values |= v.find(l.secret) != std::string::npos;
    if (in_json || in_values) {
      ++leaks;
      ADD_FAILURE() << l.kind << " secret leaked: " << l.secret << " (from: " << l.text << ")";
    }
  }
  EXPECT_EQ(leaks, 0u);
  // The masks are there (nothing was simply dropped): one per placement at least.
  EXPECT_NE(json.find("****"), std::string::npos);
  EXPECT_NE(json.find("WHERE password = ?"), std::string::npos);
}

TEST(RedactionCorpus, LookAlikesAreLeftExactlyAlone) {
  std::vector<Line> lines = readCorpus("lookalikes.tsv", false);
  ASSERT_GE(lines.size(), 25u);
  Batches before = build(lines);
  Batches after = build(lines);
  auto redactor = test::make(corpusConfig());
  redactBatch(*redactor, after.logs);
  redactBatch(*redactor, after.traces);
  std::string want;
  std::string got;
  model::otlp::encodeJson(before.logs, want);
  model::otlp::encodeJson(before.traces, want);
  model::otlp::encodeJson(after.logs, got);
  model::otlp::encodeJson(after.traces, got);
  EXPECT_EQ(got, want);
  // Same check per record, for a readable failure.
  const auto& a = after.logs.resources()[0].scope_logs[0].log_records;
  const auto& w = before.logs.resources()[0].scope_logs[0].log_records;
  ASSERT_EQ(a.size(), w.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(test::show(a[i].body), test::show(w[i].body));
    EXPECT_EQ(test::show(a[i].attributes), test::show(w[i].attributes));
  }
}

}  // namespace
}  // namespace periscope::components::redaction
