// `otlp` exporter: sends batches to an OTLP/gRPC server (another Periscope, a collector, a
// vendor). Requests are encoded by our own protobuf encoder and sent through gRPC's generic
// stub, so no libprotobuf message is built.
#pragma once

#include <map>
#include <memory>

#include "component/component.h"
#include "config/schema.h"
#include "pipeline/factories.h"
#include "pipeline/helpers/exporter_helper_config.h"

namespace periscope::components::otlp_exporter {

struct ClientTls {
  bool insecure = false;
  std::string ca_file;
  std::string cert_file;
  std::string key_file;
  bool insecure_skip_verify = false;
  static const config::Schema<ClientTls>& schema();
};

struct Config : pipeline::ExporterHelperConfig {
  std::string endpoint;
  ClientTls tls;
  std::map<std::string, std::string> headers;
  std::string compression = "gzip";
  static const config::Schema<Config>& schema();
  Status validate() const override;
};

std::unique_ptr<pipeline::ExporterFactory> makeFactory();

}  // namespace periscope::components::otlp_exporter
