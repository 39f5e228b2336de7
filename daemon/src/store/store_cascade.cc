// ON DELETE CASCADE by hand: see store_cascade.h.
#include "store/store_cascade.h"

#include "store/store_rows.h"

namespace shihyo {

CascadeDeleter::CascadeDeleter(SQLite::Database& db, StatementCache* statements)
    : statements_(statements) {
  std::vector<std::string> tables;
  SQLite::Statement q(db, "SELECT name FROM sqlite_master WHERE type = 'table'");
  while (q.executeStep()) tables.push_back(q.getColumn(0).getString());
  SQLite::Statement keys(db,
                         "SELECT \"table\", \"from\", \"to\", on_delete"
                         " FROM pragma_foreign_key_list(?)");
  for (const std::string& table : tables) {
    delete_one_[table] = "DELETE FROM \"" + table + "\" WHERE id = ?";
    keys.reset();
    keys.bind(1, table);
    while (keys.executeStep()) {
      std::string parent = keys.getColumn(0).getString();
      std::string column = keys.getColumn(1).getString();
      if (keys.getColumn(2).getString() != "id" || keys.getColumn(3).getString() != "CASCADE") {
        usable_ = false;
      }
      children_[parent].push_back(
          Child{table, "SELECT id FROM \"" + table + "\" WHERE \"" + column + "\" = ?",
                "DELETE FROM \"" + table + "\" WHERE \"" + column + "\" = ?"});
    }
  }
}

void CascadeDeleter::Delete(const std::string& table, int64_t id) {
  auto kids = children_.find(table);
  if (kids != children_.end()) {
    for (const Child& child : kids->second) {
      if (children_.count(child.table)) {  // its rows have children of their own
        SQLite::Statement& q = statements_->Get(child.select_ids.c_str());
        q.bind(1, id);
        std::vector<int64_t> ids;
        while (q.executeStep()) ids.push_back(q.getColumn(0).getInt64());
        for (int64_t child_id : ids) Delete(child.table, child_id);
      } else {
        SQLite::Statement& del = statements_->Get(child.delete_rows.c_str());
        del.bind(1, id);
        del.exec();
      }
    }
  }
  SQLite::Statement& del = statements_->Get(delete_one_.at(table).c_str());
  del.bind(1, id);
  del.exec();
}

}  // namespace shihyo
