#include "services/cli/args.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace torikumi::cli {

const FlagSpec* CommandSpec::FindFlag(absl::string_view name) const {
  for (const auto& flag : flags) {
    if (flag.name == name) return &flag;
  }
  return nullptr;
}

bool ParsedArgs::Has(absl::string_view flag) const { return values_.find(flag) != values_.end(); }

std::optional<std::string> ParsedArgs::Get(absl::string_view flag) const {
  auto it = values_.find(flag);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string ParsedArgs::GetOr(absl::string_view flag, absl::string_view fallback) const {
  auto it = values_.find(flag);
  return it == values_.end() ? std::string(fallback) : it->second;
}

namespace {

bool IsHelp(absl::string_view arg) { return arg == "--help" || arg == "-h"; }

// A token that looks like a flag. A lone "-" is an ordinary argument.
bool LooksLikeFlag(absl::string_view arg) { return arg.size() > 1 && arg[0] == '-'; }

}  // namespace

absl::StatusOr<ParsedArgs> ParseCommandArgs(const CommandSpec& spec,
                                            const std::vector<std::string>& args) {
  ParsedArgs parsed;
  // --help wins over every other problem, so `torikumi plans create --help` always helps.
  for (const auto& arg : args) {
    if (arg == "--") break;
    if (IsHelp(arg)) {
      parsed.help_ = true;
      return parsed;
    }
  }

  bool flags_ended = false;
  for (size_t i = 0; i < args.size(); ++i) {
    absl::string_view arg = args[i];
    if (flags_ended || !LooksLikeFlag(arg)) {
      parsed.positionals_.emplace_back(arg);
      continue;
    }
    if (arg == "--") {
      flags_ended = true;
      continue;
    }
    // A one-letter alias stands for its long flag: "-o" is read as "--output".
    std::string long_form;
    if (arg.size() == 2 && arg[1] != '-') {
      for (const auto& flag : spec.flags) {
        if (flag.short_name == arg[1]) long_form = "--" + flag.name;
      }
      if (!long_form.empty()) arg = long_form;
    }
    if (!absl::StartsWith(arg, "--")) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown flag ", arg, " (flags are written --name)"));
    }
    absl::string_view body = arg.substr(2);
    std::optional<std::string> inline_value;
    if (size_t eq = body.find('='); eq != absl::string_view::npos) {
      inline_value = std::string(body.substr(eq + 1));
      body = body.substr(0, eq);
    }
    const FlagSpec* flag = spec.FindFlag(body);
    if (flag == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("unknown flag --", body));
    }
    if (parsed.Has(flag->name)) {
      return absl::InvalidArgumentError(absl::StrCat("flag --", flag->name, " is given twice"));
    }
    std::string value;
    if (!flag->takes_value()) {
      if (inline_value.has_value()) {
        return absl::InvalidArgumentError(
            absl::StrCat("flag --", flag->name, " takes no value (got \"", *inline_value, "\")"));
      }
      value = "true";
    } else if (inline_value.has_value()) {
      value = *inline_value;
    } else {
      // The next token is the value, unless there is none or it is another flag: a value
      // that starts with "--" has to be written --flag=--value.
      if (i + 1 >= args.size() || absl::StartsWith(args[i + 1], "--")) {
        return absl::InvalidArgumentError(absl::StrCat("flag --", flag->name, " needs a value (--",
                                                       flag->name, " ", flag->value_name, ")"));
      }
      value = args[++i];
    }
    parsed.values_.emplace(flag->name, std::move(value));
  }

  if (parsed.positionals_.size() < spec.positionals.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("missing argument ", spec.positionals[parsed.positionals_.size()]));
  }
  if (parsed.positionals_.size() > spec.positionals.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("unexpected argument \"", parsed.positionals_[spec.positionals.size()], "\""));
  }
  for (const auto& flag : spec.flags) {
    if (flag.required && !parsed.Has(flag.name)) {
      return absl::InvalidArgumentError(
          absl::StrCat("missing flag --", flag.name, " ", flag.value_name));
    }
  }
  return parsed;
}

std::string FormatUsage(const CommandSpec& spec) {
  std::string out = absl::StrCat("usage: torikumi ", spec.path);
  for (const auto& positional : spec.positionals) absl::StrAppend(&out, " ", positional);
  for (const auto& flag : spec.flags) {
    if (!flag.required) continue;
    absl::StrAppend(&out, " --", flag.name, " ", flag.value_name);
  }
  if (std::any_of(spec.flags.begin(), spec.flags.end(),
                  [](const FlagSpec& f) { return !f.required; })) {
    absl::StrAppend(&out, " [flags]");
  }
  absl::StrAppend(&out, "\n\n", spec.summary, "\n");

  if (!spec.flags.empty()) {
    // Flag names and placeholders are ASCII, so byte length is the display width here.
    std::vector<std::string> lefts;
    size_t width = 0;
    for (const auto& flag : spec.flags) {
      std::string left =
          flag.short_name.has_value()
              ? absl::StrCat("  -", std::string(1, *flag.short_name), ", --", flag.name)
              : absl::StrCat("  --", flag.name);
      if (flag.takes_value()) absl::StrAppend(&left, " ", flag.value_name);
      width = std::max(width, left.size());
      lefts.push_back(std::move(left));
    }
    absl::StrAppend(&out, "\nflags:\n");
    for (size_t i = 0; i < spec.flags.size(); ++i) {
      const auto& flag = spec.flags[i];
      absl::StrAppend(&out, lefts[i], std::string(width - lefts[i].size() + 2, ' '), flag.help,
                      flag.required ? " (required)" : "", "\n");
    }
  }
  if (!spec.details.empty()) absl::StrAppend(&out, "\n", spec.details, "\n");
  return out;
}

}  // namespace torikumi::cli
