#include "lexicon.h"

#include "absl/strings/str_cat.h"
#include "rule_set.h"

namespace torikumi::rules {
namespace {

using LexiconConfig = RulesConfig::Lexicon;
using WordList = google::protobuf::RepeatedPtrField<std::string>;

// Bounds that keep a hostile rule set from costing memory or time on every clause.
constexpr size_t kMaxWordBytes = 64;
constexpr size_t kMaxWords = 5000;

class LexiconCompiler {
 public:
  LexiconCompiler(Lexicon* out, std::vector<Violation>* violations)
      : out_(out), violations_(violations) {}

  void Add(const std::string& field, const std::string& description) {
    violations_->push_back(
        {"", absl::StrCat("lexicon.", field), absl::StrCat("lexicon.", field, ": ", description)});
  }

  // Checks each word of one list and collects it into `into` (a Lexicon::Words, or a set).
  template <typename Set>
  void Words(const WordList& words, const char* field, Set* into) {
    for (int i = 0; i < words.size(); ++i) {
      const std::string& w = words[i];
      const std::string at = absl::StrCat(field, "[", i, "]");
      if (++total_ > kMaxWords) {
        if (total_ == kMaxWords + 1) Add(at, absl::StrCat("more than ", kMaxWords, " words"));
        continue;
      }
      if (w.empty()) {
        Add(at, "empty word");
      } else if (w.size() > kMaxWordBytes) {
        Add(at, absl::StrCat("word of ", w.size(), " bytes (at most ", kMaxWordBytes, ")"));
      } else if (w.find_first_of(" \t\r\n") != std::string::npos) {
        Add(at, absl::StrCat("\"", w, "\" holds white space; a word is one token's base form"));
      } else {
        into->insert(w);
      }
    }
  }

  // An action word in two action lists would mean two things.
  void Actions(const WordList& words, const char* field, Action action) {
    std::set<std::string> checked;  // in order, so that the messages are too
    Words(words, field, &checked);
    for (const auto& w : checked) {
      auto [it, inserted] = out_->actions.emplace(w, action);
      if (!inserted) {
        Add(field, absl::StrCat("\"", w, "\" is already an action in ", owner_[w],
                                "; an action word has one meaning"));
      } else {
        owner_[w] = field;
      }
    }
  }

  void Eras(const google::protobuf::RepeatedPtrField<LexiconConfig::Era>& eras) {
    for (int i = 0; i < eras.size(); ++i) {
      const std::string at = absl::StrCat("eras[", i, "]");
      if (eras[i].name().empty() || eras[i].name().size() > kMaxWordBytes) {
        Add(at + ".name", "an era needs a name of 1 to 64 bytes");
      } else if (eras[i].first_year() < 1800 || eras[i].first_year() > 2999) {
        Add(at + ".first_year",
            absl::StrCat("first_year ", eras[i].first_year(), " is not in 1800–2999"));
      } else if (out_->EraNamed(eras[i].name()) != nullptr) {
        Add(at + ".name", absl::StrCat("era \"", eras[i].name(), "\" is listed twice"));
      } else {
        out_->eras.push_back({eras[i].name(), eras[i].first_year()});
      }
    }
    if (eras.empty()) Add("eras", "no era: years in outcome texts (令和2年度) could not be read");
  }

 private:
  Lexicon* out_;
  std::vector<Violation>* violations_;
  std::map<std::string, std::string> owner_;
  size_t total_ = 0;
};

}  // namespace

Phase FromSchedule(v1::Phase phase) {
  switch (phase) {
    case v1::PHASE_RESEARCH:
      return Phase::kResearch;
    case v1::PHASE_CONSIDER:
      return Phase::kConsider;
    case v1::PHASE_TRIAL:
      return Phase::kTrial;
    case v1::PHASE_IMPLEMENT:
      return Phase::kImplement;
    default:
      return Phase::kNone;
  }
}

const char* PhaseLabel(Phase phase) {
  switch (phase) {
    case Phase::kResearch:
      return "研究";
    case Phase::kConsider:
      return "検討";
    case Phase::kTrial:
      return "試行";
    case Phase::kImplement:
      return "実施";
    default:
      return "";
  }
}

const Action* Lexicon::ActionOf(absl::string_view base) const {
  auto it = actions.find(base);
  return it == actions.end() ? nullptr : &it->second;
}

const Era* Lexicon::EraNamed(absl::string_view name) const {
  for (const Era& era : eras) {
    if (era.name == name) return &era;
  }
  return nullptr;
}

std::string Lexicon::YearLabel(int fiscal_year) const {
  const Era* best = nullptr;
  for (const Era& era : eras) {
    if (era.first_year <= fiscal_year && (best == nullptr || era.first_year > best->first_year))
      best = &era;
  }
  if (best == nullptr) return absl::StrCat(fiscal_year, "年度");
  const int n = fiscal_year - best->first_year + 1;
  return n == 1 ? absl::StrCat(best->name, "元年度") : absl::StrCat(best->name, n, "年度");
}

bool CompileLexicon(const LexiconConfig& in, Lexicon* out, std::vector<Violation>* violations) {
  const size_t before = violations->size();
  LexiconCompiler c(out, violations);
  c.Actions(in.research(), "research", {Phase::kResearch, false});
  c.Actions(in.consider(), "consider", {Phase::kConsider, false});
  c.Actions(in.trial(), "trial", {Phase::kTrial, false});
  c.Actions(in.implement(), "implement", {Phase::kImplement, false});
  c.Actions(in.not_done(), "not_done", {Phase::kNone, true});
  c.Words(in.negators(), "negators", &out->negators);
  c.Words(in.negating_prefixes(), "negating_prefixes", &out->negating_prefixes);
  c.Words(in.carriers(), "carriers", &out->carriers);
  c.Words(in.ongoing(), "ongoing", &out->ongoing);
  c.Words(in.prospective(), "prospective", &out->prospective);
  c.Words(in.partial(), "partial", &out->partial);
  c.Words(in.whole(), "whole", &out->whole);
  c.Words(in.out_of(), "out_of", &out->out_of);
  c.Words(in.other_years(), "other_years", &out->other_years);
  c.Words(in.every_year(), "every_year", &out->every_year);
  c.Words(in.from_year(), "from_year", &out->from_year);
  c.Words(in.now(), "now", &out->now);
  c.Words(in.before_plan(), "before_plan", &out->before_plan);
  c.Words(in.target(), "target", &out->target);
  c.Words(in.upper_bound(), "upper_bound", &out->upper_bound);
  c.Words(in.date_units(), "date_units", &out->date_units);
  c.Words(in.clause_breaks(), "clause_breaks", &out->clause_breaks);
  c.Words(in.attempted(), "attempted", &out->attempted);
  c.Words(in.participant_units(), "participant_units", &out->participant_units);
  c.Words(in.target_reached(), "target_reached", &out->target_reached);
  c.Words(in.target_short(), "target_short", &out->target_short);
  c.Words(in.out_of_scope(), "out_of_scope", &out->out_of_scope);
  c.Words(in.inclusive(), "inclusive", &out->inclusive);
  c.Eras(in.eras());
  if (out->actions.empty()) c.Add("implement", "no action words: no clause could be read");
  if (in.negators().empty())
    c.Add("negators", "no negating auxiliary: 「実施しなかった」 would read as done");
  return violations->size() == before;
}

}  // namespace torikumi::rules
