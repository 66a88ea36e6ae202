// Router: percent-decoding, query strings, path parameters, and the router's own 404/405/400.
#include "api/http/router.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace periscope::api {
namespace {

TEST(PercentDecode, Table) {
  struct Case {
    std::string_view in;
    bool plus_is_space;
    std::optional<std::string> out;
  };
  const Case cases[] = {
      {"plain", true, "plain"},
      {"a%20b", true, "a b"},
      {"a+b", true, "a b"},
      {"a+b", false, "a+b"},
      {"%2Fapi%2fx", false, "/api/x"},
      {"%7B%22k%22%3A%22v%22%7D", true, R"({"k":"v"})"},
      {"%C2%B5s", true, "\xC2\xB5s"},
      {"100%", true, std::nullopt},
      {"%4", true, std::nullopt},
      {"%zz", true, std::nullopt},
      {"", true, ""},
  };
  for (const Case& c : cases) EXPECT_EQ(percentDecode(c.in, c.plus_is_space), c.out) << c.in;
}

TEST(QueryParams, RepeatsAliasesAndEmptyValues) {
  auto q = QueryParams::parse("tag=a%3A1&tag=b:2&&service=my+svc&flag&empty=&x=%26");
  ASSERT_TRUE(q.isOk());
  EXPECT_EQ(q->all("tag"), (std::vector<std::string_view>{"a:1", "b:2"}));
  EXPECT_EQ(q->get("service"), "my svc");
  EXPECT_EQ(q->get("flag"), "");
  EXPECT_EQ(q->get("empty"), "");
  EXPECT_EQ(q->get("x"), "&");
  EXPECT_EQ(q->get("missing"), std::nullopt);
  // first(): the first non-empty among the names, with the name it was found under.
  auto p = q->first({"empty", "service"});
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->first, "service");
  EXPECT_EQ(p->second, "my svc");
  EXPECT_FALSE(q->first({"empty", "missing"}).has_value());
}

TEST(QueryParams, BadEscapeNamesTheParameter) {
  auto q = QueryParams::parse("ok=1&minDuration=5%ZZ");
  ASSERT_FALSE(q.isOk());
  EXPECT_EQ(q.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(q.status().message().find("minDuration"), std::string_view::npos);
}

http::Request request(std::string method, std::string target) {
  http::Request r;
  r.method = std::move(method);
  r.target = std::move(target);
  r.path = r.target.substr(0, r.target.find('?'));
  return r;
}

class RouterTest : public ::testing::Test {
 protected:
  RouterTest()
      : router_([](std::string_view path, int status, std::string_view message) {
          return http::Response::text(status, std::string(path) + "|" + std::string(message));
        }) {
    router_.add("GET", "/api/traces/{traceID}", [](const ApiRequest& r) {
      return http::Response::text(200, "id=" + std::string(r.pathParam("traceID")) + " start=" +
                                           std::string(r.query.get("start").value_or("-")));
    });
    router_.add("GET", "/api/traces/search",
                [](const ApiRequest&) { return http::Response::text(200, "literal"); });
    router_.add("POST", "/api/traces/{traceID}",
                [](const ApiRequest&) { return http::Response::text(200, "post"); });
    router_.add("GET", "/api/boom",
                [](const ApiRequest&) -> http::Response { throw std::runtime_error("kaput"); });
  }
  Router router_;
};

TEST_F(RouterTest, PathParametersAreDecodedAndQueryIsParsed) {
  http::Response r = router_.route(request("GET", "/api/traces/a%2Bb+c?start=12"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "id=a+b+c start=12");  // '+' in a path is literal
}

TEST_F(RouterTest, LiteralSegmentsWinOverParameters) {
  EXPECT_EQ(router_.route(request("GET", "/api/traces/search")).body, "literal");
  EXPECT_EQ(router_.route(request("POST", "/api/traces/search")).body, "post");
}

TEST_F(RouterTest, UnknownPathIs404AndWrongMethodIs405WithAllow) {
  http::Response nf = router_.route(request("GET", "/api/nothing"));
  EXPECT_EQ(nf.status, 404);
  EXPECT_EQ(nf.body, "/api/nothing|no such endpoint: /api/nothing");
  EXPECT_EQ(router_.route(request("GET", "/api/traces/")).status, 404);  // empty parameter
  EXPECT_EQ(router_.route(request("GET", "/api/traces/x/y")).status, 404);

  http::Response na = router_.route(request("DELETE", "/api/traces/abc"));
  EXPECT_EQ(na.status, 405);
  std::string allow;
  for (const auto& [k, v] : na.headers) {
    if (k == "Allow") allow = v;
  }
  EXPECT_EQ(allow, "GET, POST");
}

TEST_F(RouterTest, MalformedEscapesAre400) {
  http::Response q = router_.route(request("GET", "/api/traces/abc?start=%G1"));
  EXPECT_EQ(q.status, 400);
  EXPECT_NE(q.body.find("start"), std::string::npos);
  http::Response p = router_.route(request("GET", "/api/traces/ab%"));
  EXPECT_EQ(p.status, 400);
  EXPECT_NE(p.body.find("traceID"), std::string::npos);
}

TEST_F(RouterTest, HandlerExceptionsBecome500) {
  http::Response r = router_.route(request("GET", "/api/boom"));
  EXPECT_EQ(r.status, 500);
  EXPECT_NE(r.body.find("kaput"), std::string::npos);
}

}  // namespace
}  // namespace periscope::api
