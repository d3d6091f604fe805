// Initiatives in the PostgreSQL store.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "services/common/resource_name.h"
#include "services/store/postgres/change_log.h"
#include "services/store/postgres/records.h"
#include "services/store/rating_round_rules.h"

namespace torikumi::store::postgres {
namespace {

using rules::IndexedInitiative;

constexpr char kSelectBody[] = "SELECT body FROM initiatives WHERE name = $1";

std::string What(absl::string_view name) { return absl::StrCat("initiative '", name, "'"); }

// The LIKE pattern of the texts that contain `text`: its wildcards and the escape character
// (a backslash, LIKE's default) escaped, between two '%'.
std::string ContainsPattern(absl::string_view text) {
  return absl::StrCat("%", absl::StrReplaceAll(text, {{"\\", "\\\\"}, {"%", "\\%"}, {"_", "\\_"}}),
                      "%");
}

absl::StatusOr<v1::Initiative> Load(Tx& tx, absl::string_view name) {
  std::optional<v1::Initiative> found = LoadBody<v1::Initiative>(tx, kSelectBody, name);
  if (!found.has_value()) return absl::NotFoundError(absl::StrCat(What(name), " not found"));
  return *std::move(found);
}

// ALREADY_EXISTS when another initiative of the plan has the same area and number.
absl::Status CheckNumberFree(Tx& tx, const IndexedInitiative& indexed,
                             const v1::Initiative& initiative) {
  pqxx::result rows = tx.exec_params(
      "SELECT i.name FROM initiatives i JOIN plans p ON p.id = i.plan_id "
      "WHERE p.name = $1 AND i.area_key = $2 AND i.number = $3 AND i.name <> $4",
      indexed.plan, indexed.area_key, initiative.number(), initiative.name());
  if (rows.empty()) return absl::OkStatus();
  return absl::AlreadyExistsError(
      absl::StrCat("area '", initiative.area(), "' number ", initiative.number(), " of plan '",
                   indexed.plan, "' is already taken by ", What(rows[0][0].as<std::string>())));
}

// FAILED_PRECONDITION while a closed rating round holds the plan's grades.
absl::Status CheckHumanRatingWritable(Tx& tx, const IndexedInitiative& indexed,
                                      const v1::Initiative* current,
                                      const v1::Initiative& initiative) {
  if (!rules::HumanRatingChanges(current, initiative)) return absl::OkStatus();
  return CheckGradesWritable(tx, indexed.plan);
}

// Writes the row and its scheduled years; `stored` already carries times and etag. The
// re-listing link gets its id when the target exists already (CheckRelistsTarget sets it
// once a batch has written every item).
void WriteRow(Tx& tx, const v1::Initiative& stored, const IndexedInitiative& indexed,
              int64_t version, bool insert) {
  const std::string relists_id = "(SELECT id FROM initiatives WHERE name = $9)";
  const pqxx::result row = tx.exec_params(
      insert ? absl::StrCat("INSERT INTO initiatives (area, area_key, number, theme_key, kind, "
                            "grade, search_text, version, relists_id, body, name, plan_id) "
                            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, ",
                            relists_id,
                            ", $10, $11, (SELECT id FROM plans WHERE name = $12)) RETURNING id")
             : absl::StrCat("UPDATE initiatives SET area = $1, area_key = $2, number = $3, "
                            "theme_key = $4, kind = $5, grade = $6, search_text = $7, "
                            "version = $8, relists_id = ",
                            relists_id,
                            ", body = $10 WHERE name = $11 AND plan_id = "
                            "(SELECT id FROM plans WHERE name = $12) RETURNING id"),
      stored.area(), indexed.area_key, stored.number(), indexed.theme_key,
      static_cast<int>(stored.kind()), stored.human_rating().grade(), indexed.search_text, version,
      stored.relists(), Bytes(stored), stored.name(), indexed.plan);
  const int64_t id = row[0][0].as<int64_t>();
  if (!insert) tx.exec_params("DELETE FROM initiative_years WHERE initiative_id = $1", id);
  for (int year : indexed.years) {
    tx.exec_params("INSERT INTO initiative_years (initiative_id, fiscal_year) VALUES ($1, $2)", id,
                   year);
  }
}

// Creates one initiative, except for the check of its re-listing link.
absl::StatusOr<v1::Initiative> Insert(WriteContext& w, const v1::Initiative& initiative,
                                      const IndexedInitiative& indexed) {
  const std::string& name = initiative.name();
  if (absl::Status s = CheckParentExists(w.tx, "plans", "plan", indexed.plan, name); !s.ok()) {
    return s;
  }
  if (LoadBody<v1::Initiative>(w.tx, kSelectBody, name).has_value()) {
    return absl::AlreadyExistsError(absl::StrCat(What(name), " already exists"));
  }
  if (absl::Status s = CheckNumberFree(w.tx, indexed, initiative); !s.ok()) return s;
  if (absl::Status s = CheckHumanRatingWritable(w.tx, indexed, nullptr, initiative); !s.ok()) {
    return s;
  }
  const int64_t version = w.Version();
  v1::Initiative stored = initiative;
  *stored.mutable_create_time() = ToTimestamp(w.now);
  *stored.mutable_update_time() = ToTimestamp(w.now);
  stored.set_etag(EtagOf(version));
  WriteRow(w.tx, stored, indexed, version, /*insert=*/true);
  RecordChanges(w, events::InitiativeWritten(nullptr, stored));
  return stored;
}

}  // namespace

absl::Status CheckRelistsTarget(Tx& tx, const v1::Initiative& initiative) {
  if (initiative.relists().empty()) return absl::OkStatus();
  pqxx::result linked = tx.exec_params(
      "UPDATE initiatives SET relists_id = t.id FROM initiatives t "
      "WHERE initiatives.name = $1 AND t.name = $2 RETURNING t.id",
      initiative.name(), initiative.relists());
  if (!linked.empty()) return absl::OkStatus();
  return absl::NotFoundError(absl::StrCat(What(initiative.relists()), " not found (re-listed by ",
                                          What(initiative.name()), ")"));
}

absl::StatusOr<v1::Initiative> InsertInitiative(WriteContext& w, const v1::Initiative& initiative,
                                                absl::string_view field) {
  absl::StatusOr<IndexedInitiative> indexed = rules::IndexInitiative(initiative, field);
  if (!indexed.ok()) return indexed.status();
  return Insert(w, initiative, *indexed);
}

absl::StatusOr<v1::Initiative> ReplaceInitiative(WriteContext& w, const v1::Initiative& initiative,
                                                 const v1::Initiative& current,
                                                 absl::string_view field) {
  absl::StatusOr<IndexedInitiative> indexed = rules::IndexInitiative(initiative, field);
  if (!indexed.ok()) return indexed.status();
  if (absl::Status s = CheckNumberFree(w.tx, *indexed, initiative); !s.ok()) return s;
  if (absl::Status s = CheckHumanRatingWritable(w.tx, *indexed, &current, initiative); !s.ok()) {
    return s;
  }
  const int64_t version = w.Version();
  v1::Initiative stored = initiative;
  *stored.mutable_create_time() = current.create_time();
  *stored.mutable_update_time() = ToTimestamp(w.now);
  stored.set_etag(EtagOf(version));
  WriteRow(w.tx, stored, *indexed, version, /*insert=*/false);
  RecordChanges(w, events::InitiativeWritten(&current, stored));
  return stored;
}

std::optional<v1::Initiative> FindInitiativeAt(Tx& tx, absl::string_view plan,
                                               absl::string_view area, int32_t number) {
  pqxx::result rows = tx.exec_params(
      "SELECT i.body, i.name FROM initiatives i JOIN plans p ON p.id = i.plan_id "
      "WHERE p.name = $1 AND i.area_key = $2 AND i.number = $3",
      std::string(plan), MatchingForm(area), number);
  if (rows.empty()) return std::nullopt;
  return ParseBody<v1::Initiative>(rows[0][0], rows[0][1].c_str());
}

absl::StatusOr<v1::Initiative> PostgresStore::CreateInitiative(const v1::Initiative& initiative,
                                                               absl::string_view request_id) {
  absl::StatusOr<IndexedInitiative> indexed = rules::IndexInitiative(initiative, "initiative");
  if (!indexed.ok()) return indexed.status();
  v1::Initiative stored;
  absl::Status status = Write([&](WriteContext& w) -> absl::Status {
    absl::StatusOr<std::optional<v1::Initiative>> previous =
        PreviousCreate<v1::Initiative>(w.tx, kInitiativeRequest, request_id, kSelectBody);
    if (!previous.ok()) return previous.status();
    if (previous->has_value()) {
      stored = **previous;
      return absl::OkStatus();
    }
    absl::StatusOr<v1::Initiative> created = Insert(w, initiative, *indexed);
    if (!created.ok()) return created.status();
    if (absl::Status s = CheckRelistsTarget(w.tx, *created); !s.ok()) return s;
    stored = *std::move(created);
    RecordRequest(w, kInitiativeRequest, request_id, {stored.name()});
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return stored;
}

absl::StatusOr<std::vector<v1::Initiative>> PostgresStore::BatchCreateInitiatives(
    const std::vector<v1::Initiative>& initiatives, absl::string_view request_id) {
  std::vector<IndexedInitiative> indexed;
  indexed.reserve(initiatives.size());
  for (size_t i = 0; i < initiatives.size(); ++i) {
    absl::StatusOr<IndexedInitiative> one =
        rules::IndexInitiative(initiatives[i], absl::StrCat("initiatives[", i, "]"));
    if (!one.ok()) return one.status();
    indexed.push_back(*std::move(one));
  }
  std::vector<v1::Initiative> created;
  absl::Status status = Write([&](WriteContext& w) -> absl::Status {
    created.clear();
    const std::vector<std::string> previous =
        FindRequest(w.tx, kInitiativeBatchRequest, request_id);
    for (const std::string& name : previous) {
      std::optional<v1::Initiative> found = LoadBody<v1::Initiative>(w.tx, kSelectBody, name);
      if (!found.has_value()) return rules::RequestTargetGone(request_id, name);
      created.push_back(*std::move(found));
    }
    if (!previous.empty()) return absl::OkStatus();
    std::vector<std::string> names;
    for (size_t i = 0; i < initiatives.size(); ++i) {
      absl::StatusOr<v1::Initiative> one = Insert(w, initiatives[i], indexed[i]);
      if (!one.ok()) return ForItem(one.status(), i);
      names.push_back(one->name());
      created.push_back(*std::move(one));
    }
    // Links are checked once every item exists, so an item may re-list a later one.
    for (size_t i = 0; i < created.size(); ++i) {
      if (absl::Status s = CheckRelistsTarget(w.tx, created[i]); !s.ok()) return ForItem(s, i);
    }
    RecordRequest(w, kInitiativeBatchRequest, request_id, names);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return created;
}

absl::StatusOr<v1::Initiative> PostgresStore::GetInitiative(absl::string_view name) {
  if (auto parsed = ParseInitiativeName(name, "name"); !parsed.ok()) return parsed.status();
  v1::Initiative initiative;
  absl::Status status = Read([&](Tx& tx) -> absl::Status {
    absl::StatusOr<v1::Initiative> found = Load(tx, name);
    if (!found.ok()) return found.status();
    initiative = *std::move(found);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return initiative;
}

absl::StatusOr<ListResult<v1::Initiative>> PostgresStore::ListInitiatives(
    absl::string_view parent, const v1::InitiativeFilter& filter, Page page) {
  if (auto plan = ParsePlanName(parent, "parent"); !plan.ok()) return plan.status();
  std::string where = " WHERE i.plan_id = (SELECT id FROM plans WHERE name = $1)";
  Arguments arguments{std::string(parent)};
  // Appends " AND <condition>" where "$" in `condition` stands for the next parameter.
  auto add = [&](absl::string_view condition, std::string value) {
    arguments.push_back(std::move(value));
    const std::string parameter = absl::StrCat("$", arguments.size());
    std::string text(condition);
    for (size_t at = text.find('$'); at != std::string::npos; at = text.find('$', at + 1)) {
      text.replace(at, 1, parameter);
      at += parameter.size() - 1;
    }
    absl::StrAppend(&where, " AND ", text);
  };
  if (!filter.area().empty()) add("i.area_key = $", MatchingForm(filter.area()));
  if (!filter.theme().empty()) add("i.theme_key = $", MatchingForm(filter.theme()));
  if (filter.kind() != v1::INITIATIVE_KIND_UNSPECIFIED) {
    add("i.kind = $", absl::StrCat(int{filter.kind()}));
  }
  // "-" asks for the initiatives nobody has rated yet.
  if (!filter.grade().empty()) add("i.grade = $", filter.grade() == "-" ? "" : filter.grade());
  if (filter.fiscal_year() != 0) {
    add("EXISTS (SELECT 1 FROM initiative_years y WHERE y.initiative_id = i.id AND "
        "y.fiscal_year = $)",
        absl::StrCat(filter.fiscal_year()));
  }
  if (!filter.text_contains().empty()) {
    // A LIKE, which the trigram indexes (migration 4) answer; the outcomes' matches are one
    // set of the plan's initiatives (not correlated: $1 is the plan), made once, rather than
    // a lookup per initiative.
    arguments.push_back(ContainsPattern(filter.text_contains()));
    const std::string pattern = absl::StrCat("$", arguments.size());
    absl::StrAppend(&where, " AND (i.search_text LIKE ", pattern,
                    " OR i.id IN (SELECT o.initiative_id FROM outcomes o WHERE o.plan_id = "
                    "(SELECT id FROM plans WHERE name = $1) AND o.search_text LIKE ",
                    pattern, "))");
  }
  return ReadPage<v1::Initiative>(
      {.select = absl::StrCat("SELECT i.body, i.name FROM initiatives i", kJoinAreaPosition, where,
                              " ORDER BY ", kInitiativeOrder),
       .count = absl::StrCat("SELECT count(*) FROM initiatives i", where),
       .arguments = std::move(arguments),
       .parent = ListQuery::Parent{"plans", "plan", std::string(parent)}},
      page);
}

absl::StatusOr<v1::Initiative> PostgresStore::UpdateInitiative(const v1::Initiative& initiative,
                                                               absl::string_view expected_etag,
                                                               RatingAfterWrite* rating) {
  if (rating != nullptr) rating->recorded = false;
  if (auto indexed = rules::IndexInitiative(initiative, "initiative"); !indexed.ok()) {
    return indexed.status();
  }
  const std::string& name = initiative.name();
  v1::Initiative stored;
  absl::Status status = Write([&](WriteContext& w) -> absl::Status {
    absl::StatusOr<v1::Initiative> current = Load(w.tx, name);
    if (!current.ok()) return current.status();
    if (absl::Status s = CheckEtag(What(name), current->etag(), expected_etag); !s.ok()) return s;
    if (!initiative.relists().empty() &&
        !LoadBody<v1::Initiative>(w.tx, kSelectBody, initiative.relists()).has_value()) {
      return absl::NotFoundError(
          absl::StrCat(What(initiative.relists()), " not found (re-listed by ", What(name), ")"));
    }
    absl::StatusOr<v1::Initiative> replaced =
        ReplaceInitiative(w, initiative, *current, "initiative");
    if (!replaced.ok()) return replaced.status();
    stored = *std::move(replaced);
    return RecordRatingAfterWrite(w, rating);
  });
  if (!status.ok()) return status;
  return stored;
}

absl::Status PostgresStore::DeleteInitiative(absl::string_view name, bool force,
                                             absl::string_view expected_etag) {
  if (auto parsed = ParseInitiativeName(name, "name"); !parsed.ok()) return parsed.status();
  return Write([&](WriteContext& w) -> absl::Status {
    absl::StatusOr<v1::Initiative> current = Load(w.tx, name);
    if (!current.ok()) return current.status();
    if (absl::Status s = CheckEtag(What(name), current->etag(), expected_etag); !s.ok()) return s;
    if (!force) {
      absl::Status refused = RefuseIfChildren(
          w.tx, What(name), name,
          {"SELECT count(*) FROM outcomes o JOIN initiatives i ON i.id = o.initiative_id "
           "WHERE i.name = $1",
           "outcome", "outcomes", "delete them first, or delete with force to remove them too"});
      if (!refused.ok()) return refused;
      pqxx::result relisted = w.tx.exec_params(
          "SELECT r.name FROM initiatives r JOIN initiatives t ON t.id = r.relists_id "
          "WHERE t.name = $1 AND r.name <> $1 ORDER BY r.name LIMIT 1",
          std::string(name));
      if (!relisted.empty()) {
        return absl::FailedPreconditionError(
            absl::StrCat(What(name), " is re-listed by ", What(relisted[0][0].as<std::string>()),
                         "; remove that link first, or delete with force to clear it"));
      }
    }
    // ON DELETE CASCADE removes its outcomes and scheduled years.
    DeleteRow(w.tx, "initiatives", name);
    RecordChange(w, events::Deletion(v1::RESOURCE_KIND_INITIATIVE, name));
    ClearDanglingRelists(w);
    return absl::OkStatus();
  });
}

void ClearDanglingRelists(WriteContext& w) {
  pqxx::result dangling = w.tx.exec(
      "SELECT i.body, i.name FROM initiatives i WHERE i.relists_id IS NOT NULL AND NOT EXISTS "
      "(SELECT 1 FROM initiatives t WHERE t.id = i.relists_id) ORDER BY i.name");
  if (dangling.empty()) return;
  const int64_t version = w.Version();
  for (const pqxx::row& row : dangling) {
    v1::Initiative initiative = ParseBody<v1::Initiative>(row[0], row[1].c_str());
    initiative.clear_relists();
    *initiative.mutable_update_time() = ToTimestamp(w.now);
    initiative.set_etag(EtagOf(version));
    w.tx.exec_params(
        "UPDATE initiatives SET relists_id = NULL, version = $1, body = $2 WHERE name = $3",
        version, Bytes(initiative), initiative.name());
    RecordChanges(w, events::InitiativeWritten(&initiative, initiative));
  }
}

}  // namespace torikumi::store::postgres
