// Diagnostics: collects every config error (all at once, never stopping at the first), each
// with file:line:column and the YAML path, e.g.
//   config.yaml:12:7: receivers.otlp.protocols.grpc.endpiont: unknown key; did you mean "endpoint"?
#pragma once

#include <string>
#include <vector>

#include "config/value.h"

namespace periscope::config {

struct Diagnostic {
  std::string file;
  Mark mark;
  std::string path;
  std::string message;
  std::string toString() const;
};

class Diagnostics {
 public:
  void error(const Value& at, const std::string& message);
  // At the key that introduced `at` (for unknown keys and errors about a whole section).
  void errorAtKey(const Value& at, const std::string& message);
  void error(const std::string& file, Mark mark, const std::string& path, const std::string& msg);
  bool ok() const { return list_.empty(); }
  size_t size() const { return list_.size(); }
  const std::vector<Diagnostic>& all() const { return list_; }
  // One line per error, in document order.
  std::string format() const;

 private:
  std::vector<Diagnostic> list_;
};

}  // namespace periscope::config
