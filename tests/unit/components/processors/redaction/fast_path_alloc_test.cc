// The fast path allocates nothing: redacting a batch in which nothing matches makes no heap
// allocation (after warm-up: RE2's lazily built DFA states and the thread-local buffers).
// Counted with testing::AllocationCounter (allocation_counter.h).
#include <gtest/gtest.h>

#include "components/processors/redaction/detectors.h"
#include "components/processors/redaction/redaction_processor.h"
#include "redaction_test_support.h"
#include "support/allocation_counter.h"

namespace periscope::components::redaction {
namespace {

using test::str;

model::Logs cleanLogs() {
  return test::oneLog([](Arena& a, model::LogRecord& rec) {
    rec.body = test::kvlist(a, {{"msg", str(a, "GET /api/v1/orders/42 took 12ms")},
                                {"db.statement", str(a, "SELECT id FROM t WHERE id = ?")}});
    rec.attributes = test::attrs(a, {{"http.route", str(a, "/api/v1/orders/{id}")},
                                     {"http.response.status_code", model::AnyValue::integer(200)},
                                     {"url.full", str(a, "https://shop.example.com/api/v1/orders")},
                                     {"db.statement", str(a, "SELECT 'x'")},
                                     {"enduser.role", str(a, "admin")}});
  });
}

TEST(RedactionFastPath, NoHeapAllocationWhenNothingMatches) {
  if (!testing::AllocationCounter::available())
    GTEST_SKIP() << "allocations are not counted under ASan";
  Config c;
  c.allowed_keys = {"http.route", "http.response.status_code", "url.full", "enduser.role", "msg"};
  c.ignored_keys = {"db.statement"};  // keeps the literal from matching the SQL sanitiser
  c.blocked_key_patterns = {".*token.*"};
  c.blocked_values = {"password=\\S+"};
  c.allowed_values = {"^public:"};
  for (const Detector& d : builtinDetectors()) c.detectors.emplace_back(d.name);
  c.url_sanitizer.enabled = true;
  c.db_sanitizer.sql.enabled = true;
  c.redact_all_types = true;
  c.summary = "debug";
  auto r = test::make(c);
  for (int warm = 0; warm < 3; ++warm) {
    model::Logs logs = cleanLogs();
    redactBatch(*r, logs);
  }
  model::Logs logs = cleanLogs();
  {
    testing::AllocationCounter allocations;
    redactBatch(*r, logs);
    EXPECT_EQ(allocations.count(), 0u);
  }
  // And it did run: the record is unchanged but would have been scanned.
  EXPECT_EQ(test::show(logs.resources()[0].scope_logs[0].log_records[0].body),
            "{msg=GET /api/v1/orders/42 took 12ms,db.statement=SELECT id FROM t WHERE id = ?}");

  // A match allocates (the rewritten string in the arena, summary keys): the counter works.
  model::Logs secret = test::oneLog(
      [](Arena& a, model::LogRecord& rec) { rec.body = str(a, "mail bob@example.com"); });
  {
    testing::AllocationCounter allocations;
    redactBatch(*r, secret);
    EXPECT_GT(allocations.count(), 0u);
  }
  EXPECT_EQ(test::show(secret.resources()[0].scope_logs[0].log_records[0].body), "mail ****");
}

}  // namespace
}  // namespace periscope::components::redaction
