#include "support/fake_consumer.h"

namespace periscope::testing {

model::Traces makeSpans(size_t spans, size_t resources, uint8_t seed) {
  model::Traces t;
  Arena& a = t.arena();
  size_t per = spans / resources;
  size_t extra = spans % resources;
  uint32_t counter = 0;
  for (size_t r = 0; r < resources; ++r) {
    model::ResourceSpans rs;
    rs.has_resource = true;
    auto attrs = a.allocArray<model::KeyValue>(1);
    attrs[0] = {"service.name", model::AnyValue::string(a.copy("svc-" + std::to_string(r)))};
    rs.resource.attributes = attrs;
    auto scopes = a.allocArray<model::ScopeSpans>(1);
    auto list = a.allocArray<model::Span>(per + (r < extra ? 1 : 0));
    for (auto& s : list) {
      ++counter;
      std::string tid(16, static_cast<char>(seed));
      std::string sid(8, static_cast<char>(seed));
      std::memcpy(tid.data(), &counter, sizeof counter);
      std::memcpy(sid.data(), &counter, sizeof counter);
      s.trace_id = a.copy(tid);
      s.span_id = a.copy(sid);
      s.name = a.copy("span-" + std::to_string(counter));
      s.start_time_unix_nano = 1000 + counter;
      s.end_time_unix_nano = 2000 + counter;
    }
    scopes[0].spans = list;
    rs.scope_spans = scopes;
    t.resources().push_back(rs);
  }
  return t;
}

}  // namespace periscope::testing
