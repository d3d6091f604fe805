#include "tests/table/seed_table.h"

#include <fstream>
#include <sstream>

#include "gtest/gtest.h"

namespace torikumi::table::testing {

namespace {

std::string FileBytes(const char* path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace

std::string SeedBytes() { return FileBytes(TORIKUMI_SEED_TSV); }

std::string DevsetBytes() { return FileBytes(TORIKUMI_DEVSET_TSV); }

std::string OtherCityBytes() { return FileBytes(TORIKUMI_OTHER_CITY_TSV); }

const ImportedInitiative* Find(const ParsedTable& table, absl::string_view area, int number) {
  for (const ImportedInitiative& item : table.initiatives) {
    if (item.initiative.area() == area && item.initiative.number() == number) return &item;
  }
  return nullptr;
}

const v1::Outcome* OutcomeFor(const ImportedInitiative& item, int fiscal_year) {
  for (const v1::Outcome& outcome : item.outcomes) {
    if (outcome.fiscal_year() == fiscal_year) return &outcome;
  }
  return nullptr;
}

std::string FindingsText(const ParsedTable& table) {
  std::string out;
  for (const Finding& f : table.findings) out += FormatFinding(f) + "\n";
  return out;
}

}  // namespace torikumi::table::testing
