// The schema of the PostgreSQL store.
//
// As in the SQLite store, every resource row keeps the whole resource as a serialized protobuf
// (`body`, exactly what the store returns) plus copies of the fields the store filters, orders
// or checks on. Unlike it, rows are keyed by integers: each table has a bigserial id, a
// resource's name is kept once (in its own row), and children point at their parent's id, so
// ON DELETE CASCADE does the work of a forced delete. Text that is ordered or compared uses
// the "C" collation (the ctext domain), so listings order as the SQLite store orders them
// (by code point) whatever locale the database was created with.
#include "services/store/postgres/migrations.h"

#include "absl/strings/str_cat.h"

namespace torikumi::store::postgres {

const std::vector<Migration>& Migrations() {
  static const std::vector<Migration>* const kMigrations = new std::vector<Migration>{
      {1, "resources, request ids, rule sets, ratings, tokens, audit log, change feed", R"sql(
CREATE DOMAIN ctext AS text COLLATE "C";

-- The store-wide write sequence. Every write transaction locks this row first (so writes are
-- serial across servers) and, when it writes a resource, takes the next number: every row it
-- writes carries it as `version`, from which the etag is made.
CREATE TABLE store_state (
  id integer PRIMARY KEY CHECK (id = 1),
  last_version bigint NOT NULL
);
INSERT INTO store_state (id, last_version) VALUES (1, 0);

CREATE TABLE organizations (
  id bigserial PRIMARY KEY,
  name ctext NOT NULL UNIQUE,
  version bigint NOT NULL,
  body bytea NOT NULL                      -- torikumi.v1.Organization
);

CREATE TABLE plans (
  id bigserial PRIMARY KEY,
  name ctext NOT NULL UNIQUE,
  organization_id bigint NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  title_normalized text NOT NULL,          -- NFKC of title, for ListPlans(title_contains)
  version bigint NOT NULL,
  body bytea NOT NULL                      -- torikumi.v1.Plan
);
CREATE INDEX plans_by_organization ON plans (organization_id, name);

-- A plan's areas (NFKC) with their display position: initiatives are listed in this order.
CREATE TABLE plan_areas (
  plan_id bigint NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  area ctext NOT NULL,
  position integer NOT NULL,
  PRIMARY KEY (plan_id, area)
);

CREATE TABLE initiatives (
  id bigserial PRIMARY KEY,
  name ctext NOT NULL UNIQUE,
  plan_id bigint NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  area ctext NOT NULL,                     -- as written
  area_key ctext NOT NULL,                 -- NFKC of area
  number integer NOT NULL,
  theme_key ctext NOT NULL,                -- NFKC of theme
  kind integer NOT NULL,                   -- torikumi.v1.InitiativeKind
  grade ctext NOT NULL,                    -- human_rating.grade; '' when not rated
  -- The re-listed initiative. No foreign key: a delete leaves it dangling for the store to
  -- clear in the same transaction (in the body too, with a new etag).
  relists_id bigint,
  search_text text NOT NULL,               -- NFKC of title, theme and subtheme, one per line
  version bigint NOT NULL,
  body bytea NOT NULL,                     -- torikumi.v1.Initiative
  UNIQUE (plan_id, area_key, number)
);
CREATE INDEX initiatives_by_theme_key ON initiatives (plan_id, theme_key);
CREATE INDEX initiatives_by_kind ON initiatives (plan_id, kind);
CREATE INDEX initiatives_by_grade ON initiatives (plan_id, grade);
CREATE INDEX initiatives_by_relists ON initiatives (relists_id) WHERE relists_id IS NOT NULL;

-- The fiscal years an initiative is scheduled in (a schedule entry with a phase).
CREATE TABLE initiative_years (
  initiative_id bigint NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
  fiscal_year integer NOT NULL,
  PRIMARY KEY (initiative_id, fiscal_year)
);

CREATE TABLE outcomes (
  id bigserial PRIMARY KEY,
  name ctext NOT NULL UNIQUE,
  initiative_id bigint NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
  plan_id bigint NOT NULL,                 -- the initiative's, for the latest as-of date
  fiscal_year integer NOT NULL,            -- 0 for the whole-period outcome
  search_text text NOT NULL,               -- NFKC of text
  as_of integer NOT NULL,                  -- year*10000 + month*100 + day of as_of; 0: none
  version bigint NOT NULL,
  body bytea NOT NULL,                     -- torikumi.v1.Outcome
  UNIQUE (initiative_id, fiscal_year)
);
CREATE INDEX outcomes_by_plan_as_of ON outcomes (plan_id, as_of);

-- Creates that carried a request_id, so that a retry returns what the first attempt made.
-- `resource` is a name, not an id: a retry after the resource was deleted says which it was.
CREATE TABLE request_ids (
  kind ctext NOT NULL,
  request_id ctext NOT NULL,
  position integer NOT NULL,
  resource ctext NOT NULL,
  create_time bigint NOT NULL,             -- unix seconds
  PRIMARY KEY (kind, request_id, position)
);
CREATE INDEX request_ids_by_time ON request_ids (create_time);

-- Rule sets: each version is an immutable row.
CREATE TABLE rule_sets (
  id bigserial PRIMARY KEY,
  name ctext NOT NULL,
  version integer NOT NULL,
  organization_id bigint NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  body bytea NOT NULL,                     -- torikumi.v1.RuleSet
  UNIQUE (name, version)
);
CREATE INDEX rule_sets_by_organization ON rule_sets (organization_id, name, version);

-- Computed ratings, append-only: the history of an initiative is its rows by id.
CREATE TABLE computed_ratings (
  id bigserial PRIMARY KEY,
  initiative_id bigint NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
  plan_id bigint NOT NULL,
  record_time bigint NOT NULL,             -- unix microseconds
  body bytea NOT NULL                      -- torikumi.v1.ComputedRating
);
CREATE INDEX computed_ratings_by_time ON computed_ratings (record_time);
CREATE INDEX computed_ratings_by_plan ON computed_ratings (plan_id, initiative_id, id);
CREATE INDEX computed_ratings_by_initiative ON computed_ratings (initiative_id, id);

-- API tokens; only the SHA-256 of the secret. No organization: a server admin token.
CREATE TABLE tokens (
  id bigserial PRIMARY KEY,
  name ctext NOT NULL UNIQUE,
  organization_id bigint REFERENCES organizations (id) ON DELETE CASCADE,
  secret_sha256 text NOT NULL UNIQUE,
  version bigint NOT NULL,
  body bytea NOT NULL                      -- torikumi.v1.Token
);
CREATE INDEX tokens_by_organization ON tokens (organization_id, name);

CREATE TABLE subscriptions (
  id bigserial PRIMARY KEY,
  name ctext NOT NULL UNIQUE,
  organization_id bigint NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  body bytea NOT NULL                      -- torikumi.v1.Subscription, delivery included
);
CREATE INDEX subscriptions_by_organization ON subscriptions (organization_id, name);

-- The audit log: one row per resource a write transaction changed, written in that
-- transaction from the notes below. No foreign keys: the record outlives what it describes.
CREATE TABLE audit_events (
  id bigserial PRIMARY KEY,
  time_micros bigint NOT NULL,
  principal ctext NOT NULL,
  method ctext NOT NULL,
  resource ctext NOT NULL,
  organization ctext NOT NULL,             -- organizations/{o} of the resource; '' for none
  field_mask text NOT NULL,
  request_id text NOT NULL,
  etag_before text NOT NULL,
  etag_after text NOT NULL
);
CREATE INDEX audit_events_by_organization ON audit_events (organization, id);
CREATE INDEX audit_events_by_principal ON audit_events (principal, id);
CREATE INDEX audit_events_by_resource ON audit_events (resource, id);

-- What the running write transaction changed, noted by the triggers below and turned into
-- audit_events (and deleted) before it commits; rows of other transactions are invisible
-- until then, and nothing here outlives a commit.
CREATE TABLE audit_notes (
  seq bigserial PRIMARY KEY,
  txid bigint NOT NULL DEFAULT txid_current(),
  resource ctext NOT NULL,
  etag_before text NOT NULL,
  etag_after text NOT NULL
);
CREATE FUNCTION audit_note() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO audit_notes (resource, etag_before, etag_after)
      VALUES (NEW.name, '', '"v' || NEW.version || '"');
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO audit_notes (resource, etag_before, etag_after)
      VALUES (NEW.name, '"v' || OLD.version || '"', '"v' || NEW.version || '"');
  ELSE
    INSERT INTO audit_notes (resource, etag_before, etag_after)
      VALUES (OLD.name, '"v' || OLD.version || '"', '');
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER audit_organizations AFTER INSERT OR UPDATE OR DELETE ON organizations
  FOR EACH ROW EXECUTE FUNCTION audit_note();
CREATE TRIGGER audit_plans AFTER INSERT OR UPDATE OR DELETE ON plans
  FOR EACH ROW EXECUTE FUNCTION audit_note();
CREATE TRIGGER audit_initiatives AFTER INSERT OR UPDATE OR DELETE ON initiatives
  FOR EACH ROW EXECUTE FUNCTION audit_note();
CREATE TRIGGER audit_outcomes AFTER INSERT OR UPDATE OR DELETE ON outcomes
  FOR EACH ROW EXECUTE FUNCTION audit_note();
CREATE TRIGGER audit_tokens AFTER INSERT OR UPDATE OR DELETE ON tokens
  FOR EACH ROW EXECUTE FUNCTION audit_note();
-- Rule sets: each version is a new immutable row; its "etag" is its version.
CREATE FUNCTION audit_rule_set() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO audit_notes (resource, etag_before, etag_after)
    VALUES (NEW.name, '', '@' || NEW.version);
  RETURN NULL;
END $$;
CREATE TRIGGER audit_rule_sets AFTER INSERT ON rule_sets
  FOR EACH ROW EXECUTE FUNCTION audit_rule_set();
-- Computed ratings: append-only rows below their initiative.
CREATE FUNCTION audit_rating() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO audit_notes (resource, etag_before, etag_after)
    SELECT i.name || '/computedRatings/' || NEW.id, '', '#' || NEW.id
    FROM initiatives i WHERE i.id = NEW.initiative_id;
  RETURN NULL;
END $$;
CREATE TRIGGER audit_computed_ratings AFTER INSERT ON computed_ratings
  FOR EACH ROW EXECUTE FUNCTION audit_rating();

-- The change feed: one row per change, written in the transaction that makes the change.
-- organization and plan are names (the feed outlives what it reports).
CREATE TABLE change_log_state (
  id integer PRIMARY KEY CHECK (id = 1),
  last_seq bigint NOT NULL,                -- the seq of the newest change ever recorded
  pruned_through bigint NOT NULL           -- every change up to this seq has been pruned
);
INSERT INTO change_log_state (id, last_seq, pruned_through) VALUES (1, 0, 0);

CREATE TABLE changes (
  seq bigint PRIMARY KEY,
  organization ctext NOT NULL,
  plan ctext NOT NULL,                     -- '' for changes not below a plan (rule sets)
  kind integer NOT NULL,                   -- torikumi.v1.ResourceKind
  commit_time bigint NOT NULL,             -- unix microseconds, for pruning
  body bytea NOT NULL                      -- torikumi.v1.ChangeEvent without its cursor
);
CREATE INDEX changes_by_plan ON changes (plan, seq);
CREATE INDEX changes_by_organization ON changes (organization, seq);
CREATE INDEX changes_by_time ON changes (commit_time);
)sql"},
      {2, "re-rating jobs", R"sql(
-- Background re-rating jobs, shared by every server on the database. A server claims one
-- (SELECT ... FOR UPDATE SKIP LOCKED) by setting holder and lease_until, and renews the lease
-- while it works; once the lease has expired (its server died) another server claims it.
CREATE TABLE jobs (
  id bigserial PRIMARY KEY,                -- jobs/{id}
  state integer NOT NULL,                  -- torikumi.v1.Job.State
  plans text NOT NULL,                     -- the plans to re-rate, one name a line
  rerate_trigger text NOT NULL,
  holder text NOT NULL DEFAULT '',         -- the server running it; '' when none
  lease_until timestamptz NOT NULL DEFAULT '-infinity',  -- on the database's clock
  end_time bigint NOT NULL DEFAULT 0,      -- unix microseconds once ended, for pruning
  body bytea NOT NULL                      -- torikumi.v1.Job
);
CREATE INDEX jobs_by_state ON jobs (state, id);
CREATE INDEX jobs_by_end_time ON jobs (end_time);
)sql"},
      {3, "rating rounds", R"sql(
-- The year-end rating round of a plan, one per fiscal year. The body holds every entry (one
-- per initiative, with its proposal and review) and the progress; state is copied out so the
-- grade lock (the newest round of a plan closed) is one index lookup.
CREATE TABLE rating_rounds (
  id bigserial PRIMARY KEY,
  name ctext NOT NULL UNIQUE,
  plan_id bigint NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  fiscal_year integer NOT NULL,
  state integer NOT NULL,                  -- torikumi.v1.RatingRound.State
  version bigint NOT NULL,
  body bytea NOT NULL,                     -- torikumi.v1.RatingRound
  UNIQUE (plan_id, fiscal_year)
);
CREATE TRIGGER audit_rating_rounds AFTER INSERT OR UPDATE OR DELETE ON rating_rounds
  FOR EACH ROW EXECUTE FUNCTION audit_note();
)sql"},
      {4, "text search through pg_trgm indexes", R"sql(
-- ListInitiatives(text_contains) finds the rows holding the text through trigram indexes
-- instead of reading every search_text of the plan: its condition is a LIKE '%text%' with
-- the text's wildcards escaped, which matches exactly what strpos did and which these
-- indexes answer for texts of three characters and more (the rows they find are checked
-- again, so the match stays exact). pg_trgm is a trusted extension: the database's owner may
-- create it. It goes into the schema public, not the first of the search path, since one
-- database may hold several torikumi schemas; where it is installed already it stays where
-- it is, and the indexes name its operator class in that schema. It takes word characters
-- from the database's LC_CTYPE: in the C locale Japanese text gives no trigrams, and the
-- index is then read whole.
CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
DO $$
DECLARE
  ops text := (SELECT quote_ident(n.nspname) || '.gin_trgm_ops'
               FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
               WHERE e.extname = 'pg_trgm');
BEGIN
  EXECUTE format('CREATE INDEX initiatives_search_trgm ON initiatives USING gin (search_text %s)',
                 ops);
  EXECUTE format('CREATE INDEX outcomes_search_trgm ON outcomes USING gin (search_text %s)', ops);
END $$;
)sql"},
  };
  return *kMigrations;
}

namespace {

// Any constant: the key of the advisory lock migrations hold.
constexpr int64_t kMigrationLock = 0x746f72696b756d69;  // "torikumi"

int CurrentVersion(pqxx::transaction_base& tx) {
  tx.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, "
      "description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
  return tx.exec("SELECT coalesce(max(version), 0) FROM schema_migrations")[0][0].as<int>();
}

}  // namespace

absl::Status ApplyMigrations(pqxx::connection& connection) {
  pqxx::work tx(connection);
  // Held until this transaction ends: a second server starting now waits, then finds the
  // schema migrated.
  tx.exec_params("SELECT pg_advisory_xact_lock($1)", kMigrationLock);
  const int current = CurrentVersion(tx);
  const std::vector<Migration>& migrations = Migrations();
  if (!migrations.empty() && current > migrations.back().version) {
    return absl::FailedPreconditionError(
        absl::StrCat("the database has schema version ", current, ", newer than this build's ",
                     migrations.back().version, ": run a newer torikumi-server"));
  }
  for (const Migration& migration : migrations) {
    if (migration.version <= current) continue;
    tx.exec(migration.sql);
    tx.exec_params("INSERT INTO schema_migrations (version, description) VALUES ($1, $2)",
                   migration.version, std::string(migration.description));
  }
  tx.commit();
  return absl::OkStatus();
}

}  // namespace torikumi::store::postgres
