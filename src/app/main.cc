#include "app/cli.h"

int main(int argc, char** argv) {
  return periscope::app::runCli(argc, argv);
}
