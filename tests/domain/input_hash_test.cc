// SubjectInputHasher gives, subject by subject, exactly InputSha256 of the request holding
// the head and that one subject: a rating's input_sha256 means what rating_service.proto says.
#include <gtest/gtest.h>

#include "services/domain/ratings.h"
#include "services/domain/sha256.h"

namespace torikumi::domain {
namespace {

v1::EvaluationSubject Subject(int n) {
  v1::EvaluationSubject subject;
  subject.mutable_initiative()->set_name(absl::StrCat("organizations/o/plans/p/initiatives/i", n));
  subject.mutable_initiative()->set_title("階層別研修の実施");
  subject.mutable_initiative()->add_schedule()->set_fiscal_year(2018 + n);
  subject.add_markers("再掲");
  v1::Outcome* outcome = subject.add_outcomes();
  outcome->set_fiscal_year(2019);
  outcome->set_text(std::string(300 * n, 'x'));  // lengths that need a longer varint
  v1::Metric* metric = outcome->add_metrics();
  metric->set_label("庁内");
  metric->set_value(468);
  return subject;
}

std::string Expected(const v1::EvaluateRequest& head, const v1::EvaluationSubject& subject) {
  v1::EvaluateRequest one = head;
  *one.add_subjects() = subject;
  return InputSha256(one);
}

TEST(SubjectInputHasherTest, EqualsTheHashOfTheOneSubjectRequest) {
  v1::EvaluateRequest full;
  for (const char* code : {"A", "B", "C"})
    full.mutable_rating_scale()->add_grades()->set_code(code);
  full.mutable_period()->set_first_fiscal_year(2018);
  full.mutable_period()->set_last_fiscal_year(2022);
  full.set_rule_set_body(std::string(9000, 'r'));
  full.mutable_as_of()->set_year(2022);
  v1::EvaluateRequest bare;
  v1::EvaluateRequest no_as_of = full;
  no_as_of.clear_as_of();
  v1::EvaluateRequest empty_scale = full;
  empty_scale.mutable_rating_scale()->Clear();  // set, but empty: still serialized
  for (const v1::EvaluateRequest& head : {full, bare, no_as_of, empty_scale}) {
    const SubjectInputHasher hasher(head);
    for (int n : {0, 1, 2, 40}) {
      EXPECT_EQ(hasher.Hash(Subject(n)), Expected(head, Subject(n))) << n;
    }
  }
  // And it tells subjects apart.
  EXPECT_NE(SubjectInputHasher(full).Hash(Subject(1)), SubjectInputHasher(full).Hash(Subject(2)));
}

// The evaluator is sent no body (the instance was compiled from it) and the body's hash is
// computed once per rule-set version: a hasher given the head without its body and the
// body's hash gives what the head with the body gives.
TEST(SubjectInputHasherTest, BodyGivenByItsHashGivesTheSameHash) {
  v1::EvaluateRequest head;
  head.mutable_period()->set_first_fiscal_year(2018);
  head.set_rule_set_body(std::string(9000, 'r'));
  head.mutable_as_of()->set_year(2022);
  v1::EvaluateRequest sent = head;
  sent.clear_rule_set_body();
  const SubjectInputHasher by_hash(sent, BodySha256(head.rule_set_body()));
  EXPECT_EQ(by_hash.Hash(Subject(3)), Expected(head, Subject(3)));
  // Without a body, the hash is of the request without one.
  EXPECT_EQ(SubjectInputHasher(sent, "").Hash(Subject(3)), Expected(sent, Subject(3)));
  EXPECT_NE(by_hash.Hash(Subject(3)), Expected(sent, Subject(3)));
}

// The rule-set body enters the hash as its own SHA-256 (rating_service.proto, input_sha256),
// so a body is hashed once per evaluation; any change to it still changes every hash.
TEST(InputSha256Test, CoversTheBodyByItsHash) {
  v1::EvaluateRequest request;
  request.mutable_period()->set_first_fiscal_year(2018);
  request.set_rule_set_body(std::string(9000, 'r'));
  *request.add_subjects() = Subject(1);
  v1::EvaluateRequest by_hand = request;
  by_hand.set_rule_set_body(Sha256Hex(std::string(9000, 'r')));
  EXPECT_EQ(InputSha256(request), Sha256Hex(by_hand.SerializeAsString()));
  v1::EvaluateRequest other_body = request;
  other_body.set_rule_set_body(std::string(8999, 'r') + "s");
  EXPECT_NE(InputSha256(other_body), InputSha256(request));
  v1::EvaluateRequest no_body = request;
  no_body.clear_rule_set_body();  // an empty body stays absent, not the hash of nothing
  v1::EvaluateRequest plain = no_body;
  EXPECT_EQ(InputSha256(no_body), Sha256Hex(plain.SerializeAsString()));
}

}  // namespace
}  // namespace torikumi::domain
