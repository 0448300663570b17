#include "scan/sqlite_store.hpp"

#include <sqlite3.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "scan/record.hpp"
#include "xxgk/output.hpp"

namespace xxgk::scan {
namespace {

constexpr size_t kBatch = 500;  // rows of documents per transaction

void bind_text(sqlite3_stmt* s, int i, const std::string& v) {
  if (v.empty()) sqlite3_bind_null(s, i);
  else sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
}
void bind_int(sqlite3_stmt* s, int i, std::optional<int64_t> v) {
  if (v) sqlite3_bind_int64(s, i, *v);
  else sqlite3_bind_null(s, i);
}
void run(sqlite3_stmt* s) {
  sqlite3_step(s);
  sqlite3_reset(s);
  sqlite3_clear_bindings(s);
}

}  // namespace

std::unique_ptr<Database> Database::open(const std::string& path, const char* pragmas, std::string* error) {
  auto d = std::unique_ptr<Database>(new Database());
  if (sqlite3_open(path.c_str(), &d->db_) != SQLITE_OK) {
    if (error) *error = "cannot open " + path + ": " + sqlite3_errmsg(d->db_);
    return nullptr;
  }
  if (!d->exec(pragmas, error) || !d->exec("BEGIN", error)) return nullptr;
  return d;
}

Database::~Database() {
  for (sqlite3_stmt* s : statements_) sqlite3_finalize(s);
  if (db_) {
    sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr);
    sqlite3_close(db_);
  }
}

bool Database::exec(const std::string& sql, std::string* error) {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    if (error) *error = message ? message : "SQLite error";
    sqlite3_free(message);
    return false;
  }
  return true;
}

sqlite3_stmt* Database::prepare(const std::string& sql) {
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr);
  statements_.push_back(s);
  return s;
}

void Database::checkpoint() { exec("COMMIT; BEGIN"); }

// ---------------------------------------------------------------------------------------------------------

std::unique_ptr<ResultsDatabase> ResultsDatabase::open(const std::string& path, const nlohmann::ordered_json& tool,
                                                       std::string* error) {
  auto r = std::unique_ptr<ResultsDatabase>(new ResultsDatabase());
  // A killed scan loses at most the open transaction; the database stays consistent (write-ahead log).
  r->db_ = Database::open(path, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL", error);
  if (!r->db_) return nullptr;
  const char* schema = R"(
    CREATE TABLE IF NOT EXISTS documents(
      id TEXT PRIMARY KEY, container TEXT, member TEXT, record_offset INTEGER, record_length INTEGER, url TEXT,
      warc_date TEXT, http_status INTEGER, status TEXT, reason TEXT, error_code TEXT, error_message TEXT,
      bytes INTEGER, sha256 TEXT, encoding TEXT, encoding_source TEXT, content TEXT, title TEXT, agency TEXT,
      kind TEXT, level TEXT, admin_level TEXT, year INTEGER, format TEXT, tables_format TEXT, published TEXT,
      errors INTEGER, warnings INTEGER, infos INTEGER, uncertain INTEGER, reason_kind TEXT, province TEXT, city TEXT,
      body_fingerprint TEXT);
    CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
    CREATE TABLE IF NOT EXISTS findings(
      document_id TEXT, rule TEXT, severity TEXT, status TEXT, message TEXT, line INTEGER, col INTEGER,
      fingerprint TEXT, evidence TEXT);
    CREATE TABLE IF NOT EXISTS cells(
      document_id TEXT, table_id TEXT, row_id TEXT, row_label TEXT, column_id TEXT, column_path TEXT, raw TEXT,
      value REAL, unit TEXT, status TEXT, line INTEGER, col INTEGER, grid_table INTEGER, grid_row INTEGER,
      grid_column INTEGER);
    CREATE TABLE IF NOT EXISTS crossyear(
      document_id TEXT, previous_document_id TEXT, year INTEGER, previous_year INTEGER, rule TEXT, severity TEXT,
      status TEXT, message TEXT, fingerprint TEXT, evidence TEXT);
    CREATE INDEX IF NOT EXISTS findings_document ON findings(document_id);
    CREATE INDEX IF NOT EXISTS findings_rule ON findings(rule);
    CREATE INDEX IF NOT EXISTS cells_document ON cells(document_id);
    CREATE VIEW IF NOT EXISTS rule_counts AS
      SELECT rule, severity, status, COUNT(*) AS findings, COUNT(DISTINCT document_id) AS documents
      FROM findings GROUP BY rule, severity, status;
    CREATE VIEW IF NOT EXISTS findings_by_year AS
      SELECT d.year, COUNT(*) AS findings, SUM(f.status = 'fail' AND f.severity = 'error') AS errors,
             SUM(f.status = 'fail' AND f.severity = 'warning') AS warnings, SUM(f.status = 'uncertain') AS to_review
      FROM findings f JOIN documents d ON d.id = f.document_id GROUP BY d.year;
    CREATE VIEW IF NOT EXISTS findings_by_level AS
      SELECT d.level, COUNT(*) AS findings, SUM(f.status = 'fail' AND f.severity = 'error') AS errors,
             SUM(f.status = 'fail' AND f.severity = 'warning') AS warnings, SUM(f.status = 'uncertain') AS to_review
      FROM findings f JOIN documents d ON d.id = f.document_id GROUP BY d.level;
    CREATE VIEW IF NOT EXISTS findings_by_region AS
      SELECT d.province, d.city, COUNT(*) AS findings, SUM(f.status = 'fail' AND f.severity = 'error') AS errors,
             SUM(f.status = 'fail' AND f.severity = 'warning') AS warnings, SUM(f.status = 'uncertain') AS to_review
      FROM findings f JOIN documents d ON d.id = f.document_id GROUP BY d.province, d.city;
    CREATE VIEW IF NOT EXISTS reports_by_region AS
      SELECT province, city, COUNT(*) AS reports, SUM(errors) AS errors, SUM(warnings) AS warnings,
             SUM(uncertain) AS to_review
      FROM documents WHERE status = 'checked' GROUP BY province, city;)";
  if (!r->db_->exec(schema, error)) return nullptr;
  for (auto it = tool.begin(); it != tool.end(); ++it) {
    sqlite3_stmt* meta = r->db_->prepare("INSERT OR REPLACE INTO meta VALUES(?1, ?2)");
    bind_text(meta, 1, "tool." + it.key());
    bind_text(meta, 2, it.value().is_string() ? it.value().get<std::string>() : it.value().dump());
    run(meta);
  }
  r->document_ = r->db_->prepare(
      "INSERT OR REPLACE INTO documents VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,"
      "?21,?22,?23,?24,?25,?26,?27,?28,?29,?30,?31,?32,?33,?34)");
  r->finding_ = r->db_->prepare("INSERT INTO findings VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9)");
  r->cell_ = r->db_->prepare("INSERT INTO cells VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15)");
  r->crossyear_ = r->db_->prepare("INSERT INTO crossyear VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)");
  if (!r->document_ || !r->finding_ || !r->cell_ || !r->crossyear_) {
    if (error) *error = "cannot prepare the statements of " + path + ": " + sqlite3_errmsg(r->db_->handle());
    return nullptr;
  }
  return r;
}

void ResultsDatabase::add(const InputDocument& doc, const std::string& status, const SkipReason& reason, const Digest& digest,
                          const CheckResult& r) {
  const Provenance& p = doc.provenance;
  sqlite3_stmt* s = document_;
  bind_text(s, 1, doc.id);
  bind_text(s, 2, p.container);
  bind_text(s, 3, p.member);
  bind_int(s, 4, p.offset ? std::optional<int64_t>(static_cast<int64_t>(*p.offset)) : std::nullopt);
  bind_int(s, 5, p.length ? std::optional<int64_t>(static_cast<int64_t>(*p.length)) : std::nullopt);
  bind_text(s, 6, p.url);
  bind_text(s, 7, p.date);
  bind_int(s, 8, p.http_status ? std::optional<int64_t>(p.http_status) : std::nullopt);
  bind_text(s, 9, status);
  bind_text(s, 10, reason.text);
  bind_text(s, 11, r.error ? r.error->code : std::string());
  bind_text(s, 12, r.error ? r.error->message : std::string());
  bind_int(s, 13, static_cast<int64_t>(r.source.bytes));
  bind_text(s, 14, r.source.sha256);
  bind_text(s, 15, r.source.encoding);
  bind_text(s, 16, r.source.encoding_source);
  bind_text(s, 17, to_string(r.source.content));
  const ReportInfo& rep = r.report;
  bind_text(s, 18, rep.title);
  bind_text(s, 19, rep.agency);
  bind_text(s, 20, rep.kind);
  bind_text(s, 21, rep.level);
  bind_text(s, 22, rep.admin_level);
  bind_int(s, 23, rep.year ? std::optional<int64_t>(*rep.year) : std::nullopt);
  bind_text(s, 24, rep.format);
  bind_text(s, 25, rep.tables_format);
  bind_text(s, 26, rep.published ? rep.published->iso() : std::string());
  Tally t;
  if (status == "checked") t.add(r);
  sqlite3_bind_int64(s, 27, static_cast<int64_t>(t.errors));
  sqlite3_bind_int64(s, 28, static_cast<int64_t>(t.warnings));
  sqlite3_bind_int64(s, 29, static_cast<int64_t>(t.infos));
  sqlite3_bind_int64(s, 30, static_cast<int64_t>(t.uncertain));
  bind_text(s, 31, reason.kind);
  bind_text(s, 32, digest.province);
  bind_text(s, 33, digest.city);
  bind_text(s, 34, r.source.body_fingerprint);
  run(s);
  if (status == "checked") {
    nlohmann::ordered_json findings = to_json(r)["findings"];
    for (size_t i = 0; i < r.findings.size(); ++i) {
      const Finding& f = r.findings[i];
      bind_text(finding_, 1, doc.id);
      bind_text(finding_, 2, f.rule);
      bind_text(finding_, 3, to_string(f.severity));
      bind_text(finding_, 4, to_string(f.status));
      bind_text(finding_, 5, f.message);
      bind_int(finding_, 6, f.location.line ? std::optional<int64_t>(f.location.line) : std::nullopt);
      bind_int(finding_, 7, f.location.line ? std::optional<int64_t>(f.location.column) : std::nullopt);
      bind_text(finding_, 8, f.fingerprint);
      bind_text(finding_, 9, findings[i]["evidence"].dump());
      run(finding_);
    }
    for (const Table& table : r.tables)
      for (const Row& row : table.rows)
        for (const Cell& c : row.cells) {
          std::string path;
          for (const std::string& part : c.column_path) path += (path.empty() ? "" : "/") + part;
          bind_text(cell_, 1, doc.id);
          bind_text(cell_, 2, table.id);
          bind_text(cell_, 3, row.id);
          bind_text(cell_, 4, row.label);
          bind_text(cell_, 5, c.column);
          bind_text(cell_, 6, path);
          bind_text(cell_, 7, c.raw);
          if (c.value) sqlite3_bind_double(cell_, 8, *c.value);
          else sqlite3_bind_null(cell_, 8);
          bind_text(cell_, 9, c.unit);
          bind_text(cell_, 10, to_string(c.status));
          bind_int(cell_, 11, c.location.line ? std::optional<int64_t>(c.location.line) : std::nullopt);
          bind_int(cell_, 12, c.location.line ? std::optional<int64_t>(c.location.column) : std::nullopt);
          bind_int(cell_, 13, c.grid ? std::optional<int64_t>(c.grid->table) : std::nullopt);
          bind_int(cell_, 14, c.grid ? std::optional<int64_t>(c.grid->row) : std::nullopt);
          bind_int(cell_, 15, c.grid ? std::optional<int64_t>(c.grid->column) : std::nullopt);
          run(cell_);
        }
  }
  if (++pending_ >= kBatch) commit();
}

void ResultsDatabase::add_crossyear(const Finding& f, const std::string& document, const std::string& previous, int year,
                                    int previous_year) {
  CheckResult one;
  one.findings.push_back(f);
  bind_text(crossyear_, 1, document);
  bind_text(crossyear_, 2, previous);
  sqlite3_bind_int(crossyear_, 3, year);
  sqlite3_bind_int(crossyear_, 4, previous_year);
  bind_text(crossyear_, 5, f.rule);
  bind_text(crossyear_, 6, to_string(f.severity));
  bind_text(crossyear_, 7, to_string(f.status));
  bind_text(crossyear_, 8, f.message);
  bind_text(crossyear_, 9, f.fingerprint);
  bind_text(crossyear_, 10, to_json(one)["findings"][0]["evidence"].dump());
  run(crossyear_);
}

std::vector<std::string> ResultsDatabase::ids() {
  std::vector<std::string> out;
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(db_->handle(), "SELECT id FROM documents", -1, &s, nullptr);
  while (sqlite3_step(s) == SQLITE_ROW) out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)));
  sqlite3_finalize(s);
  return out;
}

void ResultsDatabase::commit() {
  db_->checkpoint();
  pending_ = 0;
}

// ---------------------------------------------------------------------------------------------------------

std::unique_ptr<FactsStore> FactsStore::create(const std::string& dir, std::string* error) {
  auto f = std::unique_ptr<FactsStore>(new FactsStore());
  std::string pattern = (dir.empty() ? std::filesystem::temp_directory_path().string() : dir) + "/xxgk-facts-XXXXXX";
  int fd = mkstemp(pattern.data());
  if (fd < 0) {
    if (error) *error = "cannot create a temporary file in " + dir;
    return nullptr;
  }
  close(fd);
  f->path_ = pattern;
  f->db_ = Database::open(pattern, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF", error);
  if (!f->db_ || !f->db_->exec("CREATE TABLE facts(agency TEXT, year INTEGER, id TEXT, facts BLOB)", error)) return nullptr;
  f->insert_ = f->db_->prepare("INSERT INTO facts VALUES(?1,?2,?3,?4)");
  if (!f->insert_) {
    if (error) *error = "cannot prepare the facts store";
    return nullptr;
  }
  return f;
}

FactsStore::~FactsStore() {
  db_.reset();
  if (!path_.empty()) {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(path_ + suffix, ec);
  }
}

void FactsStore::add(const std::string& id, const YearFacts& facts) { add(id, facts, pack_facts(facts)); }

void FactsStore::add(const std::string& id, const YearFacts& facts, const std::string& packed) {
  bind_text(insert_, 1, facts.agency);
  sqlite3_bind_int(insert_, 2, facts.year);
  bind_text(insert_, 3, id);
  sqlite3_bind_blob(insert_, 4, packed.data(), static_cast<int>(packed.size()), SQLITE_TRANSIENT);
  run(insert_);
  if (++pending_ >= 2000) {
    db_->checkpoint();
    pending_ = 0;
  }
}

std::unique_ptr<FactsStore::Reader> FactsStore::read_reports() {
  db_->checkpoint();
  db_->exec("CREATE INDEX IF NOT EXISTS facts_body ON facts(agency, year, id)");
  sqlite3_stmt* select = nullptr;
  sqlite3_prepare_v2(db_->handle(), "SELECT agency, year, id, facts FROM facts ORDER BY agency, year, id", -1, &select,
                     nullptr);
  return std::unique_ptr<Reader>(new Reader(select));
}

FactsStore::Reader::~Reader() { sqlite3_finalize(select_); }

bool FactsStore::Reader::next(StoredReport& report) {
  if (done_ || !select_ || sqlite3_step(select_) != SQLITE_ROW) {
    done_ = true;
    return false;
  }
  auto text = [&](int column) {
    const unsigned char* t = sqlite3_column_text(select_, column);
    return std::string(t ? reinterpret_cast<const char*>(t) : "", static_cast<size_t>(sqlite3_column_bytes(select_, column)));
  };
  report.agency = text(0);
  report.year = sqlite3_column_int(select_, 1);
  report.id = text(2);
  const void* packed = sqlite3_column_blob(select_, 3);
  report.facts.assign(packed ? static_cast<const char*>(packed) : "", static_cast<size_t>(sqlite3_column_bytes(select_, 3)));
  return true;
}

}  // namespace xxgk::scan
