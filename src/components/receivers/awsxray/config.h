// Config of the `awsxray` receiver, with the OpenTelemetry Collector contrib awsxrayreceiver's
// keys:
//   receivers: { awsxray: { endpoint, transport, proxy_server: { ... } } }
#pragma once

#include <optional>
#include <string>

#include "component/component.h"
#include "config/schema.h"

namespace periscope::components::awsxray_receiver {

struct ProxyTlsConfig {
  bool insecure = false;
  std::string server_name_override;
  static const config::Schema<ProxyTlsConfig>& schema();
};

// The collector's local TCP proxy for sampling rules. Accepted so collector configs load; the
// proxy itself is not implemented (a warning is logged at start).
struct ProxyServerConfig {
  std::string endpoint = "127.0.0.1:2000";
  std::string proxy_address;
  ProxyTlsConfig tls;
  std::string region;
  std::string role_arn;
  std::string aws_endpoint;
  bool local_mode = false;
  static const config::Schema<ProxyServerConfig>& schema();
};

struct Config : component::Config {
  // The X-Ray daemon's port (2000), bound to loopback as every Periscope default listener.
  std::string endpoint = "127.0.0.1:2000";
  std::string transport = "udp";
  std::optional<ProxyServerConfig> proxy_server;
  static const config::Schema<Config>& schema();
  Status validate() const override;
};

}  // namespace periscope::components::awsxray_receiver
