// Internal to the store module: the SQLite connection behind IndicatorStore.
// Included only by store*.cc.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <optional>
#include <string>

#include "base/sqlite_util.h"
#include "store/store.h"

namespace shihyo {

struct IndicatorStore::Impl {
  Impl(const std::string& p, int flags, int busy_timeout_ms)
      : path(p), db(p, flags, busy_timeout_ms), busy_timeout_ms(busy_timeout_ms) {}
  std::string path;
  SQLite::Database db;
  int busy_timeout_ms;
  int schema_version = 0;  // PRAGMA user_version when opened (after migrating)
  uint64_t serial = 0;     // IndicatorStore::serial()
  std::optional<SQLite::Statement> data_version;  // DataVersion(), prepared once
};

// The schema version this build writes.
int LatestStoreSchema();

// Checks the schema of |impl| and, unless |read_only|, migrates it to the
// latest version (store_migrations.cc). A read-only store of version 2 is
// accepted as it is: it has no plan versions.
Status MigrateStore(IndicatorStore::Impl& impl, bool read_only);

// Whether a store's foreign keys, and its triggers, are exactly those
// data/schema.sql creates: only then may an import do the cascades by hand
// and turn the triggers off (a user's own key or trigger keeps SQLite's).
struct ShippedSchema {
  bool foreign_keys = false;
  bool triggers = false;
};
ShippedSchema CompareWithShipped(SQLite::Database& db);

// PRAGMA foreign_keys = OFF while it lives, when |off| (it cannot change
// inside a transaction: create it before BEGIN), ON again after.
class ForeignKeysOff {
 public:
  ForeignKeysOff(SQLite::Database& db, bool off) : db_(off ? &db : nullptr) {
    if (db_) db_->exec("PRAGMA foreign_keys = OFF");
  }
  ~ForeignKeysOff() {
    try {
      if (db_) db_->exec("PRAGMA foreign_keys = ON");
    } catch (const SQLite::Exception&) {
      // Only after a failure that already ended the transaction and is reported.
    }
  }
  ForeignKeysOff(const ForeignKeysOff&) = delete;
  ForeignKeysOff& operator=(const ForeignKeysOff&) = delete;

 private:
  SQLite::Database* db_;
};

// Turns the connection's triggers off while it lives (SQLITE_DBCONFIG_ENABLE_TRIGGER;
// other connections keep theirs). An import sets the plans' versions itself,
// and the plan-version triggers, quiet while store_state.importing is set,
// still ran their WHEN query for every row written: a tenth of its time.
class TriggersOff {
 public:
  explicit TriggersOff(SQLite::Database& db) : db_(db.getHandle()) { Set(0); }
  ~TriggersOff() { Set(1); }
  TriggersOff(const TriggersOff&) = delete;
  TriggersOff& operator=(const TriggersOff&) = delete;

 private:
  void Set(int on) { sqlite3_db_config(db_, SQLITE_DBCONFIG_ENABLE_TRIGGER, on, nullptr); }
  sqlite3* db_;
};

// Binds |text|, or NULL when it is empty.
inline void BindTextOrNull(SQLite::Statement& st, int index, const std::string& text) {
  if (text.empty()) {
    st.bind(index);
  } else {
    st.bind(index, text);
  }
}

// Binds |text| without a copy, or NULL when it is empty: |text| must stay
// alive and unchanged until the statement has run (the hot rows of an
// import, where SQLite's copy of every string was a twentieth of the time).
inline void BindTextOrNullNoCopy(SQLite::Statement& st, int index, const std::string& text) {
  if (text.empty()) {
    st.bind(index);
  } else {
    st.bindNoCopy(index, text);
  }
}

// Binds std::optional<double> as REAL or NULL.
inline void BindOptional(SQLite::Statement& st, int index, const std::optional<double>& v) {
  if (v) {
    st.bind(index, *v);
  } else {
    st.bind(index);
  }
}

}  // namespace shihyo
