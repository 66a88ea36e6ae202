#include "components/processors/internal/ottl/eval.h"

namespace periscope::ottl {

const char* toString(ContextKind kind) {
  switch (kind) {
    case ContextKind::kResource:
      return "resource";
    case ContextKind::kScope:
      return "scope";
    case ContextKind::kSpan:
      return "span";
    case ContextKind::kSpanEvent:
      return "spanevent";
    case ContextKind::kMetric:
      return "metric";
    case ContextKind::kDataPoint:
      return "datapoint";
    case ContextKind::kLog:
      return "log";
  }
  return "?";
}

bool parseContextKind(std::string_view name, ContextKind& out) {
  for (ContextKind k :
       {ContextKind::kResource, ContextKind::kScope, ContextKind::kSpan, ContextKind::kSpanEvent,
        ContextKind::kMetric, ContextKind::kDataPoint, ContextKind::kLog}) {
    if (name == toString(k)) {
      out = k;
      return true;
    }
  }
  return false;
}

const char* typeName(Val::Type type) {
  switch (type) {
    case Val::Type::kNil:
      return "nil";
    case Val::Type::kBool:
      return "bool";
    case Val::Type::kInt:
      return "int";
    case Val::Type::kDouble:
      return "double";
    case Val::Type::kString:
      return "string";
    case Val::Type::kBytes:
      return "bytes";
    case Val::Type::kMap:
      return "map";
    case Val::Type::kList:
      return "list";
  }
  return "?";
}

Val Val::fromAny(const model::AnyValue& v) {
  using T = model::AnyValue::Type;
  switch (v.type()) {
    case T::kAbsent:
    case T::kEmpty:
      return nil();
    case T::kString:
      return string(v.str());
    case T::kBytes:
      return bytes(v.str());
    case T::kBool:
      return boolean(v.boolValue());
    case T::kInt:
      return integer(v.intValue());
    case T::kDouble:
      return dbl(v.doubleValue());
    case T::kKvList: {
      Val x;
      x.type = Type::kMap;
      x.map = v.kvlistValues();
      return x;
    }
    case T::kArray: {
      Val x;
      x.type = Type::kList;
      x.list = v.arrayValues();
      return x;
    }
  }
  return nil();
}

model::AnyValue Val::toAny() const {
  switch (type) {
    case Type::kNil:
      return model::AnyValue::empty();
    case Type::kBool:
      return model::AnyValue::boolean(b);
    case Type::kInt:
      return model::AnyValue::integer(i);
    case Type::kDouble:
      return model::AnyValue::dbl(d);
    case Type::kString:
      return model::AnyValue::string(s);
    case Type::kBytes:
      return model::AnyValue::bytes(s);
    case Type::kMap:
      return model::AnyValue::kvlist(map);
    case Type::kList:
      return model::AnyValue::array(list);
  }
  return {};
}

namespace {

template <typename T>
bool ordered(const T& a, const T& b, BinaryOp op) {
  switch (op) {
    case BinaryOp::kEq:
      return a == b;
    case BinaryOp::kNe:
      return a != b;
    case BinaryOp::kLt:
      return a < b;
    case BinaryOp::kLe:
      return a <= b;
    case BinaryOp::kGt:
      return a > b;
    case BinaryOp::kGe:
      return a >= b;
    default:
      return false;
  }
}

}  // namespace

bool compare(const Val& a, const Val& b, BinaryOp op) {
  if (a.isNumber() && b.isNumber()) {
    if (a.type == Val::Type::kInt && b.type == Val::Type::kInt) return ordered(a.i, b.i, op);
    return ordered(a.asDouble(), b.asDouble(), op);
  }
  if (a.type != b.type) return op == BinaryOp::kNe;
  switch (a.type) {
    case Val::Type::kNil:
      // As the collector: two nils are equal, so ==, <= and >= hold.
      return op == BinaryOp::kEq || op == BinaryOp::kLe || op == BinaryOp::kGe;
    case Val::Type::kBool:
      return ordered(a.b, b.b, op);  // false < true, as the collector
    case Val::Type::kString:
    case Val::Type::kBytes:
      return ordered(a.s, b.s, op);
    default:
      // Maps and lists: never equal in this subset.
      return op == BinaryOp::kNe;
  }
}

}  // namespace periscope::ottl
