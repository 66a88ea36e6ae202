// Factory: the common face of every component factory — its kind, type name, default config,
// config decoding and reference docs. Signal-specific creation lives in pipeline/factories.h.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "component/component.h"
#include "config/diagnostics.h"
#include "config/schema.h"
#include "config/value.h"

namespace periscope::component {

class Factory {
 public:
  virtual ~Factory() = default;
  virtual Kind kind() const = 0;
  virtual std::string_view type() const = 0;  // lower_snake_case, equals its folder name
  virtual std::string_view description() const = 0;
  virtual std::unique_ptr<Config> createDefaultConfig() const = 0;
  // Decodes `value` over a default config; every error goes to `diags`.
  virtual void decodeConfig(const config::Value& value, Config& cfg,
                            config::Diagnostics& diags) const = 0;
  virtual std::vector<config::FieldDoc> configDocs() const = 0;
};

// Implements the config half of Factory for a Config type with a static schema().
template <typename ConfigT, typename Base>
class FactoryWithConfig : public Base {
 public:
  std::unique_ptr<Config> createDefaultConfig() const override {
    return std::make_unique<ConfigT>();
  }
  void decodeConfig(const config::Value& value, Config& cfg,
                    config::Diagnostics& diags) const override {
    ConfigT::schema().decode(value, static_cast<ConfigT&>(cfg), diags);
  }
  std::vector<config::FieldDoc> configDocs() const override { return ConfigT::schema().docs(); }
};

}  // namespace periscope::component
