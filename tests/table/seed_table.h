// Helpers shared by the table tests: the seed and development-set files and lookups in a parsed
// table.
#pragma once

#include <string>

#include "absl/strings/string_view.h"
#include "services/table/table_reader.h"

namespace torikumi::table::testing {

// The bytes of testdata/seed/hr-plan-progress-h30-r4.tsv (path from CMake); fails the
// current test when the file cannot be read.
std::string SeedBytes();

// The bytes of testdata/ratings-devset/plan-h31-r5-gyokaku.tsv, a table in another
// department's style (H31–R5, three areas).
std::string DevsetBytes();

// The bytes of testdata/layout/other-city-r1-r5.tsv: 実施状況, full-width letters and digits,
// the title line once.
std::string OtherCityBytes();

// The initiative numbered `number` in `area`, or null.
const ImportedInitiative* Find(const ParsedTable& table, absl::string_view area, int number);

// The outcome of `item` for `fiscal_year` (0 = whole period), or null.
const v1::Outcome* OutcomeFor(const ImportedInitiative& item, int fiscal_year);

// Every finding, one per line, for failure messages.
std::string FindingsText(const ParsedTable& table);

}  // namespace torikumi::table::testing
