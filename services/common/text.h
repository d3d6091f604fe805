// Text helpers for Japanese input: NFKC normalisation and display width.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace torikumi {

// NFKC-normalises UTF-8 text (full-width digits and brackets become ASCII, half-width kana
// become full-width). INVALID_ARGUMENT naming the byte offset when the input is not UTF-8.
absl::StatusOr<std::string> NormalizeNfkc(absl::string_view text);

// The code points of `text` after NFKC, without white space, punctuation and control
// characters: the form in which two texts that differ only in spacing, brackets or
// full-width forms compare equal. INVALID_ARGUMENT as NormalizeNfkc.
absl::StatusOr<std::u32string> ComparableCodePoints(absl::string_view text);

// Decodes the code point at `text[pos]` into *code_point and returns its length in bytes;
// 0 when the bytes there are not UTF-8 (overlong forms, surrogates and values over
// U+10FFFF are not). Every UTF-8 walk of the services goes through it.
size_t DecodeUtf8At(absl::string_view text, size_t pos, char32_t* code_point);

// Byte offset of the first sequence that is not UTF-8, or npos when `text` is valid.
size_t FirstInvalidUtf8(absl::string_view text);

// True when `text` is valid UTF-8.
bool IsValidUtf8(absl::string_view text);

// `text` with every byte that does not start a UTF-8 sequence replaced by U+FFFD, for
// messages that quote input (status messages and their payloads must be UTF-8).
std::string ToValidUtf8(absl::string_view text);

// The first `max_bytes` bytes of UTF-8 `text`, not splitting a character, with "…" when cut.
std::string CutUtf8(absl::string_view text, size_t max_bytes);

// Terminal columns the text takes: 2 for East Asian wide and full-width characters
// (漢字, かな, 全角), 0 for combining marks, 1 otherwise.
int DisplayWidth(absl::string_view text);

// Pads (or truncates, ending in "…") to exactly `width` display columns.
std::string PadToWidth(absl::string_view text, int width);

}  // namespace torikumi
