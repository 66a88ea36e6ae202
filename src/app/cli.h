// Command-line entry point: parses the subcommand and dispatches (serve, validate, version...).
#pragma once

namespace periscope::app {

int runCli(int argc, char** argv);

}  // namespace periscope::app
