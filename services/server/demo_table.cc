#include "services/server/demo_table.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/log.h"
#include "services/common/resource_name.h"
#include "services/table/table_reader.h"

namespace torikumi::server {
namespace {

// The file's bytes; NOT_FOUND when it does not exist, so the caller can start empty.
absl::StatusOr<std::string> ReadDemoFile(const std::filesystem::path& path) {
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  if (error) {
    return absl::NotFoundError(
        absl::StrCat("demo table ", path.string(), " cannot be read: ", error.message()));
  }
  if (size > table::kMaxTableBytes) {
    return InvalidField("demo_table",
                        absl::StrCat(path.string(), " is ", size, " bytes; a table is at most ",
                                     table::kMaxTableBytes));
  }
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) {
    return absl::UnavailableError(absl::StrCat("demo table ", path.string(), ": read failed"));
  }
  return bytes;
}

}  // namespace

absl::Status LoadDemoTable(domain::Organizations& organizations, domain::Plans& plans,
                           domain::TableImporter& importer, absl::string_view path,
                           absl::string_view organization_id) {
  if (!IsValidId(organization_id)) {
    return InvalidField("demo_org",
                        absl::StrCat("'", organization_id, "' is not a valid organization id"));
  }
  v1::ListPlansRequest any_plan;
  any_plan.set_parent("organizations/-");
  any_plan.set_page_size(1);
  absl::StatusOr<v1::ListPlansResponse> listed = plans.List(any_plan);
  if (!listed.ok()) return listed.status();
  if (listed->plans_size() > 0) {
    log::Info("demo table not imported: the database already has plans (e.g. ",
              listed->plans(0).name(), ")");
    return absl::OkStatus();
  }

  const std::filesystem::path file(std::string{path});
  absl::StatusOr<std::string> bytes = ReadDemoFile(file);
  if (absl::IsNotFound(bytes.status())) {
    log::Warning(bytes.status().message(), "; starting with an empty database");
    return absl::OkStatus();
  }
  if (!bytes.ok()) return bytes.status();

  const std::string organization = absl::StrCat("organizations/", organization_id);
  v1::GetOrganizationRequest get;
  get.set_name(organization);
  if (absl::StatusOr<v1::GetOrganizationResponse> found = organizations.Get(get);
      absl::IsNotFound(found.status())) {
    v1::CreateOrganizationRequest create;
    create.set_organization_id(std::string(organization_id));
    create.mutable_organization()->set_display_name("デモ (demo)");
    absl::StatusOr<v1::CreateOrganizationResponse> created = organizations.Create(create);
    if (!created.ok()) return created.status();
    log::Info("created ", organization, " for the demo plan");
  } else if (!found.ok()) {
    return found.status();
  }

  v1::ImportTableOptions options;
  options.set_parent(organization);
  const std::string stem = file.stem().string();
  if (IsValidId(stem)) options.set_plan_id(stem);
  absl::StatusOr<v1::ImportTableResponse> imported = importer.Import(options, *bytes);
  if (!imported.ok()) {
    return absl::Status(imported.status().code(), absl::StrCat("demo table ", file.string(), ": ",
                                                               imported.status().message()));
  }
  log::Info("imported the demo table ", file.string(), " (", imported->detected_encoding(), ") as ",
            imported->plan(), ": ", imported->areas(), " areas, ", imported->initiatives_created(),
            " initiatives, ", imported->outcomes_written(), " outcomes, ", imported->ratings(),
            " ratings, ", imported->findings_size(),
            " findings (see `torikumi import --dry-run` for them)");
  return absl::OkStatus();
}

}  // namespace torikumi::server
