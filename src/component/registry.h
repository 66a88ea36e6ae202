// Registry: the factories known to this binary, by kind and type. Filled once at startup from
// the explicit list in components/builtin_components.cc; read-only afterwards.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "component/factory.h"

namespace periscope::component {

class Registry {
 public:
  void add(std::unique_ptr<Factory> factory);
  const Factory* find(Kind kind, std::string_view type) const;
  std::vector<std::string> types(Kind kind) const;
  std::vector<const Factory*> all() const;

 private:
  std::vector<std::unique_ptr<Factory>> factories_;
};

}  // namespace periscope::component
