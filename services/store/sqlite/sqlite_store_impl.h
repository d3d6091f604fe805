// The SQLite Store: one writer connection that commits concurrent writes in groups (SQLite
// allows one writer at a time; serialising in-process avoids busy-waiting on the file lock,
// and grouping shares one fsync among the writes that queued up) and a pool of reader
// connections that, thanks to WAL, read a consistent snapshot beside it.
//
// The methods live in one file per resource (organizations.cc, plans.cc, initiatives.cc,
// outcomes.cc, and import.cc for a whole plan at once); transactions, the reader pool and
// helpers shared by them are in sqlite_store.cc and records.h.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/mutex.h"
#include "services/store/rating_round_rules.h"
#include "services/store/sqlite/connection.h"
#include "services/store/sqlite/group_commit.h"
#include "services/store/sqlite/sqlite_store.h"
#include "services/store/store.h"
#include "services/store/write_origin.h"

namespace torikumi::store::sqlite {

struct ListQuery;  // records.h

// Hands out reader connections, one caller at a time each; waits when all are busy.
class ReaderPool {
 public:
  explicit ReaderPool(std::vector<std::unique_ptr<Connection>> connections);
  Connection* Acquire();
  void Release(Connection* connection);

 private:
  std::vector<std::unique_ptr<Connection>> connections_;
  Mutex mu_;
  CondVar released_;
  std::vector<Connection*> idle_ ABSL_GUARDED_BY(mu_);
};

class SqliteStore final : public Store {
 public:
  static absl::StatusOr<std::unique_ptr<SqliteStore>> Open(const std::string& path,
                                                           const SqliteOptions& options);

  absl::StatusOr<v1::Organization> CreateOrganization(const v1::Organization& organization,
                                                      absl::string_view request_id) override;
  absl::StatusOr<v1::Organization> GetOrganization(absl::string_view name) override;
  absl::StatusOr<ListResult<v1::Organization>> ListOrganizations(Page page) override;
  absl::StatusOr<v1::Organization> UpdateOrganization(const v1::Organization& organization,
                                                      absl::string_view expected_etag) override;
  absl::Status DeleteOrganization(absl::string_view name, bool force,
                                  absl::string_view expected_etag) override;

  absl::StatusOr<v1::Plan> CreatePlan(const v1::Plan& plan, absl::string_view request_id) override;
  absl::StatusOr<v1::Plan> GetPlan(absl::string_view name) override;
  absl::StatusOr<ListResult<v1::Plan>> ListPlans(absl::string_view parent,
                                                 absl::string_view title_contains,
                                                 Page page) override;
  absl::StatusOr<v1::Plan> UpdatePlan(const v1::Plan& plan,
                                      absl::string_view expected_etag) override;
  absl::Status DeletePlan(absl::string_view name, bool force,
                          absl::string_view expected_etag) override;

  absl::StatusOr<v1::Initiative> CreateInitiative(const v1::Initiative& initiative,
                                                  absl::string_view request_id) override;
  absl::StatusOr<std::vector<v1::Initiative>> BatchCreateInitiatives(
      const std::vector<v1::Initiative>& initiatives, absl::string_view request_id) override;
  absl::StatusOr<v1::Initiative> GetInitiative(absl::string_view name) override;
  absl::StatusOr<ListResult<v1::Initiative>> ListInitiatives(absl::string_view parent,
                                                             const v1::InitiativeFilter& filter,
                                                             Page page) override;
  absl::StatusOr<v1::Initiative> UpdateInitiative(const v1::Initiative& initiative,
                                                  absl::string_view expected_etag,
                                                  RatingAfterWrite* rating = nullptr) override;
  absl::Status DeleteInitiative(absl::string_view name, bool force,
                                absl::string_view expected_etag) override;

  absl::StatusOr<UpsertResult> UpsertOutcome(const v1::Outcome& outcome,
                                             absl::string_view expected_etag,
                                             RatingAfterWrite* rating = nullptr) override;
  void UpsertOutcomeThen(v1::Outcome outcome, std::string expected_etag,
                         std::optional<RatingAfterWrite> rating, UpsertOutcomeDone done) override;
  absl::StatusOr<ListResult<v1::Outcome>> ListOutcomes(absl::string_view parent,
                                                       std::optional<int> fiscal_year,
                                                       Page page) override;
  absl::Status DeleteOutcome(absl::string_view name, absl::string_view expected_etag,
                             RatingAfterWrite* rating = nullptr) override;

  // import.cc
  absl::StatusOr<ImportResult> ImportPlan(const PlanImport& import) override;

  // plan_inputs.cc
  absl::StatusOr<PlanInputs> ReadPlanInputs(absl::string_view plan,
                                            absl::string_view initiative) override;

  // rule_sets.cc
  absl::StatusOr<v1::RuleSet> CreateRuleSetVersion(const v1::RuleSet& rule_set) override;
  absl::StatusOr<v1::RuleSet> GetRuleSet(absl::string_view name, int32_t version) override;
  absl::StatusOr<ListResult<v1::RuleSet>> ListRuleSets(absl::string_view parent, bool all_versions,
                                                       Page page) override;

  // ratings.cc
  absl::Status RecordRatings(const std::vector<v1::ComputedRating>& ratings) override;
  absl::Status RecordRatingIfHolds(RatingAfterWrite* rating) override;
  absl::Status RecordPlanRatingsWhereHold(PlanRatings* ratings) override;
  absl::StatusOr<std::vector<std::string>> ListRatingNames(absl::string_view plan) override;
  absl::StatusOr<ListResult<v1::ComputedRating>> ListRatings(absl::string_view plan,
                                                             absl::string_view initiative,
                                                             bool history, Page page) override;

  // rating_rounds.cc
  absl::StatusOr<v1::RatingRound> OpenRatingRound(absl::string_view name,
                                                  absl::string_view actor) override;
  absl::StatusOr<v1::RatingRound> GetRatingRound(absl::string_view name) override;
  absl::StatusOr<v1::RatingRound> RestoreRatingRound(const v1::RatingRound& round) override;
  absl::StatusOr<ListResult<v1::RatingRound>> ListRatingRounds(absl::string_view parent,
                                                               Page page) override;
  absl::StatusOr<v1::RatingRound> ReviewRatingRound(const RoundReview& review) override;
  absl::StatusOr<v1::RatingRound> SetRatingRoundState(const RoundTransition& transition) override;

  // tokens.cc
  absl::StatusOr<v1::Token> CreateToken(const v1::Token& token,
                                        absl::string_view secret_sha256) override;
  absl::StatusOr<v1::Token> FindToken(absl::string_view secret_sha256) override;
  absl::StatusOr<ListResult<v1::Token>> ListTokens(absl::string_view parent, Page page) override;
  absl::Status DeleteToken(absl::string_view name) override;
  absl::StatusOr<std::vector<StoredToken>> ListStoredTokens() override;
  absl::StatusOr<v1::Token> RestoreToken(const StoredToken& token) override;

  // audit_events.cc
  absl::StatusOr<ListResult<v1::AuditEvent>> ListAuditEvents(const AuditQuery& query,
                                                             Page page) override;
  absl::Status RestoreAuditEvents(const std::vector<v1::AuditEvent>& events) override;

  // change_log.cc
  absl::StatusOr<ChangePage> ListChanges(const ChangeQuery& query) override;
  absl::StatusOr<int64_t> LastChange() override;
  absl::Status AppendChanges(const std::vector<PlanChange>& changes) override;
  absl::StatusOr<int64_t> PruneChanges(absl::Time before) override;
  absl::Status RestartChangesAfter(int64_t seq) override;
  absl::StatusOr<int64_t> PruneHistory(absl::Time before) override;
  ChangeNotifier& change_notifier() override { return change_notifier_; }

  // jobs.cc
  absl::StatusOr<EnqueueJobResult> EnqueueJob(const JobWork& work, int max_pending) override;
  absl::StatusOr<std::optional<JobWork>> ClaimJob(absl::string_view holder,
                                                  absl::Duration lease) override;
  absl::Status RenewJobLease(absl::string_view name, absl::string_view holder,
                             absl::Duration lease) override;
  absl::Status RecordJobProgress(const v1::Job& progress, absl::string_view holder,
                                 absl::Duration lease) override;
  absl::StatusOr<v1::Job> FinishJob(const v1::Job& result, absl::string_view holder) override;
  absl::StatusOr<ListResult<v1::Job>> ListJobs(Page page) override;
  absl::StatusOr<int64_t> PruneEndedJobs(absl::Time before) override;

  // subscriptions.cc
  absl::StatusOr<v1::Subscription> CreateSubscription(
      const v1::Subscription& subscription) override;
  absl::StatusOr<v1::Subscription> GetSubscription(absl::string_view name) override;
  absl::StatusOr<std::vector<v1::Subscription>> ListSubscriptions(
      absl::string_view parent) override;
  absl::Status DeleteSubscription(absl::string_view name) override;
  absl::Status UpdateDelivery(absl::string_view name, const v1::DeliveryStatus& delivery) override;

 private:
  SqliteStore(std::unique_ptr<Connection> writer, std::unique_ptr<ReaderPool> readers)
      : readers_(std::move(readers)), writer_(std::move(writer)) {}

  // Runs `body` as one write (see group_commit.h): its changes are committed, durably, when
  // it returns OK, and none of them otherwise. Its audit events are part of it.
  absl::Status Write(WriteBody body);
  // Runs `change` in one write transaction with this store's steps for the rating rounds of
  // `plan` (rating_rounds.cc).
  absl::Status WriteRound(absl::string_view plan, rules::RoundChange change);
  // The same without waiting for the commit: `done` gets what Write would return, on the
  // writer's thread (group_commit.h says what it may do there).
  void Submit(OwnedWriteBody body, WriteDone done);
  // `body` between clearing the audit notes and recording its audit events with `origin`
  // (null: the system's); keeps the newest change it recorded in `last_change`.
  static absl::Status RunAudited(WriteContext& w, WriteBody body, const WriteOrigin* origin,
                                 int64_t* last_change);
  // After a commit: tells the watchers of its changes.
  void Committed(const absl::Status& status, int64_t last_change);
  // Runs `body` in one read transaction (a consistent snapshot) on a reader connection.
  absl::Status Read(absl::FunctionRef<absl::Status(Connection&)> body);
  // One page of every List method: the page checked, then the parent, the count and the rows
  // read in one snapshot. Defined in records.h.
  template <typename Message>
  absl::StatusOr<ListResult<Message>> ReadPage(const ListQuery& query, const Page& page);

  std::unique_ptr<ReaderPool> readers_;
  ChangeNotifier change_notifier_;
  // Last, so that it is destroyed first: its thread tells change_notifier_ of commits.
  GroupCommitWriter writer_;
};

}  // namespace torikumi::store::sqlite
