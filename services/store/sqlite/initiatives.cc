// Initiatives in the SQLite store.
#include <algorithm>
#include <limits>
#include <optional>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "services/common/resource_name.h"
#include "services/store/rating_round_rules.h"
#include "services/store/sqlite/change_log.h"
#include "services/store/sqlite/records.h"
#include "services/store/sqlite/sqlite_store_impl.h"
#include "services/store/sqlite/stored_body.h"

namespace torikumi::store::sqlite {
namespace {

constexpr absl::string_view kSelectBody =
    "SELECT initiative_body(body, name, version) FROM initiatives WHERE name = ?";

std::string What(absl::string_view name) { return absl::StrCat("initiative '", name, "'"); }

absl::StatusOr<v1::Initiative> Load(Connection& db, absl::string_view name) {
  absl::StatusOr<std::optional<v1::Initiative>> found =
      LoadBody<v1::Initiative>(db, kSelectBody, name);
  if (!found.ok()) return found.status();
  if (!found->has_value()) return absl::NotFoundError(absl::StrCat(What(name), " not found"));
  return **std::move(found);
}

using Indexed = rules::IndexedInitiative;

absl::StatusOr<Indexed> IndexOf(const v1::Initiative& initiative, absl::string_view field) {
  return rules::IndexInitiative(initiative, field);
}

// ALREADY_EXISTS when another initiative of the plan has the same area and number.
absl::Status CheckNumberFree(Connection& db, const Indexed& indexed,
                             const v1::Initiative& initiative) {
  absl::StatusOr<Statement> query = db.Prepare(
      "SELECT name FROM initiatives WHERE plan = ? AND area_key = ? AND number = ? AND name != ?");
  if (!query.ok()) return query.status();
  query->Bind(indexed.plan)
      .Bind(indexed.area_key)
      .Bind(int64_t{initiative.number()})
      .Bind(initiative.name());
  absl::StatusOr<bool> row = query->Step();
  if (!row.ok()) return row.status();
  if (!*row) return absl::OkStatus();
  return absl::AlreadyExistsError(
      absl::StrCat("area '", initiative.area(), "' number ", initiative.number(), " of plan '",
                   indexed.plan, "' is already taken by ", What(query->ColumnText(0))));
}

// Writes the row and its scheduled years; `stored` already carries times and etag. Returns
// the row's id.
absl::StatusOr<int64_t> WriteRow(Connection& db, const v1::Initiative& stored,
                                 const Indexed& indexed, int64_t version, bool insert) {
  // ?2 is the area key and ?13 the plan.
  const std::string position = AreaPositionOf("?13", "?2");
  absl::StatusOr<Statement> row = db.Prepare(
      insert ? absl::StrCat("INSERT INTO initiatives (area, area_key, number, theme, theme_key, "
                            "kind, grade, relists, search_text, version, body, name, plan, id, "
                            "area_position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ",
                            NextIdInPlan("initiatives", "?13"), ", ", position, ") RETURNING id")
             : absl::StrCat("UPDATE initiatives SET area = ?1, area_key = ?2, number = ?3, "
                            "theme = ?4, theme_key = ?5, kind = ?6, grade = ?7, relists = ?8, "
                            "search_text = ?9, version = ?10, body = ?11, area_position = ",
                            position, " WHERE name = ?12 AND plan = ?13 RETURNING id"));
  if (!row.ok()) return row.status();
  row->Bind(stored.area())
      .Bind(indexed.area_key)
      .Bind(int64_t{stored.number()})
      .Bind(stored.theme())
      .Bind(indexed.theme_key)
      .Bind(int64_t{stored.kind()})
      .Bind(stored.human_rating().grade())
      .BindTextOrNull(stored.relists())
      .Bind(indexed.search_text)
      .Bind(version)
      .BindBlob(StoredBody(stored, stored.name(), version))
      .Bind(stored.name())
      .Bind(indexed.plan);
  absl::StatusOr<int64_t> id = row->RunReturningInt();
  if (!id.ok()) return id.status();

  if (!insert) {
    absl::StatusOr<Statement> clear =
        db.Prepare("DELETE FROM initiative_years WHERE initiative = ?");
    if (!clear.ok()) return clear.status();
    clear->Bind(*id);
    if (absl::Status s = clear->Run(); !s.ok()) return s;
  }
  for (int year : indexed.years) {
    absl::StatusOr<Statement> add =
        db.Prepare("INSERT INTO initiative_years (initiative, fiscal_year) VALUES (?, ?)");
    if (!add.ok()) return add.status();
    add->Bind(*id).Bind(int64_t{year});
    if (absl::Status s = add->Run(); !s.ok()) return s;
  }
  return *id;
}

// FAILED_PRECONDITION while a closed rating round holds the plan's grades.
absl::Status CheckHumanRatingWritable(Connection& db, const Indexed& indexed,
                                      const v1::Initiative* current,
                                      const v1::Initiative& initiative) {
  if (!rules::HumanRatingChanges(current, initiative)) return absl::OkStatus();
  return CheckGradesWritable(db, indexed.plan);
}

// Creates one initiative, except for the check of its re-listing link (a batch may link to an
// initiative that comes later in it).
absl::StatusOr<v1::Initiative> Insert(WriteContext& w, const v1::Initiative& initiative,
                                      const Indexed& indexed) {
  const std::string& name = initiative.name();
  if (absl::Status s = CheckParentExists(w.db, "plans", "plan", indexed.plan, name); !s.ok()) {
    return s;
  }
  absl::StatusOr<std::optional<v1::Initiative>> existing =
      LoadBody<v1::Initiative>(w.db, kSelectBody, name);
  if (!existing.ok()) return existing.status();
  if (existing->has_value()) {
    return absl::AlreadyExistsError(absl::StrCat(What(name), " already exists"));
  }
  if (absl::Status s = CheckNumberFree(w.db, indexed, initiative); !s.ok()) return s;
  if (absl::Status s = CheckHumanRatingWritable(w.db, indexed, nullptr, initiative); !s.ok()) {
    return s;
  }
  absl::StatusOr<int64_t> version = w.Version();
  if (!version.ok()) return version.status();
  v1::Initiative stored = initiative;
  *stored.mutable_create_time() = ToTimestamp(w.now);
  *stored.mutable_update_time() = ToTimestamp(w.now);
  stored.set_etag(EtagOf(*version));
  absl::StatusOr<int64_t> id = WriteRow(w.db, stored, indexed, *version, /*insert=*/true);
  if (!id.ok()) return id.status();
  if (absl::Status s = RecordInitiativeWrite(w, nullptr, stored, *id); !s.ok()) return s;
  return stored;
}

}  // namespace

absl::Status CheckRelistsTarget(Connection& db, const v1::Initiative& initiative) {
  if (initiative.relists().empty()) return absl::OkStatus();
  absl::StatusOr<Statement> query = db.Prepare("SELECT 1 FROM initiatives WHERE name = ?");
  if (!query.ok()) return query.status();
  query->Bind(initiative.relists());
  absl::StatusOr<bool> row = query->Step();
  if (!row.ok()) return row.status();
  if (*row) return absl::OkStatus();
  return absl::NotFoundError(absl::StrCat(What(initiative.relists()), " not found (re-listed by ",
                                          What(initiative.name()), ")"));
}

absl::StatusOr<v1::Initiative> InsertInitiative(WriteContext& w, const v1::Initiative& initiative,
                                                absl::string_view field) {
  absl::StatusOr<Indexed> indexed = IndexOf(initiative, field);
  if (!indexed.ok()) return indexed.status();
  return Insert(w, initiative, *indexed);
}

absl::StatusOr<v1::Initiative> ReplaceInitiative(WriteContext& w, const v1::Initiative& initiative,
                                                 const v1::Initiative& current,
                                                 absl::string_view field) {
  absl::StatusOr<Indexed> indexed = IndexOf(initiative, field);
  if (!indexed.ok()) return indexed.status();
  if (absl::Status s = CheckNumberFree(w.db, *indexed, initiative); !s.ok()) return s;
  if (absl::Status s = CheckHumanRatingWritable(w.db, *indexed, &current, initiative); !s.ok()) {
    return s;
  }
  absl::StatusOr<int64_t> version = w.Version();
  if (!version.ok()) return version.status();
  v1::Initiative stored = initiative;
  *stored.mutable_create_time() = current.create_time();
  *stored.mutable_update_time() = ToTimestamp(w.now);
  stored.set_etag(EtagOf(*version));
  absl::StatusOr<int64_t> id = WriteRow(w.db, stored, *indexed, *version, /*insert=*/false);
  if (!id.ok()) return id.status();
  if (absl::Status s = RecordInitiativeWrite(w, &current, stored, *id); !s.ok()) return s;
  return stored;
}

absl::StatusOr<std::optional<v1::Initiative>> FindInitiativeAt(Connection& db,
                                                               absl::string_view plan,
                                                               absl::string_view area,
                                                               int32_t number) {
  absl::StatusOr<Statement> query = db.Prepare(
      "SELECT initiative_body(body, name, version), name FROM initiatives"
      " WHERE plan = ? AND area_key = nfkc(?) AND number = ?");
  if (!query.ok()) return query.status();
  query->Bind(plan).Bind(area).Bind(int64_t{number});
  absl::StatusOr<bool> row = query->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<v1::Initiative>();
  absl::StatusOr<v1::Initiative> found =
      ParseBody<v1::Initiative>(query->ColumnBlob(0), query->ColumnText(1));
  if (!found.ok()) return found.status();
  return std::optional<v1::Initiative>(*std::move(found));
}

absl::StatusOr<v1::Initiative> SqliteStore::CreateInitiative(const v1::Initiative& initiative,
                                                             absl::string_view request_id) {
  absl::StatusOr<Indexed> indexed = IndexOf(initiative, "initiative");
  if (!indexed.ok()) return indexed.status();
  v1::Initiative stored;
  absl::Status status = Write([&](WriteContext& w) -> absl::Status {
    absl::StatusOr<std::optional<v1::Initiative>> previous =
        PreviousCreate<v1::Initiative>(w.db, kInitiativeRequest, request_id, kSelectBody);
    if (!previous.ok()) return previous.status();
    if (previous->has_value()) {
      stored = **previous;
      return absl::OkStatus();
    }
    absl::StatusOr<v1::Initiative> created = Insert(w, initiative, *indexed);
    if (!created.ok()) return created.status();
    if (absl::Status s = CheckRelistsTarget(w.db, *created); !s.ok()) return s;
    stored = *std::move(created);
    return RecordRequest(w, kInitiativeRequest, request_id, {stored.name()});
  });
  if (!status.ok()) return status;
  return stored;
}

absl::StatusOr<std::vector<v1::Initiative>> SqliteStore::BatchCreateInitiatives(
    const std::vector<v1::Initiative>& initiatives, absl::string_view request_id) {
  std::vector<Indexed> indexed;
  indexed.reserve(initiatives.size());
  for (size_t i = 0; i < initiatives.size(); ++i) {
    absl::StatusOr<Indexed> one = IndexOf(initiatives[i], absl::StrCat("initiatives[", i, "]"));
    if (!one.ok()) return one.status();
    indexed.push_back(*std::move(one));
  }
  std::vector<v1::Initiative> created;
  absl::Status status = Write([&](WriteContext& w) -> absl::Status {
    absl::StatusOr<std::vector<std::string>> previous =
        FindRequest(w.db, kInitiativeBatchRequest, request_id);
    if (!previous.ok()) return previous.status();
    if (!previous->empty()) {
      for (const std::string& name : *previous) {
        absl::StatusOr<std::optional<v1::Initiative>> found =
            LoadBody<v1::Initiative>(w.db, kSelectBody, name);
        if (!found.ok()) return found.status();
        if (!found->has_value()) return RequestTargetGone(request_id, name);
        created.push_back(**std::move(found));
      }
      return absl::OkStatus();
    }
    std::vector<std::string> names;
    for (size_t i = 0; i < initiatives.size(); ++i) {
      absl::StatusOr<v1::Initiative> one = Insert(w, initiatives[i], indexed[i]);
      if (!one.ok()) return ForItem(one.status(), i);
      names.push_back(one->name());
      created.push_back(*std::move(one));
    }
    // Links are checked once every item exists, so an item may re-list a later one.
    for (size_t i = 0; i < created.size(); ++i) {
      if (absl::Status s = CheckRelistsTarget(w.db, created[i]); !s.ok()) return ForItem(s, i);
    }
    return RecordRequest(w, kInitiativeBatchRequest, request_id, names);
  });
  if (!status.ok()) return status;
  return created;
}

absl::StatusOr<v1::Initiative> SqliteStore::GetInitiative(absl::string_view name) {
  if (auto parsed = ParseInitiativeName(name, "name"); !parsed.ok()) return parsed.status();
  v1::Initiative initiative;
  absl::Status status = Read([&](Connection& db) -> absl::Status {
    absl::StatusOr<v1::Initiative> found = Load(db, name);
    if (!found.ok()) return found.status();
    initiative = *std::move(found);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return initiative;
}

namespace {

// Characters of UTF-8 text: its bytes that do not continue a character.
size_t CodePoints(absl::string_view text) {
  return std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; });
}

// Whether text_contains goes through the initiatives' trigram documents (migration 14):
// three characters and more, without a line feed. A document joins its texts with line
// feeds, so only a scan keeps a term holding one from matching across two texts.
bool UsesTextIndex(absl::string_view text) {
  return CodePoints(text) >= 3 && !absl::StrContains(text, '\n');
}

// `text` as one FTS5 string: verbatim, its double quotes doubled.
std::string FtsPhrase(absl::string_view text) {
  return absl::StrCat("\"", absl::StrReplaceAll(text, {{"\"", "\"\""}}), "\"");
}

// The condition of text_contains beside other filters: through the trigram documents, else
// by reading every search_text of the plan.
void AddTextContains(const std::string& text, std::string* where, Arguments* arguments) {
  if (!UsesTextIndex(text)) {
    *where +=
        " AND (instr(i.search_text, ?) > 0 OR EXISTS (SELECT 1 FROM outcomes o"
        " WHERE o.initiative = i.id AND"
        " instr(coalesce(o.search_text, outcome_text(o.body)), ?) > 0))";
    arguments->emplace_back(text);
    arguments->emplace_back(text);
    return;
  }
  // The index is asked only for the plan's range of ids (migration 9), so a term common in
  // other plans costs nothing here; the plan is the first argument of the listing. Its
  // rowids are the matching initiatives' ids, looked up by id from the listing's walk.
  absl::StrAppend(where,
                  " AND i.id IN (SELECT rowid FROM initiative_documents_text"
                  " WHERE initiative_documents_text MATCH ? AND ",
                  IdInPlan("rowid", "?1"), ")");
  arguments->emplace_back(FtsPhrase(text));
}

// The ids of the plan's initiatives whose trigram document holds `text`, ascending.
absl::StatusOr<std::vector<int64_t>> InitiativesHolding(Connection& db, int64_t plan_id,
                                                        absl::string_view text) {
  absl::StatusOr<Statement> query = db.Prepare(
      "SELECT rowid FROM initiative_documents_text WHERE initiative_documents_text MATCH ?1"
      " AND rowid BETWEEN ?2 << 32 AND (?2 << 32) + 4294967295 ORDER BY rowid");
  if (!query.ok()) return query.status();
  query->Bind(FtsPhrase(text)).Bind(plan_id);
  std::vector<int64_t> ids;
  while (true) {
    absl::StatusOr<bool> row = query->Step();
    if (!row.ok()) return row.status();
    if (!*row) return ids;
    ids.push_back(query->ColumnInt(0));
  }
}

// The plan's integer id (migration 9); NOT_FOUND when there is no such plan.
absl::StatusOr<int64_t> PlanId(Connection& db, absl::string_view plan) {
  absl::StatusOr<Statement> query = db.Prepare("SELECT id FROM plans WHERE name = ?");
  if (!query.ok()) return query.status();
  query->Bind(plan);
  absl::StatusOr<bool> row = query->Step();
  if (!row.ok()) return row.status();
  if (!*row) return absl::NotFoundError(absl::StrCat("plan '", plan, "' not found"));
  return query->ColumnInt(0);
}

// Steps through `keys` (initiative ids in the listing's order), keeping every row, or with
// `matches` (ascending) only those in it: counts them into result->total and appends the
// bodies of the page's rows to result->items. Only the page's bodies are read; the order
// comes from the keys alone. With `matches` the total is their number, so the walk stops at
// the page's end.
absl::Status ReadKeyedPage(Connection& db, Statement& keys, const Page& page,
                           const std::vector<int64_t>* matches,
                           ListResult<v1::Initiative>* result) {
  std::vector<int64_t> ids;
  // Without overflow for an offset near the largest int64_t.
  const int64_t end = page.offset > std::numeric_limits<int64_t>::max() - page.limit
                          ? std::numeric_limits<int64_t>::max()
                          : page.offset + page.limit;
  const int64_t stop = matches == nullptr ? std::numeric_limits<int64_t>::max()
                                          : std::min<int64_t>(end, matches->size());
  while (result->total < stop) {
    absl::StatusOr<bool> row = keys.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    const int64_t id = keys.ColumnInt(0);
    if (matches != nullptr && !std::binary_search(matches->begin(), matches->end(), id)) continue;
    if (result->total >= page.offset && result->total < end) ids.push_back(id);
    ++result->total;
  }
  if (matches != nullptr) result->total = static_cast<int64_t>(matches->size());
  for (int64_t id : ids) {
    absl::StatusOr<Statement> body = db.Prepare(
        "SELECT initiative_body(body, name, version), name FROM initiatives WHERE id = ?");
    if (!body.ok()) return body.status();
    body->Bind(id);
    if (absl::Status s = AppendBodies(*body, &result->items); !s.ok()) return s;
  }
  return absl::OkStatus();
}

// Appends the conditions of every filter field but text_contains, with their arguments. Each
// adds a fixed fragment, so there are few distinct SQL texts to cache.
void AddFilterConditions(const v1::InitiativeFilter& filter, std::string* where,
                         Arguments* arguments) {
  if (!filter.area().empty()) {
    *where += " AND i.area_key = nfkc(?)";
    arguments->emplace_back(filter.area());
  }
  if (!filter.theme().empty()) {
    *where += " AND i.theme_key = nfkc(?)";
    arguments->emplace_back(filter.theme());
  }
  if (filter.kind() != v1::INITIATIVE_KIND_UNSPECIFIED) {
    *where += " AND i.kind = ?";
    arguments->emplace_back(int64_t{filter.kind()});
  }
  if (!filter.grade().empty()) {
    *where += " AND i.grade = ?";
    // "-" asks for the initiatives nobody has rated yet.
    arguments->emplace_back(filter.grade() == "-" ? std::string() : filter.grade());
  }
  if (filter.fiscal_year() != 0) {
    *where +=
        " AND EXISTS (SELECT 1 FROM initiative_years y"
        " WHERE y.initiative = i.id AND y.fiscal_year = ?)";
    arguments->emplace_back(int64_t{filter.fiscal_year()});
  }
}

}  // namespace

absl::StatusOr<ListResult<v1::Initiative>> SqliteStore::ListInitiatives(
    absl::string_view parent, const v1::InitiativeFilter& filter, Page page) {
  if (auto plan = ParsePlanName(parent, "parent"); !plan.ok()) return plan.status();
  if (absl::Status s = CheckPage(page); !s.ok()) return s;

  // ?1 is the plan's name, ?2 its id (bound once read): the plan's rows are the ids of its
  // range, and initiatives_in_order (migration 13) lists them in order from (id >> 32).
  std::string where = " WHERE (i.id >> 32) = ?2";
  Arguments arguments{std::string(parent), int64_t{0}};
  AddFilterConditions(filter, &where, &arguments);
  // text_contains alone (no other filter has added an argument to the plan's name and id)
  // is answered from the trigram documents' matches, read first: their number is the
  // total, and the walk of the plan's keys stops at the page's end.
  const bool text_alone = arguments.size() == 2 && UsesTextIndex(filter.text_contains());
  if (!filter.text_contains().empty() && !text_alone) {
    AddTextContains(filter.text_contains(), &where, &arguments);
  }
  const std::string keys_sql =
      absl::StrCat("SELECT i.id FROM initiatives i", where, " ORDER BY ", kInitiativeOrder);

  ListResult<v1::Initiative> result;
  absl::Status status = Read([&](Connection& db) -> absl::Status {
    absl::StatusOr<int64_t> plan_id = PlanId(db, parent);
    if (!plan_id.ok()) return plan_id.status();
    arguments[1] = *plan_id;
    std::optional<std::vector<int64_t>> matches;
    if (text_alone) {
      absl::StatusOr<std::vector<int64_t>> holding =
          InitiativesHolding(db, *plan_id, filter.text_contains());
      if (!holding.ok()) return holding.status();
      matches = *std::move(holding);
    }
    absl::StatusOr<Statement> keys = db.Prepare(keys_sql);
    if (!keys.ok()) return keys.status();
    BindAll(*keys, arguments);
    return ReadKeyedPage(db, *keys, page, matches ? &*matches : nullptr, &result);
  });
  if (!status.ok()) return status;
  return result;
}

absl::StatusOr<v1::Initiative> SqliteStore::UpdateInitiative(const v1::Initiative& initiative,
                                                             absl::string_view expected_etag,
                                                             RatingAfterWrite* rating) {
  // Checked before the transaction too, so a malformed request never takes the write lock.
  if (auto indexed = IndexOf(initiative, "initiative"); !indexed.ok()) return indexed.status();
  const std::string& name = initiative.name();
  v1::Initiative stored;
  absl::Status status = Write([&](WriteContext& w) -> absl::Status {
    absl::StatusOr<v1::Initiative> current = Load(w.db, name);
    if (!current.ok()) return current.status();
    if (absl::Status s = CheckEtag(What(name), current->etag(), expected_etag); !s.ok()) return s;
    if (absl::Status s = CheckRelistsTarget(w.db, initiative); !s.ok()) return s;
    absl::StatusOr<v1::Initiative> replaced =
        ReplaceInitiative(w, initiative, *current, "initiative");
    if (!replaced.ok()) return replaced.status();
    stored = *std::move(replaced);
    return RecordRatingAfterWrite(w, rating);
  });
  if (!status.ok()) return status;
  return stored;
}

absl::Status SqliteStore::DeleteInitiative(absl::string_view name, bool force,
                                           absl::string_view expected_etag) {
  if (auto parsed = ParseInitiativeName(name, "name"); !parsed.ok()) return parsed.status();
  return Write([&](WriteContext& w) -> absl::Status {
    absl::StatusOr<v1::Initiative> current = Load(w.db, name);
    if (!current.ok()) return current.status();
    if (absl::Status s = CheckEtag(What(name), current->etag(), expected_etag); !s.ok()) return s;
    if (!force) {
      absl::Status refused = RefuseIfChildren(
          w.db, What(name), name,
          {"SELECT count(*) FROM outcomes WHERE initiative = "
           "(SELECT id FROM initiatives WHERE name = ?)",
           "outcome", "outcomes", "delete them first, or delete with force to remove them too"});
      if (!refused.ok()) return refused;
      absl::StatusOr<Statement> relisted =
          w.db.Prepare("SELECT name FROM initiatives WHERE relists = ? AND name != ? LIMIT 1");
      if (!relisted.ok()) return relisted.status();
      relisted->Bind(name).Bind(name);
      absl::StatusOr<bool> row = relisted->Step();
      if (!row.ok()) return row.status();
      if (*row) {
        return absl::FailedPreconditionError(
            absl::StrCat(What(name), " is re-listed by ", What(relisted->ColumnText(0)),
                         "; remove that link first, or delete with force to clear it"));
      }
    }
    // ON DELETE CASCADE removes its outcomes and scheduled years.
    if (absl::Status s = DeleteRow(w.db, "initiatives", name); !s.ok()) return s;
    if (absl::Status s = RecordDeletion(w, v1::RESOURCE_KIND_INITIATIVE, name); !s.ok()) return s;
    return ClearDanglingRelists(w);
  });
}

absl::Status ClearDanglingRelists(WriteContext& w) {
  struct Dangling {
    int64_t id;
    std::string name;
    std::string body;
  };
  std::vector<Dangling> dangling;
  {
    absl::StatusOr<Statement> query = w.db.Prepare(
        "SELECT id, name, initiative_body(body, name, version) FROM initiatives"
        " WHERE relists IS NOT NULL"
        " AND relists NOT IN (SELECT name FROM initiatives)");
    if (!query.ok()) return query.status();
    while (true) {
      absl::StatusOr<bool> row = query->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      dangling.push_back(
          {query->ColumnInt(0), query->ColumnText(1), std::string(query->ColumnBlob(2))});
    }
  }
  if (dangling.empty()) return absl::OkStatus();
  absl::StatusOr<int64_t> version = w.Version();
  if (!version.ok()) return version.status();
  for (const auto& [id, name, body] : dangling) {
    absl::StatusOr<v1::Initiative> initiative = ParseBody<v1::Initiative>(body, name);
    if (!initiative.ok()) return initiative.status();
    initiative->clear_relists();
    *initiative->mutable_update_time() = ToTimestamp(w.now);
    initiative->set_etag(EtagOf(*version));
    absl::StatusOr<Statement> update =
        w.db.Prepare("UPDATE initiatives SET relists = NULL, version = ?, body = ? WHERE id = ?");
    if (!update.ok()) return update.status();
    update->Bind(*version).BindBlob(StoredBody(*initiative, name, *version)).Bind(id);
    if (absl::Status s = update->Run(); !s.ok()) return s;
    if (absl::Status s = RecordInitiativeWrite(w, &*initiative, *initiative, id); !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

}  // namespace torikumi::store::sqlite
