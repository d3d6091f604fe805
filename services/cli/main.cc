// torikumi: the command-line client of the torikumi server. See cli.h.
#include <cstdlib>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "services/cli/cli.h"

namespace {

// The environment variable `name`, or "" when it is unset or empty.
std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? "" : value;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  torikumi::cli::GlobalOptions defaults;
  if (std::string server = Env("TORIKUMI_SERVER"); !server.empty()) defaults.server = server;
  defaults.tls = {
      .ca = Env("TORIKUMI_CA"), .cert = Env("TORIKUMI_CERT"), .key = Env("TORIKUMI_KEY")};
  defaults.token = Env("TORIKUMI_TOKEN");
  return torikumi::cli::RunCli(args, std::cout, std::cerr, std::move(defaults));
}
