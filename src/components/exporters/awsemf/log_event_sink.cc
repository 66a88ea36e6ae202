#include "components/exporters/awsemf/log_event_sink.h"

#include <cerrno>
#include <cstring>

namespace periscope::components::awsemf_exporter {

Status StreamSink::put(std::vector<LogEvent> events) {
  std::lock_guard lock(mu_);
  for (const auto& e : events) {
    if (std::fwrite(e.message.data(), 1, e.message.size(), stream_) != e.message.size() ||
        std::fputc('\n', stream_) == EOF) {
      return unavailable(std::string("writing EMF events failed: ") + std::strerror(errno));
    }
  }
  if (std::fflush(stream_) != 0) {
    return unavailable(std::string("flushing EMF events failed: ") + std::strerror(errno));
  }
  return Status::ok();
}

Result<std::unique_ptr<FileSink>> FileSink::open(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "ae");
  if (!f) {
    return invalidArgument("path \"" + path + "\": cannot open: " + std::strerror(errno));
  }
  return std::make_unique<FileSink>(f);
}

FileSink::~FileSink() {
  std::fclose(file_);
}

Status FileSink::put(std::vector<LogEvent> events) {
  return stream_.put(std::move(events));
}

}  // namespace periscope::components::awsemf_exporter
