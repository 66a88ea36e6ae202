// libFuzzer target: arbitrary text as a PromQL query. parse must report errors, never crash;
// whatever parses must print to text that parses to the same print.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "query/promql/parser.h"
#include "query/promql/printer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace promql = periscope::query::promql;
  std::string_view query(reinterpret_cast<const char*>(data), size);
  periscope::Result<promql::Expr> expr = promql::parse(query);
  if (!expr.isOk()) return 0;
  std::string printed = promql::toString(*expr);
  periscope::Result<promql::Expr> again = promql::parse(printed);
  if (!again.isOk()) {
    std::fprintf(stderr, "printed query does not parse: %s\n  %.*s\n", printed.c_str(),
                 static_cast<int>(again.status().message().size()),
                 again.status().message().data());
    std::abort();
  }
  if (again->type() != expr->type() || promql::toString(*again) != printed) {
    std::fprintf(stderr, "print is not stable: %s -> %s\n", printed.c_str(),
                 promql::toString(*again).c_str());
    std::abort();
  }
  return 0;
}
