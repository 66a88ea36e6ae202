#include "components/processors/internal/ottl/compiler.h"

#include "components/processors/internal/ottl/functions.h"
#include "components/processors/internal/ottl/parser.h"
#include "components/processors/internal/ottl/paths.h"

namespace periscope::ottl {
namespace {

class Literal final : public Expr {
 public:
  Literal(size_t offset, Val v, std::string storage)
      : Expr(offset), storage_(std::move(storage)), value_(v) {
    if (value_.type == Val::Type::kString || value_.type == Val::Type::kBytes) value_.s = storage_;
  }
  bool eval(EvalContext&, Val& out) const override {
    out = value_;
    return true;
  }

 private:
  std::string storage_;
  Val value_;
};

class Not final : public Expr {
 public:
  Not(size_t offset, ExprPtr operand) : Expr(offset), operand_(std::move(operand)) {}
  bool eval(EvalContext& ctx, Val& out) const override {
    bool b;
    if (!evalBool(*operand_, ctx, b)) return false;
    out = Val::boolean(!b);
    return true;
  }

 private:
  ExprPtr operand_;
};

class Logical final : public Expr {
 public:
  Logical(size_t offset, bool is_and, ExprPtr l, ExprPtr r)
      : Expr(offset), is_and_(is_and), l_(std::move(l)), r_(std::move(r)) {}
  bool eval(EvalContext& ctx, Val& out) const override {
    bool a;
    if (!evalBool(*l_, ctx, a)) return false;
    if (a != is_and_) {  // short circuit: false and ..., true or ...
      out = Val::boolean(a);
      return true;
    }
    bool b;
    if (!evalBool(*r_, ctx, b)) return false;
    out = Val::boolean(b);
    return true;
  }

 private:
  bool is_and_;
  ExprPtr l_, r_;
};

class Comparison final : public Expr {
 public:
  Comparison(size_t offset, BinaryOp op, ExprPtr l, ExprPtr r)
      : Expr(offset), op_(op), l_(std::move(l)), r_(std::move(r)) {}
  bool eval(EvalContext& ctx, Val& out) const override {
    Val a, b;
    if (!l_->eval(ctx, a) || !r_->eval(ctx, b)) return false;
    out = Val::boolean(compare(a, b, op_));
    return true;
  }

 private:
  BinaryOp op_;
  ExprPtr l_, r_;
};

// + - * / on numbers: int op int stays int (division truncates), a double makes a double.
class Arithmetic final : public Expr {
 public:
  Arithmetic(size_t offset, BinaryOp op, ExprPtr l, ExprPtr r)
      : Expr(offset), op_(op), l_(std::move(l)), r_(std::move(r)) {}
  bool eval(EvalContext& ctx, Val& out) const override {
    Val a, b;
    if (!l_->eval(ctx, a) || !r_->eval(ctx, b)) return false;
    if (!a.isNumber() || !b.isNumber()) {
      ctx.error = std::string("cannot apply \"") + toString(op_) + "\" to " + typeName(a.type) +
                  " and " + typeName(b.type);
      return false;
    }
    if (a.type == Val::Type::kInt && b.type == Val::Type::kInt) {
      switch (op_) {
        case BinaryOp::kAdd:
          out = Val::integer(
              static_cast<int64_t>(static_cast<uint64_t>(a.i) + static_cast<uint64_t>(b.i)));
          return true;
        case BinaryOp::kSub:
          out = Val::integer(
              static_cast<int64_t>(static_cast<uint64_t>(a.i) - static_cast<uint64_t>(b.i)));
          return true;
        case BinaryOp::kMul:
          out = Val::integer(
              static_cast<int64_t>(static_cast<uint64_t>(a.i) * static_cast<uint64_t>(b.i)));
          return true;
        default:
          if (b.i == 0) {
            ctx.error = "division by zero";
            return false;
          }
          // INT64_MIN / -1 overflows (SIGFPE on x86): wrap as Go does.
          out = Val::integer(b.i == -1 ? static_cast<int64_t>(0 - static_cast<uint64_t>(a.i))
                                       : a.i / b.i);
          return true;
      }
    }
    double x = a.asDouble(), y = b.asDouble();
    switch (op_) {
      case BinaryOp::kAdd:
        out = Val::dbl(x + y);
        return true;
      case BinaryOp::kSub:
        out = Val::dbl(x - y);
        return true;
      case BinaryOp::kMul:
        out = Val::dbl(x * y);
        return true;
      default:
        if (y == 0) {
          ctx.error = "division by zero";
          return false;
        }
        out = Val::dbl(x / y);
        return true;
    }
  }

 private:
  BinaryOp op_;
  ExprPtr l_, r_;
};

class Negate final : public Expr {
 public:
  Negate(size_t offset, ExprPtr operand) : Expr(offset), operand_(std::move(operand)) {}
  bool eval(EvalContext& ctx, Val& out) const override {
    Val v;
    if (!operand_->eval(ctx, v)) return false;
    if (v.type == Val::Type::kInt) {
      out = Val::integer(static_cast<int64_t>(0 - static_cast<uint64_t>(v.i)));  // wraps
    } else if (v.type == Val::Type::kDouble) {
      out = Val::dbl(-v.d);
    } else {
      ctx.error = std::string("cannot negate ") + typeName(v.type);
      return false;
    }
    return true;
  }

 private:
  ExprPtr operand_;
};

// False for expressions that can never be a boolean (literals, arithmetic, value converters),
// so `filter: name` or `"a" and true` fail at config time.
bool mayBeBoolean(const Node& n) {
  switch (n.kind) {
    case Node::Kind::kBool:
    case Node::Kind::kNot:
      return true;
    case Node::Kind::kBinary:
      return n.op != BinaryOp::kAdd && n.op != BinaryOp::kSub && n.op != BinaryOp::kMul &&
             n.op != BinaryOp::kDiv;
    case Node::Kind::kCall:  // unknown functions and editors get their own error later
      return functionKind(n.text) != FunctionKind::kConverter || isPredicate(n.text);
    default:
      return false;
  }
}

bool requireBoolean(const Node& n, SyntaxError& error) {
  if (mayBeBoolean(n)) return true;
  error = {n.offset, "expected a boolean expression, found " + n.print()};
  return false;
}

}  // namespace

bool evalBool(const Expr& e, EvalContext& ctx, bool& out) {
  Val v;
  if (!e.eval(ctx, v)) return false;
  if (v.type != Val::Type::kBool) {
    ctx.error = std::string("expected a boolean, got ") + typeName(v.type);
    return false;
  }
  out = v.b;
  return true;
}

bool compileExpr(const Node& n, ContextKind context, ExprPtr& out, SyntaxError& error) {
  switch (n.kind) {
    case Node::Kind::kNil:
      out = std::make_unique<Literal>(n.offset, Val::nil(), "");
      return true;
    case Node::Kind::kBool:
      out = std::make_unique<Literal>(n.offset, Val::boolean(n.b), "");
      return true;
    case Node::Kind::kInt:
      out = std::make_unique<Literal>(n.offset, Val::integer(n.i), "");
      return true;
    case Node::Kind::kFloat:
      out = std::make_unique<Literal>(n.offset, Val::dbl(n.d), "");
      return true;
    case Node::Kind::kString:
      out = std::make_unique<Literal>(n.offset, Val::string({}), n.text);
      return true;
    case Node::Kind::kBytes:
      out = std::make_unique<Literal>(n.offset, Val::bytes({}), n.text);
      return true;
    case Node::Kind::kEnum: {
      int64_t v;
      if (!lookupEnum(n.text, v)) {
        error = {n.offset, "unknown enum " + n.text};
        return false;
      }
      out = std::make_unique<Literal>(n.offset, Val::integer(v), "");
      return true;
    }
    case Node::Kind::kList:
      error = {n.offset, "a list is only allowed as a function argument"};
      return false;
    case Node::Kind::kPath: {
      std::unique_ptr<PathExpr> p;
      if (!compilePath(context, n, p, error)) return false;
      out = std::move(p);
      return true;
    }
    case Node::Kind::kCall:
      switch (functionKind(n.text)) {
        case FunctionKind::kConverter:
          return compileConverter(n, context, out, error);
        case FunctionKind::kEditor:
          error = {n.offset, "editor " + n.text + " cannot be used in an expression"};
          return false;
        case FunctionKind::kUnknown:
          error = {n.offset, "unknown function " + n.text};
          return false;
      }
      return false;
    case Node::Kind::kNot: {
      ExprPtr operand;
      if (!requireBoolean(*n.children[0], error) ||
          !compileExpr(*n.children[0], context, operand, error))
        return false;
      out = std::make_unique<Not>(n.offset, std::move(operand));
      return true;
    }
    case Node::Kind::kNegate: {
      ExprPtr operand;
      if (!compileExpr(*n.children[0], context, operand, error)) return false;
      out = std::make_unique<Negate>(n.offset, std::move(operand));
      return true;
    }
    case Node::Kind::kBinary: {
      bool logical = n.op == BinaryOp::kAnd || n.op == BinaryOp::kOr;
      if (logical &&
          (!requireBoolean(*n.children[0], error) || !requireBoolean(*n.children[1], error)))
        return false;
      ExprPtr l, r;
      if (!compileExpr(*n.children[0], context, l, error) ||
          !compileExpr(*n.children[1], context, r, error))
        return false;
      switch (n.op) {
        case BinaryOp::kAnd:
        case BinaryOp::kOr:
          out = std::make_unique<Logical>(n.offset, n.op == BinaryOp::kAnd, std::move(l),
                                          std::move(r));
          break;
        case BinaryOp::kAdd:
        case BinaryOp::kSub:
        case BinaryOp::kMul:
        case BinaryOp::kDiv:
          out = std::make_unique<Arithmetic>(n.offset, n.op, std::move(l), std::move(r));
          break;
        default:
          out = std::make_unique<Comparison>(n.offset, n.op, std::move(l), std::move(r));
      }
      return true;
    }
  }
  return false;
}

bool Condition::eval(EvalContext& ctx, bool& out) const {
  return evalBool(*root_, ctx, out);
}

bool Statement::execute(EvalContext& ctx) const {
  if (where_) {
    bool holds;
    if (!evalBool(*where_, ctx, holds)) return false;
    if (!holds) return true;
  }
  return editor_->run(ctx);
}

bool compileCondition(std::string_view text, ContextKind context, std::unique_ptr<Condition>& out,
                      SyntaxError& error) {
  ParsedStatement parsed;
  if (!parseCondition(text, parsed, error)) return false;
  ExprPtr root;
  if (!requireBoolean(*parsed.condition, error) ||
      !compileExpr(*parsed.condition, context, root, error))
    return false;
  out = std::make_unique<Condition>(std::string(text), std::move(root));
  return true;
}

bool compileStatement(std::string_view text, ContextKind context, std::unique_ptr<Statement>& out,
                      SyntaxError& error) {
  ParsedStatement parsed;
  if (!parseStatement(text, parsed, error)) return false;
  const Node& call = *parsed.invocation;
  switch (functionKind(call.text)) {
    case FunctionKind::kEditor:
      break;
    case FunctionKind::kConverter:
      error = {call.offset, "converter " + call.text + " cannot be used as a statement; " +
                                "statements start with an editor such as set"};
      return false;
    case FunctionKind::kUnknown:
      error = {call.offset, "unknown editor " + call.text};
      return false;
  }
  std::unique_ptr<Editor> editor;
  if (!compileEditor(call, context, editor, error)) return false;
  ExprPtr where;
  if (parsed.condition && (!requireBoolean(*parsed.condition, error) ||
                           !compileExpr(*parsed.condition, context, where, error)))
    return false;
  out = std::make_unique<Statement>(std::string(text), std::move(editor), std::move(where));
  return true;
}

}  // namespace periscope::ottl
