// The PostgreSQL the tests run against: a throw-away cluster (scripts/pg_test_cluster.sh) that
// CTest starts once for the whole run (the "postgres" fixture, tests/store/CMakeLists.txt) and
// names in TORIKUMI_TEST_POSTGRES_DIR. A test binary run by hand without it starts its own
// cluster on first use and stops it when the process exits.
#pragma once

#include <string>

#include "absl/status/statusor.h"

namespace torikumi::store::testing {

// A libpq URI of a new, empty schema of the test cluster (one per call, so tests never see
// each other's rows); every connection made with it uses that schema.
absl::StatusOr<std::string> FreshPostgresUri();

}  // namespace torikumi::store::testing
