#include "tokenizer.h"

#include <mecab.h>
#include <sys/stat.h>

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace torikumi::rules {
namespace {

// Where Debian's mecab-ipadic-utf8 puts the dictionary (directly, and through the
// mecab-dictionary alternative).
constexpr const char* kDebianDicDirs[] = {"/var/lib/mecab/dic/ipadic-utf8",
                                          "/var/lib/mecab/dic/debian"};

bool HasDictionary(const std::string& dir) {
  struct stat st;
  return stat(absl::StrCat(dir, "/sys.dic").c_str(), &st) == 0;
}

Token MakeToken(const mecab_node_t* node, const char* text_begin) {
  Token t;
  t.surface.assign(node->surface, node->length);
  t.offset = static_cast<size_t>(node->surface - text_begin);
  // The feature is CSV: pos, pos1, pos2, pos3, conjugation type, form, base form, …
  absl::string_view f[7];
  size_t fields = 0;
  for (absl::string_view field : absl::StrSplit(node->feature, ',')) {
    f[fields++] = field;
    if (fields == 7) break;
  }
  if (fields > 0) t.pos.assign(f[0].data(), f[0].size());
  if (fields > 1) t.pos1.assign(f[1].data(), f[1].size());
  if (fields > 6 && f[6] != "*") {
    t.base.assign(f[6].data(), f[6].size());
  } else {
    t.base = t.surface;
  }
  return t;
}

}  // namespace

absl::StatusOr<std::string> FindDictionary(const std::vector<std::string>& dirs) {
  for (const std::string& dir : dirs) {
    if (HasDictionary(dir)) return dir;
  }
  return absl::FailedPreconditionError(
      absl::StrCat("MeCab dictionary not found (no sys.dic in ", absl::StrJoin(dirs, ", "),
                   "); install the Debian package mecab-ipadic-utf8 or set TORIKUMI_MECAB_DICDIR"));
}

absl::StatusOr<std::shared_ptr<Tokenizer>> Tokenizer::Shared() {
  // Opened once, by the first caller (C++ runs a static's initialiser exactly once, other
  // callers waiting for it), so no lock is needed. An error stays until the plugin is
  // reloaded: install the dictionary, then reload the plugins.
  static const absl::StatusOr<std::shared_ptr<Tokenizer>> shared = Open();
  return shared;
}

absl::StatusOr<std::shared_ptr<Tokenizer>> Tokenizer::Open() {
  std::vector<std::string> dirs;
  if (const char* env = std::getenv("TORIKUMI_MECAB_DICDIR"); env != nullptr && *env != '\0')
    dirs.push_back(env);
  dirs.insert(dirs.end(), std::begin(kDebianDicDirs), std::end(kDebianDicDirs));
  absl::StatusOr<std::string> dir = FindDictionary(dirs);
  if (!dir.ok()) return dir.status();
  // -r /dev/null: the dictionary is given here, so no mecabrc is needed or read.
  const std::string args = absl::StrCat("-r /dev/null -d ", *dir);
  mecab_model_t* model = mecab_model_new2(args.c_str());
  mecab_t* tagger = model == nullptr ? nullptr : mecab_model_new_tagger(model);
  if (tagger == nullptr) {
    if (model != nullptr) mecab_model_destroy(model);
    return absl::FailedPreconditionError(absl::StrCat("MeCab could not open the dictionary in ",
                                                      *dir, ": ", mecab_strerror(nullptr)));
  }
  return std::shared_ptr<Tokenizer>(new Tokenizer(model, tagger));
}

Tokenizer::~Tokenizer() {
  mecab_destroy(tagger_);
  mecab_model_destroy(model_);
}

std::vector<Token> Tokenizer::Tokenize(absl::string_view text) const {
  std::vector<Token> out;
  // The parse lives in the call's own lattice, which points into `text` (no copy), so
  // node surfaces are offsets into it.
  std::unique_ptr<mecab_lattice_t, void (*)(mecab_lattice_t*)> lattice(
      mecab_model_new_lattice(model_), &mecab_lattice_destroy);
  if (lattice == nullptr) return out;
  mecab_lattice_set_sentence2(lattice.get(), text.data(), text.size());
  if (mecab_parse_lattice(tagger_, lattice.get()) == 0) return out;
  for (const mecab_node_t* node = mecab_lattice_get_bos_node(lattice.get()); node != nullptr;
       node = node->next) {
    if (node->stat == MECAB_BOS_NODE || node->stat == MECAB_EOS_NODE) continue;
    out.push_back(MakeToken(node, text.data()));
  }
  return out;
}

}  // namespace torikumi::rules
