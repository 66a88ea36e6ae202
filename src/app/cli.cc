#include "app/cli.h"

#include <cstdio>
#include <cstring>
#include <string>

#include "app/config_loader.h"
#include "app/docs.h"
#include "app/loadgen/loadgen.h"
#include "app/logs_cli.h"
#include "app/query_cli.h"
#include "app/serve.h"
#include "app/traces_cli.h"
#include "common/logging.h"
#include "components/builtin_components.h"

namespace periscope::app {
namespace {

constexpr const char* kVersion = PERISCOPE_VERSION;

void mainUsage() {
  std::puts(
      "Periscope: an OpenTelemetry collector and observability backend in one binary.\n\n"
      "Usage: periscope <command> [options]\n\n"
      "Commands:\n"
      "  serve       run the collector/server (default: built-in all-in-one config)\n"
      "  validate    check a config file and print every error\n"
      "  components  list the built-in components (--markdown: reference docs)\n"
      "  loadgen     send synthetic OTLP load to an endpoint\n"
      "  traces      show a trace as a span tree, or search traces, on a running server\n"
      "  query       run a PromQL query on a running server (table or sparklines)\n"
      "  logs        query or follow (--follow) logs on a running server\n"
      "  version     print the version\n\n"
      "Run `periscope <command> --help` for a command's options.");
}

void serveUsage() {
  std::puts(
      "Usage: periscope serve [--config FILE] [--data DIR] [--demo] [--log-format console|json]\n"
      "                       [--log-level debug|info|warn|error] [--shutdown-timeout D]\n\n"
      "  --config FILE          collector-style YAML config (default: built-in all-in-one)\n"
      "  --data DIR             data directory for stores and queues (default ./data)\n"
      "  --demo                 also feed the server synthetic traffic\n"
      "  --log-format F         console (default) or json\n"
      "  --log-level L          overrides service.telemetry.logs.level\n"
      "  --shutdown-timeout D   drain deadline on SIGINT/SIGTERM (default 15s)");
}

// Returns the value following argv[i] or exits with a usage error.
std::string takeValue(int argc, char** argv, int& i, const char* cmd) {
  if (i + 1 >= argc) {
    std::fprintf(stderr, "%s: %s needs a value\n", cmd, argv[i]);
    std::exit(2);
  }
  return argv[++i];
}

int runValidate(int argc, char** argv) {
  std::string path;
  for (int i = 0; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      std::puts(
          "Usage: periscope validate --config FILE\n\nPrints every configuration error "
          "(file:line:column: path: message) and exits 1 if there is any.");
      return 0;
    } else if (a == "--config") {
      path = takeValue(argc, argv, i, "validate");
    } else if (a.rfind("--config=", 0) == 0) {
      path = a.substr(9);
    } else {
      std::fprintf(stderr, "validate: unknown option \"%s\"\n", a.c_str());
      return 2;
    }
  }
  if (path.empty()) {
    std::fprintf(stderr, "validate: --config FILE is required\n");
    return 2;
  }
  component::Registry registry;
  components::registerBuiltins(registry);
  pipeline::ServiceConfig config;
  config::Diagnostics diags;
  if (!loadServiceConfig(path, registry, config, diags)) {
    std::fputs(diags.format().c_str(), stderr);
    std::fprintf(stderr, "%zu error(s) in %s\n", diags.size(), path.c_str());
    return 1;
  }
  std::printf("%s: configuration is valid (%zu pipeline(s))\n", path.c_str(),
              config.pipelines.size());
  return 0;
}

int runServeCli(int argc, char** argv) {
  ServeOptions o;
  for (int i = 0; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      serveUsage();
      return 0;
    } else if (a == "--config") {
      o.config_path = takeValue(argc, argv, i, "serve");
    } else if (a.rfind("--config=", 0) == 0) {
      o.config_path = a.substr(9);
    } else if (a == "--data") {
      o.data_dir = takeValue(argc, argv, i, "serve");
    } else if (a == "--demo") {
      o.demo = true;
    } else if (a == "--log-format") {
      std::string f = takeValue(argc, argv, i, "serve");
      if (f != "json" && f != "console") {
        std::fprintf(stderr, "serve: --log-format must be console or json\n");
        return 2;
      }
      o.log_format = f;
    } else if (a == "--log-level") {
      std::string l = takeValue(argc, argv, i, "serve");
      log::Level level;
      if (!log::parseLevel(l, level)) {
        std::fprintf(stderr, "serve: --log-level must be debug, info, warn or error\n");
        return 2;
      }
      o.log_level = l;
    } else if (a == "--shutdown-timeout") {
      std::string v = takeValue(argc, argv, i, "serve");
      auto d = config::parseDuration(v);
      if (!d || d->count() <= 0) {
        std::fprintf(stderr, "serve: --shutdown-timeout must look like 15s\n");
        return 2;
      }
      o.shutdown_timeout = std::chrono::duration_cast<std::chrono::seconds>(*d);
    } else {
      std::fprintf(stderr, "serve: unknown option \"%s\" (see periscope serve --help)\n",
                   a.c_str());
      return 2;
    }
  }
  return runServe(o);
}

int runComponents(int argc, char** argv) {
  bool markdown = argc > 0 && std::strcmp(argv[0], "--markdown") == 0;
  if (argc > 0 && !markdown) {
    std::puts("Usage: periscope components [--markdown]");
    return std::strcmp(argv[0], "--help") == 0 ? 0 : 2;
  }
  component::Registry registry;
  components::registerBuiltins(registry);
  std::fputs(markdown ? componentsMarkdown(registry).c_str() : componentsList(registry).c_str(),
             stdout);
  return 0;
}

}  // namespace

int runCli(int argc, char** argv) {
  if (argc < 2) {
    mainUsage();
    return 2;
  }
  std::string cmd = argv[1];
  int rest_argc = argc - 2;
  char** rest = argv + 2;
  if (cmd == "--help" || cmd == "-h" || cmd == "help") {
    mainUsage();
    return 0;
  }
  if (cmd == "version" || cmd == "--version") {
    std::printf("periscope %s\n", kVersion);
    return 0;
  }
  if (cmd == "serve") return runServeCli(rest_argc, rest);
  if (cmd == "validate") return runValidate(rest_argc, rest);
  if (cmd == "components") return runComponents(rest_argc, rest);
  if (cmd == "loadgen") return loadgen::runCli(rest_argc, rest);
  if (cmd == "traces") return traces::runCli(rest_argc, rest);
  if (cmd == "query") return query_cli::runCli(rest_argc, rest);
  if (cmd == "logs") return logs_cli::runCli(rest_argc, rest);
  std::fprintf(stderr, "periscope: unknown command \"%s\"\n\n", cmd.c_str());
  mainUsage();
  return 2;
}

}  // namespace periscope::app
