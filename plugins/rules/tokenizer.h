// Japanese morphological analysis for the evidence extractor: MeCab with the IPA
// dictionary (Debian: libmecab-dev, mecab-ipadic-utf8). Grammar lives here — tokens,
// base forms, parts of speech — so that 「実施できなかった」 is read as the action 実施
// followed by the negating auxiliary ない, whatever the conjugation.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

struct mecab_t;
struct mecab_model_t;

namespace torikumi::rules {

struct Token {
  std::string surface;
  std::string base;   // base form (基本形); the surface when the dictionary has none
  std::string pos;    // 名詞, 動詞, 助動詞, 助詞, 接頭詞, 記号 …
  std::string pos1;   // 数, 接尾, サ変接続, 係助詞, 接続助詞, 読点, 句点 …
  size_t offset = 0;  // byte offset of the surface in the text
};

// The first of `dirs` that holds a MeCab dictionary (sys.dic); the error names every
// place looked at and the Debian package to install.
absl::StatusOr<std::string> FindDictionary(const std::vector<std::string>& dirs);

class Tokenizer {
 public:
  // The process-wide tokenizer, opened on first use. The dictionary is looked for in
  // $TORIKUMI_MECAB_DICDIR, then where Debian installs mecab-ipadic-utf8; the error names
  // every place looked at and the package to install.
  static absl::StatusOr<std::shared_ptr<Tokenizer>> Shared();
  ~Tokenizer();
  Tokenizer(const Tokenizer&) = delete;
  Tokenizer& operator=(const Tokenizer&) = delete;

  // Thread-safe without a lock: each call parses into a lattice of its own, which MeCab's
  // model and tagger are safe to share for (mecab.h: Tagger::parse(Lattice*)).
  std::vector<Token> Tokenize(absl::string_view text) const;

 private:
  Tokenizer(mecab_model_t* model, mecab_t* tagger) : model_(model), tagger_(tagger) {}
  static absl::StatusOr<std::shared_ptr<Tokenizer>> Open();

  mecab_model_t* const model_;
  mecab_t* const tagger_;
};

}  // namespace torikumi::rules
