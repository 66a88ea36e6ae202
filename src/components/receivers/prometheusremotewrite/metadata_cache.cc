#include "components/receivers/prometheusremotewrite/metadata_cache.h"

namespace periscope::components::prometheusremotewrite_receiver {

void MetadataCache::update(std::span<const model::prom::RemoteMetadata> metadata) {
  if (metadata.empty()) return;
  std::lock_guard lock(mu_);
  for (const auto& md : metadata) {
    if (md.family.empty()) continue;
    auto it = families_.find(std::string(md.family));
    if (it == families_.end()) {
      if (families_.size() >= kMaxFamilies) continue;
      it = families_.emplace(std::string(md.family), Entry{}).first;
    }
    it->second = {md.type, std::string(md.help), std::string(md.unit)};
  }
}

const model::prom::RemoteMetadata* MetadataCache::find(std::string_view family,
                                                       Arena& arena) const {
  std::lock_guard lock(mu_);
  auto it = families_.find(std::string(family));
  if (it == families_.end()) return nullptr;
  auto* md = arena.make<model::prom::RemoteMetadata>();
  md->type = it->second.type;
  md->family = arena.copy(family);
  md->help = arena.copy(it->second.help);
  md->unit = arena.copy(it->second.unit);
  return md;
}

size_t MetadataCache::size() const {
  std::lock_guard lock(mu_);
  return families_.size();
}

}  // namespace periscope::components::prometheusremotewrite_receiver
