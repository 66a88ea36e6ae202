// `file` exporter: appends each batch to a file as one OTLP/JSON request per line
// (format: json) or as length-prefixed protobuf requests (format: proto; 4-byte big-endian
// length, then the ExportXServiceRequest bytes), with size-based rotation.
#pragma once

#include <memory>

#include "component/component.h"
#include "config/schema.h"
#include "pipeline/factories.h"

namespace periscope::components::file_exporter {

struct Rotation {
  int max_megabytes = 100;
  int max_days = 0;  // 0 = keep backups regardless of age
  int max_backups = 100;
  bool localtime = false;
  static const config::Schema<Rotation>& schema();
};

struct Config : component::Config {
  std::string path;
  std::string format = "json";
  bool append = false;
  std::optional<Rotation> rotation;
  config::Duration flush_interval = std::chrono::seconds(1);
  static const config::Schema<Config>& schema();
  Status validate() const override;
};

std::unique_ptr<pipeline::ExporterFactory> makeFactory();

}  // namespace periscope::components::file_exporter
