// scan/sqlite_store.hpp — scan results in SQLite, for auditors to query; and the store of year facts the
// cross-year pass reads back grouped by body, so that memory stays flat however many reports a scan finds.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "scan/inputs.hpp"
#include "scan/record.hpp"
#include "xxgk/xxgk.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace xxgk::scan {

//! A SQLite database with prepared statements and batched transactions.
class Database {
 public:
  //! Opens `path`, runs `pragmas` (outside any transaction) and begins the first transaction.
  static std::unique_ptr<Database> open(const std::string& path, const char* pragmas, std::string* error);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  bool exec(const std::string& sql, std::string* error = nullptr);
  sqlite3_stmt* prepare(const std::string& sql);
  //! Commits the open transaction and opens the next.
  void checkpoint();
  sqlite3* handle() { return db_; }

 private:
  Database() = default;
  sqlite3* db_ = nullptr;
  std::vector<sqlite3_stmt*> statements_;
};

//! documents, findings, cells and crossyear tables, a meta table naming the tool, and views of the aggregates
//! the summary has (docs/scan.md).
class ResultsDatabase {
 public:
  //! `tool`: name, version and grammars, kept in the meta table.
  static std::unique_ptr<ResultsDatabase> open(const std::string& path, const nlohmann::ordered_json& tool, std::string* error);
  void add(const InputDocument& doc, const std::string& status, const SkipReason& reason, const Digest& digest,
           const CheckResult& result);
  void add_crossyear(const Finding& f, const std::string& document, const std::string& previous, int year, int previous_year);
  //! Ids of the documents already in the database (for --resume).
  std::vector<std::string> ids();
  void commit();
  //! Commits what is left.
  void finish() { commit(); }

 private:
  std::unique_ptr<Database> db_;
  sqlite3_stmt *document_ = nullptr, *finding_ = nullptr, *cell_ = nullptr, *crossyear_ = nullptr;
  size_t pending_ = 0;
};

//! Year facts of every report, read back by body and year.
class FactsStore {
 public:
  //! A temporary database in `dir` (removed when the store goes).
  static std::unique_ptr<FactsStore> create(const std::string& dir, std::string* error);
  ~FactsStore();
  void add(const std::string& id, const YearFacts& facts);
  //! The same with the facts already packed (pack_facts(facts)): a scan packs them in its parallel stage and leaves
  //! only the insert to the serial one.
  void add(const std::string& id, const YearFacts& facts, const std::string& packed);

  //! A report as stored: its facts still packed (read them with unpack_facts).
  struct StoredReport {
    std::string agency;
    int year = 0;
    std::string id;
    std::string facts;
  };
  //! The stored reports one at a time, in order of body, year and id (memory stays flat however many). Only one
  //! reader at a time, and no add() while it reads.
  class Reader {
   public:
    ~Reader();
    Reader(const Reader&) = delete;
    Reader& operator=(const Reader&) = delete;
    //! The next report; false after the last.
    bool next(StoredReport& report);

   private:
    friend class FactsStore;
    explicit Reader(sqlite3_stmt* select) : select_(select) {}
    sqlite3_stmt* select_;
    bool done_ = false;  //!< WHY: a step after the last row would run the query again
  };
  std::unique_ptr<Reader> read_reports();

 private:
  std::unique_ptr<Database> db_;
  std::string path_;
  sqlite3_stmt* insert_ = nullptr;
  size_t pending_ = 0;
};

}  // namespace xxgk::scan
