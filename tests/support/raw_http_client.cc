#include "raw_http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <utility>

namespace periscope::testing {

std::unique_ptr<RawHttpClient> RawHttpClient::connect(uint16_t port, int receive_buffer) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return nullptr;
  if (receive_buffer > 0)
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
  timeval timeout{30, 0};  // a failing test, not a synchronisation: reads normally return at once
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return nullptr;
  }
  return std::unique_ptr<RawHttpClient>(new RawHttpClient(fd));
}

RawHttpClient::~RawHttpClient() {
  close();
}

void RawHttpClient::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

bool RawHttpClient::get(std::string_view target, bool http10) {
  std::string request = "GET " + std::string(target) + (http10 ? " HTTP/1.0" : " HTTP/1.1") +
                        "\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n";
  size_t sent = 0;
  while (sent < request.size()) {
    ssize_t n = ::send(fd_, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return true;
}

bool RawHttpClient::fill() {
  if (fd_ < 0) return false;
  char buf[4096];
  ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
  if (n <= 0) return false;
  buffer_.append(buf, static_cast<size_t>(n));
  return true;
}

std::optional<std::string> RawHttpClient::readLine() {
  size_t eol;
  while ((eol = buffer_.find("\r\n")) == std::string::npos) {
    if (!fill()) return std::nullopt;
  }
  std::string line = buffer_.substr(0, eol);
  buffer_.erase(0, eol + 2);
  return line;
}

int RawHttpClient::readHead() {
  auto status = readLine();
  if (!status || status->size() < 12) return 0;
  int code = std::atoi(status->c_str() + 9);
  while (auto line = readLine()) {
    if (line->empty()) break;
    size_t colon = line->find(':');
    if (colon == std::string::npos) continue;
    std::string name = line->substr(0, colon);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    size_t start = line->find_first_not_of(' ', colon + 1);
    headers_[name] = start == std::string::npos ? "" : line->substr(start);
  }
  auto te = headers_.find("transfer-encoding");
  chunked_ = te != headers_.end() && te->second == "chunked";
  return code;
}

std::optional<std::string> RawHttpClient::readBody() {
  if (ended_) return std::nullopt;
  if (auto length = headers_.find("content-length"); !chunked_ && length != headers_.end()) {
    size_t size = std::strtoul(length->second.c_str(), nullptr, 10);
    while (buffer_.size() < size && fill()) {
    }
    ended_ = true;
    std::string body = buffer_.substr(0, size);
    buffer_.erase(0, body.size());
    return body;
  }
  if (!chunked_) {
    if (buffer_.empty() && !fill()) {
      ended_ = true;
      return std::nullopt;
    }
    return std::exchange(buffer_, {});
  }
  auto size_line = readLine();
  if (!size_line) {
    ended_ = true;
    return std::nullopt;
  }
  size_t size = std::strtoul(size_line->c_str(), nullptr, 16);
  while (buffer_.size() < size + 2) {
    if (!fill()) {
      ended_ = true;
      return std::nullopt;
    }
  }
  std::string chunk = buffer_.substr(0, size);
  buffer_.erase(0, size + 2);
  if (size == 0) {
    ended_ = true;
    return std::nullopt;
  }
  return chunk;
}

std::optional<SseEvent> RawHttpClient::readEvent() {
  size_t end;
  while ((end = events_.find("\n\n")) == std::string::npos) {
    auto more = readBody();
    if (!more) return std::nullopt;
    events_ += *more;
  }
  std::string block = events_.substr(0, end);
  events_.erase(0, end + 2);
  SseEvent e;
  size_t pos = 0;
  while (pos <= block.size()) {
    size_t eol = block.find('\n', pos);
    std::string line = block.substr(pos, eol == std::string::npos ? std::string::npos : eol - pos);
    auto append = [](std::string& to, std::string_view v) {
      if (!to.empty()) to += '\n';
      to += v;
    };
    if (line.starts_with(":")) {
      append(e.comment, std::string_view(line).substr(line.size() > 1 && line[1] == ' ' ? 2 : 1));
    } else if (line.starts_with("event: ")) {
      e.event = line.substr(7);
    } else if (line.starts_with("data: ")) {
      append(e.data, std::string_view(line).substr(6));
    }
    if (eol == std::string::npos) break;
    pos = eol + 1;
  }
  return e;
}

}  // namespace periscope::testing
