#include "services/table/finding.h"

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"

namespace torikumi::table {

absl::string_view SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kInfo:
      return "info";
    case Severity::kRepair:
      return "repair";
    case Severity::kGuess:
      return "guess";
    case Severity::kError:
      return "error";
  }
  return "unknown";
}

std::string Quote(absl::string_view text) {
  int count = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (count == kMaxQuotedCodePoints) return absl::StrCat(text.substr(0, i), "…");
    ++count;
  }
  return std::string(text);
}

std::string FormatFinding(const Finding& finding) {
  std::string where = absl::StrCat("line ", finding.line);
  if (finding.column > 0) absl::StrAppend(&where, ", column ", finding.column);
  return absl::StrCat(where, " (", SeverityName(finding.severity), "): '", Quote(finding.text),
                      "' — ", finding.action);
}

v1::TableFinding ToProto(const Finding& finding) {
  v1::TableFinding out;
  out.set_line(finding.line);
  out.set_column(finding.column);
  out.set_text(finding.text);
  out.set_action(finding.action);
  switch (finding.severity) {
    case Severity::kInfo:
      out.set_severity(v1::FINDING_SEVERITY_INFO);
      break;
    case Severity::kRepair:
      out.set_severity(v1::FINDING_SEVERITY_REPAIR);
      break;
    case Severity::kGuess:
      out.set_severity(v1::FINDING_SEVERITY_GUESS);
      break;
    case Severity::kError:
      out.set_severity(v1::FINDING_SEVERITY_ERROR);
      break;
  }
  return out;
}

void FindingSink::Add(int line, int column, absl::string_view text, std::string action,
                      Severity severity) {
  if (findings_.size() >= limit_) {
    ++overflow_;
    return;
  }
  findings_.push_back({line, column, Quote(text), std::move(action), severity});
}

std::vector<Finding> FindingSink::Take() {
  if (overflow_ > 0) {
    Finding last;
    last.line = findings_.empty() ? 0 : findings_.back().line;
    last.text = "";
    last.action = absl::StrCat(overflow_, " more findings were not listed (limit ", limit_,
                               "); fix the ones above and read the table again");
    last.severity = Severity::kError;
    findings_.push_back(std::move(last));
    overflow_ = 0;
  }
  return std::move(findings_);
}

absl::Status StrictStatus(const std::vector<Finding>& findings) {
  FieldViolations violations;
  for (const Finding& f : findings) {
    if (f.severity == Severity::kInfo) continue;
    violations.Add(absl::StrCat("table:", f.line, ":", f.column),
                   absl::StrCat(SeverityName(f.severity), ": '", f.text, "' — ", f.action));
  }
  return violations.ToStatus();
}

}  // namespace torikumi::table
