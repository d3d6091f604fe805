#include "services/domain/field_mask.h"

#include <algorithm>
#include <memory>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/descriptor.h"
#include "services/common/errors.h"

namespace torikumi::domain {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

bool Contains(const std::vector<std::string>& paths, absl::string_view path) {
  return std::find(paths.begin(), paths.end(), path) != paths.end();
}

// The paths to copy: the mask's (or every top-level mutable path when it is empty), without
// duplicates and without paths already covered by a shorter one ("period" covers
// "period.first_fiscal_year"). Copying a field twice would swap it back.
std::vector<std::string> EffectivePaths(const google::protobuf::FieldMask& mask,
                                        const UpdatePolicy& policy) {
  std::set<std::string> paths;
  if (mask.paths().empty()) {
    for (const std::string& path : policy.mutable_paths) {
      if (!absl::StrContains(path, '.')) paths.insert(path);
    }
  } else {
    paths.insert(mask.paths().begin(), mask.paths().end());
  }
  std::vector<std::string> out;
  for (const std::string& path : paths) {
    bool covered = false;
    for (const std::string& other : paths) {
      covered = covered || (other != path && absl::StartsWith(path, absl::StrCat(other, ".")));
    }
    if (!covered) out.push_back(path);
  }
  return out;
}

}  // namespace

absl::Status CheckUpdateMask(const google::protobuf::FieldMask& mask, const UpdatePolicy& policy) {
  FieldViolations violations;
  const std::string allowed = absl::StrJoin(policy.mutable_paths, ", ");
  for (int i = 0; i < mask.paths_size(); ++i) {
    const std::string& path = mask.paths(i);
    if (Contains(policy.mutable_paths, path)) continue;
    std::string field = absl::StrCat("update_mask.paths[", i, "]");
    if (Contains(policy.output_only_paths, path)) {
      violations.Add(field, absl::StrCat("'", path,
                                         "' is set by the server or names the resource and "
                                         "cannot be updated; updatable paths: ",
                                         allowed));
    } else {
      violations.Add(
          field, absl::StrCat("'", path, "' is not an updatable path; updatable paths: ", allowed));
    }
  }
  return violations.ToStatus();
}

void ApplyUpdateMask(const google::protobuf::FieldMask& mask, const UpdatePolicy& policy,
                     const Message& source, Message* target) {
  // Fields move out of a scratch copy of `source` by swapping, which works for every field
  // type and replaces repeated and message fields whole.
  std::unique_ptr<Message> scratch(source.New());
  scratch->CopyFrom(source);
  for (const std::string& path : EffectivePaths(mask, policy)) {
    std::vector<std::string> parts = absl::StrSplit(path, '.');
    Message* from = scratch.get();
    Message* to = target;
    for (size_t i = 0; i + 1 < parts.size(); ++i) {
      const FieldDescriptor* field = from->GetDescriptor()->FindFieldByName(parts[i]);
      // Policies list only existing singular message fields as prefixes.
      from = from->GetReflection()->MutableMessage(from, field);
      to = to->GetReflection()->MutableMessage(to, field);
    }
    const FieldDescriptor* field = from->GetDescriptor()->FindFieldByName(parts.back());
    from->GetReflection()->SwapFields(from, to, {field});
  }
}

}  // namespace torikumi::domain
