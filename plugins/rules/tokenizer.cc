#include "tokenizer.h"

#include <mecab.h>
#include <sys/stat.h>

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

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

// The first `n` comma-separated fields of `csv` into fields[0..n); returns how many it had.
size_t SplitFeature(const char* csv, absl::string_view* fields, size_t n) {
  size_t found = 0;
  const char* begin = csv;
  for (const char* p = csv; found < n; ++p) {
    if (*p != ',' && *p != '\0') continue;
    fields[found++] = absl::string_view(begin, static_cast<size_t>(p - begin));
    if (*p == '\0') break;
    begin = p + 1;
  }
  return found;
}

Token MakeToken(const mecab_node_t* node, const char* text_begin) {
  Token t;
  t.surface = absl::string_view(node->surface, node->length);
  t.offset = static_cast<size_t>(node->surface - text_begin);
  // The feature is CSV: pos, pos1, pos2, pos3, conjugation type, form, base form, …
  absl::string_view f[7];
  const size_t fields = SplitFeature(node->feature, f, 7);
  if (fields > 0) t.pos = f[0];
  if (fields > 1) t.pos1 = f[1];
  t.base = fields > 6 && f[6] != "*" ? f[6] : t.surface;
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

void Tokenizer::Lattice::Destroy::operator()(mecab_lattice_t* lattice) const {
  mecab_lattice_destroy(lattice);
}

Tokenizer::Lattice Tokenizer::NewLattice() const {
  return Lattice(mecab_model_new_lattice(model_));
}

std::vector<Token> Tokenizer::Tokenize(absl::string_view text, Lattice& lattice) const {
  std::vector<Token> out;
  mecab_lattice_t* parse = lattice.lattice_.get();
  if (parse == nullptr) return out;
  // The lattice points into `text` (no copy), so node surfaces are offsets into it.
  mecab_lattice_set_sentence2(parse, text.data(), text.size());
  if (mecab_parse_lattice(tagger_, parse) == 0) return out;
  for (const mecab_node_t* node = mecab_lattice_get_bos_node(parse); node != nullptr;
       node = node->next) {
    if (node->stat == MECAB_BOS_NODE || node->stat == MECAB_EOS_NODE) continue;
    out.push_back(MakeToken(node, text.data()));
  }
  return out;
}

std::vector<Token> Tokenizer::Tokenize(absl::string_view text) const {
  Lattice lattice = NewLattice();
  return Tokenize(text, lattice);
}

}  // namespace torikumi::rules
