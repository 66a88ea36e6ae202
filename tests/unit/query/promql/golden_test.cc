// Golden PromQL tests: declarative files in testdata/*.test, in the format of Prometheus's
// test scripts, run against Engine over an in-memory MetricsReader. Each failure names the
// file:line of its `eval`.
//
//   load <interval>                      series, sample i at i*interval:
//     name{label="v"} 0+10x5 _ stale 3   a+bxn (n+1 values), axn, _ (none), _xn, stale
//   clear                                drop all series
//   eval instant at <time> <query>       then one line per expected element:
//     name{label="v"} 12                   a vector element (unordered)
//     7                                    a scalar
//     "text"                               a string
//     {label="v"} 1@10s 2@20s              a range vector (value@time)
//   eval_ordered instant at <time> <q>   the vector's order matters (sort, sort_desc)
//   eval range from <t> to <t> step <d> <query>
//     {label="v"} 1 2 _ 4                  one value per step, series notation allowed
//   eval_fail instant at <time> <query>  (or eval_fail range …) the query must fail;
//     expected_fail_message <text>         optionally with exactly this message
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "query/promql/engine.h"
#include "support/memory_metrics_reader.h"

namespace periscope::query::promql {
namespace {

using model::prom::Label;
using model::prom::Labels;

// --- Parsing helpers -------------------------------------------------------------------------

std::string trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return "";
  size_t e = s.find_last_not_of(" \t\r");
  return std::string(s.substr(b, e - b + 1));
}

bool parseDuration(std::string_view s, int64_t& ms) {
  if (s.empty()) return false;
  if (s.find_first_not_of("0123456789") == std::string_view::npos) {
    ms = std::stoll(std::string(s)) * 1000;
    return true;
  }
  ms = 0;
  size_t i = 0;
  while (i < s.size()) {
    size_t j = i;
    while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
    if (j == i) return false;
    int64_t n = std::stoll(std::string(s.substr(i, j - i)));
    size_t k = j;
    while (k < s.size() && std::isalpha(static_cast<unsigned char>(s[k]))) ++k;
    std::string_view unit = s.substr(j, k - j);
    int64_t mult = 0;
    if (unit == "ms")
      mult = 1;
    else if (unit == "s")
      mult = 1000;
    else if (unit == "m")
      mult = 60'000;
    else if (unit == "h")
      mult = 3'600'000;
    else if (unit == "d")
      mult = 86'400'000;
    else if (unit == "w")
      mult = 7 * 86'400'000LL;
    else if (unit == "y")
      mult = 365 * 86'400'000LL;
    else
      return false;
    ms += n * mult;
    i = k;
  }
  return true;
}

bool parseNumber(std::string_view s, double& v) {
  std::string t(s);
  if (t == "stale") {
    v = model::prom::staleNaN();
    return true;
  }
  char* end = nullptr;
  v = std::strtod(t.c_str(), &end);
  return !t.empty() && end == t.c_str() + t.size();
}

// Parses `name{a="b", …}` at the start of s; returns the rest.
bool parseLabels(std::string_view s, Labels& labels, std::string_view& rest) {
  labels.clear();
  size_t i = 0;
  while (i < s.size() && s[i] != '{' && s[i] != ' ' && s[i] != '\t') ++i;
  if (i > 0) labels.push_back({"__name__", std::string(s.substr(0, i))});
  if (i < s.size() && s[i] == '{') {
    ++i;
    for (;;) {
      while (i < s.size() && (s[i] == ' ' || s[i] == ',')) ++i;
      if (i >= s.size()) return false;
      if (s[i] == '}') {
        ++i;
        break;
      }
      size_t eq = s.find('=', i);
      if (eq == std::string_view::npos || eq + 1 >= s.size() || s[eq + 1] != '"') return false;
      std::string name = trim(s.substr(i, eq - i));
      std::string value;
      size_t k = eq + 2;
      for (; k < s.size() && s[k] != '"'; ++k) {
        if (s[k] == '\\' && k + 1 < s.size()) {
          ++k;
          value += s[k] == 'n' ? '\n' : s[k];
        } else {
          value += s[k];
        }
      }
      if (k >= s.size()) return false;
      i = k + 1;
      if (!value.empty()) labels.push_back({name, value});
    }
  }
  std::sort(labels.begin(), labels.end());
  rest = s.substr(i);
  return true;
}

// Series notation: values (nullopt = missing), one per step.
bool parseValues(std::string_view s, std::vector<std::optional<double>>& out) {
  std::istringstream in{std::string(s)};
  std::string tok;
  while (in >> tok) {
    size_t x = tok.rfind('x');
    if (x == std::string::npos) {
      if (tok == "_") {
        out.push_back(std::nullopt);
        continue;
      }
      double v;
      if (!parseNumber(tok, v)) return false;
      out.push_back(v);
      continue;
    }
    int n = std::stoi(tok.substr(x + 1));
    std::string left = tok.substr(0, x);
    if (left == "_") {
      for (int i = 0; i < n; ++i) out.push_back(std::nullopt);
      continue;
    }
    size_t op = std::string::npos;
    for (size_t i = 1; i < left.size(); ++i) {
      if ((left[i] == '+' || left[i] == '-') && left[i - 1] != 'e' && left[i - 1] != 'E') op = i;
    }
    double a, b = 0;
    if (op == std::string::npos) {
      if (!parseNumber(left, a)) return false;
    } else {
      if (!parseNumber(left.substr(0, op), a) || !parseNumber(left.substr(op + 1), b)) return false;
      if (left[op] == '-') b = -b;
    }
    for (int i = 0; i <= n; ++i) out.push_back(a + b * i);
  }
  return true;
}

bool almostEqual(double a, double b) {
  if (std::isnan(a) && std::isnan(b)) return true;
  if (a == b) return true;
  constexpr double kEpsilon = 1e-6, kMinNormal = 2.2250738585072014e-308;
  double diff = std::fabs(a - b);
  if (a == 0 || b == 0 || diff < kMinNormal) return diff < kEpsilon * kMinNormal;
  return diff / (std::fabs(a) + std::fabs(b)) < kEpsilon;
}

std::string fmt(double v) {
  std::ostringstream o;
  o.precision(17);
  o << v;
  return o.str();
}

std::string describe(const QueryResult& r) {
  std::ostringstream o;
  if (r.type == ValueType::kScalar) return "scalar " + fmt(r.scalar.v);
  if (r.type == ValueType::kString) return "string \"" + r.string_value + "\"";
  for (const SeriesResult& s : r.series) {
    o << "\n    " << model::prom::labelsToString(s.labels);
    for (const Point& p : s.points) o << " " << fmt(p.v) << "@" << p.t;
  }
  return o.str();
}

// --- The script ------------------------------------------------------------------------------

struct Expected {
  Labels labels;
  std::vector<std::optional<double>> values;  // per step (range) or one (instant)
  std::vector<int64_t> times;                 // range vectors: v@t
};

struct EvalCase {
  int line = 0;
  bool is_range = false, ordered = false, fail = false;
  int64_t start = 0, end = 0, step = 0;
  std::string query;
  std::vector<Expected> expected;
  std::optional<double> scalar;
  std::optional<std::string> str;
  std::optional<std::string> fail_message;
};

class Script {
 public:
  explicit Script(std::string path) : path_(std::move(path)) {}

  void run() {
    std::ifstream f(path_);
    ASSERT_TRUE(f) << "cannot open " << path_;
    std::vector<std::string> lines;
    for (std::string l; std::getline(f, l);) lines.push_back(l);
    size_t i = 0;
    while (i < lines.size()) {
      std::string line = trim(lines[i]);
      int lineno = static_cast<int>(i) + 1;
      ++i;
      if (line.empty() || line[0] == '#') continue;
      if (line.rfind("load ", 0) == 0) {
        int64_t interval;
        if (!parseDuration(trim(line.substr(5)), interval)) {
          fail(lineno, "bad load interval");
          return;
        }
        for (; i < lines.size() && isIndented(lines[i]); ++i) {
          if (!load(trim(lines[i]), interval)) fail(static_cast<int>(i) + 1, "bad series line");
        }
      } else if (line == "clear") {
        reader_.clear();
      } else if (line.rfind("eval", 0) == 0) {
        EvalCase c;
        c.line = lineno;
        if (!parseEval(line, c)) {
          fail(lineno, "bad eval line");
          continue;
        }
        for (; i < lines.size() && isIndented(lines[i]); ++i) {
          std::string body = trim(lines[i]);
          if (body.empty() || body[0] == '#') continue;
          if (!parseExpectation(body, c)) fail(static_cast<int>(i) + 1, "bad expectation");
        }
        evaluate(c);
        ++cases_;
      } else {
        fail(lineno, "unknown command: " + line);
      }
    }
  }
  int cases() const { return cases_; }

 private:
  static bool isIndented(const std::string& l) {
    return !l.empty() && (l[0] == ' ' || l[0] == '\t');
  }

  void fail(int line, const std::string& what) {
    ADD_FAILURE_AT(path_.c_str(), line) << path_ << ":" << line << ": " << what;
  }

  bool load(const std::string& line, int64_t interval) {
    Labels labels;
    std::string_view rest;
    if (!parseLabels(line, labels, rest)) return false;
    std::vector<std::optional<double>> values;
    if (!parseValues(rest, values)) return false;
    std::vector<storage::metrics::Sample> samples;
    for (size_t k = 0; k < values.size(); ++k) {
      if (values[k]) samples.push_back({static_cast<int64_t>(k) * interval, *values[k]});
    }
    reader_.add(labels, samples);
    return true;
  }

  static bool parseEval(const std::string& line, EvalCase& c) {
    std::istringstream in(line);
    std::string cmd, kind;
    in >> cmd >> kind;
    if (cmd == "eval_ordered")
      c.ordered = true;
    else if (cmd == "eval_fail")
      c.fail = true;
    else if (cmd != "eval")
      return false;
    std::string w, t;
    if (kind == "instant") {
      in >> w >> t;
      if (w != "at" || !parseDuration(t, c.start)) return false;
      c.end = c.start;
    } else if (kind == "range") {
      std::string t2, w2, d;
      in >> w >> t >> w2 >> t2;
      if (w != "from" || w2 != "to" || !parseDuration(t, c.start) || !parseDuration(t2, c.end))
        return false;
      in >> w >> d;
      if (w != "step" || !parseDuration(d, c.step)) return false;
      c.is_range = true;
    } else {
      return false;
    }
    std::string rest;
    std::getline(in, rest);
    c.query = trim(rest);
    return !c.query.empty();
  }

  static bool parseExpectation(const std::string& body, EvalCase& c) {
    const std::string kMsg = "expected_fail_message ";
    if (body.rfind(kMsg, 0) == 0) {
      c.fail_message = body.substr(kMsg.size());
      return true;
    }
    if (body[0] == '"') {
      c.str = body.substr(1, body.size() - 2);
      return true;
    }
    double v;
    if (parseNumber(body, v)) {
      c.scalar = v;
      return true;
    }
    Expected e;
    std::string_view rest;
    if (!parseLabels(body, e.labels, rest)) return false;
    if (rest.find('@') != std::string_view::npos) {
      std::istringstream in{std::string(rest)};
      std::string tok;
      while (in >> tok) {
        size_t at = tok.find('@');
        double val;
        int64_t t;
        if (at == std::string::npos || !parseNumber(tok.substr(0, at), val) ||
            !parseDuration(tok.substr(at + 1), t))
          return false;
        e.values.push_back(val);
        e.times.push_back(t);
      }
    } else if (!parseValues(rest, e.values)) {
      return false;
    }
    c.expected.push_back(std::move(e));
    return true;
  }

  void evaluate(const EvalCase& c) {
    Engine engine(reader_, options_);
    Result<QueryResult> r = c.is_range ? engine.range(c.query, c.start, c.end, c.step)
                                       : engine.instant(c.query, c.start);
    std::string where = "`" + c.query + "`: ";
    if (c.fail) {
      if (r.isOk()) return fail(c.line, where + "expected an error, got" + describe(*r));
      if (c.fail_message && *c.fail_message != r.status().message())
        fail(c.line, where + "expected error \"" + *c.fail_message + "\", got \"" +
                         std::string(r.status().message()) + "\"");
      return;
    }
    if (!r.isOk()) return fail(c.line, where + "unexpected error: " + r.status().toString());
    const QueryResult& res = *r;
    EvalCase scalar_case;
    if (res.type == ValueType::kScalar && !c.scalar && c.expected.size() == 1 &&
        c.expected[0].labels.empty() && c.expected[0].values.size() == 1 &&
        c.expected[0].values[0]) {
      // Prometheus's promtool prints a scalar as `{} v`.
      scalar_case.scalar = c.expected[0].values[0];
    }
    const std::optional<double>& want_scalar = c.scalar ? c.scalar : scalar_case.scalar;
    if (want_scalar) {
      const auto& c_scalar = want_scalar;
      if (res.type != ValueType::kScalar || !almostEqual(res.scalar.v, *c_scalar))
        fail(c.line, where + "expected scalar " + fmt(*c_scalar) + ", got " + describe(res));
      return;
    }
    if (c.str) {
      if (res.type != ValueType::kString || res.string_value != *c.str)
        fail(c.line, where + "expected string \"" + *c.str + "\", got " + describe(res));
      return;
    }
    if (res.series.size() != c.expected.size())
      return fail(c.line, where + "expected " + std::to_string(c.expected.size()) +
                              " series, got " + std::to_string(res.series.size()) + describe(res));
    for (size_t k = 0; k < c.expected.size(); ++k) {
      const Expected& e = c.expected[k];
      const SeriesResult* got = nullptr;
      if (c.ordered) {
        got = &res.series[k];
        if (got->labels != e.labels) got = nullptr;
      } else {
        for (const SeriesResult& s : res.series) {
          if (s.labels == e.labels) got = &s;
        }
      }
      if (got == nullptr)
        return fail(c.line, where + "missing " + model::prom::labelsToString(e.labels) +
                                (c.ordered ? " at position " + std::to_string(k) : "") + ", got" +
                                describe(res));
      if (!matchesPoints(c, e, *got))
        return fail(c.line, where + "wrong values for " + model::prom::labelsToString(e.labels) +
                                ", got" + describe(res));
    }
  }

  static bool matchesPoints(const EvalCase& c, const Expected& e, const SeriesResult& got) {
    std::vector<Point> want;
    for (size_t k = 0; k < e.values.size(); ++k) {
      if (!e.values[k]) continue;
      int64_t t = !e.times.empty() ? e.times[k]
                  : c.is_range     ? c.start + static_cast<int64_t>(k) * c.step
                                   : c.start;
      want.push_back({t, *e.values[k]});
    }
    if (want.size() != got.points.size()) return false;
    for (size_t k = 0; k < want.size(); ++k) {
      if (want[k].t != got.points[k].t || !almostEqual(want[k].v, got.points[k].v)) return false;
    }
    return true;
  }

  std::string path_;
  testing::MemoryMetricsReader reader_;
  EngineOptions options_;
  int cases_ = 0;
};

std::vector<std::string> scriptFiles() {
  std::vector<std::string> out;
  std::filesystem::path dir =
      std::filesystem::path(PERISCOPE_SOURCE_DIR) / "tests/unit/query/promql/testdata";
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".test") out.push_back(entry.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

class PromqlGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(PromqlGolden, Script) {
  std::string path =
      std::string(PERISCOPE_SOURCE_DIR) + "/tests/unit/query/promql/testdata/" + GetParam();
  Script script(path);
  script.run();
  EXPECT_GT(script.cases(), 0) << path << " has no eval cases";
}

INSTANTIATE_TEST_SUITE_P(Files, PromqlGolden, ::testing::ValuesIn(scriptFiles()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param.substr(0, info.param.find('.'));
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

}  // namespace
}  // namespace periscope::query::promql
