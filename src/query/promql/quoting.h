// UTF-8 helpers and the canonical quoting of PromQL string literals (Go's rules, which
// PromQL follows): the printer's output must lex back to the same bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace periscope::query::promql {

// Decodes one well-formed UTF-8 sequence (no overlongs, surrogates or code points past
// U+10FFFF) at s[i]; on success advances i past it.
bool decodeUtf8(std::string_view s, size_t& i, uint32_t& code_point);
void appendUtf8(std::string& out, uint32_t code_point);

// Go's strconv.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
// Outside ASCII this knows the non-printable blocks (controls, separators, format characters,
// private use, surrogates), not every unassigned code point.
bool isPrintable(uint32_t code_point);

// Appends Go's escape for `code_point` if it has a short one: the quote character, backslash,
// \a \b \f \n \r \t \v, and other ASCII controls as \xNN. False (nothing appended) otherwise.
bool appendShortEscape(std::string& out, uint32_t code_point, char quote_char);

// `"…"` with \\, \", control characters and bytes that are not UTF-8 escaped.
std::string quote(std::string_view value);

}  // namespace periscope::query::promql
