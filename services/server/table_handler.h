// gRPC handlers of torikumi.v1.TableService with the callback API: ImportTable gathers the
// client's chunks and ExportTable streams the file back in chunks. The import and export
// themselves (reading a 32 MiB table, one store transaction for a whole plan, writing a
// workbook) can take long, so they run on the server's BoundedExecutor, never on a gRPC
// callback thread. At most `max_streams` imports and exports are open at once.
#pragma once

#include "services/common/bounded_executor.h"
#include "services/domain/table_export.h"
#include "services/domain/table_import.h"
#include "services/server/auth/gate.h"
#include "services/server/stream_slots.h"
#include "torikumi/v1/table_service.grpc.pb.h"

namespace torikumi::server {

// ExportTable sends the file in chunks of this size; the first also names the content type
// and a file name.
inline constexpr size_t kExportChunkBytes = 64u << 10;  // 64 KiB
// The most one ImportTableRequest.chunk may hold, as the API documents.
inline constexpr size_t kImportChunkBytes = 1u << 20;  // 1 MiB

class TableHandler final : public v1::TableService::CallbackService {
 public:
  TableHandler(const auth::Gate& gate, domain::TableImporter& importer,
               domain::TableExporter& exporter, BoundedExecutor& executor, int max_streams)
      : gate_(gate),
        importer_(importer),
        exporter_(exporter),
        executor_(executor),
        slots_("table", max_streams) {}

  grpc::ServerReadReactor<v1::ImportTableRequest>* ImportTable(
      grpc::CallbackServerContext* context, v1::ImportTableResponse* response) override;
  grpc::ServerWriteReactor<v1::ExportTableResponse>* ExportTable(
      grpc::CallbackServerContext* context, const v1::ExportTableRequest* request) override;

 private:
  const auth::Gate& gate_;
  domain::TableImporter& importer_;
  domain::TableExporter& exporter_;
  // Server drains it before the importer and exporter go.
  BoundedExecutor& executor_;
  StreamSlots slots_;
};

}  // namespace torikumi::server
