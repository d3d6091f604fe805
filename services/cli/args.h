// A small argument parser for `torikumi <group> <verb> [args] [flags]`.
//
// Each command declares its positional arguments and flags in a CommandSpec; the parser
// accepts `--flag value` and `--flag=value`, boolean flags without a value, `--help`/`-h`,
// and `--` to end the flags. Anything it cannot place is a usage error naming the token.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace torikumi::cli {

struct FlagSpec {
  // Without the leading "--", e.g. "title".
  std::string name = {};
  // Placeholder shown in help, e.g. "TITLE"; empty for a boolean flag that takes no value.
  std::string value_name = {};
  std::string help = {};
  bool required = false;
  // A one-letter alias written with one dash (-o for --output), if the flag has one.
  std::optional<char> short_name = {};

  bool takes_value() const { return !value_name.empty(); }
};

struct CommandSpec {
  // The words that select the command, e.g. "plans create" or "rate".
  std::string path = {};
  // One line for the command list.
  std::string summary = {};
  // Names of the positional arguments, all required, e.g. {"NAME"}.
  std::vector<std::string> positionals = {};
  std::vector<FlagSpec> flags = {};
  // Extra help text (examples, accepted forms), printed after the flags.
  std::string details = {};

  const FlagSpec* FindFlag(absl::string_view name) const;
};

// What the parser found. Flag values are kept as written; boolean flags map to "true".
class ParsedArgs {
 public:
  bool help() const { return help_; }
  const std::vector<std::string>& positionals() const { return positionals_; }

  // True when the flag was given (even with an empty value, e.g. `--relists=`).
  bool Has(absl::string_view flag) const;
  // The flag's value, or nullopt when it was not given.
  std::optional<std::string> Get(absl::string_view flag) const;
  // The flag's value, or `fallback` when it was not given.
  std::string GetOr(absl::string_view flag, absl::string_view fallback) const;

 private:
  friend absl::StatusOr<ParsedArgs> ParseCommandArgs(const CommandSpec& spec,
                                                     const std::vector<std::string>& args);
  bool help_ = false;
  std::vector<std::string> positionals_;
  std::map<std::string, std::string, std::less<>> values_;
};

// Parses the arguments that follow the command words. INVALID_ARGUMENT with a message such
// as "unknown flag --titel" or "flag --title needs a value" on a usage error. When --help is
// among the arguments, returns at once with help() set and checks nothing else.
absl::StatusOr<ParsedArgs> ParseCommandArgs(const CommandSpec& spec,
                                            const std::vector<std::string>& args);

// The --help text of a command: usage line, summary, flags, details.
std::string FormatUsage(const CommandSpec& spec);

}  // namespace torikumi::cli
