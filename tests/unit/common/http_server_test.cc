// The HTTP server against a real client (libcurl) on 127.0.0.1: request/response, and the
// server-wide budget for request bodies in progress.
#include <curl/curl.h>
#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <thread>

#include "common/http/server.h"

namespace periscope::http {
namespace {

struct Answer {
  long status = 0;
  std::string body;
  std::string retry_after;
};

size_t collect(char* d, size_t s, size_t n, void* u) {
  static_cast<std::string*>(u)->append(d, s * n);
  return s * n;
}
size_t header(char* d, size_t s, size_t n, void* u) {
  std::string line(d, s * n);
  if (line.rfind("Retry-After:", 0) == 0)
    *static_cast<std::string*>(u) = line.substr(13, line.find('\r') - 13);
  return s * n;
}

Answer post(uint16_t port, const std::string& body) {
  Answer a;
  CURL* c = curl_easy_init();
  std::string url = "http://127.0.0.1:" + std::to_string(port) + "/x";
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &a.body);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &a.retry_after);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
  if (curl_easy_perform(c) == CURLE_OK) curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &a.status);
  curl_easy_cleanup(c);
  return a;
}

TEST(HttpServer, AnswersFromAnyThreadAndLimitsBodiesInProgress) {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<Respond> held;
  ServerOptions opts;
  opts.max_pending_body_bytes = 1000;
  auto server = Server::start(opts, [&](Request&& req, Respond respond) {
    if (req.body.size() == 800) {  // held until the test releases it
      std::lock_guard lock(mu);
      held.push_back(std::move(respond));
      cv.notify_all();
      return;
    }
    respond(Response::text(200, "got " + std::to_string(req.body.size())));
  });
  ASSERT_TRUE(server.isOk()) << server.status().toString();
  uint16_t port = (*server)->port();

  Answer first;
  std::thread t([&] { first = post(port, std::string(800, 'a')); });
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(10), [&] { return !held.empty(); }));
  }
  // 800 bytes are with the handler: 300 more would pass the 1000-byte budget.
  Answer refused = post(port, std::string(300, 'b'));
  EXPECT_EQ(refused.status, 503);
  EXPECT_EQ(refused.retry_after, "1");
  Answer small = post(port, std::string(100, 'c'));  // fits
  EXPECT_EQ(small.status, 200);
  EXPECT_EQ(small.body, "got 100");

  std::thread([r = std::move(held[0])] { r(Response::text(200, "released")); }).join();
  t.join();
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(first.body, "released");
  Answer after = post(port, std::string(300, 'd'));  // the budget was given back
  EXPECT_EQ(after.status, 200);
  EXPECT_TRUE((*server)->drain(std::chrono::steady_clock::now() + std::chrono::seconds(5)));
  (*server)->stop();
}

}  // namespace
}  // namespace periscope::http
