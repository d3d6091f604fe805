// The demo plan: `make serve` starts the server with --demo_table pointing at the seed
// table, so a new user sees a real plan at once. It goes through the same domain import as
// the ImportTable RPC.
#pragma once

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "services/domain/organizations.h"
#include "services/domain/plans.h"
#include "services/domain/table_import.h"

namespace torikumi::server {

// When the database has no plan at all: creates organizations/{organization_id} if it is
// missing and imports the table at `path` into a new plan of it, whose id is the file's stem
// when that is a valid id ("hr-plan-progress-h30-r4"). A database that has plans is left
// alone, so a restart imports nothing twice. Logs what it did. A missing file is a warning
// and imports nothing; a file the import refuses is the import's error.
absl::Status LoadDemoTable(domain::Organizations& organizations, domain::Plans& plans,
                           domain::TableImporter& importer, absl::string_view path,
                           absl::string_view organization_id);

}  // namespace torikumi::server
