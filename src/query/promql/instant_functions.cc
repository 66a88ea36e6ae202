// Functions over instant vectors and scalars: math, clamping and rounding, date parts,
// vector()/scalar()/time(), sort, timestamp() and absent(). Values keep their step; labels
// lose `__name__` where Prometheus drops it.
#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

#include "query/promql/evaluator.h"
#include "query/promql/functions.h"
#include "query/promql/go_math.h"
#include "query/promql/label_ops.h"

namespace periscope::query::promql {
namespace {

using MathFn = double (*)(double);

double sgn(double v) {
  if (v < 0) return -1;
  if (v > 0) return 1;
  return v;
}

MathFn mathFunction(std::string_view name) {
  struct Entry {
    std::string_view name;
    MathFn fn;
  };
  static const Entry kTable[] = {
      {"abs", [](double v) { return std::fabs(v); }},
      {"ceil", [](double v) { return std::ceil(v); }},
      {"floor", [](double v) { return std::floor(v); }},
      {"exp", [](double v) { return std::exp(v); }},
      {"ln", [](double v) { return std::log(v); }},
      {"log2", [](double v) { return std::log2(v); }},
      {"log10", [](double v) { return std::log10(v); }},
      {"sqrt", [](double v) { return std::sqrt(v); }},
      {"sgn", sgn},
      {"sin", [](double v) { return std::sin(v); }},
      {"cos", [](double v) { return std::cos(v); }},
      {"tan", [](double v) { return std::tan(v); }},
      {"asin", [](double v) { return std::asin(v); }},
      {"acos", [](double v) { return std::acos(v); }},
      {"atan", [](double v) { return std::atan(v); }},
      {"sinh", [](double v) { return std::sinh(v); }},
      {"cosh", [](double v) { return std::cosh(v); }},
      {"tanh", [](double v) { return std::tanh(v); }},
      {"asinh", [](double v) { return std::asinh(v); }},
      {"acosh", [](double v) { return std::acosh(v); }},
      {"atanh", [](double v) { return std::atanh(v); }},
      {"deg", [](double v) { return v * 180 / std::numbers::pi; }},
      {"rad", [](double v) { return v * std::numbers::pi / 180; }},
  };
  for (const Entry& e : kTable) {
    if (e.name == name) return e.fn;
  }
  return nullptr;
}

// Civil date of a Unix time in seconds (UTC), as Go's time package computes it.
struct CivilTime {
  int64_t year;
  int month;  // 1..12
  int day;    // 1..31
  int hour, minute;
  int weekday;  // 0 = Sunday
  int yearday;  // 1..366
};

int64_t floorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

bool isLeap(int64_t y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int daysInMonth(int64_t year, int month) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && isLeap(year) ? 29 : kDays[month - 1];
}

CivilTime civil(int64_t secs) {
  int64_t days = floorDiv(secs, 86400);
  int64_t rem = secs - days * 86400;
  CivilTime c{};
  c.hour = static_cast<int>(rem / 3600);
  c.minute = static_cast<int>(rem % 3600 / 60);
  c.weekday = static_cast<int>(((days % 7) + 11) % 7);  // 1970-01-01 was a Thursday
  // Howard Hinnant's days → civil algorithm.
  int64_t z = days + 719468;
  int64_t era = floorDiv(z, 146097);
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  c.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  c.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  c.year = c.month <= 2 ? y + 1 : y;
  c.yearday = c.day;
  for (int m = 1; m < c.month; ++m) c.yearday += daysInMonth(c.year, m);
  return c;
}

using DateFn = double (*)(const CivilTime&);
DateFn dateFunction(std::string_view name) {
  if (name == "day_of_month") return [](const CivilTime& c) { return double(c.day); };
  if (name == "day_of_week") return [](const CivilTime& c) { return double(c.weekday); };
  if (name == "day_of_year") return [](const CivilTime& c) { return double(c.yearday); };
  if (name == "days_in_month")
    return [](const CivilTime& c) { return double(daysInMonth(c.year, c.month)); };
  if (name == "hour") return [](const CivilTime& c) { return double(c.hour); };
  if (name == "minute") return [](const CivilTime& c) { return double(c.minute); };
  if (name == "month") return [](const CivilTime& c) { return double(c.month); };
  if (name == "year") return [](const CivilTime& c) { return double(c.year); };
  return nullptr;
}

// Go's int64(float64) on amd64: out of range and NaN give the minimum int64.
int64_t goInt64(double v) {
  if (!(v >= -9.223372036854775808e18 && v < 9.223372036854775808e18)) return INT64_MIN;
  return static_cast<int64_t>(v);
}

bool lessForSort(double a, double b) {  // ascending, NaN last
  if (std::isnan(a)) return false;
  if (std::isnan(b)) return true;
  return a < b;
}

}  // namespace

Result<Value> Evaluator::evalInstantFunction(const Call& call) {
  const std::string_view name = call.func->name;
  const size_t steps = grid_.size();
  Value out;

  if (name == "time" || name == "pi") {
    out.type = ValueType::kScalar;
    out.scalar.resize(steps);
    for (size_t k = 0; k < steps; ++k)
      out.scalar[k] = name == "pi" ? std::numbers::pi : static_cast<double>(grid_.at(k)) / 1000;
    return out;
  }
  if (name == "vector") {
    auto s = evalScalarArg(call.args[0]);
    if (!s.isOk()) return s.status();
    EvalSeries es;
    for (size_t k = 0; k < steps; ++k) es.points.push_back({grid_.at(k), (*s)[k]});
    PERISCOPE_RETURN_IF_ERROR(takeSamples(steps));
    out.matrix.push_back(std::move(es));
    return out;
  }

  DateFn date = dateFunction(name);
  if (date != nullptr && call.args.empty()) {
    EvalSeries es;
    for (size_t k = 0; k < steps; ++k)
      es.points.push_back({grid_.at(k), date(civil(grid_.at(k) / 1000))});
    PERISCOPE_RETURN_IF_ERROR(takeSamples(steps));
    out.matrix.push_back(std::move(es));
    return out;
  }

  auto arg = eval(call.args[0]);
  if (!arg.isOk()) return arg.status();
  Matrix& m = arg->matrix;

  if (name == "scalar") {
    out.type = ValueType::kScalar;
    out.scalar.assign(steps, std::nan(""));
    std::vector<int> count(steps, 0);
    for (const EvalSeries& s : m) {
      for (const Point& p : s.points) {
        size_t k = grid_.indexOf(p.t);
        if (++count[k] == 1) out.scalar[k] = p.v;
      }
    }
    for (size_t k = 0; k < steps; ++k) {
      if (count[k] != 1) out.scalar[k] = std::nan("");
    }
    releaseSamples(m);
    return out;
  }
  if (name == "sort" || name == "sort_desc") {
    // Only an instant query has an order; its vector has one point per series.
    if (steps == 1) {
      bool desc = name == "sort_desc";
      std::stable_sort(m.begin(), m.end(), [desc](const EvalSeries& a, const EvalSeries& b) {
        double x = a.points[0].v, y = b.points[0].v;
        return desc ? lessForSort(-x, -y) : lessForSort(x, y);
      });
    }
    return arg;
  }

  if (MathFn fn = mathFunction(name)) {
    for (EvalSeries& s : m) {
      s.labels = withoutName(s.labels);
      for (Point& p : s.points) p.v = fn(p.v);
    }
  } else if (date != nullptr) {
    for (EvalSeries& s : m) {
      s.labels = withoutName(s.labels);
      for (Point& p : s.points) p.v = date(civil(goInt64(p.v)));
    }
  } else if (name == "round" || name == "clamp" || name == "clamp_min" || name == "clamp_max") {
    std::vector<double> a1, a2;
    if (call.args.size() > 1) {
      auto s = evalScalarArg(call.args[1]);
      if (!s.isOk()) return s.status();
      a1 = std::move(*s);
    }
    if (call.args.size() > 2) {
      auto s = evalScalarArg(call.args[2]);
      if (!s.isOk()) return s.status();
      a2 = std::move(*s);
    }
    for (EvalSeries& s : m) {
      s.labels = withoutName(s.labels);
      size_t kept = 0;
      for (Point& p : s.points) {
        size_t k = grid_.indexOf(p.t);
        double v = p.v;
        if (name == "round") {
          // Ties round up; dividing by the inverse is what Prometheus does.
          double inverse = 1.0 / (a1.empty() ? 1.0 : a1[k]);
          v = std::floor(v * inverse + 0.5) / inverse;
        } else if (name == "clamp") {
          if (a2[k] < a1[k]) continue;  // max < min: no output
          v = goMax(a1[k], goMin(a2[k], v));
        } else if (name == "clamp_min") {
          v = goMax(a1[k], v);
        } else {
          v = goMin(a1[k], v);
        }
        s.points[kept++] = {p.t, v};
      }
      releaseSamples(s.points.size() - kept);
      s.points.resize(kept);
    }
    std::erase_if(m, [](const EvalSeries& s) { return s.points.empty(); });
  } else {
    return internalError("unsupported function " + std::string(name));
  }
  PERISCOPE_RETURN_IF_ERROR(mergeSameLabels(m));
  return arg;
}

Result<Value> Evaluator::evalTimestamp(const Call& call) {
  NodeId a = call.args[0];
  while (node(a).kind() == NodeKind::kParen) a = node(a).as<Paren>().expr;
  Result<Value> v = node(a).kind() == NodeKind::kVectorSelector
                        ? evalVectorSelector(node(a).as<VectorSelector>(), true)
                        : eval(a);
  if (!v.isOk()) return v;
  bool sample_times = node(a).kind() == NodeKind::kVectorSelector;
  for (EvalSeries& s : v->matrix) {
    s.labels = withoutName(s.labels);
    if (!sample_times) {
      for (Point& p : s.points) p.v = static_cast<double>(p.t) / 1000;
    }
  }
  PERISCOPE_RETURN_IF_ERROR(mergeSameLabels(v->matrix));
  return v;
}

Result<Value> Evaluator::evalAbsent(const Call& call) {
  auto v = eval(call.args[0]);
  if (!v.isOk()) return v;
  std::vector<bool> present(grid_.size(), false);
  for (const EvalSeries& s : v->matrix) {
    for (const Point& p : s.points) present[grid_.indexOf(p.t)] = true;
  }
  releaseSamples(v->matrix);
  Value out;
  EvalSeries es;
  for (size_t k = 0; k < present.size(); ++k) {
    if (!present[k]) es.points.push_back({grid_.at(k), 1});
  }
  if (es.points.empty()) return out;
  NodeId a = call.args[0];
  while (node(a).kind() == NodeKind::kParen) a = node(a).as<Paren>().expr;
  if (node(a).kind() == NodeKind::kVectorSelector)
    es.labels = labelsForAbsent(&node(a).as<VectorSelector>());
  PERISCOPE_RETURN_IF_ERROR(takeSamples(es.points.size()));
  out.matrix.push_back(std::move(es));
  return out;
}

}  // namespace periscope::query::promql
