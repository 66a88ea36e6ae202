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
    size_t colon = at == std::string_view::npos ? at : auth.substr(0, at).find(':');
    if (colon != std::string_view::npos && colon + 1 < at) {  // user:password@host
      out.append(url.substr(0, authority + colon + 1));
      masker.append(out, auth.substr(colon + 1, at - colon - 1));
      out.append(auth.substr(at));
      changed = true;
    } else {
      out.append(url.substr(0, authority_end));
    }
    rest = authority_end;
  }
  size_t q = url.find('?', rest);
  size_t hash = url.find('#', rest);
  if (q != std::string_view::npos && (hash == std::string_view::npos || q < hash)) {
    out.append(url.substr(rest, q + 1 - rest));
    size_t qend = hash == std::string_view::npos ? url.size() : hash;
    changed |= appendQuery(url.substr(q + 1, qend - q - 1), masker, out);
    out.append(url.substr(qend));
  } else {
    out.append(url.substr(rest));
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
