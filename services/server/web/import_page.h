// Importing a table through the browser: upload it, see the dry run's counts and findings,
// then confirm. Without script the file cannot stay in the form, so the dry-run page carries
// it back (base64 in a hidden field) with the confirmation.
#pragma once

#include <string>

#include "absl/strings/string_view.h"
#include "torikumi/v1/table_service.pb.h"

namespace torikumi::server::web {

// The upload form of organizations/{organization}.
std::string RenderImportForm(absl::string_view organization_name);

// What a dry run found, and (when the import would go ahead) the form that confirms it with
// the same file and plan id.
std::string RenderDryRun(absl::string_view organization_name, absl::string_view plan_id,
                         absl::string_view file, const v1::ImportTableResponse& report);

// What the confirmed import did, with a link to the plan.
std::string RenderImported(const v1::ImportTableResponse& report);

}  // namespace torikumi::server::web
