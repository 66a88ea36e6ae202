// UdpDaemonSender: the X-Ray daemon protocol, one UDP datagram per document:
// `{"format": "json", "version": 1}\n<document>`, to host:port (default 127.0.0.1:2000, or
// AWS_XRAY_DAEMON_ADDRESS). The address is resolved once, at creation.
#pragma once

#include <memory>
#include <string>

#include "common/status.h"
#include "components/exporters/awsxray/segment_sender.h"

namespace periscope::components::awsxray_exporter {

inline constexpr std::string_view kDaemonHeader = "{\"format\": \"json\", \"version\": 1}\n";
inline constexpr std::string_view kDefaultDaemonAddress = "127.0.0.1:2000";

// `configured` if set, else $AWS_XRAY_DAEMON_ADDRESS, else 127.0.0.1:2000. The variable may
// hold "host:port" or the SDKs' "tcp:host:port udp:host:port" form (the udp part is used).
std::string daemonAddress(const std::string& configured);

class UdpDaemonSender final : public SegmentSender {
 public:
  static Result<std::unique_ptr<UdpDaemonSender>> create(const std::string& address);
  // Takes ownership of the connected socket `fd`; use create().
  UdpDaemonSender(int fd, std::string address) : fd_(fd), address_(std::move(address)) {}
  ~UdpDaemonSender() override;
  size_t maxDocumentBytes() const override;
  Status send(std::span<const std::string> documents) override;

 private:
  int fd_;
  std::string address_;
};

}  // namespace periscope::components::awsxray_exporter
