#include "components/exporters/awsxray/udp_daemon_sender.h"

#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "components/exporters/awsxray/translator/document_size.h"

namespace periscope::components::awsxray_exporter {

namespace {

// The largest UDP payload over IPv4 (65535 - 8 UDP - 20 IP header bytes).
constexpr size_t kMaxDatagram = 65507;

}  // namespace

std::string daemonAddress(const std::string& configured) {
  if (!configured.empty()) return configured;
  const char* env = std::getenv("AWS_XRAY_DAEMON_ADDRESS");
  if (env == nullptr || *env == '\0') return std::string(kDefaultDaemonAddress);
  std::string value = env;
  if (auto udp = value.find("udp:"); udp != std::string::npos) {
    auto rest = value.substr(udp + 4);
    return rest.substr(0, rest.find(' '));
  }
  return value;
}

Result<std::unique_ptr<UdpDaemonSender>> UdpDaemonSender::create(const std::string& address) {
  auto colon = address.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == address.size()) {
    return invalidArgument("daemon address \"" + address + "\" must be host:port");
  }
  std::string host = address.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  const std::string port = address.substr(colon + 1);
  addrinfo hints{};
  hints.ai_socktype = SOCK_DGRAM;
  hints.ai_family = AF_UNSPEC;
  addrinfo* res = nullptr;
  if (int rc = getaddrinfo(host.c_str(), port.c_str(), &hints, &res); rc != 0) {
    return invalidArgument("daemon address \"" + address + "\": " + gai_strerror(rc));
  }
  int fd = socket(res->ai_family, res->ai_socktype | SOCK_CLOEXEC, res->ai_protocol);
  // connect() fixes the destination so that send() can be used and ICMP errors surface.
  if (fd < 0 || connect(fd, res->ai_addr, res->ai_addrlen) != 0) {
    int err = errno;
    if (fd >= 0) close(fd);
    freeaddrinfo(res);
    return unavailable("daemon address \"" + address + "\": " + std::strerror(err));
  }
  freeaddrinfo(res);
  return std::make_unique<UdpDaemonSender>(fd, address);
}

UdpDaemonSender::~UdpDaemonSender() {
  close(fd_);
}

size_t UdpDaemonSender::maxDocumentBytes() const {
  return std::min(translator::kMaxDocumentBytes, kMaxDatagram - kDaemonHeader.size());
}

Status UdpDaemonSender::send(std::span<const std::string> documents) {
  std::string datagram;
  for (const auto& doc : documents) {
    datagram.assign(kDaemonHeader);
    datagram += doc;
    if (::send(fd_, datagram.data(), datagram.size(), 0) < 0) {
      // ECONNREFUSED: a previous datagram got "port unreachable" (no daemon yet): retryable.
      return unavailable("sending segment to X-Ray daemon at " + address_ + ": " +
                         std::strerror(errno));
    }
  }
  return Status::ok();
}

}  // namespace periscope::components::awsxray_exporter
