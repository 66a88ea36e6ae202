#include "components/receivers/awsxray/udp_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "common/http/server.h"
#include "components/receivers/awsxray/datagram.h"

namespace periscope::components::awsxray_receiver {
namespace {

constexpr int kBurst = 64;  // datagrams per batch at most

}  // namespace

UdpServer::UdpServer(std::string endpoint, SegmentIngest& ingest)
    : endpoint_(std::move(endpoint)), ingest_(ingest) {}

UdpServer::~UdpServer() {
  shutdown();
}

Status UdpServer::start() {
  std::string host;
  uint16_t port = 0;
  PERISCOPE_RETURN_IF_ERROR(http::splitHostPort(endpoint_, host, port));
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_DGRAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  std::string service = std::to_string(port);
  if (int rc = getaddrinfo(host.empty() ? nullptr : host.c_str(), service.c_str(), &hints, &found);
      rc != 0) {
    return invalidArgument("endpoint \"" + endpoint_ + "\": " + gai_strerror(rc));
  }
  fd_ = socket(found->ai_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0 || bind(fd_, found->ai_addr, found->ai_addrlen) != 0) {
    std::string err = std::strerror(errno);
    freeaddrinfo(found);
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
    return unavailable("awsxray: cannot bind UDP " + endpoint_ + ": " + err);
  }
  freeaddrinfo(found);
  sockaddr_storage bound{};
  socklen_t len = sizeof(bound);
  getsockname(fd_, reinterpret_cast<sockaddr*>(&bound), &len);
  port_ = ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                            : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  if (pipe2(wake_, O_CLOEXEC) != 0) {
    close(fd_);
    fd_ = -1;
    return internalError(std::string("awsxray: pipe: ") + std::strerror(errno));
  }
  thread_ = std::thread([this] { run(); });
  return Status::ok();
}

void UdpServer::run() {
  // One byte more than the limit: recv's MSG_TRUNC reports the real size of larger datagrams.
  std::vector<char> buffer(kMaxDatagramBytes + 1);
  pollfd fds[2] = {{fd_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
  for (;;) {
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (fds[1].revents != 0) break;
    for (int i = 0; i < kBurst; ++i) {
      ssize_t n = recv(fd_, buffer.data(), buffer.size(), MSG_DONTWAIT | MSG_TRUNC);
      if (n < 0) break;  // EAGAIN: the burst is over (other errors: retried on the next poll)
      size_t kept = std::min(static_cast<size_t>(n), buffer.size());
      ingest_.add(std::string_view(buffer.data(), kept), static_cast<size_t>(n));
    }
    ingest_.flush();
  }
  ingest_.flush();
}

void UdpServer::shutdown() {
  if (thread_.joinable()) {
    char b = 1;
    static_cast<void>(write(wake_[1], &b, 1));
    thread_.join();
  }
  for (int* fd : {&fd_, &wake_[0], &wake_[1]}) {
    if (*fd >= 0) close(*fd);
    *fd = -1;
  }
}

}  // namespace periscope::components::awsxray_receiver
