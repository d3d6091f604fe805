// The PostgreSQL Store. Each method runs in one transaction on a pooled connection; writes
// first lock the one store_state row, so writes are serial across every server on the
// database (as SQLite's single writer makes them): the store-wide version that etags are made
// of and the change feed's sequence then grow in commit order, and a watcher reading the feed
// never misses a change committed after a later one.
//
// The methods live in one file per resource (organizations.cc, plans.cc, ...); transactions
// and the pool are in postgres_store.cc, helpers shared by the files in records.h.
#pragma once

#include <memory>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/mutex.h"
#include "services/store/postgres/postgres_store.h"
#include "services/store/rating_round_rules.h"
#include "services/store/store.h"

namespace torikumi::store::postgres {

struct ListQuery;  // records.h

// What a write's body gets: its transaction and its clock.
class WriteContext {
 public:
  WriteContext(pqxx::transaction_base& tx, absl::Time now) : tx(tx), now(now) {}
  // The version stamped on every row this write makes, taken from the store-wide sequence
  // on first use, so a write that changes nothing does not consume one.
  int64_t Version();

  pqxx::transaction_base& tx;
  const absl::Time now;
  // The sequence of the newest change this write recorded (change_log.cc); 0: none.
  int64_t last_change = 0;

 private:
  int64_t version_ = 0;
};

using WriteBody = absl::FunctionRef<absl::Status(WriteContext&)>;
using ReadBody = absl::FunctionRef<absl::Status(pqxx::transaction_base&)>;

// Open connections, one caller at a time each; waits when all are busy. A connection found
// broken is opened again when it is next handed out.
class ConnectionPool {
 public:
  ConnectionPool(std::string uri, std::vector<std::unique_ptr<pqxx::connection>> connections);
  pqxx::connection& Acquire();
  void Release(pqxx::connection& connection);

 private:
  const std::string uri_;
  std::vector<std::unique_ptr<pqxx::connection>> connections_;
  Mutex mu_;
  CondVar released_;
  std::vector<pqxx::connection*> idle_ ABSL_GUARDED_BY(mu_);
};

class PostgresStore final : public Store {
 public:
  static absl::StatusOr<std::unique_ptr<PostgresStore>> Open(const std::string& uri,
                                                             const PostgresOptions& options);
  ~PostgresStore() override;

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
  absl::StatusOr<ListResult<v1::Outcome>> ListOutcomes(absl::string_view parent,
                                                       std::optional<int> fiscal_year,
                                                       Page page) override;
  absl::Status DeleteOutcome(absl::string_view name, absl::string_view expected_etag,
                             RatingAfterWrite* rating = nullptr) override;

  absl::StatusOr<ImportResult> ImportPlan(const PlanImport& import) override;

  absl::StatusOr<PlanInputs> ReadPlanInputs(absl::string_view plan,
                                            absl::string_view initiative) override;

  absl::StatusOr<v1::RuleSet> CreateRuleSetVersion(const v1::RuleSet& rule_set) override;
  absl::StatusOr<v1::RuleSet> GetRuleSet(absl::string_view name, int32_t version) override;
  absl::StatusOr<ListResult<v1::RuleSet>> ListRuleSets(absl::string_view parent, bool all_versions,
                                                       Page page) override;

  absl::Status RecordRatings(const std::vector<v1::ComputedRating>& ratings) override;
  absl::Status RecordRatingIfHolds(RatingAfterWrite* rating) override;
  absl::Status RecordPlanRatingsWhereHold(PlanRatings* ratings) override;
  absl::StatusOr<std::vector<std::string>> ListRatingNames(absl::string_view plan) override;
  absl::StatusOr<ListResult<v1::ComputedRating>> ListRatings(absl::string_view plan,
                                                             absl::string_view initiative,
                                                             bool history, Page page) override;
  absl::StatusOr<int64_t> PruneHistory(absl::Time before) override;

  absl::StatusOr<v1::RatingRound> OpenRatingRound(absl::string_view name,
                                                  absl::string_view actor) override;
  absl::StatusOr<v1::RatingRound> GetRatingRound(absl::string_view name) override;
  absl::StatusOr<v1::RatingRound> RestoreRatingRound(const v1::RatingRound& round) override;
  absl::StatusOr<ListResult<v1::RatingRound>> ListRatingRounds(absl::string_view parent,
                                                               Page page) override;
  absl::StatusOr<v1::RatingRound> ReviewRatingRound(const RoundReview& review) override;
  absl::StatusOr<v1::RatingRound> SetRatingRoundState(const RoundTransition& transition) override;

  absl::StatusOr<v1::Token> CreateToken(const v1::Token& token,
                                        absl::string_view secret_sha256) override;
  absl::StatusOr<v1::Token> FindToken(absl::string_view secret_sha256) override;
  absl::StatusOr<ListResult<v1::Token>> ListTokens(absl::string_view parent, Page page) override;
  absl::Status DeleteToken(absl::string_view name) override;
  absl::StatusOr<std::vector<StoredToken>> ListStoredTokens() override;
  absl::StatusOr<v1::Token> RestoreToken(const StoredToken& token) override;

  absl::StatusOr<ListResult<v1::AuditEvent>> ListAuditEvents(const AuditQuery& query,
                                                             Page page) override;
  absl::Status RestoreAuditEvents(const std::vector<v1::AuditEvent>& events) override;

  absl::StatusOr<ChangePage> ListChanges(const ChangeQuery& query) override;
  absl::StatusOr<int64_t> LastChange() override;
  absl::Status AppendChanges(const std::vector<PlanChange>& changes) override;
  absl::StatusOr<int64_t> PruneChanges(absl::Time before) override;
  absl::Status RestartChangesAfter(int64_t seq) override;
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

  absl::StatusOr<v1::Subscription> CreateSubscription(
      const v1::Subscription& subscription) override;
  absl::StatusOr<v1::Subscription> GetSubscription(absl::string_view name) override;
  absl::StatusOr<std::vector<v1::Subscription>> ListSubscriptions(
      absl::string_view parent) override;
  absl::Status DeleteSubscription(absl::string_view name) override;
  absl::Status UpdateDelivery(absl::string_view name, const v1::DeliveryStatus& delivery) override;

 private:
  PostgresStore(std::unique_ptr<ConnectionPool> pool, absl::Duration change_poll_interval);

  // Runs `body` in one write transaction: committed when it returns OK, undone otherwise.
  // Its audit events are part of it.
  absl::Status Write(WriteBody body);
  // Runs `change` in one write transaction with this store's steps for the rating rounds of
  // `plan` (rating_rounds.cc).
  absl::Status WriteRound(absl::string_view plan, rules::RoundChange change);
  // Runs `body` in one READ COMMITTED transaction that, unlike Write, neither waits for other
  // servers' writes nor records audit events: job rows lock themselves one by one.
  absl::Status JobWrite(ReadBody body);
  // Runs `body` in one read-only REPEATABLE READ transaction (a consistent snapshot).
  absl::Status Read(ReadBody body);
  // One page of every List method: the page checked, then the parent, the count and the rows
  // read in one snapshot. Defined in records.h.
  template <typename Message>
  absl::StatusOr<ListResult<Message>> ReadPage(const ListQuery& query, const Page& page);
  // Tells change_notifier_ of changes past `seen` (the feed's newest sequence when the store
  // opened; -1: unknown) that other servers committed, until stopping_.
  void PollChanges(absl::Duration interval, int64_t seen);

  std::unique_ptr<ConnectionPool> pool_;
  ChangeNotifier change_notifier_;
  Mutex poll_mu_;
  CondVar poll_wake_;
  bool stopping_ ABSL_GUARDED_BY(poll_mu_) = false;
  std::thread poller_;
};

}  // namespace torikumi::store::postgres
