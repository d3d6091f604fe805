// Exporting a stored plan as the published 取組状況 table (ExportTable): the plan, its
// initiatives and their outcomes read through the store, turned into a TableDocument and
// written by the table writer for the asked format (services/table/table_writer.h).
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "services/store/store.h"
#include "torikumi/v1/table_service.pb.h"

namespace torikumi::domain {

struct ExportedTable {
  std::string bytes;
  // e.g. "text/tab-separated-values; charset=utf-8" (charset=shift_jis for CP932).
  std::string content_type;
  // "{plan id}.{tsv|csv|json|xlsx}".
  std::string file_name;
};

class TableExporter {
 public:
  explicit TableExporter(store::Store& store) : store_(store) {}

  // INVALID_ARGUMENT for a malformed plan name, a missing or unknown format, or CP932 asked
  // for JSON or XLSX; NOT_FOUND for a missing plan; FAILED_PRECONDITION when the plan holds
  // a character CP932 cannot encode (the message names it; export UTF-8 instead).
  absl::StatusOr<ExportedTable> Export(const v1::ExportTableRequest& request);

  // The plan as one TableDocument in display order, re-list links also given as area and
  // number (so the document can be imported into another plan).
  absl::StatusOr<v1::TableDocument> ReadDocument(const std::string& plan_name);

 private:
  store::Store& store_;
};

}  // namespace torikumi::domain
