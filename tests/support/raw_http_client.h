// A blocking HTTP/1.1 client over a plain TCP socket, for tests of streamed responses (chunked
// bodies, server-sent events): it reads only when asked, so a test can play a slow client, and
// can shrink its receive buffer so that the server's writes stall soon. Every read gives up
// after a receive timeout (a hung test fails instead of hanging). Not thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace periscope::testing {

struct SseEvent {
  std::string event;    // "" for a comment-only block
  std::string data;     // data lines joined by '\n'
  std::string comment;  // comment lines (": …") joined by '\n'
};

class RawHttpClient {
 public:
  // Connects to 127.0.0.1:port; receive_buffer > 0 sets SO_RCVBUF before connecting. nullptr
  // on failure.
  static std::unique_ptr<RawHttpClient> connect(uint16_t port, int receive_buffer = 0);
  ~RawHttpClient();
  RawHttpClient(const RawHttpClient&) = delete;
  RawHttpClient& operator=(const RawHttpClient&) = delete;

  // Sends "GET target HTTP/1.1" (or 1.0) with a Host header.
  bool get(std::string_view target, bool http10 = false);
  // The status line's code and the headers (names lower-cased); 0 on error.
  int readHead();
  const std::map<std::string, std::string>& headers() const { return headers_; }
  // The next piece of the body: one chunk when chunked, the whole body when it has a
  // Content-Length, else what one read returned. nullopt at the end of the body (terminating
  // chunk, Content-Length reached, or EOF) or on error.
  std::optional<std::string> readBody();
  // The next server-sent event block; nullopt when the body ended first.
  std::optional<SseEvent> readEvent();
  // Closes the socket (the server sees the client go away).
  void close();

 private:
  explicit RawHttpClient(int fd) : fd_(fd) {}
  bool fill();  // one read into buffer_; false on EOF or error
  std::optional<std::string> readLine();

  int fd_ = -1;
  std::string buffer_;  // received, not yet consumed
  std::map<std::string, std::string> headers_;
  bool chunked_ = false;
  bool ended_ = false;
  std::string events_;  // body bytes not yet split into events
};

}  // namespace periscope::testing
