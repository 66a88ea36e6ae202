// Evaluating the common conditions (paths, literals, comparisons, and/or/not, IsMatch,
// arithmetic) must not touch the heap: counted by replacing the global operator new for this
// test binary and counting only on the thread and during the window that asks for it.
#include <gtest/gtest.h>

#include <cstdlib>
#include <new>

#include "components/processors/internal/ottl/compiler.h"
#include "unit/components/processors/ottl/test_data.h"

namespace {
thread_local bool counting = false;
thread_local size_t allocations = 0;
}  // namespace

void* operator new(size_t n) {
  if (counting) ++allocations;
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, size_t) noexcept {
  std::free(p);
}

namespace periscope::ottl {
namespace {

TEST(OttlEval, CommonConditionsDoNotAllocate) {
  model::Traces batch = testdata::traces(4);
  auto& rs = batch.resources()[0];
  const char* conditions[] = {
      "attributes[\"http.method\"] == \"GET\" and resource.attributes[\"service.name\"] != \"x\"",
      "IsMatch(attributes[\"http.url\"], \"^/api/[0-9]+$\") or not IsMatch(name, \"span\")",
      "kind == SPAN_KIND_SERVER and status.code != STATUS_CODE_ERROR",
      "end_time_unix_nano - start_time_unix_nano > 150 and attributes[\"i\"] * 2.5 < 100",
      "attributes[\"missing\"] == nil and instrumentation_scope.name == \"lib\"",
      "IsMatch(attributes[\"i\"], \"^[13]$\")",
  };
  for (const char* text : conditions) {
    std::unique_ptr<Condition> c;
    SyntaxError e;
    ASSERT_TRUE(compileCondition(text, ContextKind::kSpan, c, e)) << e.toString();
    EvalContext ctx;
    ctx.arena = &batch.arena();
    ctx.resource = &rs.resource;
    ctx.scope = &rs.scope_spans[0].scope;
    size_t matched = 0;
    // The first pass warms RE2's lazily built DFA cache (allocated once per regex, bounded by
    // RE2's max_mem); the second pass is the steady state.
    for (int pass = 0; pass < 2; ++pass) {
      allocations = 0;
      counting = pass == 1;
      for (model::Span& s : rs.scope_spans[0].spans) {
        ctx.span = &s;
        bool out = false;
        bool ok = c->eval(ctx, out);
        matched += ok && out ? 1 : 0;
      }
      counting = false;
    }
    EXPECT_EQ(allocations, 0u) << text;
    EXPECT_GT(matched, 0u) << text;  // the conditions do something
  }
}

}  // namespace
}  // namespace periscope::ottl
