// IndicatorStore: the SQLite indicator store (WAL, PRAGMA user_version
// migrations). All store SQL lives behind this class; plain structs go in and
// out, no SQLite types or exceptions escape. One instance per thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "model/indicator.h"

namespace shihyo {

struct ProgressTable;

// What one imported table did to the store.
struct ImportResult {
  std::string plan;
  std::string source;
  bool created = false;   // the plan was not in the store before
  int cells_changed = 0;  // target and actual cells added, changed or removed
  int indicators_added = 0;
  int indicators_removed = 0;
  int indicators_before = 0;               // the plan's indicators before this import
  std::vector<std::string> removed_names;  // the removed indicators, in table order
  bool changed = false;                    // anything at all was written for this table
  // Unchanged, but compared cell by cell (a digest of another build, or a
  // plan edited back to the table): its digest was recorded anew.
  bool digest_recorded = false;
};

// What an import may do beyond updating cells.
struct ImportPolicy {
  // A table that drops more than 3 indicators, or more than a tenth of its
  // plan's, is refused unless this is set: a file cut short
  // at a row boundary reads as a valid, smaller table.
  bool allow_removal = false;
};

// A plan's id and version: the version changes whenever the plan or anything
// under it changes, by `shihyo import` or by another tool (schema v3 triggers).
struct PlanVersion {
  int64_t id = 0;
  int64_t version = 0;
  bool operator==(const PlanVersion&) const = default;
};

// What IndicatorStore::LoadPlansIf read, from one consistent snapshot.
struct VersionedPlans {
  // False for a store of schema version 2, which records no versions: every
  // plan was loaded and the versions are all 0.
  bool versioned = false;
  int64_t generation = 0;             // grows with every change to the store
  std::vector<PlanVersion> versions;  // every plan, by id
  std::vector<Plan> plans;            // the plans loaded, with their indicators, by id
};

// True when |r| removed more indicators than an import may without
// ImportPolicy::allow_removal.
bool RemovesTooMany(const ImportResult& r);

class IndicatorStore {
 public:
  enum class Mode {
    kReadOnly,   // the daemon and eval: never writes, never creates
    kReadWrite,  // import: creates the file and migrates the schema
  };

  // Opens the store at |path|. kReadWrite creates it if absent, switches it to
  // WAL and migrates it to the current schema; kReadOnly returns kNotFound for
  // a missing file and kInvalidArgument for a schema it cannot read.
  // |busy_timeout_ms| is how long a statement waits for another writer's lock
  // before giving up with kUnavailable.
  static Result<std::unique_ptr<IndicatorStore>> Open(const std::string& path, Mode mode,
                                                      int busy_timeout_ms = 5000);

  ~IndicatorStore();
  IndicatorStore(const IndicatorStore&) = delete;
  IndicatorStore& operator=(const IndicatorStore&) = delete;

  // Imports |tables| in one transaction: all of them or, on any error, none.
  // A plan is matched by its title; indicators by project, measure and name.
  // Unchanged tables write nothing (PRAGMA data_version stays put) but for
  // the digest of a table that had to be compared cell by cell (an import
  // by another build); changed
  // cells are updated in place and recorded in the change history with
  // |imported_at| (ISO 8601). A removed indicator is recorded as changes
  // with no new value (CellChange::new_raw nullopt, one for its target with
  // no fiscal year). Returns kInvalidArgument, writing nothing, when a table
  // removes too many indicators (RemovesTooMany) and |policy| does not allow
  // it; kUnavailable while another writer holds the lock longer than the
  // busy timeout.
  Result<std::vector<ImportResult>> Import(const std::vector<ProgressTable>& tables,
                                           const std::string& imported_at,
                                           const ImportPolicy& policy = {});

  // The next table of an import: valid until the next call; nullptr after
  // the last one; an error ends the import, nothing written, with that error.
  using TableFeed = std::function<Result<const ProgressTable*>()>;

  // Import of the tables |next| hands over one at a time (so that they can
  // be read while the ones before are written): the same single transaction.
  Result<std::vector<ImportResult>> Import(const TableFeed& next, const std::string& imported_at,
                                           const ImportPolicy& policy = {});

  // Every plan with its indicators in table order; each indicator has one
  // observation per fiscal year of the plan period.
  Result<std::vector<Plan>> LoadPlans();

  // The plans of LoadPlans, handed to |each| one at a time in the same order
  // (and from the same consistent read), so that only one plan's indicators
  // are in memory at a time. Stops at the first error.
  Status ForEachPlan(const std::function<void(Plan&& plan)>& each);

  // Reads every plan's version and loads the plans for which |want| returns
  // true (every plan when the store records no versions), in one consistent
  // read: a loaded plan is the one its version names.
  Result<VersionedPlans> LoadPlansIf(const std::function<bool(const PlanVersion&)>& want);

  // The change history, oldest first.
  Result<std::vector<CellChange>> LoadChanges();

  // SQLite's PRAGMA data_version for this connection: it changes whenever
  // another connection commits to the file.
  Result<int64_t> DataVersion();

  // The schema version this build writes.
  static int LatestSchemaVersion();

  // A number no other IndicatorStore opened by this process had: tells a
  // reopened (perhaps replaced) store from the one before.
  uint64_t serial() const;

  struct Impl;

 private:
  explicit IndicatorStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace shihyo
