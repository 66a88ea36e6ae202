#include "components/exporters/awsxray/exporter.h"

#include "components/exporters/awsxray/put_trace_segments.h"
#include "components/exporters/awsxray/udp_daemon_sender.h"

namespace periscope::components::awsxray_exporter {

namespace {

pipeline::ExporterHelperConfig helperOf(const Config& c) {
  pipeline::ExporterHelperConfig helper = c;
  helper.timeout = std::chrono::seconds(c.request_timeout_seconds);
  return helper;
}

int64_t systemSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Exporter::Exporter(const component::Settings& settings, const Config& config,
                   const std::vector<pipeline::Signal>& signals,
                   std::unique_ptr<SegmentSender> sender, Clock clock, translator::IdSource ids)
    : SyncExporter(settings, signals, helperOf(config)),
      config_(config),
      sender_(std::move(sender)),
      clock_(std::move(clock)),
      ids_(std::move(ids)) {
  options_.translate.annotations.indexed_attributes = config.indexed_attributes;
  options_.translate.annotations.index_all_attributes = config.index_all_attributes;
  options_.translate.log_groups = config.aws_log_groups;
  options_.invalid_trace_id = config.invalid_trace_id == "drop"
                                  ? translator::InvalidTraceIdPolicy::kDrop
                                  : translator::InvalidTraceIdPolicy::kPassThrough;
  if (sender_ != nullptr) options_.max_document_bytes = sender_->maxDocumentBytes();
  const telemetry::Labels exporter = {{"exporter", settings.id.toString()}};
  auto& registry = telemetry::globalRegistry();
  const char* dropped_help = "X-Ray documents not sent, by reason.";
  dropped_invalid_ =
      &registry.counter("periscope_awsxray_documents_dropped", dropped_help,
                        {{"exporter", settings.id.toString()}, {"reason", "invalid_trace_id"}});
  dropped_too_large_ =
      &registry.counter("periscope_awsxray_documents_dropped", dropped_help,
                        {{"exporter", settings.id.toString()}, {"reason", "too_large"}});
  trimmed_ =
      &registry.counter("periscope_awsxray_documents_trimmed",
                        "X-Ray documents over 64 KB sent without metadata/stacks.", exporter);
  passed_invalid_ = &registry.counter(
      "periscope_awsxray_invalid_trace_id_passed",
      "Spans sent although X-Ray will reject their trace id (invalid_trace_id: pass_through).",
      exporter);
}

Exporter::Exporter(const component::Settings& settings, const Config& config,
                   const std::vector<pipeline::Signal>& signals)
    : Exporter(settings, config, signals, nullptr, systemSeconds, translator::randomIdSource()) {
  if (!config.local_mode) {
    aws::Environment env = aws::systemEnvironment();
    aws::ProviderOptions provider_options;
    provider_options.region = config.region;
    aws::AwsClientOptions client;
    client.service = "xray";
    client.region =
        config.region.empty() ? aws::resolveRegion(env, provider_options) : config.region;
    client.endpoint = config.endpoint;
    client.timeout = std::chrono::seconds(config.request_timeout_seconds);
    if (client.region.empty() && client.endpoint.empty()) {
      sender_error_ = invalidArgument(
          "awsxray: no region: set `region` (or AWS_REGION), or `endpoint`, or local_mode: true");
      return;
    }
    sender_ = std::make_unique<PutTraceSegmentsSender>(
        std::move(client),
        aws::exporterCredentials(env, provider_options, config.role_arn, config.external_id),
        &telemetry::globalRegistry().counter(
            "periscope_awsxray_unprocessed_documents",
            "Documents X-Ray answered as unprocessed (not resent).",
            {{"exporter", settings.id.toString()}}));
    options_.max_document_bytes = sender_->maxDocumentBytes();
    return;
  }
  auto sender = UdpDaemonSender::create(daemonAddress(config.daemon_address));
  if (!sender.isOk()) {
    sender_error_ = sender.status();
    return;
  }
  sender_ = std::move(sender).value();
  options_.max_document_bytes = sender_->maxDocumentBytes();
}

Status Exporter::start(component::Host& host) {
  if (sender_ == nullptr) {
    return Status(sender_error_.code(), "exporter " + settings().id.toString() + ": " +
                                            std::string(sender_error_.message()));
  }
  return SyncExporter::start(host);
}

Status Exporter::push(const model::Traces& traces) {
  translator::TranslationStats stats;
  auto docs = translator::translateTraces(traces, options_, clock_(), ids_, stats);
  dropped_invalid_->add(static_cast<double>(stats.dropped_invalid_trace_id));
  dropped_too_large_->add(static_cast<double>(stats.dropped_too_large));
  trimmed_->add(static_cast<double>(stats.trimmed_too_large));
  passed_invalid_->add(static_cast<double>(stats.passed_invalid_trace_id));
  return sendInCalls(*sender_, docs);
}

}  // namespace periscope::components::awsxray_exporter
