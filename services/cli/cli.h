// The torikumi command line as a function, so tests can run it without a process:
//   torikumi [--server ADDR] [--json] [--timeout SECONDS] [--ca FILE [--cert FILE --key FILE]]
//            <group> <verb> [args] [flags]
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "services/cli/command.h"

namespace torikumi::cli {

// Runs one invocation. `args` is argv without the program name; tables, JSON and --help go
// to `out`, errors to `err`. `default_server` is used unless --server is given (main passes
// $TORIKUMI_SERVER when set). Returns the exit code: kExitOk, kExitFailure or kExitUsage.
int RunCli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
           absl::string_view default_server = kDefaultServer);
// The same with every global option's default given (main passes $TORIKUMI_SERVER,
// $TORIKUMI_CA, $TORIKUMI_CERT and $TORIKUMI_KEY this way); flags override them.
int RunCli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
           GlobalOptions defaults);

// The top-level help: every command with its summary, and the global flags.
std::string TopLevelUsage();

}  // namespace torikumi::cli
