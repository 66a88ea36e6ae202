#include "components/receivers/awsxray/config.h"

#include "common/http/server.h"

namespace periscope::components::awsxray_receiver {

const config::Schema<ProxyTlsConfig>& ProxyTlsConfig::schema() {
  static const auto s =
      config::Schema<ProxyTlsConfig>()
          .field("insecure", &ProxyTlsConfig::insecure, "Accepted; the proxy is not implemented.")
          .field("server_name_override", &ProxyTlsConfig::server_name_override,
                 "Accepted; the proxy is not implemented.");
  return s;
}

const config::Schema<ProxyServerConfig>& ProxyServerConfig::schema() {
  static const auto s =
      config::Schema<ProxyServerConfig>()
          .field("endpoint", &ProxyServerConfig::endpoint,
                 "TCP address of the sampling proxy (accepted; not implemented).")
          .field("proxy_address", &ProxyServerConfig::proxy_address, "Accepted; not implemented.")
          .field("tls", &ProxyServerConfig::tls, "Accepted; not implemented.")
          .field("region", &ProxyServerConfig::region, "Accepted; not implemented.")
          .field("role_arn", &ProxyServerConfig::role_arn, "Accepted; not implemented.")
          .field("aws_endpoint", &ProxyServerConfig::aws_endpoint, "Accepted; not implemented.")
          .field("local_mode", &ProxyServerConfig::local_mode, "Accepted; not implemented.");
  return s;
}

const config::Schema<Config>& Config::schema() {
  static const auto s =
      config::Schema<Config>()
          .field("endpoint", &Config::endpoint,
                 "host:port of the UDP socket X-Ray SDKs send segment documents to (port 0 "
                 "picks a free one).")
          .field("transport", &Config::transport, "Must be udp (X-Ray SDKs only send over UDP).")
          .field("proxy_server", &Config::proxy_server,
                 "The collector's sampling-rule TCP proxy: accepted so collector configs load, "
                 "not implemented (a warning is logged).");
  return s;
}

Status Config::validate() const {
  std::string host;
  uint16_t port = 0;
  PERISCOPE_RETURN_IF_ERROR(http::splitHostPort(endpoint, host, port));
  if (transport != "udp") {
    return invalidArgument("transport: X-Ray receiver only supports udp, got \"" + transport +
                           "\"");
  }
  return Status::ok();
}

}  // namespace periscope::components::awsxray_receiver
