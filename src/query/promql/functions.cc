#include "query/promql/functions.h"

#include <algorithm>

namespace periscope::query::promql {
namespace {

constexpr ValueType S = ValueType::kScalar;
constexpr ValueType V = ValueType::kVector;
constexpr ValueType M = ValueType::kMatrix;
constexpr ValueType Str = ValueType::kString;

// Exactly the listed arguments.
constexpr Function fixed(std::string_view name, std::array<ValueType, 5> types, uint8_t n,
                         ValueType ret) {
  return Function{name, types, n, n, static_cast<int8_t>(n), ret};
}
constexpr Function v2v(std::string_view name) {
  return fixed(name, {V}, 1, V);
}
constexpr Function m2v(std::string_view name) {
  return fixed(name, {M}, 1, V);
}
// Date functions: one optional instant vector (default: vector(time())).
constexpr Function date(std::string_view name) {
  return Function{name, {V}, 1, 0, 1, V};
}

// Sorted by name for the binary search in findFunction.
constexpr Function kFunctions[] = {
    v2v("abs"),
    v2v("absent"),
    m2v("absent_over_time"),
    v2v("acos"),
    v2v("acosh"),
    v2v("asin"),
    v2v("asinh"),
    v2v("atan"),
    v2v("atanh"),
    m2v("avg_over_time"),
    v2v("ceil"),
    m2v("changes"),
    fixed("clamp", {V, S, S}, 3, V),
    fixed("clamp_max", {V, S}, 2, V),
    fixed("clamp_min", {V, S}, 2, V),
    v2v("cos"),
    v2v("cosh"),
    m2v("count_over_time"),
    date("day_of_month"),
    date("day_of_week"),
    date("day_of_year"),
    date("days_in_month"),
    v2v("deg"),
    m2v("delta"),
    m2v("deriv"),
    v2v("exp"),
    v2v("floor"),
    fixed("histogram_quantile", {S, V}, 2, V),
    fixed("holt_winters", {M, S, S}, 3, V),
    date("hour"),
    m2v("idelta"),
    m2v("increase"),
    m2v("irate"),
    Function{"label_join", {V, Str, Str, Str}, 4, 3, -1, V},
    fixed("label_replace", {V, Str, Str, Str, Str}, 5, V),
    m2v("last_over_time"),
    v2v("ln"),
    v2v("log10"),
    v2v("log2"),
    m2v("max_over_time"),
    m2v("min_over_time"),
    date("minute"),
    date("month"),
    fixed("pi", {}, 0, S),
    fixed("predict_linear", {M, S}, 2, V),
    m2v("present_over_time"),
    fixed("quantile_over_time", {S, M}, 2, V),
    v2v("rad"),
    m2v("rate"),
    m2v("resets"),
    Function{"round", {V, S}, 2, 1, 2, V},
    fixed("scalar", {V}, 1, S),
    v2v("sgn"),
    v2v("sin"),
    v2v("sinh"),
    v2v("sort"),
    v2v("sort_desc"),
    v2v("sqrt"),
    m2v("stddev_over_time"),
    m2v("stdvar_over_time"),
    m2v("sum_over_time"),
    v2v("tan"),
    v2v("tanh"),
    fixed("time", {}, 0, S),
    v2v("timestamp"),
    fixed("vector", {S}, 1, V),
    date("year"),
};

static_assert(std::is_sorted(std::begin(kFunctions), std::end(kFunctions),
                             [](const Function& a, const Function& b) { return a.name < b.name; }));

}  // namespace

const Function* findFunction(std::string_view name) {
  auto it = std::lower_bound(std::begin(kFunctions), std::end(kFunctions), name,
                             [](const Function& f, std::string_view n) { return f.name < n; });
  if (it == std::end(kFunctions) || it->name != name) return nullptr;
  return &*it;
}

}  // namespace periscope::query::promql
