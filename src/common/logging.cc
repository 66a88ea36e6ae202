#include "common/logging.h"

#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace periscope::log {
namespace {

std::atomic<Level> g_level{Level::kInfo};
std::atomic<Format> g_format{Format::kConsole};
std::mutex g_mu;

std::string_view levelName(Level l) {
  switch (l) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarn:
      return "warn";
    case Level::kError:
      return "error";
  }
  return "info";
}

// JSON-string escaping; also used for console output so no control character reaches the terminal.
void appendEscaped(std::string& out, std::string_view s) {
  static const char* kHex = "0123456789abcdef";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 15];
        } else {
          out += static_cast<char>(c);
        }
    }
  }
}

std::string timestamp() {
  auto now = std::chrono::system_clock::now();
  auto secs = std::chrono::system_clock::to_time_t(now);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()) % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms.count()));
  return buf;
}

}  // namespace

void configure(Level min_level, Format format) {
  g_level = min_level;
  g_format = format;
}

bool enabled(Level level) {
  return level >= g_level.load(std::memory_order_relaxed);
}

void write(Level level, std::string_view component, std::string_view message,
           std::initializer_list<Field> fields) {
  if (!enabled(level)) return;
  std::string line;
  line.reserve(128);
  if (g_format == Format::kJson) {
    line += "{\"ts\":\"" + timestamp() + "\",\"level\":\"";
    line += levelName(level);
    line += "\",\"component\":\"";
    appendEscaped(line, component);
    line += "\",\"msg\":\"";
    appendEscaped(line, message);
    line += '"';
    for (const auto& [k, v] : fields) {
      line += ",\"";
      appendEscaped(line, k);
      line += "\":\"";
      appendEscaped(line, v);
      line += '"';
    }
    line += "}\n";
  } else {
    line += timestamp();
    line += '\t';
    line += levelName(level);
    line += '\t';
    appendEscaped(line, component);
    line += '\t';
    appendEscaped(line, message);
    for (const auto& [k, v] : fields) {
      line += '\t';
      appendEscaped(line, k);
      line += '=';
      appendEscaped(line, v);
    }
    line += '\n';
  }
  std::lock_guard lock(g_mu);
  std::fwrite(line.data(), 1, line.size(), stderr);
}

bool parseLevel(std::string_view text, Level& out) {
  std::string t;
  for (char c : text) t += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (t == "debug")
    out = Level::kDebug;
  else if (t == "info")
    out = Level::kInfo;
  else if (t == "warn" || t == "warning")
    out = Level::kWarn;
  else if (t == "error")
    out = Level::kError;
  else
    return false;
  return true;
}

}  // namespace periscope::log
