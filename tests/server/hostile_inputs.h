// Rule-set bodies that attack the parser and the pattern compiler, shared by the plugin's
// own tests and the tests that send them to the real server.
#pragma once

#include <string>

#include "absl/strings/str_cat.h"

namespace torikumi::hostile {

// About 160 KB of `not { … }` nested 20 000 deep inside one rule.
inline std::string DeeplyNestedRuleSet() {
  std::string body = "rules { id: \"deep\" grade: \"A\" when { ";
  for (int i = 0; i < 20000; ++i) body += "not { ";
  body += "fact { name: \"outcomes\" equals: 0 } ";
  for (int i = 0; i < 20000; ++i) body += "} ";
  return body + "} }\nrules { id: \"rest\" grade: \"B\" }\n";
}

// A rule "many" whose one test lists `count` patterns p0, p1, …, then the default rule "a".
inline std::string RuleSetWithPatterns(int count) {
  std::string values;
  for (int i = 0; i < count; ++i) absl::StrAppend(&values, i == 0 ? "" : ", ", "\"p", i, "\"");
  return absl::StrCat("rules { id: \"many\" grade: \"B\" when { fact { name: \"text\" ",
                      "matches_any { values: [", values, "] } } } }\n",
                      "rules { id: \"a\" grade: \"A\" }\n");
}

}  // namespace torikumi::hostile
