#include "component/registry.h"

namespace periscope::component {

void Registry::add(std::unique_ptr<Factory> factory) {
  factories_.push_back(std::move(factory));
}

const Factory* Registry::find(Kind kind, std::string_view type) const {
  for (const auto& f : factories_) {
    if (f->kind() == kind && f->type() == type) return f.get();
  }
  return nullptr;
}

std::vector<std::string> Registry::types(Kind kind) const {
  std::vector<std::string> out;
  for (const auto& f : factories_) {
    if (f->kind() == kind) out.emplace_back(f->type());
  }
  return out;
}

std::vector<const Factory*> Registry::all() const {
  std::vector<const Factory*> out;
  for (const auto& f : factories_) out.push_back(f.get());
  return out;
}

}  // namespace periscope::component
