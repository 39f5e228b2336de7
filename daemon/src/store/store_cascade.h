// Internal to the store module: ON DELETE CASCADE done by hand, for an
// import that writes with foreign keys off. Used by one thread.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "store/store_impl.h"

namespace shihyo {

class StatementCache;

// Deletes rows as the schema's foreign keys (all ON DELETE CASCADE, to a
// parent's id) would: children first, recursively. Read from the store's own
// schema, so a table added under a plan is covered without code.
class CascadeDeleter {
 public:
  // Reads the foreign keys of every table of |db|. |statements| must
  // outlive this object.
  CascadeDeleter(SQLite::Database& db, StatementCache* statements);
  CascadeDeleter(const CascadeDeleter&) = delete;
  CascadeDeleter& operator=(const CascadeDeleter&) = delete;

  // False when a foreign key is not ON DELETE CASCADE to a parent's id:
  // then the import keeps SQLite's foreign keys on and uses plain deletes.
  bool usable() const { return usable_; }

  // Deletes row |id| of |table| and every row that refers to it.
  void Delete(const std::string& table, int64_t id);

 private:
  struct Child {
    std::string table;
    std::string select_ids;   // SELECT id FROM child WHERE column = ?
    std::string delete_rows;  // DELETE FROM child WHERE column = ?
  };
  std::map<std::string, std::vector<Child>> children_;  // by parent table
  std::map<std::string, std::string> delete_one_;       // DELETE FROM table WHERE id = ?
  StatementCache* statements_;
  bool usable_ = true;
};

}  // namespace shihyo
