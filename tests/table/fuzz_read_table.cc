// Fuzz entry point for the table reader. Whatever the bytes, ReadTable must return (an
// INVALID_ARGUMENT error or a table), and a table it returns must hold together: areas
// listed, numbers unique and positive, years inside the period, and the TSV the writer
// makes of it must read back to the same number of initiatives.
//
// Built as a libFuzzer target when the compiler is clang; with g++ the same function is
// driven by fuzz_driver_main.cc over seeded mutations of the real table.
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <set>
#include <string>
#include <utility>

#include "services/common/text.h"
#include "services/table/table_reader.h"
#include "services/table/table_writer.h"

namespace {

[[noreturn]] void Fail(const char* what, const std::string& detail) {
  fprintf(stderr, "fuzz_read_table: %s: %s\n", what, detail.c_str());
  abort();
}

void CheckTable(const torikumi::table::ParsedTable& table) {
  using torikumi::table::ImportedInitiative;
  const torikumi::v1::Plan& plan = table.plan;
  std::set<std::string> areas(plan.areas().begin(), plan.areas().end());
  std::set<std::pair<std::string, int>> numbers;
  const int first = plan.period().first_fiscal_year();
  const int last = plan.period().last_fiscal_year();
  if (first > last) Fail("period runs backwards", plan.ShortDebugString());
  for (const ImportedInitiative& item : table.initiatives) {
    const torikumi::v1::Initiative& i = item.initiative;
    if (areas.count(i.area()) == 0) Fail("area not listed in the plan", i.area());
    if (i.number() <= 0) Fail("number not positive", i.ShortDebugString());
    if (!numbers.insert({i.area(), i.number()}).second)
      Fail("number repeated", i.ShortDebugString());
    for (const torikumi::v1::ScheduleEntry& s : i.schedule()) {
      if (s.fiscal_year() < first || s.fiscal_year() > last)
        Fail("schedule outside period", i.ShortDebugString());
    }
    for (const torikumi::v1::Outcome& o : item.outcomes) {
      if (o.fiscal_year() != 0 && (o.fiscal_year() < first || o.fiscal_year() > last)) {
        Fail("outcome outside period", o.ShortDebugString());
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  torikumi::table::ReadOptions options;
  options.max_bytes = 1 << 20;
  options.max_findings = 1000;
  absl::string_view bytes(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<torikumi::table::ParsedTable> read = torikumi::table::ReadTable(bytes, options);
  if (!read.ok()) {
    if (read.status().code() != absl::StatusCode::kInvalidArgument) {
      Fail("unexpected error code", read.status().ToString());
    }
    // Status messages travel as gRPC status text and protobuf strings: UTF-8 only.
    if (!torikumi::IsValidUtf8(read.status().message())) {
      Fail("error message is not UTF-8", read.status().ToString());
    }
    return 0;
  }
  if (read->detected_encoding == "JSON") return 0;  // JSON is taken as given
  CheckTable(*read);
  absl::StatusOr<std::string> tsv = torikumi::table::WriteTsv(torikumi::table::ToDocument(*read));
  if (!tsv.ok()) Fail("cannot write TSV", tsv.status().ToString());
  options.max_bytes = 64 << 20;
  absl::StatusOr<torikumi::table::ParsedTable> again = torikumi::table::ReadTable(*tsv, options);
  if (!again.ok()) Fail("written TSV does not read back", again.status().ToString() + "\n" + *tsv);
  if (again->initiatives.size() != read->initiatives.size()) {
    Fail("written TSV reads back with a different number of initiatives", *tsv);
  }
  return 0;
}
