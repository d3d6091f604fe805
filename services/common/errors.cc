#include "services/common/errors.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/text.h"

namespace torikumi {

void FieldViolations::Add(std::string field, std::string description) {
  // Fewer bytes than this left: the rest is only counted.
  constexpr size_t kMinUsefulBytes = 40;
  const size_t left = kMaxFieldViolationBytes - std::min(bytes_, kMaxFieldViolationBytes);
  if (violations_.field_violations_size() >= kMaxFieldViolations ||
      left < field.size() + kMinUsefulBytes) {
    ++left_out_;
    return;
  }
  description = CutUtf8(description, left - field.size());
  bytes_ += field.size() + description.size();
  auto* v = violations_.add_field_violations();
  v->set_field(std::move(field));
  v->set_description(std::move(description));
}

absl::Status FieldViolations::ToStatus() const {
  if (empty()) return absl::OkStatus();
  google::rpc::BadRequest listed = violations_;
  if (left_out_ > 0) {
    auto* v = listed.add_field_violations();
    v->set_field("(more)");
    v->set_description(absl::StrCat("and ", left_out_,
                                    " more violations not listed: one error lists at most ",
                                    kMaxFieldViolations));
  }
  std::vector<std::string> parts;
  for (const auto& v : listed.field_violations()) {
    parts.push_back(absl::StrCat(v.field(), ": ", v.description()));
  }
  absl::Status status = absl::InvalidArgumentError(absl::StrJoin(parts, "; "));
  status.SetPayload(kBadRequestPayloadUrl, absl::Cord(listed.SerializeAsString()));
  return status;
}

absl::Status InvalidField(std::string field, std::string description) {
  FieldViolations v;
  v.Add(std::move(field), std::move(description));
  return v.ToStatus();
}

std::vector<google::rpc::BadRequest::FieldViolation> FieldViolationsOf(const absl::Status& status) {
  std::vector<google::rpc::BadRequest::FieldViolation> out;
  auto payload = status.GetPayload(kBadRequestPayloadUrl);
  if (!payload.has_value()) return out;
  google::rpc::BadRequest br;
  if (!br.ParseFromString(std::string(*payload))) return out;
  for (const auto& v : br.field_violations()) out.push_back(v);
  return out;
}

}  // namespace torikumi
