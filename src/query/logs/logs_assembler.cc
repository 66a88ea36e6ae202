#include "query/logs/logs_assembler.h"

#include "model/any_value_copy.h"

namespace periscope::query::logs {

uint32_t LogsAssembler::referenceGroup(const model::ResourceLogs& rl, const model::ScopeLogs& sl) {
  model::ResourceLogs r = rl;
  r.scope_logs = {};
  model::ScopeLogs s = sl;
  s.log_records = {};
  groups_.emplace_back(r, s);
  return static_cast<uint32_t>(groups_.size() - 1);
}

uint32_t LogsAssembler::copyGroup(const model::ResourceLogs& rl, const model::ScopeLogs& sl) {
  Arena& arena = out_.arena();
  model::ResourceLogs r;
  r.has_resource = rl.has_resource;
  r.resource.attributes = model::copyAttributes(arena, rl.resource.attributes);
  r.resource.dropped_attributes_count = rl.resource.dropped_attributes_count;
  r.schema_url = arena.copy(rl.schema_url);
  model::ScopeLogs s;
  s.has_scope = sl.has_scope;
  s.scope.name = arena.copy(sl.scope.name);
  s.scope.version = arena.copy(sl.scope.version);
  s.scope.attributes = model::copyAttributes(arena, sl.scope.attributes);
  s.scope.dropped_attributes_count = sl.scope.dropped_attributes_count;
  s.schema_url = arena.copy(sl.schema_url);
  groups_.emplace_back(r, s);
  return static_cast<uint32_t>(groups_.size() - 1);
}

model::LogRecord LogsAssembler::copyRecord(const model::LogRecord& record) {
  Arena& arena = out_.arena();
  model::LogRecord r = record;
  r.severity_text = arena.copy(record.severity_text);
  r.body = model::copyValue(arena, record.body);
  r.attributes = model::copyAttributes(arena, record.attributes);
  r.trace_id = arena.copy(record.trace_id);
  r.span_id = arena.copy(record.span_id);
  r.event_name = arena.copy(record.event_name);
  return r;
}

void LogsAssembler::assemble(std::span<const Entry> entries) {
  Arena& arena = out_.arena();
  size_t i = 0;
  while (i < entries.size()) {
    size_t j = i + 1;
    while (j < entries.size() && entries[j].group == entries[i].group) ++j;
    auto records = arena.allocArray<model::LogRecord>(j - i);
    for (size_t k = i; k < j; ++k) records[k - i] = entries[k].record;
    auto scopes = arena.allocArray<model::ScopeLogs>(1);
    const auto& [rl, sl] = groups_[entries[i].group];
    scopes[0] = sl;
    scopes[0].log_records = records;
    model::ResourceLogs out = rl;
    out.scope_logs = scopes;
    out_.resources().push_back(out);
    i = j;
  }
}

}  // namespace periscope::query::logs
