// The change-feed event of a recorded rating, made from the rating's own bytes, is byte for
// byte the event built and serialized whole.
#include "services/store/change_events.h"

#include "gtest/gtest.h"

namespace torikumi::store::testing {
namespace {

TEST(StoreChangeEvents, ARatingsEventFromItsBytesIsTheWholeEventSerialized) {
  v1::ComputedRating rating;
  rating.set_initiative("organizations/o/plans/p/initiatives/i1");
  rating.set_grade("B");
  rating.add_fired_rules("b-year-short");
  v1::UsedFact* fact = rating.add_facts();
  fact->set_name("evidence");
  fact->set_value(std::string(300, 'x'));  // a length that takes two bytes as a varint
  rating.set_reason("令和2年度: 中止（未実施）");
  rating.set_input_sha256(std::string(64, 'a'));
  google::protobuf::Timestamp commit_time;
  commit_time.set_seconds(1764633600);
  commit_time.set_nanos(123000);

  v1::ChangeEvent whole = events::RatingRecorded(rating);
  *whole.mutable_commit_time() = commit_time;
  const std::string made =
      events::RatingRecordedBytes(rating.initiative(), commit_time, rating.SerializeAsString());
  EXPECT_EQ(made, whole.SerializeAsString());
  v1::ChangeEvent parsed;
  ASSERT_TRUE(parsed.ParseFromString(made));
  EXPECT_EQ(parsed.computed_rating().reason(), rating.reason());
  EXPECT_EQ(parsed.name(), rating.initiative());
}

}  // namespace
}  // namespace torikumi::store::testing
