// Structured logging to stderr: console (human) or JSON lines. Thread-safe; one global sink.
// Messages are escaped (CR/LF/control characters) so that input data cannot forge log lines.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace periscope::log {

enum class Level { kDebug, kInfo, kWarn, kError };
enum class Format { kConsole, kJson };

void configure(Level min_level, Format format);
bool enabled(Level level);

using Field = std::pair<std::string_view, std::string>;

void write(Level level, std::string_view component, std::string_view message,
           std::initializer_list<Field> fields = {});

inline void debug(std::string_view c, std::string_view m, std::initializer_list<Field> f = {}) {
  if (enabled(Level::kDebug)) write(Level::kDebug, c, m, f);
}
inline void info(std::string_view c, std::string_view m, std::initializer_list<Field> f = {}) {
  write(Level::kInfo, c, m, f);
}
inline void warn(std::string_view c, std::string_view m, std::initializer_list<Field> f = {}) {
  write(Level::kWarn, c, m, f);
}
inline void error(std::string_view c, std::string_view m, std::initializer_list<Field> f = {}) {
  write(Level::kError, c, m, f);
}

// Parses "debug|info|warn|error" (case-insensitive).
bool parseLevel(std::string_view text, Level& out);

}  // namespace periscope::log
