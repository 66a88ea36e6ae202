#include "api/http/router.h"

#include <algorithm>
#include <exception>

namespace periscope::api {
namespace {

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::vector<std::string_view> splitPath(std::string_view path) {
  std::vector<std::string_view> parts;
  if (path.empty() || path.front() != '/') return parts;
  path.remove_prefix(1);
  while (true) {
    size_t slash = path.find('/');
    parts.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return parts;
}

}  // namespace

std::optional<std::string> percentDecode(std::string_view in, bool plus_is_space) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return std::nullopt;
      int hi = hexValue(in[i + 1]);
      int lo = hexValue(in[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

Result<QueryParams> QueryParams::parse(std::string_view query) {
  QueryParams params;
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;  // "a=1&&b=2"
    size_t eq = pair.find('=');
    std::string_view raw_name = pair.substr(0, eq);
    std::string_view raw_value = eq == std::string_view::npos ? "" : pair.substr(eq + 1);
    auto name = percentDecode(raw_name, true);
    if (!name) {
      return invalidArgument("invalid percent-encoding in query parameter name \"" +
                             std::string(raw_name.substr(0, 100)) + "\"");
    }
    auto value = percentDecode(raw_value, true);
    if (!value) {
      return invalidArgument(*name + ": invalid percent-encoding in \"" +
                             std::string(raw_value.substr(0, 100)) + "\"");
    }
    params.pairs_.emplace_back(std::move(*name), std::move(*value));
  }
  return params;
}

std::optional<std::string_view> QueryParams::get(std::string_view name) const {
  for (const auto& [k, v] : pairs_) {
    if (k == name) return std::string_view(v);
  }
  return std::nullopt;
}

std::optional<std::pair<std::string_view, std::string_view>> QueryParams::first(
    std::initializer_list<std::string_view> names) const {
  for (std::string_view name : names) {
    auto v = get(name);
    if (v && !v->empty()) return std::make_pair(name, *v);
  }
  return std::nullopt;
}

std::vector<std::string_view> QueryParams::all(std::string_view name) const {
  std::vector<std::string_view> out;
  for (const auto& [k, v] : pairs_) {
    if (k == name) out.emplace_back(v);
  }
  return out;
}

std::string_view ApiRequest::pathParam(std::string_view name) const {
  for (const auto& [k, v] : path_params) {
    if (k == name) return v;
  }
  return {};
}

http::Response jsonResponse(int status, std::string body) {
  return http::Response::text(status, std::move(body), "application/json");
}

void Router::add(std::string method, std::string_view pattern, RouteHandler handler) {
  Route route{std::move(method), {}, std::move(handler)};
  for (std::string_view part : splitPath(pattern)) {
    bool param = part.size() >= 2 && part.front() == '{' && part.back() == '}';
    route.segments.push_back({std::string(param ? part.substr(1, part.size() - 2) : part), param});
  }
  routes_.push_back(std::move(route));
}

int Router::match(const Route& route, const std::vector<std::string_view>& parts) {
  if (route.segments.size() != parts.size()) return -1;
  int literals = 0;
  for (size_t i = 0; i < parts.size(); ++i) {
    const Segment& s = route.segments[i];
    if (s.param) {
      if (parts[i].empty()) return -1;
    } else if (s.text != parts[i]) {
      return -1;
    } else {
      ++literals;
    }
  }
  return literals;
}

http::Response Router::route(const http::Request& request) const {
  std::vector<std::string_view> parts = splitPath(request.path);
  const Route* best = nullptr;
  int best_literals = -1;
  std::vector<std::string_view> allowed;
  for (const Route& r : routes_) {
    int literals = match(r, parts);
    if (literals < 0) continue;
    if (r.method != request.method) {
      if (std::find(allowed.begin(), allowed.end(), r.method) == allowed.end())
        allowed.push_back(r.method);
      continue;
    }
    if (literals > best_literals) {
      best = &r;
      best_literals = literals;
    }
  }
  if (best == nullptr) {
    if (allowed.empty()) return errors_(request.path, 404, "no such endpoint: " + request.path);
    std::string allow;
    for (std::string_view m : allowed) allow += (allow.empty() ? "" : ", ") + std::string(m);
    http::Response r =
        errors_(request.path, 405, "method " + request.method + " is not allowed; use " + allow);
    r.setHeader("Allow", allow);
    return r;
  }

  size_t q = request.target.find('?');
  auto query = QueryParams::parse(
      q == std::string::npos ? std::string_view() : std::string_view(request.target).substr(q + 1));
  if (!query.isOk()) return errors_(request.path, 400, query.status().message());
  ApiRequest api{request, std::move(*query), {}};
  for (size_t i = 0; i < parts.size(); ++i) {
    const Segment& s = best->segments[i];
    if (!s.param) continue;
    // Path segments are not form-encoded: '+' stays '+'.
    auto value = percentDecode(parts[i], false);
    if (!value) {
      return errors_(request.path, 400,
                     s.text + ": invalid percent-encoding in \"" + std::string(parts[i]) + "\"");
    }
    api.path_params.emplace_back(s.text, std::move(*value));
  }
  // The server must always get an answer; a handler bug (e.g. bad_alloc on a huge result) is
  // reported as 500 instead of leaving the connection hanging.
  try {
    return best->handler(api);
  } catch (const std::exception& e) {
    return errors_(request.path, 500, std::string("internal error: ") + e.what());
  }
}

}  // namespace periscope::api
