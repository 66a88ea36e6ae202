// Periscope's URL sanitiser for the redaction processor: masks the value of every query
// parameter and the password of the user-info part, keeping scheme, host, path, parameter names
// and fragment, so `https://u:pw@h/p?token=abc&x=1` becomes `https://u:****@h/p?token=****&x=****`.
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
