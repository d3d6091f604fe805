// The schema of the SQLite store, as an append-only list of migrations.
//
// Every resource row keeps the whole resource as a serialized protobuf (`body`, exactly what
// the store returns, so nothing is lost and new proto fields need no migration) plus copies of
// the fields the store filters, orders or checks on, in indexed columns. Names are the keys:
// foreign keys point at parent names, and ON DELETE CASCADE does the work of a forced delete.
#include "services/store/sqlite/migrations.h"

namespace torikumi::store::sqlite {

const std::vector<Migration>& Migrations() {
  static const std::vector<Migration>* const kMigrations = new std::vector<Migration>{
      {1, "organizations, plans, initiatives, outcomes, request ids", R"sql(
-- The store-wide write sequence. A write transaction takes the next number, and every row it
-- writes carries it as `version`, from which the etag is made. Being store-wide, an etag is
-- never handed out twice, not even to a resource deleted and created again under its name.
CREATE TABLE store_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  last_version INTEGER NOT NULL
);
INSERT INTO store_state (id, last_version) VALUES (1, 0);

CREATE TABLE organizations (
  name TEXT PRIMARY KEY,
  version INTEGER NOT NULL,
  body BLOB NOT NULL                 -- torikumi.v1.Organization
);

CREATE TABLE plans (
  name TEXT PRIMARY KEY,
  organization TEXT NOT NULL REFERENCES organizations (name) ON DELETE CASCADE,
  title_normalized TEXT NOT NULL,    -- NFKC of title, for ListPlans(title_contains)
  version INTEGER NOT NULL,
  body BLOB NOT NULL                 -- torikumi.v1.Plan
);
CREATE INDEX plans_by_organization ON plans (organization, name);

-- A plan's areas with their display position: initiatives are listed in this order.
CREATE TABLE plan_areas (
  plan TEXT NOT NULL REFERENCES plans (name) ON DELETE CASCADE,
  area TEXT NOT NULL,
  position INTEGER NOT NULL,
  PRIMARY KEY (plan, area)
) WITHOUT ROWID;

CREATE TABLE initiatives (
  name TEXT PRIMARY KEY,
  plan TEXT NOT NULL REFERENCES plans (name) ON DELETE CASCADE,
  area TEXT NOT NULL,
  number INTEGER NOT NULL,
  theme TEXT NOT NULL,
  kind INTEGER NOT NULL,             -- torikumi.v1.InitiativeKind
  grade TEXT NOT NULL,               -- human_rating.grade; '' when not rated
  relists TEXT,                      -- name of the re-listed initiative; NULL for none
  search_text TEXT NOT NULL,         -- NFKC of title, theme and subtheme, one per line
  version INTEGER NOT NULL,
  body BLOB NOT NULL,                -- torikumi.v1.Initiative
  UNIQUE (plan, area, number)
);
CREATE INDEX initiatives_by_theme ON initiatives (plan, theme);
CREATE INDEX initiatives_by_kind ON initiatives (plan, kind);
CREATE INDEX initiatives_by_grade ON initiatives (plan, grade);
CREATE INDEX initiatives_by_relists ON initiatives (relists) WHERE relists IS NOT NULL;

-- The fiscal years an initiative is scheduled in (a schedule entry with a phase).
CREATE TABLE initiative_years (
  initiative TEXT NOT NULL REFERENCES initiatives (name) ON DELETE CASCADE,
  fiscal_year INTEGER NOT NULL,
  PRIMARY KEY (initiative, fiscal_year)
) WITHOUT ROWID;
CREATE INDEX initiative_years_by_year ON initiative_years (fiscal_year, initiative);

CREATE TABLE outcomes (
  name TEXT PRIMARY KEY,
  initiative TEXT NOT NULL REFERENCES initiatives (name) ON DELETE CASCADE,
  fiscal_year INTEGER NOT NULL,      -- 0 for the whole-period outcome
  search_text TEXT NOT NULL,         -- NFKC of text
  version INTEGER NOT NULL,
  body BLOB NOT NULL,                -- torikumi.v1.Outcome
  UNIQUE (initiative, fiscal_year)
);

-- Creates that carried a request_id, so that a retry returns what the first attempt made.
-- A batch create keeps one row per created resource, in order (`position`).
CREATE TABLE request_ids (
  kind TEXT NOT NULL,                -- 'organization', 'plan', 'initiative', 'initiative-batch'
  request_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  resource TEXT NOT NULL,
  create_time INTEGER NOT NULL,      -- unix seconds, so old entries can be pruned one day
  PRIMARY KEY (kind, request_id, position)
) WITHOUT ROWID;
)sql"},
      {2, "rule sets and computed ratings", R"sql(
-- Rule sets: each version is an immutable row; creating again adds version max+1.
CREATE TABLE rule_sets (
  name TEXT NOT NULL,
  version INTEGER NOT NULL,
  organization TEXT NOT NULL REFERENCES organizations (name) ON DELETE CASCADE,
  body BLOB NOT NULL,                -- torikumi.v1.RuleSet
  PRIMARY KEY (name, version)
) WITHOUT ROWID;
CREATE INDEX rule_sets_by_organization ON rule_sets (organization, name, version);

-- Computed ratings, append-only: the history of an initiative is its rows by id.
CREATE TABLE computed_ratings (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  initiative TEXT NOT NULL REFERENCES initiatives (name) ON DELETE CASCADE,
  plan TEXT NOT NULL,
  body BLOB NOT NULL                 -- torikumi.v1.ComputedRating
);
CREATE INDEX computed_ratings_by_plan ON computed_ratings (plan, initiative, id);
CREATE INDEX computed_ratings_by_initiative ON computed_ratings (initiative, id);
)sql"},
      {3, "change feed and webhook subscriptions", R"sql(
-- The change feed: one row per change, written in the transaction that makes the change.
-- seq is the feed's own sequence (a transaction may record many changes), never reused.
CREATE TABLE change_log_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  last_seq INTEGER NOT NULL,         -- the seq of the newest change ever recorded
  pruned_through INTEGER NOT NULL    -- every change up to this seq has been pruned
);
INSERT INTO change_log_state (id, last_seq, pruned_through) VALUES (1, 0, 0);

CREATE TABLE changes (
  seq INTEGER PRIMARY KEY,
  organization TEXT NOT NULL,
  plan TEXT NOT NULL,                -- '' for changes not below a plan (rule sets)
  kind INTEGER NOT NULL,             -- torikumi.v1.ResourceKind
  commit_time INTEGER NOT NULL,      -- unix microseconds, for pruning
  body BLOB NOT NULL                 -- torikumi.v1.ChangeEvent without its cursor
);
CREATE INDEX changes_by_plan ON changes (plan, seq);
CREATE INDEX changes_by_organization ON changes (organization, seq);
CREATE INDEX changes_by_time ON changes (commit_time);

-- Webhook subscriptions; body holds the secret, which the domain never returns.
CREATE TABLE subscriptions (
  name TEXT PRIMARY KEY,
  organization TEXT NOT NULL REFERENCES organizations (name) ON DELETE CASCADE,
  body BLOB NOT NULL                 -- torikumi.v1.Subscription, delivery included
);
CREATE INDEX subscriptions_by_organization ON subscriptions (organization, name);
)sql"},
  };
  return *kMigrations;
}

}  // namespace torikumi::store::sqlite
