#include "services/store/change_events.h"

#include <string>

#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/protobuf/wire_format_lite.h"

namespace torikumi::store::events {
namespace {

v1::ChangeEvent Event(v1::ChangeType type, v1::ResourceKind kind, absl::string_view name) {
  v1::ChangeEvent event;
  event.set_type(type);
  event.set_kind(kind);
  event.set_name(std::string(name));
  return event;
}

}  // namespace

v1::ChangeEvent Deletion(v1::ResourceKind kind, absl::string_view name) {
  return Event(v1::CHANGE_TYPE_DELETED, kind, name);
}

v1::ChangeEvent PlanWritten(v1::ChangeType type, const v1::Plan& plan) {
  v1::ChangeEvent event = Event(type, v1::RESOURCE_KIND_PLAN, plan.name());
  *event.mutable_plan() = plan;
  return event;
}

v1::ChangeEvent OutcomeWritten(v1::ChangeType type, const v1::Outcome& outcome) {
  v1::ChangeEvent event = Event(type, v1::RESOURCE_KIND_OUTCOME, outcome.name());
  *event.mutable_outcome() = outcome;
  return event;
}

v1::ChangeEvent RatingRecorded(const v1::ComputedRating& rating) {
  v1::ChangeEvent event =
      Event(v1::CHANGE_TYPE_CREATED, v1::RESOURCE_KIND_COMPUTED_RATING, rating.initiative());
  *event.mutable_computed_rating() = rating;
  return event;
}

std::string RatingRecordedBytes(absl::string_view initiative,
                                const google::protobuf::Timestamp& commit_time,
                                absl::string_view rating_bytes) {
  v1::ChangeEvent head =
      Event(v1::CHANGE_TYPE_CREATED, v1::RESOURCE_KIND_COMPUTED_RATING, initiative);
  *head.mutable_commit_time() = commit_time;
  std::string bytes = head.SerializeAsString();
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.WriteTag(google::protobuf::internal::WireFormatLite::MakeTag(
        v1::ChangeEvent::kComputedRatingFieldNumber,
        google::protobuf::internal::WireFormatLite::WIRETYPE_LENGTH_DELIMITED));
    coded.WriteVarint32(static_cast<uint32_t>(rating_bytes.size()));
    coded.WriteRaw(rating_bytes.data(), static_cast<int>(rating_bytes.size()));
  }
  return bytes;
}

v1::ChangeEvent RuleSetCreated(const v1::RuleSet& rule_set) {
  v1::ChangeEvent event =
      Event(v1::CHANGE_TYPE_CREATED, v1::RESOURCE_KIND_RULE_SET, rule_set.name());
  *event.mutable_rule_set() = rule_set;
  return event;
}

v1::ChangeEvent RatingRoundWritten(v1::ChangeType type, const v1::RatingRound& round) {
  v1::ChangeEvent event = Event(type, v1::RESOURCE_KIND_RATING_ROUND, round.name());
  *event.mutable_rating_round() = round;
  return event;
}

std::vector<v1::ChangeEvent> InitiativeWritten(const v1::Initiative* before,
                                               const v1::Initiative& after) {
  std::vector<v1::ChangeEvent> out;
  v1::ChangeEvent& written =
      out.emplace_back(Event(before == nullptr ? v1::CHANGE_TYPE_CREATED : v1::CHANGE_TYPE_UPDATED,
                             v1::RESOURCE_KIND_INITIATIVE, after.name()));
  *written.mutable_initiative() = after;
  const bool had = before != nullptr && before->has_human_rating();
  const bool has = after.has_human_rating();
  if (!had && !has) return out;
  if (had && has &&
      google::protobuf::util::MessageDifferencer::Equals(before->human_rating(),
                                                         after.human_rating())) {
    return out;
  }
  const v1::ChangeType type = !had   ? v1::CHANGE_TYPE_CREATED
                              : !has ? v1::CHANGE_TYPE_DELETED
                                     : v1::CHANGE_TYPE_UPDATED;
  v1::ChangeEvent& rating =
      out.emplace_back(Event(type, v1::RESOURCE_KIND_HUMAN_RATING, after.name()));
  if (has) *rating.mutable_human_rating() = after.human_rating();
  return out;
}

}  // namespace torikumi::store::events
