#include "config/diagnostics.h"

#include <algorithm>

namespace periscope::config {

std::string Diagnostic::toString() const {
  std::string out = file;
  if (mark.line > 0) out += ":" + std::to_string(mark.line) + ":" + std::to_string(mark.column);
  out += ": ";
  if (!path.empty()) out += path + ": ";
  out += message;
  return out;
}

void Diagnostics::error(const Value& at, const std::string& message) {
  list_.push_back({at.fileName(), at.mark, at.path, message});
}

void Diagnostics::errorAtKey(const Value& at, const std::string& message) {
  list_.push_back({at.fileName(), at.key_mark.line > 0 ? at.key_mark : at.mark, at.path, message});
}

void Diagnostics::error(const std::string& file, Mark mark, const std::string& path,
                        const std::string& msg) {
  list_.push_back({file, mark, path, msg});
}

std::string Diagnostics::format() const {
  std::vector<Diagnostic> sorted = list_;
  std::stable_sort(sorted.begin(), sorted.end(), [](const Diagnostic& a, const Diagnostic& b) {
    if (a.file != b.file) return false;
    return a.mark.line != b.mark.line ? a.mark.line < b.mark.line : a.mark.column < b.mark.column;
  });
  std::string out;
  for (const auto& d : sorted) out += d.toString() + "\n";
  return out;
}

}  // namespace periscope::config
