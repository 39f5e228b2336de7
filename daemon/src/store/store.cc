#include "store/store.h"

#include <filesystem>
#include <unordered_map>

#include "store/store_impl.h"

namespace shihyo {

extern const char kSchemaSql[];  // data/schema.sql, embedded at build time

namespace {

// Forward migrations: kMigrations[i] takes a store from version i+1 to i+2.
// data/schema.sql always creates the latest version directly.
const char* const kMigrations[] = {nullptr};
constexpr int kLatestVersion = 1;

Status Migrate(IndicatorStore::Impl& impl, bool read_only) {
  SQLite::Database& db = impl.db;
  int version = db.execAndGet("PRAGMA user_version").getInt();
  if (version > kLatestVersion) {
    return Status::InvalidArgument(impl.path + ": store schema version " + std::to_string(version) +
                                   " is newer than this shihyo (" + std::to_string(kLatestVersion) +
                                   "); upgrade shihyo");
  }
  if (version == kLatestVersion) return Status::Ok();
  if (version == 0) {
    int tables = db.execAndGet("SELECT count(*) FROM sqlite_master WHERE type = 'table'").getInt();
    if (tables > 0) {
      return Status::InvalidArgument(impl.path +
                                     ": not a shihyo indicator store (tables but no user_version)");
    }
  }
  if (read_only) {
    return Status::InvalidArgument(impl.path + ": store schema version " + std::to_string(version) +
                                   " needs migrating to " + std::to_string(kLatestVersion) +
                                   "; run `shihyo import` once to upgrade it");
  }
  SQLite::Transaction txn(db);
  if (version == 0) {
    db.exec(kSchemaSql);
  } else {
    for (int v = version; v < kLatestVersion; ++v) db.exec(kMigrations[v - 1]);
  }
  db.exec("PRAGMA user_version = " + std::to_string(kLatestVersion));
  txn.commit();
  return Status::Ok();
}

CellValue ReadCell(SQLite::Statement& q, int value_col, int unit_col, int status_col,
                   int annotated_col, const std::string& where, Status* error) {
  CellValue cell;
  std::string status = q.getColumn(status_col).getString();
  std::optional<CellStatus> parsed = StatusFromName(status);
  if (!parsed) {
    *error = Status::InvalidArgument(where + ": unknown status '" + status + "'");
    return cell;
  }
  cell.status = *parsed;
  if (!q.getColumn(value_col).isNull()) cell.value = q.getColumn(value_col).getDouble();
  cell.unit = q.getColumn(unit_col).getString();
  cell.annotated = q.getColumn(annotated_col).getInt() != 0;
  return cell;
}

Status LoadIndicators(SQLite::Database& db, const std::string& path, std::vector<Plan>* plans) {
  std::unordered_map<int64_t, size_t> plan_index;
  for (size_t i = 0; i < plans->size(); ++i) plan_index[(*plans)[i].id] = i;
  SQLite::Statement q(db,
                      "SELECT i.id, pr.plan_id, pr.heading, pr.number, m.text, m.marker, m.id,"
                      " i.name, coalesce(i.department, ''), i.ordinal, i.source_line,"
                      " i.target_raw, i.target_value, i.target_unit, i.target_status,"
                      " i.target_annotated, i.target_per_year, i.target_cumulative,"
                      " i.target_bound, i.direction, i.aggregation"
                      " FROM indicators i JOIN measures m ON i.measure_id = m.id"
                      " JOIN projects pr ON m.project_id = pr.id"
                      " ORDER BY pr.plan_id, i.ordinal, i.id");
  SQLite::Statement notes(db, "SELECT text FROM footnotes WHERE measure_id = ? ORDER BY ordinal");
  std::unordered_map<int64_t, std::vector<std::string>> footnotes_by_measure;
  while (q.executeStep()) {
    Indicator ind;
    ind.id = q.getColumn(0).getInt64();
    std::string where = path + ": indicators row " + std::to_string(ind.id);
    auto plan_it = plan_index.find(q.getColumn(1).getInt64());
    if (plan_it == plan_index.end()) continue;
    Plan& plan = (*plans)[plan_it->second];
    ind.plan = plan.name;
    ind.project = q.getColumn(2).getString();
    ind.project_number = q.getColumn(3).getInt();
    ind.measure = q.getColumn(4).getString();
    ind.measure_marker = q.getColumn(5).getString();
    int64_t measure_id = q.getColumn(6).getInt64();
    auto [fn_it, inserted] = footnotes_by_measure.try_emplace(measure_id);
    if (inserted) {
      notes.bind(1, measure_id);
      while (notes.executeStep()) fn_it->second.push_back(notes.getColumn(0).getString());
      notes.reset();
    }
    ind.footnotes = fn_it->second;
    ind.name = q.getColumn(7).getString();
    ind.department = q.getColumn(8).getString();
    ind.ordinal = q.getColumn(9).getInt();
    ind.source_line = q.getColumn(10).getInt();
    ind.target_raw = q.getColumn(11).getString();
    Status error;
    ind.target = ReadCell(q, 12, 13, 14, 15, where, &error);
    if (!error.ok()) return error;
    ind.target.per_year = q.getColumn(16).getInt() != 0;
    ind.target.cumulative = q.getColumn(17).getInt() != 0;
    std::string bound = q.getColumn(18).getString();
    ind.target.bound = bound == "at_least"  ? Bound::kAtLeast
                       : bound == "at_most" ? Bound::kAtMost
                                            : Bound::kNone;
    auto direction = DirectionFromName(q.getColumn(19).getString());
    auto aggregation = AggregationFromName(q.getColumn(20).getString());
    if (!direction || !aggregation) {
      return Status::InvalidArgument(where + ": unknown direction or aggregation");
    }
    ind.direction = *direction;
    ind.aggregation = *aggregation;
    for (int fy = plan.first_year; fy <= plan.last_year; ++fy) {
      ind.observations.push_back(Observation{fy, "", CellValue{}});
    }
    plan.indicators.push_back(std::move(ind));
  }
  return Status::Ok();
}

Status LoadObservations(SQLite::Database& db, const std::string& path, std::vector<Plan>* plans) {
  std::unordered_map<int64_t, Indicator*> by_id;
  for (Plan& p : *plans) {
    for (Indicator& ind : p.indicators) by_id[ind.id] = &ind;
  }
  SQLite::Statement q(db,
                      "SELECT indicator_id, fiscal_year, raw, value, unit, status, annotated,"
                      " coalesce(parse_error, '') FROM observations");
  while (q.executeStep()) {
    auto it = by_id.find(q.getColumn(0).getInt64());
    if (it == by_id.end()) continue;
    Indicator& ind = *it->second;
    int fy = q.getColumn(1).getInt();
    if (ind.observations.empty()) continue;
    int first = ind.observations.front().fiscal_year;
    if (fy < first || fy > ind.observations.back().fiscal_year) continue;  // outside the plan
    Observation& obs = ind.observations[fy - first];
    obs.raw = q.getColumn(2).getString();
    Status error;
    obs.cell = ReadCell(
        q, 3, 4, 5, 6,
        path + ": observation of indicator " + std::to_string(ind.id) + " FY" + std::to_string(fy),
        &error);
    if (!error.ok()) return error;
    obs.cell.error = q.getColumn(7).getString();
  }
  return Status::Ok();
}

}  // namespace

IndicatorStore::IndicatorStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
IndicatorStore::~IndicatorStore() = default;

int IndicatorStore::LatestSchemaVersion() { return kLatestVersion; }

Result<std::unique_ptr<IndicatorStore>> IndicatorStore::Open(const std::string& path, Mode mode,
                                                             int busy_timeout_ms) {
  bool read_only = mode == Mode::kReadOnly;
  std::error_code ec;
  std::filesystem::file_status st = std::filesystem::status(path, ec);
  if (read_only && !std::filesystem::exists(st)) {
    return Status::NotFound(path + ": no such indicator store (create it with `shihyo import`)");
  }
  // SQLite's open() of a FIFO blocks until a writer appears, with SIGTERM
  // already blocked in the daemon: refuse anything but a regular file (or a
  // symlink to one). A file replaced by a FIFO after this check is the
  // operator's doing, not an input's.
  if (std::filesystem::exists(st) && !std::filesystem::is_regular_file(st)) {
    return Status::IOError(path + ": not a regular file (the indicator store is an SQLite file)");
  }
  std::unique_ptr<Impl> impl;
  Status s = GuardSqlite(path, "open", [&]() -> Status {
    int flags = read_only ? SQLite::OPEN_READONLY : SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE;
    impl = std::make_unique<Impl>(path, flags, busy_timeout_ms);
    impl->db.exec("PRAGMA foreign_keys = ON");
    if (!read_only) impl->db.exec("PRAGMA journal_mode = WAL");
    return Migrate(*impl, read_only);
  });
  if (!s.ok()) return s;
  return std::unique_ptr<IndicatorStore>(new IndicatorStore(std::move(impl)));
}

Result<std::vector<Plan>> IndicatorStore::LoadPlans() {
  std::vector<Plan> plans;
  Status s = GuardSqlite(impl_->path, "load", [&]() -> Status {
    SQLite::Transaction snapshot(impl_->db);  // one consistent read
    SQLite::Statement q(impl_->db,
                        "SELECT id, name, first_year, last_year, notes, source, imported_at"
                        " FROM plans ORDER BY id");
    while (q.executeStep()) {
      Plan p;
      p.id = q.getColumn(0).getInt64();
      p.name = q.getColumn(1).getString();
      p.first_year = q.getColumn(2).getInt();
      p.last_year = q.getColumn(3).getInt();
      if (p.last_year < p.first_year || p.last_year - p.first_year > 100) {
        return Status::InvalidArgument(impl_->path + ": plan '" + p.name +
                                       "' has an impossible plan period");
      }
      std::string notes = q.getColumn(4).getString();
      for (size_t start = 0; start < notes.size();) {
        size_t end = notes.find('\n', start);
        if (end == std::string::npos) end = notes.size();
        p.notes.push_back(notes.substr(start, end - start));
        start = end + 1;
      }
      p.source = q.getColumn(5).getString();
      p.imported_at = q.getColumn(6).getString();
      plans.push_back(std::move(p));
    }
    Status loaded = LoadIndicators(impl_->db, impl_->path, &plans);
    if (!loaded.ok()) return loaded;
    return LoadObservations(impl_->db, impl_->path, &plans);
  });
  if (!s.ok()) return s;
  return plans;
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
    version = impl_->db.execAndGet("PRAGMA data_version").getInt64();
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return version;
}

}  // namespace shihyo
