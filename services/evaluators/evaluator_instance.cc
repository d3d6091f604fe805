#include "services/evaluators/evaluator_instance.h"

#include "absl/strings/str_cat.h"

namespace torikumi::evaluators {

std::string Plugin::Label() const {
  return absl::StrCat(name(), " ", version(), " (", info().path(), ")");
}

}  // namespace torikumi::evaluators
