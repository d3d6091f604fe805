// Table import and export over HTTP. They are the API's two streaming methods, so they are
// handled here by name rather than by the unary path: an import sends the raw HTTP body (the
// file) as the chunks of ImportTable, an export gathers ExportTable's chunks into one file.
#pragma once

#include <grpcpp/channel.h>
#include <grpcpp/support/status.h>

#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "services/server/http/grpc_call.h"
#include "torikumi/v1/table_service.pb.h"

namespace torikumi::server::http {

// ImportTable with `first` (its options, from the path and query) and `file` as its chunks.
grpc::Status ImportTable(const std::shared_ptr<grpc::Channel>& channel,
                         const CallMetadata& metadata, v1::ImportTableRequest first,
                         absl::string_view file, v1::ImportTableResponse* response);

// The exported file, as the first ExportTableResponse described it.
struct ExportedFile {
  std::string content_type;
  std::string file_name;
  std::string bytes;
};

grpc::Status ExportTable(const std::shared_ptr<grpc::Channel>& channel,
                         const CallMetadata& metadata, const v1::ExportTableRequest& request,
                         ExportedFile* file);

// Content-Disposition for a download of `file_name`: the name as ASCII (other characters as
// '_') and, when it has others, in full as RFC 6266's filename*.
std::string AttachmentHeader(absl::string_view file_name);

}  // namespace torikumi::server::http
