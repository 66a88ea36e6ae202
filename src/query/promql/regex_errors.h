// Label matcher regular expressions are compiled with RE2, but Prometheus users see the
// errors of Go's regexp package; this words RE2's errors the way Go does.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace re2 {
class RE2;
}

namespace periscope::query::promql {

// `error parsing regexp: <Go's text for the error code>: `<fragment>``, for a pattern that
// failed to compile. The fragment is RE2's, which is Go's for the common errors (both come
// from the same parser design); where the two engines disagree on what is an error at all
// (e.g. `(?<name>…)`, accepted by newer RE2 but not by Go 1.19), messages differ.
std::string goRegexpError(const re2::RE2& re);

// Go rejects `\C` (any byte), which RE2 accepts: the error for a pattern that RE2 compiled,
// or nullopt.
std::optional<std::string> goOnlyRegexpError(std::string_view pattern);

}  // namespace periscope::query::promql
