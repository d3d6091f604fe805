#include "services/table/decoding.h"

#include <errno.h>
#include <iconv.h>

#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/text.h"

namespace torikumi::table {
namespace {

constexpr absl::string_view kUtf8Bom = "\xEF\xBB\xBF";
constexpr absl::string_view kUtf16LeBom = "\xFF\xFE";
constexpr absl::string_view kUtf16BeBom = "\xFE\xFF";

// Where a byte offset is, for people: line (1-based) and byte within that line.
struct Position {
  size_t line = 1;
  size_t byte_in_line = 1;
};

Position PositionOf(absl::string_view bytes, size_t offset) {
  Position p;
  size_t line_start = 0;
  for (size_t i = 0; i < offset && i < bytes.size(); ++i) {
    if (bytes[i] == '\n') {
      ++p.line;
      line_start = i + 1;
    }
  }
  p.byte_in_line = offset - line_start + 1;
  return p;
}

std::string DescribeByte(absl::string_view bytes, size_t offset) {
  Position p = PositionOf(bytes, offset);
  return absl::StrCat("line ", p.line, ", byte ", p.byte_in_line, " (0x",
                      absl::Hex(static_cast<unsigned char>(bytes[offset]), absl::kZeroPad2), ")");
}

struct IconvCloser {
  void operator()(void* cd) const { iconv_close(static_cast<iconv_t>(cd)); }
};

// Converts with iconv. On a byte sequence the source encoding does not allow (or a
// character the target cannot hold), returns the input offset in *bad_offset.
absl::StatusOr<std::string> Convert(absl::string_view input, const char* from, const char* to,
                                    size_t* bad_offset) {
  iconv_t raw = iconv_open(to, from);
  if (raw == reinterpret_cast<iconv_t>(-1)) {
    return absl::InternalError(absl::StrCat("iconv cannot convert ", from, " to ", to));
  }
  std::unique_ptr<void, IconvCloser> cd(raw);
  std::string out;
  out.resize(input.size() * 2 + 16);
  char* in_ptr = const_cast<char*>(input.data());
  size_t in_left = input.size();
  size_t out_used = 0;
  while (true) {
    char* out_ptr = out.data() + out_used;
    size_t out_left = out.size() - out_used;
    size_t rc = iconv(static_cast<iconv_t>(cd.get()), in_left > 0 ? &in_ptr : nullptr, &in_left,
                      &out_ptr, &out_left);
    out_used = out.size() - out_left;
    if (rc != static_cast<size_t>(-1)) {
      if (in_left == 0) break;
      continue;
    }
    if (errno == E2BIG) {
      out.resize(out.size() * 2);
      continue;
    }
    // EILSEQ: not allowed here; EINVAL: the input ends inside a multi-byte sequence.
    *bad_offset = static_cast<size_t>(in_ptr - input.data());
    return absl::InvalidArgumentError("conversion failed");
  }
  out.resize(out_used);
  return out;
}

absl::Status NotText(absl::string_view bytes, size_t offset, absl::string_view encoding) {
  return InvalidField(
      "table", absl::StrCat("the table is not ", encoding, " text: ", DescribeByte(bytes, offset),
                            " cannot start a character"));
}

absl::StatusOr<std::string> FromCp932(absl::string_view bytes) {
  size_t bad = 0;
  absl::StatusOr<std::string> out = Convert(bytes, "CP932", "UTF-8", &bad);
  if (!out.ok() && out.status().code() == absl::StatusCode::kInvalidArgument) {
    return NotText(bytes, bad, "CP932 (Shift_JIS)");
  }
  return out;
}

// Line ends become "\n"; a lone CR (old Macintosh files) counts as a line end too.
std::string NormalizeLineEnds(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      out.push_back('\n');
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

// Text tables hold tabs and line ends but no other control characters; anything else
// (NUL above all) means the bytes are binary data that happened to decode.
absl::Status CheckNoControlCharacters(absl::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7F) {
      Position p = PositionOf(text, i);
      return InvalidField("table",
                          absl::StrCat("the table looks like binary data, not text: line ", p.line,
                                       ", byte ", p.byte_in_line, " is the control character 0x",
                                       absl::Hex(c, absl::kZeroPad2)));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Encoding> ParseEncoding(absl::string_view name) {
  std::string n = absl::AsciiStrToLower(name);
  if (n.empty() || n == "auto") return Encoding::kAuto;
  if (n == "utf-8" || n == "utf8") return Encoding::kUtf8;
  if (n == "cp932" || n == "shift_jis" || n == "shift-jis" || n == "sjis" || n == "windows-31j" ||
      n == "ms932") {
    return Encoding::kCp932;
  }
  return InvalidField(
      "encoding", absl::StrCat("unknown encoding '", name, "' (expected auto, utf-8 or cp932)"));
}

absl::string_view EncodingName(Encoding encoding) {
  switch (encoding) {
    case Encoding::kAuto:
      return "auto";
    case Encoding::kUtf8:
      return "utf-8";
    case Encoding::kCp932:
      return "cp932";
  }
  return "auto";
}

Encoding EncodingFromProto(v1::TableEncoding encoding) {
  switch (encoding) {
    case v1::TABLE_ENCODING_UTF8:
      return Encoding::kUtf8;
    case v1::TABLE_ENCODING_CP932:
      return Encoding::kCp932;
    default:
      return Encoding::kAuto;
  }
}

absl::StatusOr<DecodedText> DecodeTable(absl::string_view bytes, Encoding encoding) {
  DecodedText out;
  std::string utf8;
  if (encoding == Encoding::kAuto &&
      (absl::StartsWith(bytes, kUtf16LeBom) || absl::StartsWith(bytes, kUtf16BeBom))) {
    bool le = absl::StartsWith(bytes, kUtf16LeBom);
    out.detected = le ? "UTF-16LE" : "UTF-16BE";
    size_t bad = 0;
    absl::StatusOr<std::string> converted =
        Convert(bytes.substr(2), le ? "UTF-16LE" : "UTF-16BE", "UTF-8", &bad);
    if (!converted.ok()) {
      return InvalidField("table", absl::StrCat("the table is not ", out.detected,
                                                " text: bad code unit at byte offset ", bad + 2));
    }
    utf8 = *std::move(converted);
  } else if (encoding != Encoding::kCp932 && absl::StartsWith(bytes, kUtf8Bom)) {
    absl::string_view body = bytes.substr(kUtf8Bom.size());
    size_t bad = FirstInvalidUtf8(body);
    if (bad != absl::string_view::npos) return NotText(body, bad, "UTF-8");
    out.detected = "UTF-8 with BOM";
    utf8 = std::string(body);
  } else if (encoding == Encoding::kCp932) {
    absl::StatusOr<std::string> converted = FromCp932(bytes);
    if (!converted.ok()) return converted.status();
    out.detected = "CP932";
    utf8 = *std::move(converted);
  } else {
    size_t bad = FirstInvalidUtf8(bytes);
    if (bad == absl::string_view::npos) {
      out.detected = "UTF-8";
      utf8 = std::string(bytes);
    } else if (encoding == Encoding::kUtf8) {
      return NotText(bytes, bad, "UTF-8");
    } else {
      absl::StatusOr<std::string> converted = FromCp932(bytes);
      if (!converted.ok()) {
        return InvalidField("table",
                            absl::StrCat("the table is neither UTF-8 nor CP932 (Shift_JIS) text: ",
                                         DescribeByte(bytes, bad), " is not UTF-8, and ",
                                         converted.status().message()));
      }
      out.detected = "CP932";
      utf8 = *std::move(converted);
    }
  }
  out.text = NormalizeLineEnds(utf8);
  if (absl::Status s = CheckNoControlCharacters(out.text); !s.ok()) return s;
  return out;
}

absl::StatusOr<std::string> EncodeCp932(absl::string_view utf8) {
  size_t bad = 0;
  absl::StatusOr<std::string> out = Convert(utf8, "UTF-8", "CP932", &bad);
  if (!out.ok() && out.status().code() == absl::StatusCode::kInvalidArgument) {
    char32_t cp = 0;
    DecodeUtf8At(utf8, bad, &cp);
    Position p = PositionOf(utf8, bad);
    return InvalidField("encoding", absl::StrCat("CP932 cannot hold U+",
                                                 absl::AsciiStrToUpper(absl::StrCat(absl::Hex(
                                                     static_cast<uint32_t>(cp), absl::kZeroPad4))),
                                                 " at line ", p.line, ", byte ", p.byte_in_line,
                                                 "; export as UTF-8 instead"));
  }
  return out;
}

}  // namespace torikumi::table
