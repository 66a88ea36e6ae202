#include "pipeline/helpers/sync_exporter.h"

#include <algorithm>
#include <exception>

namespace periscope::pipeline {

SyncExporter::SyncExporter(const Settings& settings, const std::vector<Signal>& signals)
    : settings_(settings), signals_(signals), obs_(settings.id) {}

Consumers SyncExporter::input() {
  Consumers c;
  auto has = [&](Signal s) {
    return std::find(signals_.begin(), signals_.end(), s) != signals_.end();
  };
  if (has(Signal::kTraces)) c.traces = &traces_;
  if (has(Signal::kMetrics)) c.metrics = &metrics_;
  if (has(Signal::kLogs)) c.logs = &logs_;
  return c;
}

Status SyncExporter::push(const model::Traces&) {
  return {StatusCode::kUnimplemented, "traces not supported"};
}
Status SyncExporter::push(const model::Metrics&) {
  return {StatusCode::kUnimplemented, "metrics not supported"};
}
Status SyncExporter::push(const model::Logs&) {
  return {StatusCode::kUnimplemented, "logs not supported"};
}

template <typename T>
void SyncExporter::Adapter<T>::consume(T&& data, Done done) {
  size_t n = data.itemCount();
  Status st;
  try {
    st = owner_.push(data);
  } catch (const std::exception& e) {
    // The edge between pipeline and exporter code: a throwing exporter fails its batch, it
    // does not take the process down.
    st = internalError("exporter " + owner_.settings_.id.toString() + " threw: " + e.what());
  }
  constexpr Signal s = signalOf<T>();
  if (st.isOk()) {
    owner_.obs_.sent(s, n);
  } else {
    owner_.obs_.failed(s, n);
  }
  done(std::move(st));
}

template class SyncExporter::Adapter<model::Traces>;
template class SyncExporter::Adapter<model::Metrics>;
template class SyncExporter::Adapter<model::Logs>;

}  // namespace periscope::pipeline
