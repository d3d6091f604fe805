#include "services/server/http/table_transfer.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/server/table_handler.h"
#include "torikumi/v1/table_service.grpc.pb.h"

namespace torikumi::server::http {

grpc::Status ImportTable(const std::shared_ptr<grpc::Channel>& channel,
                         const CallMetadata& metadata, v1::ImportTableRequest first,
                         absl::string_view file, v1::ImportTableResponse* response) {
  auto stub = v1::TableService::NewStub(channel);
  std::unique_ptr<grpc::ClientContext> context = ContextFor(metadata);
  std::unique_ptr<grpc::ClientWriter<v1::ImportTableRequest>> writer =
      stub->ImportTable(context.get(), response);
  v1::ImportTableRequest request = std::move(first);
  size_t offset = 0;
  do {
    const size_t size = std::min(kImportChunkBytes, file.size() - offset);
    request.set_chunk(std::string(file.substr(offset, size)));
    offset += size;
    // A refused write means the server has finished the call: Finish says why.
    if (!writer->Write(request)) break;
    request.Clear();
  } while (offset < file.size());
  writer->WritesDone();
  return writer->Finish();
}

grpc::Status ExportTable(const std::shared_ptr<grpc::Channel>& channel,
                         const CallMetadata& metadata, const v1::ExportTableRequest& request,
                         ExportedFile* file) {
  auto stub = v1::TableService::NewStub(channel);
  std::unique_ptr<grpc::ClientContext> context = ContextFor(metadata);
  std::unique_ptr<grpc::ClientReader<v1::ExportTableResponse>> reader =
      stub->ExportTable(context.get(), request);
  v1::ExportTableResponse chunk;
  bool first = true;
  while (reader->Read(&chunk)) {
    if (first) {
      file->content_type = chunk.content_type();
      file->file_name = chunk.file_name();
      first = false;
    }
    file->bytes += chunk.chunk();
  }
  return reader->Finish();
}

std::string AttachmentHeader(absl::string_view file_name) {
  std::string ascii;
  std::string encoded;
  bool all_ascii = true;
  for (unsigned char c : file_name) {
    const bool plain = absl::ascii_isalnum(c) || c == '.' || c == '-' || c == '_';
    all_ascii = all_ascii && c < 0x80;
    ascii += (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') ? static_cast<char>(c) : '_';
    encoded += plain ? std::string(1, static_cast<char>(c)) : absl::StrFormat("%%%02X", c);
  }
  std::string header = absl::StrCat("attachment; filename=\"", ascii, "\"");
  if (!all_ascii) absl::StrAppend(&header, "; filename*=UTF-8''", encoded);
  return header;
}

}  // namespace torikumi::server::http
