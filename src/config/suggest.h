// "Did you mean" suggestions for misspelt config keys and component names.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace periscope::config {

size_t editDistance(std::string_view a, std::string_view b);
// The closest candidate within a small edit distance, or "" if none is close enough.
std::string closestMatch(std::string_view word, const std::vector<std::string>& candidates);
// `unknown key "x"` plus `; did you mean "y"?` when there is a close match.
std::string unknownMessage(std::string_view what, std::string_view word,
                           const std::vector<std::string>& candidates);

}  // namespace periscope::config
