// Evaluating the common conditions (paths, literals, comparisons, and/or/not, IsMatch,
// arithmetic) must not touch the heap: counted with testing::AllocationCounter.
#include <gtest/gtest.h>

#include "components/processors/internal/ottl/compiler.h"
#include "support/allocation_counter.h"
#include "unit/components/processors/ottl/test_data.h"

namespace periscope::ottl {
namespace {

TEST(OttlEval, CommonConditionsDoNotAllocate) {
  if (!testing::AllocationCounter::available())
    GTEST_SKIP() << "allocations are not counted under ASan";
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
    size_t allocations = 0;
    for (int pass = 0; pass < 2; ++pass) {
      testing::AllocationCounter counter;
      for (model::Span& s : rs.scope_spans[0].spans) {
        ctx.span = &s;
        bool out = false;
        bool ok = c->eval(ctx, out);
        matched += ok && out ? 1 : 0;
      }
      if (pass == 1) allocations = counter.count();
    }
    EXPECT_EQ(allocations, 0u) << text;
    EXPECT_GT(matched, 0u) << text;  // the conditions do something
  }
}

}  // namespace
}  // namespace periscope::ottl
