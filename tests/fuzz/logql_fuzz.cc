// libFuzzer target: arbitrary text as a log query (query/logs). parse must report errors, never
// crash; whatever parses must print to text that parses to the same print.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "query/logs/parser.h"
#include "query/logs/printer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace logs = periscope::query::logs;
  std::string_view query(reinterpret_cast<const char*>(data), size);
  periscope::Result<logs::Expr> expr = logs::parse(query);
  if (!expr.isOk()) return 0;
  std::string printed = logs::toString(*expr);
  periscope::Result<logs::Expr> again = logs::parse(printed);
  if (!again.isOk()) {
    std::fprintf(stderr, "printed query does not parse: %s\n  %.*s\n", printed.c_str(),
                 static_cast<int>(again.status().message().size()),
                 again.status().message().data());
    std::abort();
  }
  if (logs::toString(*again) != printed) {
    std::fprintf(stderr, "print is not stable: %s -> %s\n", printed.c_str(),
                 logs::toString(*again).c_str());
    std::abort();
  }
  return 0;
}
