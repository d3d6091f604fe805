// Bytes → UTF-8 text for the table reader, and UTF-8 → CP932 for export: byte-order
// marks, CRLF, Shift_JIS/CP932 (Japanese Excel's default) and UTF-16 (Excel's "Unicode
// text") through glibc's iconv.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "torikumi/v1/table.pb.h"

namespace torikumi::table {

enum class Encoding {
  kAuto,  // a byte-order mark, else UTF-8 when valid, else CP932
  kUtf8,
  kCp932,
};

// "auto", "utf-8"/"utf8", "cp932"/"shift_jis"/"sjis"/"windows-31j" (any case).
absl::StatusOr<Encoding> ParseEncoding(absl::string_view name);
absl::string_view EncodingName(Encoding encoding);
// TABLE_ENCODING_UNSPECIFIED (and unknown values) → kAuto.
Encoding EncodingFromProto(v1::TableEncoding encoding);

struct DecodedText {
  // UTF-8 with "\n" line ends and no byte-order mark.
  std::string text;
  // What the bytes were: "UTF-8", "UTF-8 with BOM", "CP932", "UTF-16LE", "UTF-16BE".
  std::string detected;
};

// INVALID_ARGUMENT naming the line, column and byte when the bytes are not text in the
// requested (or any detectable) encoding, or hold control characters other than tab and
// line ends — which is what binary data looks like.
absl::StatusOr<DecodedText> DecodeTable(absl::string_view bytes, Encoding encoding);

// UTF-8 → CP932. INVALID_ARGUMENT naming the character when CP932 has no code for it.
absl::StatusOr<std::string> EncodeCp932(absl::string_view utf8);

}  // namespace torikumi::table
