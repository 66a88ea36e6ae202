// Periscope's SQL literal sanitiser for the redaction processor: string literals, numeric
// literals (including 1.5e3 and 0x1F), dollar-quoted strings ($$…$$, $tag$…$tag$) and the text
// of comments become `?`, so `SELECT * FROM u WHERE email = 'a@b.c' AND id = 42 -- bob` becomes
// `SELECT * FROM u WHERE email = ? AND id = ? -- ?`. Keywords, identifiers (`quoted` too) and
// digits inside identifiers (t1, col_2) are kept.
//
// The dialect is not known, and dialects disagree on where a literal ends (`'C:\'` is a whole
// string in standard SQL but an unterminated one in MySQL, where `\'` is an escaped quote). So
// the statement is read twice — as standard SQL/PostgreSQL ('' escapes, nested /* */, dollar
// quotes) and as MySQL (backslash escapes, # comments) — and every byte either reading takes for
// literal or comment text is masked: nothing inside a literal survives under either convention.
// "double quoted" text is a string in MySQL and an identifier in standard SQL: it is masked
// unless `double_quoted_identifiers` is set. Two linear passes.
#pragma once

#include <string>
#include <string_view>

namespace periscope::components::redaction {

struct SqlSanitizerOptions {
  bool double_quoted_identifiers = false;  // keep "…" as an identifier instead of masking it
};

// Appends the sanitised `sql` to `out`; returns false (and appends nothing) when nothing changes.
bool sanitizeSqlLiterals(std::string_view sql, const SqlSanitizerOptions& options,
                         std::string& out);

}  // namespace periscope::components::redaction
