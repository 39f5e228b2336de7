#include "store/store.h"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <functional>
#include <optional>
#include <tuple>
#include <unordered_map>

#include "store/store_impl.h"

namespace shihyo {

namespace {

// A prepared statement read through SQLite's C API: SQLiteCpp's Column
// objects (a shared_ptr copy each, a std::string per text) were a third of
// the time of loading a plan. Errors throw SQLite::Exception, as SQLiteCpp's.
class Query {
 public:
  Query(SQLite::Database& db, const std::string& sql) : db_(db.getHandle()) {
    Check(sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt_, nullptr));
  }
  ~Query() { sqlite3_finalize(stmt_); }
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;

  // Ready to run again (also after a step that threw).
  void Reset() { sqlite3_reset(stmt_); }
  void Bind(int index, int64_t value) { Check(sqlite3_bind_int64(stmt_, index, value)); }
  // The next row; false when there is none.
  bool Step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc != SQLITE_DONE) throw SQLite::Exception(db_, rc);
    return false;
  }
  bool IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  int Int(int col) const { return sqlite3_column_int(stmt_, col); }
  int64_t Int64(int col) const { return sqlite3_column_int64(stmt_, col); }
  double Double(int col) const { return sqlite3_column_double(stmt_, col); }
  // The text of a column ("" for NULL), valid until the next step.
  std::string_view Text(int col) const {
    const void* data = sqlite3_column_blob(stmt_, col);
    if (!data) return {};
    return {static_cast<const char*>(data), static_cast<size_t>(sqlite3_column_bytes(stmt_, col))};
  }
  std::string String(int col) const { return std::string(Text(col)); }

 private:
  void Check(int rc) {
    if (rc != SQLITE_OK) throw SQLite::Exception(db_, rc);
  }
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

// Reads a cell's columns; false (and |*bad_status| set) for a status no
// build writes. The caller names the row only then: no text per good row.
bool ReadCell(Query& q, int value_col, int unit_col, int status_col, int annotated_col,
              CellValue* cell, std::string* bad_status) {
  std::optional<CellStatus> parsed = StatusFromName(q.Text(status_col));
  if (!parsed) {
    *bad_status = q.String(status_col);
    return false;
  }
  cell->status = *parsed;
  if (!q.IsNull(value_col)) cell->value = q.Double(value_col);
  cell->unit.assign(q.Text(unit_col));
  cell->annotated = q.Int(annotated_col) != 0;
  return true;
}

Status UnknownStatus(const std::string& where, const std::string& status) {
  return Status::InvalidArgument(where + ": unknown status '" + status + "'");
}

// The v2 columns of an indicator row, read by ReadExtra.
constexpr const char* kExtraColumns =
    "coalesce(i.code, ''), coalesce(i.unit, ''), coalesce(i.direction_raw, ''), i.target_year,"
    " coalesce(i.target_year_kind, ''), i.baseline_raw, i.baseline_value,"
    " coalesce(i.baseline_unit, ''), i.baseline_status, i.baseline_annotated, i.baseline_year,"
    " coalesce(i.baseline_year_kind, '')";

Status ReadExtra(Query& q, int first, const std::function<std::string()>& where, Indicator* ind) {
  ind->code.assign(q.Text(first));
  ind->unit.assign(q.Text(first + 1));
  ind->direction_raw.assign(q.Text(first + 2));
  if (!q.IsNull(first + 3)) ind->target_year = q.Int(first + 3);
  ind->target_year_kind.assign(q.Text(first + 4));
  if (!q.IsNull(first + 5)) {
    ind->baseline_raw.assign(q.Text(first + 5));
    std::string bad;
    if (!ReadCell(q, first + 6, first + 7, first + 8, first + 9, &ind->baseline, &bad)) {
      return UnknownStatus(where(), bad);
    }
  }
  if (!q.IsNull(first + 10)) ind->baseline_year = q.Int(first + 10);
  ind->baseline_year_kind.assign(q.Text(first + 11));
  return Status::Ok();
}

// Columns 11–20 of LoadIndicators' query: the target, its flags, the
// direction and the aggregation.
Status ReadTarget(Query& q, const std::function<std::string()>& where, Indicator* ind) {
  ind->target_raw.assign(q.Text(11));
  std::string bad;
  if (!ReadCell(q, 12, 13, 14, 15, &ind->target, &bad)) return UnknownStatus(where(), bad);
  ind->target.per_year = q.Int(16) != 0;
  ind->target.cumulative = q.Int(17) != 0;
  std::string_view bound = q.Text(18);
  ind->target.bound = bound == "at_least"  ? Bound::kAtLeast
                      : bound == "at_most" ? Bound::kAtMost
                                           : Bound::kNone;
  auto direction = DirectionFromName(q.Text(19));
  auto aggregation = AggregationFromName(q.Text(20));
  if (!direction || !aggregation) {
    return Status::InvalidArgument(where() + ": unknown direction or aggregation");
  }
  ind->direction = *direction;
  ind->aggregation = *aggregation;
  return Status::Ok();
}

// The SQL that limits a load to one plan (its id bound as parameter 1), or
// nothing for every plan. |id_column| names the row's indicator id.
std::string OnePlan(bool one, const char* id_column) {
  if (!one) return "";
  return std::string(" WHERE ") + id_column +
         " IN (SELECT i.id FROM projects pr JOIN measures m ON m.project_id = pr.id"
         " JOIN indicators i ON i.measure_id = m.id WHERE pr.plan_id = ?1)";
}

std::string IndicatorsSql(bool one) {
  return "SELECT i.id, pr.plan_id, pr.heading, pr.number, m.text, m.marker, m.id,"
         " i.name, coalesce(i.department, ''), i.ordinal, i.source_line,"
         " i.target_raw, i.target_value, i.target_unit, i.target_status,"
         " i.target_annotated, i.target_per_year, i.target_cumulative,"
         " i.target_bound, i.direction, i.aggregation, " +
         std::string(kExtraColumns) +
         " FROM indicators i JOIN measures m ON i.measure_id = m.id"
         " JOIN projects pr ON m.project_id = pr.id" +
         (one ? std::string(" WHERE pr.plan_id = ?1")  // sorted by SortByTableOrder: no sorter
              : std::string(" ORDER BY pr.plan_id, i.ordinal, i.id"));
}

// The statements that load plan contents (of one plan, its id bound as
// parameter 1, when |one|), prepared once and reused for every plan.
struct PlanQueries {
  PlanQueries(SQLite::Database& db, bool one_plan)
      : one(one_plan),
        indicators(db, IndicatorsSql(one)),
        footnotes(db, "SELECT text FROM footnotes WHERE measure_id = ? ORDER BY ordinal"),
        observations(db, ObservationsSql(OnePlan(one, "indicator_id"))),
        planned(db, PlannedSql(OnePlan(one, "indicator_id"))),
        notes(db, NotesSql(OnePlan(one, "indicator_id"))) {
    if (one) {
      observations_range.emplace(db, ObservationsSql(kIdRange));
      planned_range.emplace(db, PlannedSql(kIdRange));
      notes_range.emplace(db, NotesSql(kIdRange));
    }
  }

  // Resets |q| (after a step that threw, too) and binds the plan's id.
  void Start(Query& q, const std::vector<Plan>& plans) const {
    q.Reset();
    if (one) q.Bind(1, plans.front().id);
  }

  // |by_plan|, started; or, when the plan's indicator ids are a range with
  // no other id in it (as one import writes them), |by_range| over it: a
  // range scan instead of a subquery joining three tables per plan.
  Query& StartRows(Query& by_plan, std::optional<Query>& by_range, const std::vector<Plan>& plans) {
    if (!one || !by_range || id_count == 0 || max_id - min_id + 1 != id_count) {
      Start(by_plan, plans);
      return by_plan;
    }
    by_range->Reset();
    by_range->Bind(1, min_id);
    by_range->Bind(2, max_id);
    return *by_range;
  }

  static constexpr const char* kIdRange = " WHERE indicator_id BETWEEN ?1 AND ?2";
  static std::string ObservationsSql(const std::string& where) {
    return "SELECT indicator_id, fiscal_year, raw, value, unit, status, annotated,"
           " coalesce(parse_error, ''), coalesce(reported_rate_raw, ''), reported_rate"
           " FROM observations" +
           where + " ORDER BY indicator_id, fiscal_year";
  }
  static std::string PlannedSql(const std::string& where) {
    return "SELECT indicator_id, year, year_kind, raw FROM planned_values" + where +
           " ORDER BY indicator_id, ordinal";
  }
  static std::string NotesSql(const std::string& where) {
    return "SELECT indicator_id, label, text FROM indicator_notes" + where +
           " ORDER BY indicator_id, ordinal";
  }

  bool one;
  Query indicators, footnotes, observations, planned, notes;
  std::optional<Query> observations_range, planned_range, notes_range;  // when |one|
  size_t indicators_hint = 0;  // the most indicators a plan had: reserved for the next
  // The ids of the indicators of the plan loaded last (when |one|).
  int64_t min_id = 0, max_id = 0, id_count = 0;
};

// Table order (ordinal, then id), as the query of every plan sorts them;
// SQLite's sorter cost more than this check that they come so already.
void SortByTableOrder(std::vector<Indicator>* indicators) {
  auto before = [](const Indicator& a, const Indicator& b) {
    return std::tie(a.ordinal, a.id) < std::tie(b.ordinal, b.id);
  };
  if (std::is_sorted(indicators->begin(), indicators->end(), before)) return;
  std::vector<size_t> order(indicators->size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return before((*indicators)[a], (*indicators)[b]); });
  std::vector<Indicator> sorted;
  sorted.reserve(order.size());
  for (size_t i : order) sorted.push_back(std::move((*indicators)[i]));
  *indicators = std::move(sorted);
}

// The indicators of |plans| (of only plans->front() when q.one).
Status LoadIndicators(PlanQueries& queries, const std::string& path, std::vector<Plan>* plans) {
  std::unordered_map<int64_t, size_t> plan_index;
  for (size_t i = 0; i < plans->size(); ++i) plan_index[(*plans)[i].id] = i;
  Query& q = queries.indicators;
  queries.Start(q, *plans);
  if (queries.one) plans->front().indicators.reserve(queries.indicators_hint);
  Query& notes = queries.footnotes;
  std::unordered_map<int64_t, std::vector<std::string>> footnotes_by_measure;
  while (q.Step()) {
    auto plan_it = plan_index.find(q.Int64(1));
    if (plan_it == plan_index.end()) continue;
    Plan& plan = (*plans)[plan_it->second];
    Indicator& ind = plan.indicators.emplace_back();  // filled in place: an Indicator is large
    ind.id = q.Int64(0);
    auto where = [&] { return path + ": indicators row " + std::to_string(ind.id); };
    ind.plan = plan.name;
    ind.project.assign(q.Text(2));
    ind.project_number = q.Int(3);
    ind.measure.assign(q.Text(4));
    ind.measure_marker.assign(q.Text(5));
    int64_t measure_id = q.Int64(6);
    auto [fn_it, inserted] = footnotes_by_measure.try_emplace(measure_id);
    if (inserted) {
      notes.Reset();
      notes.Bind(1, measure_id);
      while (notes.Step()) fn_it->second.push_back(notes.String(0));
      notes.Reset();
    }
    ind.footnotes = fn_it->second;
    ind.name.assign(q.Text(7));
    ind.department.assign(q.Text(8));
    ind.ordinal = q.Int(9);
    ind.source_line = q.Int(10);
    if (Status target = ReadTarget(q, where, &ind); !target.ok()) return target;
    if (Status extra = ReadExtra(q, 21, where, &ind); !extra.ok()) return extra;
    ind.observations.reserve(static_cast<size_t>(plan.last_year - plan.first_year + 1));
    for (int fy = plan.first_year; fy <= plan.last_year; ++fy) {
      ind.observations.push_back(Observation{fy, "", CellValue{}, /*in_table=*/false});
    }
  }
  if (queries.one) {
    SortByTableOrder(&plans->front().indicators);
    const std::vector<Indicator>& loaded = plans->front().indicators;
    queries.indicators_hint = std::max(queries.indicators_hint, loaded.size());
    queries.id_count = static_cast<int64_t>(loaded.size());
    queries.min_id = queries.max_id = loaded.empty() ? 0 : loaded.front().id;
    for (const Indicator& ind : loaded) {
      queries.min_id = std::min(queries.min_id, ind.id);
      queries.max_id = std::max(queries.max_id, ind.id);
    }
  }
  return Status::Ok();
}

std::unordered_map<int64_t, Indicator*> IndicatorsById(std::vector<Plan>* plans) {
  std::unordered_map<int64_t, Indicator*> by_id;
  for (Plan& p : *plans) {
    for (Indicator& ind : p.indicators) by_id[ind.id] = &ind;
  }
  return by_id;
}

// The observations of the indicators of |plans|, by indicator id: one
// lookup per indicator, not per row.
Status LoadObservations(PlanQueries& queries, const std::string& path,
                        const std::unordered_map<int64_t, Indicator*>& by_id,
                        std::vector<Plan>* plans) {
  Query& q = queries.StartRows(queries.observations, queries.observations_range, *plans);
  int64_t last_id = 0;
  Indicator* ind = nullptr;
  while (q.Step()) {
    int64_t id = q.Int64(0);
    if (!ind || id != last_id) {
      auto it = by_id.find(id);
      ind = it == by_id.end() ? nullptr : it->second;
      last_id = id;
    }
    if (!ind || ind->observations.empty()) continue;
    int fy = q.Int(1);
    int first = ind->observations.front().fiscal_year;
    if (fy < first || fy > ind->observations.back().fiscal_year) continue;  // outside the plan
    Observation& obs = ind->observations[static_cast<size_t>(fy - first)];
    obs.in_table = true;
    obs.raw.assign(q.Text(2));
    std::string bad;
    if (!ReadCell(q, 3, 4, 5, 6, &obs.cell, &bad)) {
      return UnknownStatus(path + ": observation of indicator " + std::to_string(ind->id) + " FY" +
                               std::to_string(fy),
                           bad);
    }
    obs.cell.error.assign(q.Text(7));
    if (std::string_view rate = q.Text(8); !rate.empty()) {
      std::optional<double> value;
      if (!q.IsNull(9)) value = q.Double(9);
      ind->reported_rates.push_back(ReportedRate{fy, std::string(rate), value});
    }
  }
  return Status::Ok();
}

// Planned values and notes (schema v2).
void LoadIndicatorExtras(PlanQueries& queries, const std::unordered_map<int64_t, Indicator*>& by_id,
                         std::vector<Plan>* plans) {
  Query& planned = queries.StartRows(queries.planned, queries.planned_range, *plans);
  while (planned.Step()) {
    auto it = by_id.find(planned.Int64(0));
    if (it == by_id.end()) continue;
    PlannedValue v;
    v.year = planned.Int(1);
    v.year_kind = planned.String(2);
    v.raw = planned.String(3);
    v.cell = ParseCell(v.raw);
    if (v.cell.status == CellStatus::kValue && v.cell.unit.empty()) v.cell.unit = it->second->unit;
    it->second->planned.push_back(std::move(v));
  }
  Query& notes = queries.StartRows(queries.notes, queries.notes_range, *plans);
  while (notes.Step()) {
    auto it = by_id.find(notes.Int64(0));
    if (it == by_id.end()) continue;
    it->second->notes.push_back(IndicatorNote{notes.String(1), notes.String(2)});
  }
}

}  // namespace

IndicatorStore::IndicatorStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
IndicatorStore::~IndicatorStore() = default;

int IndicatorStore::LatestSchemaVersion() { return LatestStoreSchema(); }

uint64_t IndicatorStore::serial() const { return impl_->serial; }

Result<std::unique_ptr<IndicatorStore>> IndicatorStore::Open(const std::string& path, Mode mode,
                                                             int busy_timeout_ms) {
  bool read_only = mode == Mode::kReadOnly;
  std::error_code ec;
  std::filesystem::file_status st = std::filesystem::status(path, ec);
  if (read_only && !std::filesystem::exists(st)) {
    return Status::NotFound(path + ": no such indicator store (create it with `shihyo import`)");
  }
  // A file replaced by a FIFO after this check is the operator's doing, not
  // an input's.
  if (Status regular = RequireRegularFile(path, "the indicator store"); !regular.ok()) {
    return regular;
  }
  std::unique_ptr<Impl> impl;
  Status s = GuardSqlite(path, "open", [&]() -> Status {
    // A connection is used by one thread (`shihyo import`'s, or the
    // daemon's loop or one HTTP request): no mutex around every SQLite call
    // (a twentieth of an import's time, ~5 % of loading every plan).
    int flags = read_only ? SQLite::OPEN_READONLY | SQLite::OPEN_NOMUTEX
                          : SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX;
    impl = std::make_unique<Impl>(path, flags, busy_timeout_ms);
    static std::atomic<uint64_t> serials{0};
    impl->serial = ++serials;
    impl->db.exec("PRAGMA foreign_keys = ON");
    if (!read_only) impl->db.exec("PRAGMA journal_mode = WAL");
    return MigrateStore(*impl, read_only);
  });
  if (!s.ok()) return s;
  return std::unique_ptr<IndicatorStore>(new IndicatorStore(std::move(impl)));
}

namespace {

// The rows of the plans table, without their indicators.
Status LoadPlanRows(SQLite::Database& db, const std::string& path, std::vector<Plan>* plans) {
  Query q(db,
          "SELECT id, name, first_year, last_year, notes, source, imported_at,"
          " year_kind, layout FROM plans ORDER BY id");
  while (q.Step()) {
    Plan p;
    p.id = q.Int64(0);
    p.name = q.String(1);
    p.first_year = q.Int(2);
    p.last_year = q.Int(3);
    if (p.last_year < p.first_year || p.last_year - p.first_year > 100) {
      return Status::InvalidArgument(path + ": plan '" + p.name +
                                     "' has an impossible plan period");
    }
    std::string notes = q.String(4);
    for (size_t start = 0; start < notes.size();) {
      size_t end = notes.find('\n', start);
      if (end == std::string::npos) end = notes.size();
      p.notes.push_back(notes.substr(start, end - start));
      start = end + 1;
    }
    p.source = q.String(5);
    p.imported_at = q.String(6);
    p.year_kind = q.String(7);
    p.layout = q.String(8);
    plans->push_back(std::move(p));
  }
  return Status::Ok();
}

// The indicators, observations and extras of |plans| (only of its one plan when queries.one).
Status LoadPlanContents(PlanQueries& queries, const std::string& path, std::vector<Plan>* plans) {
  Status loaded = LoadIndicators(queries, path, plans);
  if (!loaded.ok()) return loaded;
  std::unordered_map<int64_t, Indicator*> by_id = IndicatorsById(plans);
  loaded = LoadObservations(queries, path, by_id, plans);
  if (!loaded.ok()) return loaded;
  LoadIndicatorExtras(queries, by_id, plans);
  return Status::Ok();
}

}  // namespace

Result<std::vector<Plan>> IndicatorStore::LoadPlans() {
  std::vector<Plan> plans;
  Status s = GuardSqlite(impl_->path, "load", [&]() -> Status {
    SQLite::Transaction snapshot(impl_->db);  // one consistent read
    Status loaded = LoadPlanRows(impl_->db, impl_->path, &plans);
    if (!loaded.ok()) return loaded;
    PlanQueries all(impl_->db, false);
    return LoadPlanContents(all, impl_->path, &plans);
  });
  if (!s.ok()) return s;
  return plans;
}

namespace {

// The version list of a v3 store; false (and nothing read) for an older one.
bool ReadVersions(SQLite::Database& db, VersionedPlans* out) {
  if (db.execAndGet("PRAGMA user_version").getInt() < 3) return false;
  SQLite::Statement g(db, "SELECT generation FROM store_state WHERE id = 1");
  if (!g.executeStep()) return false;  // the row was deleted: treat as unversioned
  out->generation = g.getColumn(0).getInt64();
  SQLite::Statement q(db, "SELECT id, version FROM plans ORDER BY id");
  while (q.executeStep()) {
    out->versions.push_back(PlanVersion{q.getColumn(0).getInt64(), q.getColumn(1).getInt64()});
  }
  return true;
}

}  // namespace

Result<VersionedPlans> IndicatorStore::LoadPlansIf(
    const std::function<bool(const PlanVersion&)>& want) {
  VersionedPlans out;
  Status s = GuardSqlite(impl_->path, "load", [&]() -> Status {
    SQLite::Transaction snapshot(impl_->db);  // one consistent read
    out.versioned = ReadVersions(impl_->db, &out);
    std::vector<Plan> rows;
    Status loaded = LoadPlanRows(impl_->db, impl_->path, &rows);
    if (!loaded.ok()) return loaded;
    if (!out.versioned) {
      out.versions.clear();
      for (const Plan& p : rows) out.versions.push_back(PlanVersion{p.id, 0});
    }
    for (size_t i = 0; i < rows.size(); ++i) {
      // The two lists come from one snapshot and both go by id.
      if (!out.versioned || i >= out.versions.size() || out.versions[i].id != rows[i].id ||
          want(out.versions[i])) {
        out.plans.push_back(std::move(rows[i]));
      }
    }
    // Few plans: one query each; many: one pass over every row.
    if (out.plans.size() * 8 > rows.size()) {
      PlanQueries all(impl_->db, false);
      return LoadPlanContents(all, impl_->path, &out.plans);
    }
    PlanQueries each(impl_->db, true);
    for (Plan& p : out.plans) {
      std::vector<Plan> one;
      one.push_back(std::move(p));
      loaded = LoadPlanContents(each, impl_->path, &one);
      if (!loaded.ok()) return loaded;
      p = std::move(one.front());
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Status IndicatorStore::ForEachPlan(const std::function<void(Plan&& plan)>& each) {
  return GuardSqlite(impl_->path, "load", [&]() -> Status {
    SQLite::Transaction snapshot(impl_->db);  // one consistent read
    std::vector<Plan> rows;
    Status loaded = LoadPlanRows(impl_->db, impl_->path, &rows);
    if (!loaded.ok()) return loaded;
    PlanQueries queries(impl_->db, true);
    for (Plan& row : rows) {
      std::vector<Plan> one;
      one.push_back(std::move(row));
      loaded = LoadPlanContents(queries, impl_->path, &one);
      if (!loaded.ok()) return loaded;
      each(std::move(one.front()));
    }
    return Status::Ok();
  });
}

Result<std::vector<CellChange>> IndicatorStore::LoadChanges() {
  std::vector<CellChange> changes;
  Status s = GuardSqlite(impl_->path, "load history", [&]() -> Status {
    SQLite::Statement q(impl_->db,
                        "SELECT im.imported_at, im.source, p.name, c.indicator, c.fiscal_year,"
                        " c.old_raw, c.new_raw FROM changes c"
                        " JOIN imports im ON c.import_id = im.id JOIN plans p ON im.plan_id = p.id"
                        " ORDER BY c.id");
    while (q.executeStep()) {
      CellChange c;
      c.imported_at = q.getColumn(0).getString();
      c.source = q.getColumn(1).getString();
      c.plan = q.getColumn(2).getString();
      c.indicator = q.getColumn(3).getString();
      if (!q.getColumn(4).isNull()) c.fiscal_year = q.getColumn(4).getInt();
      if (!q.getColumn(5).isNull()) c.old_raw = q.getColumn(5).getString();
      if (!q.getColumn(6).isNull()) c.new_raw = q.getColumn(6).getString();
      changes.push_back(std::move(c));
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return changes;
}

Result<int64_t> IndicatorStore::DataVersion() {
  int64_t version = 0;
  Status s = GuardSqlite(impl_->path, "data_version", [&]() -> Status {
    if (!impl_->data_version) impl_->data_version.emplace(impl_->db, "PRAGMA data_version");
    impl_->data_version->tryReset();  // after a step that threw
    impl_->data_version->executeStep();
    version = impl_->data_version->getColumn(0).getInt64();
    impl_->data_version->reset();  // ends the read transaction
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return version;
}

}  // namespace shihyo
