#include "plugin_test_util.h"

#include <stdlib.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace torikumi::plugin_test {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

TempDir::TempDir() {
  std::string pattern =
      (std::filesystem::temp_directory_path() / "torikumi-plugins-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string TempDir::Add(const std::string& file, const std::string& name) const {
  const std::string to = path_ + "/" + name;
  std::filesystem::copy_file(file, to, std::filesystem::copy_options::overwrite_existing);
  return to;
}

std::string TempDir::Replace(const std::string& file, const std::string& name) const {
  const std::string staging = path_ + "/." + name + ".new";
  std::filesystem::copy_file(file, staging, std::filesystem::copy_options::overwrite_existing);
  const std::string to = path_ + "/" + name;
  std::filesystem::rename(staging, to);
  return to;
}

v1::RatingScale AbcScale() {
  v1::RatingScale scale;
  auto add = [&](const char* code, const char* label) {
    auto* g = scale.add_grades();
    g->set_code(code);
    g->set_label(label);
  };
  add("A", "実施できた");
  add("B", "概ね実施できた（一部実施できなかった）");
  add("C", "実施できなかった");
  return scale;
}

v1::EvaluationSubject Subject(const std::string& id, int implement_from) {
  v1::EvaluationSubject s;
  s.mutable_initiative()->set_name("organizations/o/plans/p/initiatives/" + id);
  s.mutable_initiative()->set_kind(v1::INITIATIVE_KIND_CONTINUING);
  for (int year = 2018; year <= 2022; ++year) {
    auto* e = s.mutable_initiative()->add_schedule();
    e->set_fiscal_year(year);
    e->set_phase(year >= implement_from ? v1::PHASE_IMPLEMENT : v1::PHASE_CONSIDER);
    e->set_continuation(year != 2018 && year != implement_from);
  }
  return s;
}

v1::Outcome* AddOutcome(v1::EvaluationSubject* subject, int fiscal_year, const std::string& text) {
  v1::Outcome* o = subject->add_outcomes();
  o->set_fiscal_year(fiscal_year);
  o->set_text(text);
  return o;
}

v1::Metric* AddMetric(v1::Outcome* outcome, const std::string& label, double value) {
  v1::Metric* m = outcome->add_metrics();
  m->set_label(label);
  m->set_value(value);
  m->set_unit("人");
  return m;
}

std::string FactOf(const v1::InitiativeEvaluation& evaluation, const std::string& name) {
  for (const auto& fact : evaluation.facts()) {
    if (fact.name() == name) return fact.value();
  }
  return "(absent)";
}

v1::EvaluateRequest Request(const std::vector<v1::EvaluationSubject>& subjects) {
  v1::EvaluateRequest r;
  *r.mutable_rating_scale() = AbcScale();
  r.mutable_period()->set_first_fiscal_year(2018);
  r.mutable_period()->set_last_fiscal_year(2022);
  for (const auto& s : subjects) *r.add_subjects() = s;
  return r;
}

}  // namespace torikumi::plugin_test
