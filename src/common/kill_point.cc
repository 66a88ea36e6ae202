#include "common/kill_point.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace periscope {
namespace {

struct Rule {
  std::string name;
  uint64_t one_in = 1;
};

struct KillPoints {
  std::vector<Rule> rules;
  std::mutex mu;
  std::mt19937_64 rng{static_cast<uint64_t>(getpid()) * 0x9E3779B97F4A7C15ull ^
                      static_cast<uint64_t>(time(nullptr))};
};

KillPoints* load() {
  const char* env = std::getenv("PERISCOPE_KILL_POINT");
  if (env == nullptr || *env == '\0') return nullptr;
  static KillPoints points;
  std::string_view all(env);
  while (!all.empty()) {
    size_t comma = all.find(',');
    std::string_view item = all.substr(0, comma);
    all = comma == std::string_view::npos ? std::string_view{} : all.substr(comma + 1);
    Rule r;
    size_t colon = item.find(':');
    r.name = std::string(item.substr(0, colon));
    if (colon != std::string_view::npos) {
      std::string_view ratio = item.substr(colon + 1);  // "1/N"
      size_t slash = ratio.find('/');
      if (slash != std::string_view::npos)
        r.one_in = std::max<uint64_t>(
            1, std::strtoull(std::string(ratio.substr(slash + 1)).c_str(), nullptr, 10));
    }
    points.rules.push_back(std::move(r));
  }
  return &points;
}

}  // namespace

void killPoint(const char* name) {
  static KillPoints* const points = load();
  if (points == nullptr) return;
  for (const Rule& r : points->rules) {
    if (r.name != name) continue;
    bool hit;
    {
      std::lock_guard lock(points->mu);
      hit = r.one_in <= 1 || points->rng() % r.one_in == 0;
    }
    if (hit) raise(SIGKILL);
  }
}

}  // namespace periscope
