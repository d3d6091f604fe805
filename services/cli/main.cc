// torikumi: the command-line client of the torikumi server. See cli.h.
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "services/cli/cli.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  const char* env_server = std::getenv("TORIKUMI_SERVER");
  std::string default_server = (env_server != nullptr && *env_server != '\0')
                                   ? std::string(env_server)
                                   : std::string(torikumi::cli::kDefaultServer);
  return torikumi::cli::RunCli(args, std::cout, std::cerr, default_server);
}
