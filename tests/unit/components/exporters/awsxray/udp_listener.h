// A UDP socket on 127.0.0.1 (ephemeral port) standing in for the X-Ray daemon in tests.
#pragma once

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

namespace periscope::components::awsxray_exporter::testing {

class UdpListener {
 public:
  UdpListener() {
    fd_ = socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    EXPECT_EQ(bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    socklen_t len = sizeof addr;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  }
  ~UdpListener() { close(fd_); }
  int port() const { return port_; }
  // Blocks until a datagram arrives (the sender has already sent it on loopback).
  std::string receive() {
    std::string buf(70000, '\0');
    ssize_t n = recv(fd_, buf.data(), buf.size(), 0);
    buf.resize(n < 0 ? 0 : static_cast<size_t>(n));
    return buf;
  }

 private:
  int fd_ = -1;
  int port_ = 0;
};

}  // namespace periscope::components::awsxray_exporter::testing
