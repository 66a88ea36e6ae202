// Periscope's URL sanitiser for the redaction processor: masks the value of every query and
// fragment parameter and the user name and password of the user-info part, keeping scheme, host,
// path, parameter names and fragments without '=', so `https://u:pw@h/p?token=abc&x=1#t=9` becomes
// `https://****:****@h/p?token=****&x=****#t=****`.
// (The collector's url_sanitizer instead replaces variable path segments to cut cardinality.)
#pragma once

#include <string>
#include <string_view>

#include "components/processors/redaction/masker.h"

namespace periscope::components::redaction {

// Appends the sanitised `url` to `out`; returns false (and appends nothing) when nothing changes.
bool sanitizeUrl(std::string_view url, const Masker& masker, std::string& out);

// Sanitises every http(s):// URL inside free text (log bodies); same contract.
bool sanitizeUrlsInText(std::string_view text, const Masker& masker, std::string& out);

}  // namespace periscope::components::redaction
