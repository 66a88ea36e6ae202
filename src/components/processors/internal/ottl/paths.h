// OTTL paths: `name`, `attributes["k"]`, `resource.attributes["k"]`, `status.code`... resolved
// once per context at compile time into accessors (get, and set / map access where allowed).
#pragma once

#include <functional>
#include <memory>

#include "components/processors/internal/ottl/ast.h"
#include "components/processors/internal/ottl/eval.h"
#include "components/processors/internal/ottl/lexer.h"

namespace periscope::ottl {

class PathExpr final : public Expr {
 public:
  using Getter = std::function<bool(EvalContext&, Val&)>;
  using Setter = std::function<bool(EvalContext&, const Val&)>;
  using MapRef = std::function<model::Attributes*(EvalContext&)>;

  PathExpr(size_t offset, std::string text, Getter get, Setter set, MapRef map)
      : Expr(offset),
        text_(std::move(text)),
        get_(std::move(get)),
        set_(std::move(set)),
        map_(std::move(map)) {}

  bool eval(EvalContext& ctx, Val& out) const override { return get_(ctx, out); }
  bool settable() const { return static_cast<bool>(set_); }
  bool set(EvalContext& ctx, const Val& v) const { return set_(ctx, v); }
  // Attribute maps (attributes, resource.attributes...) that editors change in place.
  bool isMap() const { return static_cast<bool>(map_); }
  model::Attributes* map(EvalContext& ctx) const { return map_(ctx); }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
  Getter get_;
  Setter set_;
  MapRef map_;
};

// Resolves `path` (a kPath node) in `context`; unknown paths are errors at the path's column.
bool compilePath(ContextKind context, const Node& path, std::unique_ptr<PathExpr>& out,
                 SyntaxError& error);

// SPAN_KIND_SERVER → 2 and the like; false if unknown.
bool lookupEnum(std::string_view name, int64_t& value);

}  // namespace periscope::ottl
