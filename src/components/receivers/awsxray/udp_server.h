// The UDP socket loop: binds the endpoint, reads datagrams on one thread, and hands each burst
// (what is queued in the socket, up to kBurst datagrams) to SegmentIngest as one batch.
// Bad input never stops the loop; shutdown wakes it through a pipe.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>

#include "common/status.h"
#include "components/receivers/awsxray/segment_ingest.h"

namespace periscope::components::awsxray_receiver {

class UdpServer {
 public:
  UdpServer(std::string endpoint, SegmentIngest& ingest);
  ~UdpServer();
  UdpServer(const UdpServer&) = delete;
  UdpServer& operator=(const UdpServer&) = delete;

  Status start();
  uint16_t port() const { return port_; }
  void shutdown();  // idempotent; returns once the thread has handed on its last batch

 private:
  void run();

  std::string endpoint_;
  SegmentIngest& ingest_;
  int fd_ = -1;
  int wake_[2] = {-1, -1};
  uint16_t port_ = 0;
  std::thread thread_;
};

}  // namespace periscope::components::awsxray_receiver
