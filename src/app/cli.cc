#include "app/cli.h"

#include <cstdio>

namespace periscope::app {

int runCli(int, char**) {
  std::puts("periscope");
  return 0;
}

}  // namespace periscope::app
