// The schema of the SQLite store, as an append-only list of migrations.
//
// Every resource row keeps the whole resource as a serialized protobuf (`body`, exactly what
// the store returns, so nothing is lost and new proto fields need no migration) plus copies of
// the fields the store filters, orders or checks on, in indexed columns. Names are unique keys
// of the top-level resources, and ON DELETE CASCADE does the work of a forced delete. Plans,
// initiatives and outcomes also have integer ids, a plan's rows one range of them (migration
// 9); what hangs below an initiative (outcomes, scheduled years, computed ratings) points at
// it by that id and keeps no name of its own (migrations 10 and 12).
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
      {3, "API tokens and the audit log", R"sql(
-- API tokens. Only the SHA-256 of the secret is kept. organization is NULL for a server
-- admin token (tokens/{t}); an organization's tokens go with it.
CREATE TABLE tokens (
  name TEXT PRIMARY KEY,
  organization TEXT REFERENCES organizations (name) ON DELETE CASCADE,
  secret_sha256 TEXT NOT NULL UNIQUE, -- lower-case hex
  version INTEGER NOT NULL,
  body BLOB NOT NULL                 -- torikumi.v1.Token
);
CREATE INDEX tokens_by_organization ON tokens (organization, name);

-- One row per resource a write transaction changed, written in that transaction
-- (audit_capture.cc). No foreign keys: the record outlives what it describes.
CREATE TABLE audit_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  time_micros INTEGER NOT NULL,      -- unix microseconds
  principal TEXT NOT NULL,
  method TEXT NOT NULL,
  resource TEXT NOT NULL,
  organization TEXT NOT NULL,        -- organizations/{o} of the resource; '' for none
  field_mask TEXT NOT NULL,
  request_id TEXT NOT NULL,
  etag_before TEXT NOT NULL,
  etag_after TEXT NOT NULL
);
CREATE INDEX audit_events_by_organization ON audit_events (organization, id);
CREATE INDEX audit_events_by_principal ON audit_events (principal, id);
CREATE INDEX audit_events_by_resource ON audit_events (resource, id);
)sql"},
      {4, "names kept as written, matched by their NFKC form", R"sql(
-- Areas, themes and titles are stored as the table wrote them (ＯＪＴ研修, not OJT研修); the
-- store matches them by their NFKC form (nfkc() is the connection's SQL function). Until now
-- the columns held that form already, since the service normalised what it stored.
ALTER TABLE initiatives ADD COLUMN area_key TEXT NOT NULL DEFAULT '';   -- NFKC of area
ALTER TABLE initiatives ADD COLUMN theme_key TEXT NOT NULL DEFAULT '';  -- NFKC of theme
UPDATE initiatives SET area_key = nfkc(area), theme_key = nfkc(theme);
-- One number per area, however the area is spelled.
CREATE UNIQUE INDEX initiatives_by_area_key ON initiatives (plan, area_key, number);
DROP INDEX initiatives_by_theme;
CREATE INDEX initiatives_by_theme_key ON initiatives (plan, theme_key);
-- plan_areas.area is the NFKC form of the plan's area from now on, joined to area_key.
UPDATE OR IGNORE plan_areas SET area = nfkc(area);
)sql"},
      {5, "outcomes carry their plan and as-of date", R"sql(
-- So that the latest as-of date of a plan (which every rating of the plan is computed with)
-- is one index lookup. as_of is year*10000 + month*100 + day of body.as_of, 0 for none;
-- NULL until the store fills it in from the body at open (SQL cannot read the body).
ALTER TABLE outcomes ADD COLUMN plan TEXT;
ALTER TABLE outcomes ADD COLUMN as_of INTEGER;
UPDATE outcomes SET plan = (SELECT i.plan FROM initiatives i WHERE i.name = outcomes.initiative);
CREATE INDEX outcomes_by_plan_as_of ON outcomes (plan, as_of);
-- Empty once the store has filled every as_of: finding the rows still to fill costs nothing.
CREATE INDEX outcomes_without_as_of ON outcomes (name) WHERE as_of IS NULL;
)sql"},
      {6, "text search through FTS5 trigram indexes", R"sql(
-- ListInitiatives(text_contains) finds the rows holding a substring of three characters or
-- more through these indexes instead of reading every search_text of the plan. The trigram
-- tokenizer indexes every three-character sequence, so any substring of three or more
-- characters (Japanese included) is a phrase query; case_sensitive keeps the exact match
-- instr() gives. They index the search_text columns (external content: the text is stored
-- once, in its table), kept in step by the triggers below. The rows are tied by rowid, which
-- VACUUM may renumber: after a VACUUM, run INSERT INTO initiatives_text(initiatives_text)
-- VALUES ('rebuild') and the same for outcomes_text.
CREATE VIRTUAL TABLE initiatives_text USING fts5(
  search_text, content = 'initiatives', tokenize = 'trigram case_sensitive 1');
CREATE TRIGGER initiatives_text_insert AFTER INSERT ON initiatives BEGIN
  INSERT INTO initiatives_text (rowid, search_text) VALUES (new.rowid, new.search_text);
END;
CREATE TRIGGER initiatives_text_delete AFTER DELETE ON initiatives BEGIN
  INSERT INTO initiatives_text (initiatives_text, rowid, search_text)
    VALUES ('delete', old.rowid, old.search_text);
END;
CREATE TRIGGER initiatives_text_update AFTER UPDATE OF search_text ON initiatives BEGIN
  INSERT INTO initiatives_text (initiatives_text, rowid, search_text)
    VALUES ('delete', old.rowid, old.search_text);
  INSERT INTO initiatives_text (rowid, search_text) VALUES (new.rowid, new.search_text);
END;
INSERT INTO initiatives_text (initiatives_text) VALUES ('rebuild');

CREATE VIRTUAL TABLE outcomes_text USING fts5(
  search_text, content = 'outcomes', tokenize = 'trigram case_sensitive 1');
CREATE TRIGGER outcomes_text_insert AFTER INSERT ON outcomes BEGIN
  INSERT INTO outcomes_text (rowid, search_text) VALUES (new.rowid, new.search_text);
END;
CREATE TRIGGER outcomes_text_delete AFTER DELETE ON outcomes BEGIN
  INSERT INTO outcomes_text (outcomes_text, rowid, search_text)
    VALUES ('delete', old.rowid, old.search_text);
END;
CREATE TRIGGER outcomes_text_update AFTER UPDATE OF search_text ON outcomes BEGIN
  INSERT INTO outcomes_text (outcomes_text, rowid, search_text)
    VALUES ('delete', old.rowid, old.search_text);
  INSERT INTO outcomes_text (rowid, search_text) VALUES (new.rowid, new.search_text);
END;
INSERT INTO outcomes_text (outcomes_text) VALUES ('rebuild');
)sql"},
      {7, "change feed and webhook subscriptions", R"sql(
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
      {8, "rating rounds", R"sql(
-- The year-end rating round of a plan, one per fiscal year. The body holds every entry (one
-- per initiative, with its proposal and review) and the progress; state is copied out so the
-- grade lock (the newest round of a plan closed) is one index lookup.
CREATE TABLE rating_rounds (
  name TEXT PRIMARY KEY,
  plan TEXT NOT NULL REFERENCES plans (name) ON DELETE CASCADE,
  fiscal_year INTEGER NOT NULL,
  state INTEGER NOT NULL,            -- torikumi.v1.RatingRound.State
  version INTEGER NOT NULL,
  body BLOB NOT NULL,                -- torikumi.v1.RatingRound
  UNIQUE (plan, fiscal_year)
);
)sql"},
      {9, "plans, initiatives and outcomes get integer ids; text search scoped to the plan", R"sql(
-- Each plan gets an integer id, and each initiative and outcome an id in its plan's range:
-- (plan id << 32) + n. The trigram indexes are keyed by these ids, so ListInitiatives
-- (text_contains) asks them only for the plan's range of rowids and never reads the matches
-- of other plans. The ids are INTEGER PRIMARY KEYs, which VACUUM keeps. Names stay unique
-- and remain what the other tables point at. Runs with foreign keys off (migrate.cc):
-- dropping the old tables must not cascade.
DROP TABLE initiatives_text;
DROP TABLE outcomes_text;

CREATE TABLE plans_new (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  organization TEXT NOT NULL REFERENCES organizations (name) ON DELETE CASCADE,
  title_normalized TEXT NOT NULL,    -- NFKC of title, for ListPlans(title_contains)
  version INTEGER NOT NULL,
  body BLOB NOT NULL                 -- torikumi.v1.Plan
);
INSERT INTO plans_new (name, organization, title_normalized, version, body)
  SELECT name, organization, title_normalized, version, body FROM plans ORDER BY rowid;

CREATE TABLE initiatives_new (
  id INTEGER PRIMARY KEY,            -- (plans.id << 32) + n
  name TEXT NOT NULL UNIQUE,
  plan TEXT NOT NULL REFERENCES plans (name) ON DELETE CASCADE,
  area TEXT NOT NULL,
  area_key TEXT NOT NULL,            -- NFKC of area
  number INTEGER NOT NULL,
  theme TEXT NOT NULL,
  theme_key TEXT NOT NULL,           -- NFKC of theme
  kind INTEGER NOT NULL,             -- torikumi.v1.InitiativeKind
  grade TEXT NOT NULL,               -- human_rating.grade; '' when not rated
  relists TEXT,                      -- name of the re-listed initiative; NULL for none
  search_text TEXT NOT NULL,         -- NFKC of title, theme and subtheme, one per line
  version INTEGER NOT NULL,
  body BLOB NOT NULL,                -- torikumi.v1.Initiative
  UNIQUE (plan, area, number)
);
INSERT INTO initiatives_new (id, name, plan, area, area_key, number, theme, theme_key, kind,
                             grade, relists, search_text, version, body)
  SELECT (p.id << 32) + row_number() OVER (PARTITION BY i.plan ORDER BY i.rowid),
         i.name, i.plan, i.area, i.area_key, i.number, i.theme, i.theme_key, i.kind, i.grade,
         i.relists, i.search_text, i.version, i.body
  FROM initiatives i JOIN plans_new p ON p.name = i.plan;

CREATE TABLE outcomes_new (
  id INTEGER PRIMARY KEY,            -- (plans.id << 32) + n
  name TEXT NOT NULL UNIQUE,
  initiative TEXT NOT NULL REFERENCES initiatives (name) ON DELETE CASCADE,
  plan TEXT,
  fiscal_year INTEGER NOT NULL,      -- 0 for the whole-period outcome
  as_of INTEGER,                     -- year*10000 + month*100 + day of body.as_of, 0 for none
  search_text TEXT NOT NULL,         -- NFKC of text
  version INTEGER NOT NULL,
  body BLOB NOT NULL,                -- torikumi.v1.Outcome
  UNIQUE (initiative, fiscal_year)
);
INSERT INTO outcomes_new (id, name, initiative, plan, fiscal_year, as_of, search_text, version,
                          body)
  SELECT (p.id << 32) + row_number() OVER (PARTITION BY p.id ORDER BY o.rowid),
         o.name, o.initiative, i.plan, o.fiscal_year, o.as_of, o.search_text, o.version, o.body
  FROM outcomes o JOIN initiatives i ON i.name = o.initiative JOIN plans_new p ON p.name = i.plan;

DROP TABLE outcomes;
DROP TABLE initiatives;
DROP TABLE plans;
ALTER TABLE plans_new RENAME TO plans;
ALTER TABLE initiatives_new RENAME TO initiatives;
ALTER TABLE outcomes_new RENAME TO outcomes;

CREATE INDEX plans_by_organization ON plans (organization, name);
CREATE UNIQUE INDEX initiatives_by_area_key ON initiatives (plan, area_key, number);
CREATE INDEX initiatives_by_theme_key ON initiatives (plan, theme_key);
CREATE INDEX initiatives_by_kind ON initiatives (plan, kind);
CREATE INDEX initiatives_by_grade ON initiatives (plan, grade);
CREATE INDEX initiatives_by_relists ON initiatives (relists) WHERE relists IS NOT NULL;
CREATE INDEX outcomes_by_plan_as_of ON outcomes (plan, as_of);
CREATE INDEX outcomes_without_as_of ON outcomes (name) WHERE as_of IS NULL;

CREATE VIRTUAL TABLE initiatives_text USING fts5(
  search_text, content = 'initiatives', content_rowid = 'id',
  tokenize = 'trigram case_sensitive 1');
CREATE TRIGGER initiatives_text_insert AFTER INSERT ON initiatives BEGIN
  INSERT INTO initiatives_text (rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER initiatives_text_delete AFTER DELETE ON initiatives BEGIN
  INSERT INTO initiatives_text (initiatives_text, rowid, search_text)
    VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER initiatives_text_update AFTER UPDATE OF search_text ON initiatives BEGIN
  INSERT INTO initiatives_text (initiatives_text, rowid, search_text)
    VALUES ('delete', old.id, old.search_text);
  INSERT INTO initiatives_text (rowid, search_text) VALUES (new.id, new.search_text);
END;
INSERT INTO initiatives_text (initiatives_text) VALUES ('rebuild');

CREATE VIRTUAL TABLE outcomes_text USING fts5(
  search_text, content = 'outcomes', content_rowid = 'id',
  tokenize = 'trigram case_sensitive 1');
CREATE TRIGGER outcomes_text_insert AFTER INSERT ON outcomes BEGIN
  INSERT INTO outcomes_text (rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER outcomes_text_delete AFTER DELETE ON outcomes BEGIN
  INSERT INTO outcomes_text (outcomes_text, rowid, search_text)
    VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER outcomes_text_update AFTER UPDATE OF search_text ON outcomes BEGIN
  INSERT INTO outcomes_text (outcomes_text, rowid, search_text)
    VALUES ('delete', old.id, old.search_text);
  INSERT INTO outcomes_text (rowid, search_text) VALUES (new.id, new.search_text);
END;
INSERT INTO outcomes_text (outcomes_text) VALUES ('rebuild');
)sql"},
      {10, "computed ratings keyed by the initiative's integer id, with their record time",
       R"sql(
-- A rating row held the initiative's and the plan's full names, each in two indexes as well;
-- now it holds the initiative's id (whose range gives the plan, migration 9) and the time it
-- was recorded, by which PruneHistory drops superseded ratings. Ratings recorded before
-- this migration count as recorded now, so retention starts at the upgrade.
CREATE TABLE computed_ratings_new (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  initiative INTEGER NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
  record_time INTEGER NOT NULL,      -- unix microseconds
  body BLOB NOT NULL                 -- torikumi.v1.ComputedRating
);
INSERT INTO computed_ratings_new (id, initiative, record_time, body)
  SELECT r.id, i.id, CAST(strftime('%s', 'now') AS INTEGER) * 1000000, r.body
  FROM computed_ratings r JOIN initiatives i ON i.name = r.initiative ORDER BY r.id;
-- An id is never handed out twice (the audit log names ratings by it).
UPDATE sqlite_sequence SET seq = (SELECT seq FROM sqlite_sequence WHERE name = 'computed_ratings')
  WHERE name = 'computed_ratings_new'
    AND EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'computed_ratings');
DROP TABLE computed_ratings;
ALTER TABLE computed_ratings_new RENAME TO computed_ratings;
CREATE INDEX computed_ratings_by_initiative ON computed_ratings (initiative, id);
CREATE INDEX computed_ratings_by_time ON computed_ratings (record_time);
-- So that PruneHistory finds old request ids without reading them all.
CREATE INDEX request_ids_by_time ON request_ids (create_time);
)sql"},
      {11, "re-rating jobs", R"sql(
-- Background re-rating jobs. A server claims one by setting holder and lease_until and
-- renews the lease while it works; an expired lease lets another claim it.
CREATE TABLE jobs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,  -- jobs/{id}, never reused
  state INTEGER NOT NULL,                -- torikumi.v1.Job.State
  plans TEXT NOT NULL,                   -- the plans to re-rate, one name a line
  rerate_trigger TEXT NOT NULL,
  holder TEXT NOT NULL DEFAULT '',       -- the server running it; '' when none
  lease_until INTEGER NOT NULL DEFAULT 0,  -- unix microseconds
  end_time INTEGER NOT NULL DEFAULT 0,   -- unix microseconds once ended, for pruning
  body BLOB NOT NULL                     -- torikumi.v1.Job
);
CREATE INDEX jobs_by_state ON jobs (state, id);
CREATE INDEX jobs_by_end_time ON jobs (end_time);
)sql"},
      {12,
       "outcomes and scheduled years keyed by the initiative's id; change events refer to the "
       "rows they wrote",
       R"sql(
-- Outcomes held their own, their initiative's and their plan's full names (and the first
-- again in an index); now an outcome is found by its initiative's id and fiscal year, which
-- give its name (outcome_name(body) reads it from the body where SQL needs it), and its
-- id's range gives its plan (migration 9). search_text is NULL where NFKC leaves the text
-- as it is: the trigram index then reads the text from the body (outcome_text(body), a
-- function of the store's connections), through the view outcomes_search.
DROP TABLE outcomes_text;
CREATE TABLE outcomes_new (
  id INTEGER PRIMARY KEY,            -- (plans.id << 32) + n
  initiative INTEGER NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
  fiscal_year INTEGER NOT NULL,      -- 0 for the whole-period outcome
  as_of INTEGER,                     -- year*10000 + month*100 + day of body.as_of, 0 for none
  search_text TEXT,                  -- NFKC of text; NULL when that is the text itself
  version INTEGER NOT NULL,
  body BLOB NOT NULL,                -- torikumi.v1.Outcome
  UNIQUE (initiative, fiscal_year)
);
INSERT INTO outcomes_new (id, initiative, fiscal_year, as_of, search_text, version, body)
  SELECT o.id, i.id, o.fiscal_year, o.as_of,
         nullif(o.search_text, outcome_text(o.body)), o.version, o.body
  FROM outcomes o JOIN initiatives i ON i.name = o.initiative ORDER BY o.id;
DROP TABLE outcomes;
ALTER TABLE outcomes_new RENAME TO outcomes;
-- Only outcomes with an as-of date (reported part way through a year) are in the index: a
-- plan's latest one is its greatest entry, and a plan without any has none (0).
CREATE INDEX outcomes_by_plan_as_of ON outcomes (id >> 32, as_of) WHERE as_of > 0;
CREATE INDEX outcomes_without_as_of ON outcomes (id) WHERE as_of IS NULL;

CREATE VIEW outcomes_search (id, search_text) AS
  SELECT id, coalesce(search_text, outcome_text(body)) FROM outcomes;
CREATE VIRTUAL TABLE outcomes_text USING fts5(
  search_text, content = 'outcomes_search', content_rowid = 'id',
  tokenize = 'trigram case_sensitive 1');
CREATE TRIGGER outcomes_text_insert AFTER INSERT ON outcomes BEGIN
  INSERT INTO outcomes_text (rowid, search_text)
    VALUES (new.id, coalesce(new.search_text, outcome_text(new.body)));
END;
CREATE TRIGGER outcomes_text_delete AFTER DELETE ON outcomes BEGIN
  INSERT INTO outcomes_text (outcomes_text, rowid, search_text)
    VALUES ('delete', old.id, coalesce(old.search_text, outcome_text(old.body)));
END;
CREATE TRIGGER outcomes_text_update AFTER UPDATE OF search_text, body ON outcomes BEGIN
  INSERT INTO outcomes_text (outcomes_text, rowid, search_text)
    VALUES ('delete', old.id, coalesce(old.search_text, outcome_text(old.body)));
  INSERT INTO outcomes_text (rowid, search_text)
    VALUES (new.id, coalesce(new.search_text, outcome_text(new.body)));
END;
INSERT INTO outcomes_text (outcomes_text) VALUES ('rebuild');

CREATE TABLE initiative_years_new (
  initiative INTEGER NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
  fiscal_year INTEGER NOT NULL,
  PRIMARY KEY (initiative, fiscal_year)
) WITHOUT ROWID;
INSERT INTO initiative_years_new (initiative, fiscal_year)
  SELECT i.id, y.fiscal_year FROM initiative_years y JOIN initiatives i ON i.name = y.initiative;
DROP TABLE initiative_years;
ALTER TABLE initiative_years_new RENAME TO initiative_years;
-- No index by year: every query asks whether one initiative is scheduled in a year, which
-- the primary key answers.

-- The change feed: a change's organization and plan are one row of change_scopes, which
-- changes point at by number. A scope row is never deleted (one per plan ever written), so
-- a deleted plan's watch still finds its changes, its deletion included. A change that wrote an initiative, an
-- outcome or a computed rating keeps in `body` the event without the resource (and without
-- its name, which the resource holds) and in `ref` the id of the row it wrote: while that
-- row is unchanged it is the resource as it was at the change. The triggers below copy the
-- row's body into `resource` before the row is overwritten or deleted, so an event always
-- delivers its own revision; a change with neither ref nor resource holds the whole event
-- in body (deletions, other kinds, and every change recorded before this migration).
CREATE TABLE change_scopes (
  id INTEGER PRIMARY KEY,
  organization TEXT NOT NULL,
  plan TEXT NOT NULL,                -- '' for changes not below a plan (rule sets)
  UNIQUE (organization, plan)
);
INSERT INTO change_scopes (organization, plan)
  SELECT DISTINCT organization, plan FROM changes ORDER BY organization, plan;
CREATE TABLE changes_new (
  seq INTEGER PRIMARY KEY,
  scope INTEGER NOT NULL REFERENCES change_scopes (id),
  kind INTEGER NOT NULL,             -- torikumi.v1.ResourceKind
  commit_time INTEGER NOT NULL,      -- unix microseconds, for pruning
  ref INTEGER,                       -- the written row's id (see above); NULL for none
  resource BLOB,                     -- the resource, once its row no longer holds it
  body BLOB NOT NULL                 -- torikumi.v1.ChangeEvent without its cursor
);
INSERT INTO changes_new (seq, scope, kind, commit_time, body)
  SELECT c.seq, s.id, c.kind, c.commit_time, c.body
  FROM changes c JOIN change_scopes s ON s.organization = c.organization AND s.plan = c.plan
  ORDER BY c.seq;
DROP TABLE changes;
ALTER TABLE changes_new RENAME TO changes;
CREATE INDEX changes_by_scope ON changes (scope, seq);
-- No index on commit_time: PruneChanges removes the changes before the first one that is
-- not old enough, found by walking the feed in seq order.
CREATE INDEX changes_by_ref ON changes (kind, ref) WHERE ref IS NOT NULL AND resource IS NULL;

CREATE TRIGGER initiatives_keep_change BEFORE UPDATE OF body ON initiatives BEGIN
  UPDATE changes SET resource = old.body
    WHERE kind = 2 AND ref = old.id AND resource IS NULL;
END;
CREATE TRIGGER initiatives_keep_deleted BEFORE DELETE ON initiatives BEGIN
  UPDATE changes SET resource = initiative_body(old.body, old.name, old.version)
    WHERE kind = 2 AND ref = old.id AND resource IS NULL;
END;
CREATE TRIGGER outcomes_keep_change BEFORE UPDATE OF body ON outcomes BEGIN
  UPDATE changes SET resource = old.body
    WHERE kind = 3 AND ref = old.id AND resource IS NULL;
END;
CREATE TRIGGER outcomes_keep_deleted BEFORE DELETE ON outcomes BEGIN
  UPDATE changes SET resource = old.body
    WHERE kind = 3 AND ref = old.id AND resource IS NULL;
END;
CREATE TRIGGER computed_ratings_keep_deleted BEFORE DELETE ON computed_ratings BEGIN
  UPDATE changes SET resource = old.body
    WHERE kind = 5 AND ref = old.id AND resource IS NULL;
END;
)sql"},
      {13, "initiatives keep their area's position; an index gives a plan's listing order",
       R"sql(
-- ListInitiatives pages through a plan in the listing order from an index instead of sorting
-- the plan's rows: the position of the initiative's area in its plan (plan_areas.position;
-- 2147483647 for an area the plan does not list) is kept on the row, written with the row
-- and rewritten when the plan's areas change (plans.cc). (plan, area, number) is unique, so
-- (area_position, area, number) orders a plan's rows completely; the plan is id >> 32
-- (migration 9), which keeps the index entries small.
ALTER TABLE initiatives ADD COLUMN area_position INTEGER NOT NULL DEFAULT 2147483647;
UPDATE initiatives SET area_position = coalesce(
  (SELECT a.position FROM plan_areas a WHERE a.plan = initiatives.plan AND a.area = initiatives.area_key),
  2147483647);
CREATE UNIQUE INDEX initiatives_in_order ON initiatives (id >> 32, area_position, area, number);
)sql"},
      {14, "text search through one trigram document per initiative", R"sql(
-- ListInitiatives(text_contains) asked two trigram indexes, one of initiatives and one of
-- outcomes, and turned every matching outcome into its initiative by reading the outcome's
-- row. Now one trigram document per initiative, keyed by the initiative's id, holds its own
-- search_text and its outcomes' texts (in fiscal-year order), each outcome's text after a
-- line feed, so a query gives the plan's matching initiatives directly. A phrase of the
-- trigram tokenizer matches exactly the substrings of the document; a term without a line
-- feed can therefore only match inside one of the texts, never across two. The store scans
-- for a term with a line feed (initiatives.cc), as it does for terms under three characters.
DROP TRIGGER initiatives_text_insert;
DROP TRIGGER initiatives_text_delete;
DROP TRIGGER initiatives_text_update;
DROP TABLE initiatives_text;
DROP TRIGGER outcomes_text_insert;
DROP TRIGGER outcomes_text_delete;
DROP TRIGGER outcomes_text_update;
DROP TABLE outcomes_text;
DROP VIEW outcomes_search;

CREATE VIEW initiative_documents (id, document) AS
  SELECT i.id, i.search_text || coalesce((
    SELECT group_concat(t.text, '') FROM (
      SELECT char(10) || coalesce(o.search_text, outcome_text(o.body)) AS text
      FROM outcomes o WHERE o.initiative = i.id ORDER BY o.fiscal_year) t), '')
  FROM initiatives i;
-- External content: the index stores no copy of the text. The triggers take a document out
-- of the index as the view gives it before a write and put it back as it gives it after, so
-- what is taken out is always exactly what was put in. The ids are INTEGER PRIMARY KEYs,
-- which VACUUM keeps (migration 9), so the index needs no rebuild after one.
CREATE VIRTUAL TABLE initiative_documents_text USING fts5(
  document, content = 'initiative_documents', content_rowid = 'id',
  tokenize = 'trigram case_sensitive 1');

CREATE TRIGGER initiative_documents_insert AFTER INSERT ON initiatives BEGIN
  INSERT INTO initiative_documents_text (rowid, document)
    SELECT id, document FROM initiative_documents WHERE id = new.id;
END;
-- Runs before the delete's cascade removes the outcomes, so the document is still whole;
-- the outcomes' triggers then find no initiative and do nothing.
CREATE TRIGGER initiative_documents_delete BEFORE DELETE ON initiatives BEGIN
  INSERT INTO initiative_documents_text (initiative_documents_text, rowid, document)
    SELECT 'delete', id, document FROM initiative_documents WHERE id = old.id;
END;
CREATE TRIGGER initiative_documents_before_update BEFORE UPDATE OF search_text ON initiatives
WHEN old.search_text IS NOT new.search_text BEGIN
  INSERT INTO initiative_documents_text (initiative_documents_text, rowid, document)
    SELECT 'delete', id, document FROM initiative_documents WHERE id = old.id;
END;
CREATE TRIGGER initiative_documents_after_update AFTER UPDATE OF search_text ON initiatives
WHEN old.search_text IS NOT new.search_text BEGIN
  INSERT INTO initiative_documents_text (rowid, document)
    SELECT id, document FROM initiative_documents WHERE id = new.id;
END;

CREATE TRIGGER outcome_documents_before_insert BEFORE INSERT ON outcomes BEGIN
  INSERT INTO initiative_documents_text (initiative_documents_text, rowid, document)
    SELECT 'delete', id, document FROM initiative_documents WHERE id = new.initiative;
END;
CREATE TRIGGER outcome_documents_after_insert AFTER INSERT ON outcomes BEGIN
  INSERT INTO initiative_documents_text (rowid, document)
    SELECT id, document FROM initiative_documents WHERE id = new.initiative;
END;
CREATE TRIGGER outcome_documents_before_update
BEFORE UPDATE OF search_text, body, fiscal_year, initiative ON outcomes BEGIN
  INSERT INTO initiative_documents_text (initiative_documents_text, rowid, document)
    SELECT 'delete', id, document FROM initiative_documents
    WHERE id IN (old.initiative, new.initiative);
END;
CREATE TRIGGER outcome_documents_after_update
AFTER UPDATE OF search_text, body, fiscal_year, initiative ON outcomes BEGIN
  INSERT INTO initiative_documents_text (rowid, document)
    SELECT id, document FROM initiative_documents WHERE id IN (old.initiative, new.initiative);
END;
CREATE TRIGGER outcome_documents_before_delete BEFORE DELETE ON outcomes BEGIN
  INSERT INTO initiative_documents_text (initiative_documents_text, rowid, document)
    SELECT 'delete', id, document FROM initiative_documents WHERE id = old.initiative;
END;
CREATE TRIGGER outcome_documents_after_delete AFTER DELETE ON outcomes BEGIN
  INSERT INTO initiative_documents_text (rowid, document)
    SELECT id, document FROM initiative_documents WHERE id = old.initiative;
END;
INSERT INTO initiative_documents_text (initiative_documents_text) VALUES ('rebuild');
)sql"},
      {15,
       "smaller bodies: computed ratings, outcomes and initiatives without what their row gives",
       R"sql(
-- A computed rating's body (torikumi.v1.ComputedRating) repeated its initiative's name, which
-- the row's initiative id gives, and its rule set's, held no more once per rule set in
-- rating_rule_sets (never deleted: history names rule sets a plan no longer uses); the
-- deciding fact values stood in it twice, as facts and in the reason; the input hash was hex.
-- A body is now a torikumi.storage.v1.StoredRating (stored_rating.h), from which
-- rating_body(body, initiative name, rule set name) rebuilds the ComputedRating exactly.
CREATE TABLE rating_rule_sets (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE
);
INSERT INTO rating_rule_sets (name)
  SELECT DISTINCT rating_rule_set(body) FROM computed_ratings
  WHERE rating_rule_set(body) IS NOT NULL ORDER BY 1;
ALTER TABLE computed_ratings ADD COLUMN rule_set INTEGER;  -- rating_rule_sets.id; NULL for none
UPDATE computed_ratings SET
  rule_set = (SELECT id FROM rating_rule_sets WHERE name = rating_rule_set(computed_ratings.body)),
  body = stored_rating(body);

-- An outcome's and an initiative's body leave out the name and etag their row gives (for an
-- outcome the initiative's name and the fiscal year, for an initiative its name column; the
-- version): outcome_body(body, initiative name, fiscal year, version) and
-- initiative_body(body, name, version) put them back (stored_body.h). The change feed's
-- triggers are made anew (the rewrite must not copy bodies into changes); the outcomes' text
-- index re-reads the same text.
DROP TRIGGER outcomes_keep_change;
DROP TRIGGER outcomes_keep_deleted;
UPDATE outcomes SET body = stored_outcome(body,
    (SELECT name FROM initiatives WHERE id = outcomes.initiative), fiscal_year, version);
DROP TRIGGER initiatives_keep_change;
UPDATE initiatives SET body = stored_initiative(body, version);
CREATE TRIGGER initiatives_keep_change BEFORE UPDATE OF body ON initiatives BEGIN
  UPDATE changes SET resource = initiative_body(old.body, old.name, old.version)
    WHERE kind = 2 AND ref = old.id AND resource IS NULL;
END;

-- The change feed keeps the resource itself once its row no longer does (migration 12), as
-- the API gives it. An initiative's name is read before its row is deleted: its outcomes and
-- ratings go after it (ON DELETE CASCADE), when the name can no longer be found.
CREATE TRIGGER outcomes_keep_change BEFORE UPDATE OF body ON outcomes BEGIN
  UPDATE changes SET resource = outcome_body(old.body,
      (SELECT name FROM initiatives WHERE id = old.initiative), old.fiscal_year, old.version)
    WHERE kind = 3 AND ref = old.id AND resource IS NULL;
END;
CREATE TRIGGER outcomes_keep_deleted BEFORE DELETE ON outcomes BEGIN
  UPDATE changes SET resource = outcome_body(old.body,
      (SELECT name FROM initiatives WHERE id = old.initiative), old.fiscal_year, old.version)
    WHERE kind = 3 AND ref = old.id AND resource IS NULL;
END;
DROP TRIGGER computed_ratings_keep_deleted;
CREATE TRIGGER computed_ratings_keep_deleted BEFORE DELETE ON computed_ratings BEGIN
  UPDATE changes SET resource = rating_body(old.body,
      (SELECT name FROM initiatives WHERE id = old.initiative),
      (SELECT name FROM rating_rule_sets WHERE id = old.rule_set))
    WHERE kind = 5 AND ref = old.id AND resource IS NULL;
END;
DROP TRIGGER initiatives_keep_deleted;
CREATE TRIGGER initiatives_keep_deleted BEFORE DELETE ON initiatives BEGIN
  UPDATE changes SET resource = initiative_body(old.body, old.name, old.version)
    WHERE kind = 2 AND ref = old.id AND resource IS NULL;
  UPDATE changes SET resource = (
      SELECT outcome_body(o.body, old.name, o.fiscal_year, o.version)
      FROM outcomes o WHERE o.id = changes.ref)
    WHERE kind = 3 AND resource IS NULL
      AND ref IN (SELECT id FROM outcomes WHERE initiative = old.id);
  UPDATE changes SET resource = (
      SELECT rating_body(r.body, old.name, (SELECT name FROM rating_rule_sets WHERE id = r.rule_set))
      FROM computed_ratings r WHERE r.id = changes.ref)
    WHERE kind = 5 AND resource IS NULL
      AND ref IN (SELECT id FROM computed_ratings WHERE initiative = old.id);
END;
)sql"},
  };
  return *kMigrations;
}

}  // namespace torikumi::store::sqlite
