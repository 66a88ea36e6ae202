// OTTL runtime: the values expressions produce, the context they read and edit (one telemetry
// item with its scope and resource), and the compiled expression tree. Evaluation allocates
// nothing on the heap: values are views into the batch, and the few converters that build new
// strings (Concat, ToLowerCase, `.string` of ids) write them into the batch arena.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "common/arena.h"
#include "components/processors/internal/ottl/ast.h"
#include "model/any_value.h"
#include "model/log_record.h"
#include "model/metric.h"
#include "model/resource.h"
#include "model/span.h"

namespace periscope::ottl {

// The OTTL contexts this subset knows (collector names: resource, scope, span, spanevent,
// metric, datapoint, log).
enum class ContextKind : uint8_t {
  kResource,
  kScope,
  kSpan,
  kSpanEvent,
  kMetric,
  kDataPoint,
  kLog
};
const char* toString(ContextKind kind);
bool parseContextKind(std::string_view name, ContextKind& out);

// A runtime value. Strings, bytes, maps and lists are views (into the batch or the compiled
// program); nothing here owns memory.
struct Val {
  enum class Type : uint8_t { kNil, kBool, kInt, kDouble, kString, kBytes, kMap, kList };
  Type type = Type::kNil;
  bool b = false;
  int64_t i = 0;
  double d = 0;
  std::string_view s;               // kString, kBytes
  model::Attributes map;            // kMap
  std::span<model::AnyValue> list;  // kList

  static Val nil() { return {}; }
  static Val boolean(bool v) {
    Val x;
    x.type = Type::kBool;
    x.b = v;
    return x;
  }
  static Val integer(int64_t v) {
    Val x;
    x.type = Type::kInt;
    x.i = v;
    return x;
  }
  static Val dbl(double v) {
    Val x;
    x.type = Type::kDouble;
    x.d = v;
    return x;
  }
  static Val string(std::string_view v) {
    Val x;
    x.type = Type::kString;
    x.s = v;
    return x;
  }
  static Val bytes(std::string_view v) {
    Val x;
    x.type = Type::kBytes;
    x.s = v;
    return x;
  }
  static Val fromAny(const model::AnyValue& v);
  // The attribute value to store (views; model::setAttribute copies them into the arena).
  model::AnyValue toAny() const;
  bool isNumber() const { return type == Type::kInt || type == Type::kDouble; }
  double asDouble() const { return type == Type::kInt ? static_cast<double>(i) : d; }
};

const char* typeName(Val::Type type);

// One data point of any metric type: the generic fields, plus the number point when it is one.
struct DataPointRef {
  model::Attributes* attributes = nullptr;
  uint64_t* start_time_unix_nano = nullptr;
  uint64_t* time_unix_nano = nullptr;
  model::NumberDataPoint* number = nullptr;
  const uint64_t* count = nullptr;  // histogram, exponential histogram, summary
  const double* sum = nullptr;
};

template <typename P>
DataPointRef dataPointRef(P& p) {
  DataPointRef r;
  r.attributes = &p.attributes;
  r.start_time_unix_nano = &p.start_time_unix_nano;
  r.time_unix_nano = &p.time_unix_nano;
  if constexpr (std::is_same_v<P, model::NumberDataPoint>) {
    r.number = &p;
  } else {
    r.count = &p.count;
    r.sum = &p.sum;
  }
  return r;
}

// What one evaluation sees. Pointers not meaningful for the context stay null; the compiler only
// accepts paths whose pointers the context provides.
struct EvalContext {
  Arena* arena = nullptr;  // the batch arena: new strings and grown attribute lists go here
  model::Resource* resource = nullptr;
  model::InstrumentationScope* scope = nullptr;
  model::Span* span = nullptr;
  model::SpanEvent* event = nullptr;
  model::Metric* metric = nullptr;
  DataPointRef point;
  model::LogRecord* log = nullptr;
  std::string error;  // set when an evaluation fails
};

// A compiled expression. eval() returns false with ctx.error set on a runtime error
// (e.g. arithmetic on a string, division by zero).
class Expr {
 public:
  explicit Expr(size_t offset) : offset_(offset) {}
  virtual ~Expr() = default;
  virtual bool eval(EvalContext& ctx, Val& out) const = 0;
  size_t offset() const { return offset_; }

 private:
  size_t offset_;
};
using ExprPtr = std::unique_ptr<Expr>;

// OTTL comparison: numbers compare across int/double; strings and bytes byte-wise; booleans
// only for == and !=; nil equals only nil; other mixes are unequal (never an error).
bool compare(const Val& a, const Val& b, BinaryOp op);

}  // namespace periscope::ottl
