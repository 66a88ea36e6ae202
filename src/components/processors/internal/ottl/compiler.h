// OTTL compiler: parses a statement or condition and binds it to a context, giving an object
// that runs on one telemetry item. Everything that can be checked at config time is: paths
// against the context, function names and argument counts, regexes (compiled once with RE2),
// enum names, and that conditions are boolean expressions.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "components/processors/internal/ottl/ast.h"
#include "components/processors/internal/ottl/eval.h"
#include "components/processors/internal/ottl/lexer.h"

namespace periscope::ottl {

// A boolean expression (filter conditions, `where` clauses, transform `conditions`).
class Condition {
 public:
  Condition(std::string text, ExprPtr root) : text_(std::move(text)), root_(std::move(root)) {}
  // False with ctx.error set on a runtime error; otherwise `out` is the result.
  bool eval(EvalContext& ctx, bool& out) const;
  const std::string& text() const { return text_; }

 private:
  std::string text_;
  ExprPtr root_;
};

// An editor invocation run for its effect (set, delete_key, ...).
class Editor {
 public:
  virtual ~Editor() = default;
  virtual bool run(EvalContext& ctx) const = 0;
};

// `editor(args) [where condition]`.
class Statement {
 public:
  Statement(std::string text, std::unique_ptr<Editor> editor, ExprPtr where)
      : text_(std::move(text)), editor_(std::move(editor)), where_(std::move(where)) {}
  // Runs the editor when the where clause holds. False with ctx.error set on a runtime error.
  bool execute(EvalContext& ctx) const;
  const std::string& text() const { return text_; }

 private:
  std::string text_;
  std::unique_ptr<Editor> editor_;
  ExprPtr where_;
};

bool compileCondition(std::string_view text, ContextKind context, std::unique_ptr<Condition>& out,
                      SyntaxError& error);
bool compileStatement(std::string_view text, ContextKind context, std::unique_ptr<Statement>& out,
                      SyntaxError& error);

// Used by the function library (functions.cc) to compile its arguments.
bool compileExpr(const Node& node, ContextKind context, ExprPtr& out, SyntaxError& error);
// Evaluates `e` and requires a boolean.
bool evalBool(const Expr& e, EvalContext& ctx, bool& out);

}  // namespace periscope::ottl
