#include "components/builtin_components.h"

#include "components/connectors/servicegraph/factory.h"
#include "components/connectors/spanmetrics/factory.h"
#include "components/exporters/awsemf/awsemf_exporter.h"
#include "components/exporters/awsxray/factory.h"
#include "components/exporters/debug/debug_exporter.h"
#include "components/exporters/file/file_exporter.h"
#include "components/exporters/nop/nop_exporter.h"
#include "components/exporters/otlp/otlp_exporter.h"
#include "components/exporters/otlphttp/otlphttp_exporter.h"
#include "components/exporters/prometheus/prometheus_exporter.h"
#include "components/exporters/prometheusremotewrite/prometheusremotewrite_exporter.h"
#include "components/exporters/store/store_exporter.h"
#include "components/extensions/file_storage/file_storage.h"
#include "components/extensions/health_check/health_check.h"
#include "components/processors/attributes/factory.h"
#include "components/processors/batch/factory.h"
#include "components/processors/filter/factory.h"
#include "components/processors/memory_limiter/factory.h"
#include "components/processors/probabilistic_sampler/factory.h"
#include "components/processors/redaction/factory.h"
#include "components/processors/resource/factory.h"
#include "components/processors/resourcedetection/factory.h"
#include "components/processors/tail_sampling/factory.h"
#include "components/processors/transform/factory.h"
#include "components/receivers/awsxray/factory.h"
#include "components/receivers/filelog/factory.h"
#include "components/receivers/otlp/factory.h"
#include "components/receivers/prometheus/factory.h"
#include "components/receivers/prometheusremotewrite/factory.h"

namespace periscope::components {

void registerBuiltins(component::Registry& registry, store_exporter::StoreProviders stores) {
  // receivers
  registry.add(otlp_receiver::makeFactory());
  registry.add(prometheusremotewrite_receiver::makeFactory());
  registry.add(awsxray_receiver::makeFactory());
  registry.add(prometheus_receiver::makeFactory());
  registry.add(filelog::makeFactory());
  // processors
  registry.add(batch::makeFactory());
  registry.add(memory_limiter::makeFactory());
  registry.add(probabilistic_sampler::makeFactory());
  registry.add(resourcedetection::makeFactory());
  registry.add(redaction::makeFactory());
  registry.add(tail_sampling::makeFactory());
  registry.add(attributes::makeFactory());
  registry.add(resource::makeFactory());
  registry.add(filter::makeFactory());
  registry.add(transform::makeFactory());
  // exporters
  registry.add(awsemf_exporter::makeFactory());
  registry.add(debug_exporter::makeFactory());
  registry.add(file_exporter::makeFactory());
  registry.add(nop_exporter::makeFactory());
  registry.add(otlp_exporter::makeFactory());
  registry.add(otlphttp_exporter::makeFactory());
  registry.add(awsxray_exporter::makeFactory());
  registry.add(prometheusremotewrite_exporter::makeFactory());
  registry.add(store_exporter::makeFactory(std::move(stores)));
  registry.add(prometheus_exporter::makeFactory());
  // connectors
  registry.add(servicegraph::makeFactory());
  registry.add(spanmetrics::makeFactory());
  // extensions
  registry.add(file_storage::makeFactory());
  registry.add(health_check::makeFactory());
}

}  // namespace periscope::components
