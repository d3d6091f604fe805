// Drives LLVMFuzzerTestOneInput without libFuzzer (g++ builds): the seed table and a fixed
// number of deterministic mutations of it (bit flips, random bytes, cut, deleted and
// duplicated ranges, swapped lines, tokens the reader cares about), so every `make test`
// runs the same bounded set. Usage: table_fuzz_read_table SEED_FILE [ITERATIONS [RANDOM_SEED]]
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

// Pieces of text the reader treats specially.
const std::vector<std::string> kTokens = {
    "\t",
    "\n",
    "\r\n",
    "\"",
    ",",
    "⇒",
    "→",
    "－",
    "【",
    "】",
    "【総務】",
    "※評価 A：可、B：否",
    "R4（～8月）",
    "（～13月）",
    "（再掲）",
    "実施",
    "検討",
    "新規",
    "継続",
    "1 ",
    "99 ",
    "0 ",
    "中項目\t小項目\t具体的な取組\t区分\tスケジュール\t取組状況\t評価",
    "H30\tR1\tR2",
    "平成30年度～令和4年度",
    "（令和9年度～平成2年度）",
    "※実施中",
    "計20件中",
    "5所属 ",
    "\xEF\xBB\xBF",
    "\xFF\xFE",
    "\x81",
    "\x82\xA0",
    "\xE3\x81",
    "\0",
    "E",
    "◎",
    "{",
    "PK\x03\x04"};

void Run(const std::string& input) {
  LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(input.data()), input.size());
}

void Mutate(std::mt19937* random, std::string* s) {
  auto pick = [&](size_t n) { return n == 0 ? 0 : static_cast<size_t>((*random)() % n); };
  switch ((*random)() % 9) {
    case 0:
      if (!s->empty()) (*s)[pick(s->size())] ^= static_cast<char>(1 << pick(8));
      break;
    case 1:
      if (!s->empty()) (*s)[pick(s->size())] = static_cast<char>(pick(256));
      break;
    case 2: {
      const std::string& token = kTokens[pick(kTokens.size())];
      s->insert(pick(s->size() + 1), token);
      break;
    }
    case 3: {
      size_t at = pick(s->size() + 1);
      s->erase(at, pick(64) + 1);
      break;
    }
    case 4: {
      size_t at = pick(s->size() + 1);
      std::string copy = s->substr(at, pick(4096) + 1);
      s->insert(pick(s->size() + 1), copy);
      break;
    }
    case 5:
      s->resize(pick(s->size() + 1));
      break;
    case 6: {  // swap two lines
      std::vector<std::string> lines;
      std::stringstream in(*s);
      for (std::string line; std::getline(in, line);) lines.push_back(line);
      if (lines.size() > 1) std::swap(lines[pick(lines.size())], lines[pick(lines.size())]);
      s->clear();
      for (const std::string& line : lines) *s += line + "\n";
      break;
    }
    case 7: {  // a tab becomes a comma or a line end
      size_t at = s->find('\t', pick(s->size() + 1));
      if (at != std::string::npos) (*s)[at] = (*random)() % 2 ? ',' : '\n';
      break;
    }
    default: {
      std::string noise(pick(16) + 1, '\0');
      for (char& c : noise) c = static_cast<char>(pick(256));
      s->insert(pick(s->size() + 1), noise);
      break;
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s SEED_FILE [ITERATIONS [RANDOM_SEED]]\n", argv[0]);
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) {
    fprintf(stderr, "cannot read %s\n", argv[1]);
    return 2;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string seed = buffer.str();
  const long iterations = argc > 2 ? strtol(argv[2], nullptr, 10) : 1000;

  Run(seed);
  Run("");
  std::mt19937 random(argc > 3 ? static_cast<unsigned>(strtoul(argv[3], nullptr, 10)) : 20221125u);
  std::string current = seed;
  for (long i = 0; i < iterations; ++i) {
    std::string input = random() % 4 == 0 ? current : seed;
    int mutations = 1 + static_cast<int>(random() % 4);
    for (int m = 0; m < mutations; ++m) Mutate(&random, &input);
    Run(input);
    if (random() % 8 == 0 && input.size() < (256u << 10)) current = input;
  }
  printf("fuzz_read_table: %ld mutated inputs read without a failure\n", iterations);
  return 0;
}
