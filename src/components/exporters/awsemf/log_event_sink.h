// Where EMF log events go. The exporter hands every batch's events to one sink; stdout and file
// sinks write one JSON object per line. The CloudWatch Logs (PutLogEvents) sink is built on the
// shared AWS client and plugs in through the same interface (see README.md).
#pragma once

#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/status.h"
#include "components/exporters/awsemf/emf_translator.h"

namespace periscope::components::awsemf_exporter {

class LogEventSink {
 public:
  virtual ~LogEventSink() = default;
  // Called from several exporter threads; a failure is returned as the batch's result.
  virtual Status put(std::vector<LogEvent> events) = 0;
};

// One line per event on a stdio stream (stdout for Lambda and ECS log drivers; tests pass a
// temporary file). Lines of concurrent batches do not interleave.
class StreamSink final : public LogEventSink {
 public:
  explicit StreamSink(std::FILE* stream) : stream_(stream) {}
  Status put(std::vector<LogEvent> events) override;

 private:
  std::mutex mu_;
  std::FILE* stream_;
};

// Appends one line per event to a file, opened at creation.
class FileSink final : public LogEventSink {
 public:
  static Result<std::unique_ptr<FileSink>> open(const std::string& path);
  explicit FileSink(std::FILE* f) : file_(f), stream_(f) {}  // takes ownership of `f`
  ~FileSink() override;
  FileSink(const FileSink&) = delete;
  FileSink& operator=(const FileSink&) = delete;
  Status put(std::vector<LogEvent> events) override;

 private:
  std::FILE* file_;
  StreamSink stream_;
};

}  // namespace periscope::components::awsemf_exporter
