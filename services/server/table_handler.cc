#include "services/server/table_handler.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/log.h"
#include "services/server/call_log.h"
#include "services/server/grpc_status.h"
#include "services/table/table_reader.h"

namespace torikumi::server {
namespace {

// Gathers the streamed file, then runs the import on the executor: reading a table of up to
// 32 MiB and writing a whole plan in one transaction (which waits for the store's one writer)
// can take long. The chunks are taken on the gRPC thread, since each is only appended.
class ImportReactor final : public grpc::ServerReadReactor<v1::ImportTableRequest> {
 public:
  ImportReactor(grpc::CallbackServerContext* context, v1::ImportTableResponse* response,
                const auth::Gate& gate, domain::TableImporter& importer, BoundedExecutor& executor,
                StreamSlots& slots)
      : context_(context),
        response_(response),
        gate_(gate),
        importer_(importer),
        executor_(executor),
        slots_(slots) {
    if (absl::Status slot = slots_.Acquire(); !slot.ok()) {
      Refuse(slot);
      return;
    }
    holds_slot_ = true;
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      // The client has sent everything (or gave up).
      if (context_->IsCancelled()) {
        Finish(grpc::Status(grpc::StatusCode::CANCELLED, "the client cancelled the import"));
        return;
      }
      if (messages_ == 0) {
        // Nothing named an organization, so nothing was admitted: there is nothing to import.
        Refuse(absl::InvalidArgumentError(
            "the import sent no message; the first one carries options.parent and a chunk"));
        return;
      }
      if (absl::Status queued = executor_.TrySubmit([this] { RunImport(); }); !queued.ok())
        Refuse(queued);
      return;
    }
    if (messages_++ == 0) {
      // The first message names the organization: the call is admitted (or not) on it.
      absl::StatusOr<auth::Admission> admitted = gate_.Admit(*context_, request_);
      if (!admitted.ok()) {
        Refuse(admitted.status());
        return;
      }
      origin_ = std::move(admitted->origin);
      options_ = request_.options();
    } else if (request_.has_options()) {
      Refuse(InvalidField("options", absl::StrCat("are only read from the first message; message ",
                                                  messages_, " carries them again")));
      return;
    }
    if (request_.chunk().size() > kImportChunkBytes) {
      Refuse(InvalidField(
          "chunk", absl::StrCat("message ", messages_, " carries ", request_.chunk().size(),
                                " bytes; send at most ", kImportChunkBytes, " bytes per message")));
      return;
    }
    if (bytes_.size() + request_.chunk().size() > table::kMaxTableBytes) {
      Refuse(InvalidField("chunk", absl::StrCat("the file is over ", table::kMaxTableBytes,
                                                " bytes (32 MiB), the most one import takes; "
                                                "a real plan is well under a megabyte")));
      return;
    }
    bytes_ += request_.chunk();
    request_.Clear();
    StartRead(&request_);
  }

  void OnDone() override {
    if (holds_slot_) slots_.Release();
    delete this;
  }

 private:
  void RunImport() {
    store::ScopedWriteOrigin origin(origin_);
    absl::StatusOr<v1::ImportTableResponse> result = importer_.Import(options_, bytes_);
    LogCallResult("ImportTable", result.status());
    if (result.ok()) {
      log::Info("ImportTable: ", result->dry_run() ? "checked (dry run) " : "imported ",
                result->plan().empty() ? "a new plan" : result->plan(), ": ",
                result->initiatives_created(), " initiatives created, ",
                result->initiatives_updated(), " updated, ", result->outcomes_written(),
                " outcomes, ", result->findings_size(), " findings");
      *response_ = *std::move(result);
    }
    std::string().swap(bytes_);  // the file is not needed any more
    Finish(ToGrpcStatus(result.status()));
  }

  // Ends the call at once; the client's remaining messages are not read.
  void Refuse(const absl::Status& status) {
    LogCallResult("ImportTable", status);
    Finish(ToGrpcStatus(status));
  }

  grpc::CallbackServerContext* context_;
  v1::ImportTableResponse* response_;
  const auth::Gate& gate_;
  domain::TableImporter& importer_;
  BoundedExecutor& executor_;
  StreamSlots& slots_;
  bool holds_slot_ = false;
  v1::ImportTableRequest request_;
  v1::ImportTableOptions options_;
  store::WriteOrigin origin_;
  std::string bytes_;
  int messages_ = 0;
};

// Produces the file on the executor (reading every initiative and writing, say, a workbook
// is not for a gRPC thread), then writes it in 64 KiB chunks, one at a time.
class ExportReactor final : public grpc::ServerWriteReactor<v1::ExportTableResponse> {
 public:
  // `admitted`: the gate's answer (auth/gate.h); the export runs only when it is OK.
  ExportReactor(const v1::ExportTableRequest& request, const absl::Status& admitted,
                domain::TableExporter& exporter, BoundedExecutor& executor, StreamSlots& slots)
      : request_(request), exporter_(exporter), slots_(slots) {
    absl::Status started = admitted;
    if (started.ok()) started = slots_.Acquire();
    holds_slot_ = started.ok();
    if (started.ok()) started = executor.TrySubmit([this] { RunExport(); });
    if (!started.ok()) {
      LogCallResult("ExportTable", started);
      Finish(ToGrpcStatus(started));
    }
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      // The client went away; there is no one to tell.
      Finish(grpc::Status(grpc::StatusCode::CANCELLED, "the client stopped reading the export"));
      return;
    }
    WriteNext();
  }

  void OnDone() override {
    if (holds_slot_) slots_.Release();
    delete this;
  }

 private:
  void RunExport() {
    absl::StatusOr<domain::ExportedTable> exported = exporter_.Export(request_);
    LogCallResult("ExportTable", exported.status());
    if (!exported.ok()) {
      Finish(ToGrpcStatus(exported.status()));
      return;
    }
    file_ = *std::move(exported);
    WriteNext();
  }

  // Writes the next chunk, or finishes when all is sent. The first message carries the
  // content type and file name, even for an empty file.
  void WriteNext() {
    if (sent_ > 0 && offset_ >= file_.bytes.size()) {
      Finish(grpc::Status::OK);
      return;
    }
    response_.Clear();
    if (sent_ == 0) {
      response_.set_content_type(file_.content_type);
      response_.set_file_name(file_.file_name);
    }
    const size_t size = std::min(kExportChunkBytes, file_.bytes.size() - offset_);
    response_.set_chunk(file_.bytes.substr(offset_, size));
    offset_ += size;
    ++sent_;
    StartWrite(&response_);
  }

  const v1::ExportTableRequest request_;
  domain::TableExporter& exporter_;
  StreamSlots& slots_;
  bool holds_slot_ = false;
  domain::ExportedTable file_;
  v1::ExportTableResponse response_;
  size_t offset_ = 0;
  int sent_ = 0;
};

}  // namespace

grpc::ServerReadReactor<v1::ImportTableRequest>* TableHandler::ImportTable(
    grpc::CallbackServerContext* context, v1::ImportTableResponse* response) {
  return new ImportReactor(context, response, gate_, importer_, executor_, slots_);
}

grpc::ServerWriteReactor<v1::ExportTableResponse>* TableHandler::ExportTable(
    grpc::CallbackServerContext* context, const v1::ExportTableRequest* request) {
  return new ExportReactor(*request, gate_.Admit(*context, *request).status(), exporter_, executor_,
                           slots_);
}

}  // namespace torikumi::server
