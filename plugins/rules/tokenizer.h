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
struct mecab_lattice_t;

namespace torikumi::rules {

// A token's strings are views, not copies: the surface (and a base form the dictionary does
// not give) into the text that was tokenized, the rest into the tokenizer's dictionary. A
// token is valid while that text and the Tokenizer live.
struct Token {
  absl::string_view surface;
  absl::string_view base;  // base form (基本形); the surface when the dictionary has none
  absl::string_view pos;   // 名詞, 動詞, 助動詞, 助詞, 接頭詞, 記号 …
  absl::string_view pos1;  // 数, 接尾, サ変接続, 係助詞, 接続助詞, 読点, 句点 …
  size_t offset = 0;       // byte offset of the surface in the text
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

  // A parse's working memory (a MeCab lattice). Making one allocates its node pools, so a
  // caller that reads many texts makes one and parses every text in it, on one thread at
  // a time.
  class Lattice {
   public:
    Lattice(Lattice&&) = default;
    Lattice& operator=(Lattice&&) = default;

   private:
    friend class Tokenizer;
    struct Destroy {
      void operator()(mecab_lattice_t* lattice) const;
    };
    explicit Lattice(mecab_lattice_t* lattice) : lattice_(lattice) {}
    std::unique_ptr<mecab_lattice_t, Destroy> lattice_;
  };
  Lattice NewLattice() const;

  // Thread-safe without a lock: each lattice is used by one call at a time, which MeCab's
  // model and tagger are safe to share for (mecab.h: Tagger::parse(Lattice*)). No tokens
  // when the lattice could not be made or the text not parsed.
  std::vector<Token> Tokenize(absl::string_view text, Lattice& lattice) const;
  // The same in a lattice of the call's own.
  std::vector<Token> Tokenize(absl::string_view text) const;

 private:
  Tokenizer(mecab_model_t* model, mecab_t* tagger) : model_(model), tagger_(tagger) {}
  static absl::StatusOr<std::shared_ptr<Tokenizer>> Open();

  mecab_model_t* const model_;
  mecab_t* const tagger_;
};

}  // namespace torikumi::rules
