#include "pipeline/service_config.h"

#include <cstring>
#include <map>
#include <set>

#include "config/suggest.h"
#include "pipeline/factories.h"

namespace periscope::pipeline {

using component::ComponentId;
using component::Kind;
using config::Diagnostics;
using config::Value;

const config::Schema<MetricsTelemetry>& MetricsTelemetry::schema() {
  static const auto s =
      config::Schema<MetricsTelemetry>()
          .choice("level", &MetricsTelemetry::level, {"none", "basic", "normal", "detailed"},
                  "Self-metrics level; none turns the self-metrics listener off.")
          .field("address", &MetricsTelemetry::address,
                 "host:port of the self-metrics listener (Prometheus text on /metrics).");
  return s;
}

const config::Schema<LogsTelemetry>& LogsTelemetry::schema() {
  static const auto s =
      config::Schema<LogsTelemetry>()
          .choice("level", &LogsTelemetry::level, {"debug", "info", "warn", "error"},
                  "Minimum level of Periscope's own logs.")
          .choice("encoding", &LogsTelemetry::encoding, {"console", "json"},
                  "Log line format on stderr.");
  return s;
}

const config::Schema<TelemetryConfig>& TelemetryConfig::schema() {
  static const auto s = config::Schema<TelemetryConfig>()
                            .field("metrics", &TelemetryConfig::metrics, "Self-metrics.")
                            .field("logs", &TelemetryConfig::logs, "Own logs.");
  return s;
}

const ComponentEntry* ServiceConfig::find(Kind kind, const ComponentId& id) const {
  for (const auto& c : components) {
    if (c.kind == kind && c.id == id) return &c;
  }
  return nullptr;
}

const std::vector<std::string>& periscopeSections() {
  static const std::vector<std::string> s = {"storage", "query", "alerting", "ui"};
  return s;
}

namespace {

const std::vector<Kind> kComponentKinds = {Kind::kReceiver, Kind::kProcessor, Kind::kExporter,
                                           Kind::kConnector, Kind::kExtension};

void decodeComponents(const Value& section, Kind kind, const component::Registry& registry,
                      ServiceConfig& out, Diagnostics& diags) {
  if (section.isNull()) return;
  if (!section.isMap()) {
    diags.error(section, "expected a map of components, got " + section.kindName());
    return;
  }
  for (const auto& [key, value] : section.entries) {
    auto id = ComponentId::parse(key);
    if (!id.isOk()) {
      diags.error(value, std::string(id.status().message()));
      continue;
    }
    const component::Factory* factory = registry.find(kind, id->type);
    if (factory == nullptr) {
      diags.errorAtKey(
          value, config::unknownMessage(std::string(component::kindName(kind)) + " type", id->type,
                                        registry.types(kind)));
      continue;
    }
    ComponentEntry entry{*id, kind, factory, factory->createDefaultConfig()};
    size_t before = diags.size();
    factory->decodeConfig(value, *entry.config, diags);
    if (diags.size() == before) {
      Status st = entry.config->validate();
      if (!st.isOk()) diags.errorAtKey(value, std::string(st.message()));
    }
    out.components.push_back(std::move(entry));
  }
}

// A connector supports a signal on one side if some signal on the other side pairs with it.
bool connectorSupports(const ComponentEntry& e, component::Signal s, bool as_exporter) {
  auto* f = static_cast<const ConnectorFactory*>(e.factory);
  for (auto other :
       {component::Signal::kTraces, component::Signal::kMetrics, component::Signal::kLogs}) {
    if (as_exporter ? f->supports(s, other) : f->supports(other, s)) return true;
  }
  return false;
}

bool supportsSignal(const ComponentEntry& e, component::Signal s) {
  switch (e.kind) {
    case Kind::kReceiver:
      return static_cast<const ReceiverFactory*>(e.factory)->supports(s);
    case Kind::kProcessor:
      return static_cast<const ProcessorFactory*>(e.factory)->supports(s);
    case Kind::kExporter:
      return static_cast<const ExporterFactory*>(e.factory)->supports(s);
    default:
      return false;
  }
}

bool hasConnectors(const ServiceConfig& cfg) {
  for (const auto& c : cfg.components) {
    if (c.kind == Kind::kConnector) return true;
  }
  return false;
}

// `connectors`: where ids that name a connector go (receivers and exporters lists only).
void decodeIdList(const Value* list, Kind kind, const PipelineSpec& p, const ServiceConfig& cfg,
                  std::vector<ComponentId>& out, std::vector<ComponentId>* connectors,
                  Diagnostics& diags) {
  if (list == nullptr || list->isNull()) return;
  if (!list->isSequence()) {
    diags.error(*list, "expected a list of component ids, got " + list->kindName());
    return;
  }
  std::set<std::string> seen;
  for (const Value& item : list->items) {
    if (!item.isScalar()) {
      diags.error(item, "expected a component id, got " + item.kindName());
      continue;
    }
    auto id = ComponentId::parse(item.scalar);
    if (!id.isOk()) {
      diags.error(item, std::string(id.status().message()));
      continue;
    }
    if (!seen.insert(item.scalar).second) {
      diags.error(item, std::string(component::kindName(kind)) + " \"" + item.scalar +
                            "\" is listed twice in pipeline " + p.name);
      continue;
    }
    const ComponentEntry* e = cfg.find(kind, *id);
    const ComponentEntry* conn = connectors ? cfg.find(Kind::kConnector, *id) : nullptr;
    if (e != nullptr && conn != nullptr) {
      diags.error(item, "\"" + item.scalar + "\" names both a " +
                            std::string(component::kindName(kind)) +
                            " and a connector; give one of them another name");
      continue;
    }
    if (conn != nullptr) {
      if (!connectorSupports(*conn, p.signal, kind == Kind::kExporter)) {
        diags.error(item, "connector \"" + item.scalar + "\" cannot " +
                              (kind == Kind::kExporter ? "consume " : "emit ") +
                              std::string(component::signalName(p.signal)));
        continue;
      }
      connectors->push_back(*id);
      continue;
    }
    if (e == nullptr) {
      std::vector<std::string> defined;
      for (const auto& c : cfg.components) {
        if (c.kind == kind || (connectors && c.kind == Kind::kConnector))
          defined.push_back(c.id.toString());
      }
      std::string msg = "pipeline \"" + p.name + "\" references " +
                        std::string(component::kindName(kind)) + " \"" + item.scalar +
                        "\" which is not defined in " +
                        std::string(component::kindSectionName(kind)) +
                        (connectors && hasConnectors(cfg) ? " or connectors" : "");
      std::string near = config::closestMatch(item.scalar, defined);
      if (!near.empty()) msg += "; did you mean \"" + near + "\"?";
      diags.error(item, msg);
      continue;
    }
    if (!supportsSignal(*e, p.signal)) {
      diags.error(item, std::string(component::kindName(kind)) + " \"" + item.scalar +
                            "\" does not support " + std::string(component::signalName(p.signal)));
      continue;
    }
    out.push_back(*id);
  }
}

// Every connector in a pipeline must be used on both sides with signals it can pair, and the
// pipelines linked through connectors must not form a cycle. Fills out.build_order.
void checkConnectors(const Value& where, ServiceConfig& out, Diagnostics& diags) {
  using component::Signal;
  std::map<ComponentId, std::vector<size_t>> exported_by, received_by;  // connector → pipelines
  for (size_t i = 0; i < out.pipelines.size(); ++i) {
    for (const auto& id : out.pipelines[i].exporter_connectors) exported_by[id].push_back(i);
    for (const auto& id : out.pipelines[i].receiver_connectors) received_by[id].push_back(i);
  }
  auto signalOf = [&](size_t i) { return out.pipelines[i].signal; };
  auto names = [&](const std::vector<size_t>& v) {
    std::string s;
    for (size_t i : v) s += (s.empty() ? "" : ", ") + out.pipelines[i].name;
    return s;
  };
  for (const auto& c : out.components) {
    if (c.kind != Kind::kConnector) continue;
    auto* f = static_cast<const ConnectorFactory*>(c.factory);
    const auto& from = exported_by[c.id];
    const auto& to = received_by[c.id];
    if (from.empty() && to.empty()) continue;  // configured, unused: a warning at build
    std::string name = "connector \"" + c.id.toString() + "\"";
    if (to.empty()) {
      diags.error(where, name + " is an exporter in pipeline " + names(from) +
                             " but no pipeline lists it as a receiver");
      continue;
    }
    if (from.empty()) {
      diags.error(where, name + " is a receiver in pipeline " + names(to) +
                             " but no pipeline lists it as an exporter");
      continue;
    }
    for (size_t a : from) {
      bool paired = false;
      for (size_t b : to) paired = paired || f->supports(signalOf(a), signalOf(b));
      if (!paired)
        diags.error(where, name + " takes " + std::string(component::signalName(signalOf(a))) +
                               " from pipeline " + out.pipelines[a].name +
                               " but no receiving pipeline has a signal it can emit from them");
    }
    for (size_t b : to) {
      bool paired = false;
      for (size_t a : from) paired = paired || f->supports(signalOf(a), signalOf(b));
      if (!paired)
        diags.error(where, name + " feeds pipeline " + out.pipelines[b].name +
                               " but no exporting pipeline gives it a signal it can turn into " +
                               std::string(component::signalName(signalOf(b))));
    }
  }
  // Kahn's algorithm on "a exports to a connector that b receives from" edges, downstream first.
  size_t n = out.pipelines.size();
  std::vector<std::set<size_t>> downstream(n);
  std::vector<size_t> pending(n, 0);  // downstream pipelines not yet ordered
  for (const auto& [id, from] : exported_by) {
    for (size_t a : from) {
      for (size_t b : received_by[id]) downstream[a].insert(b);
    }
  }
  for (size_t a = 0; a < n; ++a) pending[a] = downstream[a].size();
  out.build_order.clear();
  std::vector<bool> done(n, false);
  for (bool progress = true; progress;) {
    progress = false;
    for (size_t a = 0; a < n; ++a) {
      if (done[a] || pending[a] != 0) continue;
      done[a] = true;
      progress = true;
      out.build_order.push_back(a);
      for (size_t u = 0; u < n; ++u) {
        if (downstream[u].count(a)) --pending[u];
      }
    }
  }
  if (out.build_order.size() != n) {
    std::vector<size_t> cyclic;
    for (size_t a = 0; a < n; ++a) {
      if (!done[a]) cyclic.push_back(a);
    }
    diags.error(where, "pipelines " + names(cyclic) +
                           " form a cycle through connectors; data would loop forever");
  }
}

void decodeService(const Value& service, ServiceConfig& out, Diagnostics& diags) {
  if (!service.isMap()) {
    diags.error(service, "expected a map, got " + service.kindName());
    return;
  }
  for (const auto& [key, value] : service.entries) {
    if (key == "extensions") {
      if (value.isNull()) continue;
      if (!value.isSequence()) {
        diags.error(value, "expected a list of extension ids");
        continue;
      }
      for (const Value& item : value.items) {
        auto id = ComponentId::parse(item.scalar);
        if (!item.isScalar() || !id.isOk()) {
          diags.error(item, "invalid extension id");
        } else if (out.find(Kind::kExtension, *id) == nullptr) {
          diags.error(item, "extension \"" + item.scalar + "\" is not defined in extensions");
        } else {
          out.extensions.push_back(*id);
        }
      }
    } else if (key == "telemetry") {
      TelemetryConfig::schema().decode(value, out.telemetry, diags);
    } else if (key == "pipelines") {
      if (!value.isMap()) {
        diags.error(value, "expected a map of pipelines, got " + value.kindName());
        continue;
      }
      for (const auto& [pname, pvalue] : value.entries) {
        PipelineSpec p;
        p.name = pname;
        std::string signal = pname.substr(0, pname.find('/'));
        if (!component::parseSignal(signal, p.signal)) {
          diags.errorAtKey(pvalue, config::unknownMessage("pipeline signal", signal,
                                                          {"traces", "metrics", "logs"}));
          continue;
        }
        if (!pvalue.isMap()) {
          diags.error(pvalue, "expected a map with receivers, processors and exporters");
          continue;
        }
        for (const auto& [k, v] : pvalue.entries) {
          if (k != "receivers" && k != "processors" && k != "exporters") {
            diags.errorAtKey(
                v, config::unknownMessage("key", k, {"receivers", "processors", "exporters"}));
          }
        }
        decodeIdList(pvalue.find("receivers"), Kind::kReceiver, p, out, p.receivers,
                     &p.receiver_connectors, diags);
        decodeIdList(pvalue.find("processors"), Kind::kProcessor, p, out, p.processors, nullptr,
                     diags);
        decodeIdList(pvalue.find("exporters"), Kind::kExporter, p, out, p.exporters,
                     &p.exporter_connectors, diags);
        for (const char* key : {"receivers", "exporters"}) {
          const Value* list = pvalue.find(key);
          if (list == nullptr || list->isNull() || (list->isSequence() && list->items.empty())) {
            diags.error(list ? *list : pvalue,
                        "pipeline \"" + pname + "\" must have at least one " +
                            std::string(key).substr(0, std::strlen(key) - 1));
          }
        }
        out.pipelines.push_back(std::move(p));
      }
      checkConnectors(value, out, diags);
    } else {
      diags.errorAtKey(
          value, config::unknownMessage("key", key, {"extensions", "telemetry", "pipelines"}));
    }
  }
}

}  // namespace

bool buildServiceConfig(const Value& root, const component::Registry& registry, ServiceConfig& out,
                        Diagnostics& diags) {
  size_t before = diags.size();
  if (!root.isMap()) {
    if (root.isNull()) diags.error(root, "the config is empty");
    return false;
  }
  std::vector<std::string> known = {"receivers",  "processors", "exporters",
                                    "connectors", "extensions", "service"};
  std::vector<std::string> all_known = known;
  for (const auto& s : periscopeSections()) all_known.push_back(s);
  for (const auto& [key, value] : root.entries) {
    bool ok = false;
    for (const auto& k : all_known) ok = ok || k == key;
    if (!ok) diags.errorAtKey(value, config::unknownMessage("top-level section", key, all_known));
  }
  for (Kind kind : kComponentKinds) {
    if (const Value* section = root.find(component::kindSectionName(kind))) {
      decodeComponents(*section, kind, registry, out, diags);
    }
  }
  const Value* service = root.find("service");
  if (service == nullptr) {
    diags.error(root, "missing the \"service\" section (service.pipelines says what runs)");
  } else {
    decodeService(*service, out, diags);
    if (out.pipelines.empty() && diags.size() == before) {
      diags.error(*service, "service.pipelines must define at least one pipeline");
    }
  }
  return diags.size() == before;
}

}  // namespace periscope::pipeline
