// Per-detector `resource_attributes: {<attribute>: {enabled: bool}}`, as the collector's
// generated detector configs have. Each detector declares its attributes and their defaults in
// a spec type; an attribute name the detector does not set is a config error at that key.
#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>

#include "config/schema.h"

namespace periscope::components::resourcedetection {

struct AttributeSpec {
  std::string_view name;
  bool enabled_by_default;
};

// `Spec` provides: static constexpr std::string_view kDetector; and
// static std::span<const AttributeSpec> attributes().
template <typename Spec>
struct AttributeToggles {
  std::map<std::string, bool, std::less<>> configured;

  bool enabled(std::string_view name) const {
    if (auto it = configured.find(name); it != configured.end()) return it->second;
    for (const AttributeSpec& a : Spec::attributes()) {
      if (a.name == name) return a.enabled_by_default;
    }
    return false;
  }
};

// `{enabled: bool}`.
struct AttributeToggle {
  bool enabled = false;
  static const config::Schema<AttributeToggle>& schema();
};

std::string knownAttributesList(std::span<const AttributeSpec> attrs);

}  // namespace periscope::components::resourcedetection

namespace periscope::config {

template <typename Spec>
struct FieldCodec<components::resourcedetection::AttributeToggles<Spec>> {
  using Toggles = components::resourcedetection::AttributeToggles<Spec>;
  static std::string typeName() { return "map of {enabled: bool}"; }
  static std::string show(const Toggles&) { return ""; }
  static std::vector<FieldDoc> children() { return {}; }
  static void decode(const Value& v, Toggles& out, Diagnostics& d) {
    if (v.isNull()) return;
    if (!v.isMap()) {
      d.error(v, "expected a map, got " + v.kindName());
      return;
    }
    for (const auto& [key, child] : v.entries) {
      bool known = false;
      for (const auto& a : Spec::attributes()) known = known || a.name == key;
      if (!known) {
        d.errorAtKey(child,
                     "the " + std::string(Spec::kDetector) +
                         " detector has no resource attribute \"" + key + "\"; known: " +
                         components::resourcedetection::knownAttributesList(Spec::attributes()));
        continue;
      }
      components::resourcedetection::AttributeToggle t;
      t.enabled = Toggles{}.enabled(key);
      components::resourcedetection::AttributeToggle::schema().decode(child, t, d);
      out.configured[key] = t.enabled;
    }
  }
};

}  // namespace periscope::config
