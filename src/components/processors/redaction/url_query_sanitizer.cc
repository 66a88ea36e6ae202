#include "components/processors/redaction/url_query_sanitizer.h"

namespace periscope::components::redaction {
namespace {

// Masks non-empty values of `k=v` pairs separated by '&' or ';'; names and bare flags are kept.
bool appendQuery(std::string_view query, const Masker& masker, std::string& out) {
  bool changed = false;
  size_t pos = 0;
  while (pos <= query.size()) {
    size_t end = query.find_first_of("&;", pos);
    if (end == std::string_view::npos) end = query.size();
    std::string_view param = query.substr(pos, end - pos);
    size_t eq = param.find('=');
    if (eq != std::string_view::npos && eq + 1 < param.size()) {
      out.append(param.substr(0, eq + 1));
      masker.append(out, param.substr(eq + 1));
      changed = true;
    } else {
      out.append(param);
    }
    if (end == query.size()) break;
    out.push_back(query[end]);
    pos = end + 1;
  }
  return changed;
}

}  // namespace

bool sanitizeUrl(std::string_view url, const Masker& masker, std::string& out) {
  size_t start = out.size();
  bool changed = false;
  size_t rest = 0;  // where the path begins
  size_t scheme = url.find("://");
  if (scheme != std::string_view::npos && url.find_first_of("/?#") > scheme) {
    size_t authority = scheme + 3;
    size_t authority_end = url.find_first_of("/?#", authority);
    if (authority_end == std::string_view::npos) authority_end = url.size();
    std::string_view auth = url.substr(authority, authority_end - authority);
    size_t at = auth.rfind('@');
    out.append(url.substr(0, authority));
    if (at != std::string_view::npos) {
      // User name and password are both masked (as OpenTelemetry's url.full convention asks):
      // a token is often the user name alone (https://ghp_…@github.com, https://TOKEN:x-oauth-
      // basic@…). Empty parts stay empty.
      std::string_view userinfo = auth.substr(0, at);
      size_t colon = userinfo.find(':');
      std::string_view user = userinfo.substr(0, colon);
      if (!user.empty()) masker.append(out, user);
      if (colon != std::string_view::npos) {
        out.push_back(':');
        std::string_view password = userinfo.substr(colon + 1);
        if (!password.empty()) masker.append(out, password);
      }
      changed = !userinfo.empty();
    }
    out.append(auth.substr(at == std::string_view::npos ? 0 : at));
    rest = authority_end;
  }
  // Query and fragment: both may carry k=v secrets (OAuth's implicit flow returns
  // #access_token=…), so values in either are masked; a fragment without '=' stays.
  size_t hash = url.find('#', rest);
  size_t path_end = hash == std::string_view::npos ? url.size() : hash;
  size_t q = url.find('?', rest);
  if (q < path_end) {
    out.append(url.substr(rest, q + 1 - rest));
    changed |= appendQuery(url.substr(q + 1, path_end - q - 1), masker, out);
  } else {
    out.append(url.substr(rest, path_end - rest));
  }
  if (hash != std::string_view::npos) {
    out.push_back('#');
    changed |= appendQuery(url.substr(hash + 1), masker, out);
  }
  if (!changed) out.resize(start);
  return changed;
}

bool sanitizeUrlsInText(std::string_view text, const Masker& masker, std::string& out) {
  size_t start = out.size();
  bool changed = false;
  size_t copied = 0;
  size_t pos = 0;
  while ((pos = text.find("://", pos)) != std::string_view::npos) {
    // The scheme: letters right before "://" (http, https, postgres, ...).
    size_t begin = pos;
    while (begin > copied) {
      char c = text[begin - 1];
      bool scheme_char = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '+' || c == '-' ||
                         c == '.' || (c >= '0' && c <= '9');
      if (!scheme_char) break;
      --begin;
    }
    size_t end = text.find_first_of(" \t\r\n\"'<>`", pos);
    if (end == std::string_view::npos) end = text.size();
    if (begin < pos) {
      out.append(text.substr(copied, begin - copied));
      if (sanitizeUrl(text.substr(begin, end - begin), masker, out)) {
        changed = true;
      } else {
        out.append(text.substr(begin, end - begin));
      }
      copied = end;
    }
    pos = end;
  }
  if (!changed) {
    out.resize(start);
    return false;
  }
  out.append(text.substr(copied));
  return true;
}

}  // namespace periscope::components::redaction
