// Periscope's SQL literal sanitiser for the redaction processor: string literals ('...', with ''
// and backslash escapes), numeric literals (including 1.5e3 and 0x1F) become `?`, so
// `SELECT * FROM u WHERE email = 'a@b.c' AND id = 42` becomes
// `SELECT * FROM u WHERE email = ? AND id = ?`. Identifiers (also "quoted" and `quoted`), keywords,
// comments' text and digits inside identifiers (t1, col_2) are kept. One linear pass.
#pragma once

#include <string>
#include <string_view>

namespace periscope::components::redaction {

// Appends the sanitised `sql` to `out`; returns false (and appends nothing) when nothing changes.
bool sanitizeSqlLiterals(std::string_view sql, std::string& out);

}  // namespace periscope::components::redaction
