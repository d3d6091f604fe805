#include "services/domain/table_export.h"

#include <map>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "services/common/errors.h"
#include "services/common/resource_name.h"
#include "services/domain/list_all.h"
#include "services/domain/normalize.h"
#include "services/domain/validation.h"
#include "services/table/decoding.h"
#include "services/table/table_writer.h"

namespace torikumi::domain {
namespace {

constexpr absl::string_view kUtf8Bom = "\xEF\xBB\xBF";

bool IsDelimitedText(v1::TableFormat format) {
  return format == v1::TABLE_FORMAT_TSV || format == v1::TABLE_FORMAT_CSV;
}

}  // namespace

absl::StatusOr<v1::TableDocument> TableExporter::ReadDocument(const std::string& plan_name) {
  absl::StatusOr<v1::Plan> plan = store_.GetPlan(plan_name);
  if (!plan.ok()) return plan.status();
  absl::StatusOr<std::vector<v1::Initiative>> initiatives =
      ListAll<v1::Initiative>([&](store::Page page) {
        return store_.ListInitiatives(plan_name, v1::InitiativeFilter(), page);
      });
  if (!initiatives.ok()) return initiatives.status();
  absl::StatusOr<std::vector<v1::Outcome>> outcomes = ListAll<v1::Outcome>([&](store::Page page) {
    return store_.ListOutcomes(absl::StrCat(plan_name, "/initiatives/-"), std::nullopt, page);
  });
  if (!outcomes.ok()) return outcomes.status();

  v1::TableDocument document;
  *document.mutable_plan() = *std::move(plan);
  // Both listings are in the plan's display order (area, number), outcomes by year.
  std::map<std::string, v1::TableInitiative*> by_name;
  for (v1::Initiative& initiative : *initiatives) {
    // An area the plan has since spelled anew (ＯＪＴ研修 for OJT研修) prints under the plan's.
    AdoptPlanArea(document.plan(), &initiative);
    v1::TableInitiative* row = document.add_initiatives();
    by_name[initiative.name()] = row;
    *row->mutable_initiative() = std::move(initiative);
  }
  for (v1::Outcome& outcome : *outcomes) {
    absl::StatusOr<OutcomeName> name = ParseOutcomeName(outcome.name(), "outcome.name");
    if (!name.ok()) return name.status();
    auto row = by_name.find(name->initiative.Format());
    // An outcome written between the two listings, of an initiative listed neither time.
    if (row == by_name.end()) continue;
    *row->second->add_outcomes() = std::move(outcome);
  }
  for (v1::TableInitiative& row : *document.mutable_initiatives()) {
    const std::string& relists = row.initiative().relists();
    if (relists.empty()) continue;
    auto target = by_name.find(relists);
    if (target == by_name.end()) continue;
    row.mutable_relists()->set_area(target->second->initiative().area());
    row.mutable_relists()->set_number(target->second->initiative().number());
  }
  return document;
}

absl::StatusOr<ExportedTable> TableExporter::Export(const v1::ExportTableRequest& request) {
  FieldViolations violations;
  absl::StatusOr<PlanName> name = ParsePlanName(request.plan(), "plan");
  if (!name.ok()) {
    violations.Add("plan",
                   absl::StrCat(Quoted(request.plan()),
                                " is not a plan name: organizations/{organization}/plans/{plan}"));
  }
  if (request.format() == v1::TABLE_FORMAT_UNSPECIFIED) {
    violations.Add("format", "is required: TSV, CSV, JSON or XLSX");
  } else if (!v1::TableFormat_IsValid(request.format())) {
    violations.Add("format", absl::StrCat(static_cast<int>(request.format()),
                                          " is not a format: use TSV, CSV, JSON or XLSX"));
  }
  const bool cp932 = request.encoding() == v1::TABLE_ENCODING_CP932;
  if (!v1::TableEncoding_IsValid(request.encoding())) {
    violations.Add("encoding",
                   absl::StrCat(static_cast<int>(request.encoding()), " is not a known encoding"));
  } else if (cp932 && v1::TableFormat_IsValid(request.format()) &&
             request.format() != v1::TABLE_FORMAT_UNSPECIFIED &&
             !IsDelimitedText(request.format())) {
    violations.Add("encoding", absl::StrCat("CP932 applies to TSV and CSV only, not ",
                                            v1::TableFormat_Name(request.format())));
  }
  if (!violations.empty()) return violations.ToStatus();

  absl::StatusOr<v1::TableDocument> document = ReadDocument(request.plan());
  if (!document.ok()) return document.status();
  absl::StatusOr<std::string> bytes = table::WriteTable(*document, request.format());
  if (!bytes.ok()) return bytes.status();

  ExportedTable exported;
  exported.content_type = std::string(table::TableFormatMediaType(request.format()));
  exported.file_name = absl::StrCat(name->plan, ".", table::TableFormatExtension(request.format()));
  if (cp932) {
    // The byte-order mark tells Excel the CSV is UTF-8; CP932 has none (and no code for it).
    absl::string_view text = *bytes;
    if (absl::StartsWith(text, kUtf8Bom)) text.remove_prefix(kUtf8Bom.size());
    absl::StatusOr<std::string> encoded = table::EncodeCp932(text);
    if (!encoded.ok()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "plan ", request.plan(), " cannot be written in CP932: ", encoded.status().message(),
          "; export it as UTF-8 instead"));
    }
    exported.bytes = *std::move(encoded);
    exported.content_type =
        absl::StrReplaceAll(exported.content_type, {{"charset=utf-8", "charset=shift_jis"}});
  } else {
    exported.bytes = *std::move(bytes);
  }
  return exported;
}

}  // namespace torikumi::domain
