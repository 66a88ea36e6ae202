// Router: method + path dispatch for the query API on top of common/http/server.h, with
// {name} path parameters and a decoded query string. Built once at start-up, then read-only:
// route() is safe from any number of server threads at once.
// Handlers answer synchronously by returning a Response; errors the router itself finds
// (unknown path 404, wrong method 405, malformed percent-encoding 400) are rendered by the
// ErrorRenderer so that each API family keeps its own error envelope.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/http/server.h"
#include "common/status.h"

namespace periscope::api {

// Percent-decodes `in`; with `plus_is_space` (query strings, HTML forms) '+' becomes ' '.
// nullopt on a '%' not followed by two hex digits.
std::optional<std::string> percentDecode(std::string_view in, bool plus_is_space);

// A decoded query string: (name, value) pairs in the order received; names may repeat.
class QueryParams {
 public:
  QueryParams() = default;
  // INVALID_ARGUMENT naming the parameter whose name or value has a bad percent-escape.
  static Result<QueryParams> parse(std::string_view query);

  // The first value of `name`; nullopt when absent. "a=" and "a" give "".
  std::optional<std::string_view> get(std::string_view name) const;
  // The first non-empty value among `names` (canonical name first, then aliases), with the name
  // it was found under, for error messages that name what the client sent.
  std::optional<std::pair<std::string_view, std::string_view>> first(
      std::initializer_list<std::string_view> names) const;
  // Every value of `name`, in order.
  std::vector<std::string_view> all(std::string_view name) const;

 private:
  std::vector<std::pair<std::string, std::string>> pairs_;
};

struct ApiRequest {
  const http::Request& http;
  QueryParams query;
  std::vector<std::pair<std::string, std::string>> path_params;  // decoded

  // The decoded {name} segment of the matched route; "" when the route has none.
  std::string_view pathParam(std::string_view name) const;
};

using RouteHandler = std::function<http::Response(const ApiRequest&)>;
// Renders an error in the envelope of the API that owns `path`.
using ErrorRenderer =
    std::function<http::Response(std::string_view path, int status, std::string_view message)>;

// A JSON response with the right Content-Type.
http::Response jsonResponse(int status, std::string body);

class Router {
 public:
  explicit Router(ErrorRenderer errors) : errors_(std::move(errors)) {}

  // `pattern` is an absolute path whose segments are literals or {name}; a {name} segment
  // matches one non-empty segment. Literals win over parameters when both would match, so
  // order of registration does not matter.
  void add(std::string method, std::string_view pattern, RouteHandler handler);

  http::Response route(const http::Request& request) const;

 private:
  struct Segment {
    std::string text;  // literal, or the parameter name
    bool param = false;
  };
  struct Route {
    std::string method;
    std::vector<Segment> segments;
    RouteHandler handler;
  };
  // Number of literal segments when `route` matches `parts`, else -1.
  static int match(const Route& route, const std::vector<std::string_view>& parts);

  ErrorRenderer errors_;
  std::vector<Route> routes_;
};

}  // namespace periscope::api
