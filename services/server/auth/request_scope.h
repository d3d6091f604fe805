// Which organizations a request touches, read from its resource names by reflection, so that
// one check serves every method (and every method added later).
#pragma once

#include <set>
#include <string>

#include "google/protobuf/message.h"

namespace torikumi::server::auth {

struct RequestScope {
  // "organizations/{o}" of every resource name the request carries ("organizations/-" for
  // the all-organizations wildcard).
  std::set<std::string> organizations;
  // Resource names that are not below any organization (e.g. "tokens/t"), or malformed.
  std::set<std::string> outside;
};

// Looks at the string fields that hold resource names (name, parent, plan, initiative,
// initiatives, rule_set, relists) at any depth of `request`.
RequestScope ScopeOf(const google::protobuf::Message& request);

}  // namespace torikumi::server::auth
