// `shihyo import` and `shihyo indicators`: the indicator store from the
// command line.
#include <malloc.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <filesystem>
#include <fstream>
#include <memory>
#include <new>
#include <optional>
#include <system_error>
#include <thread>

#include "base/i18n.h"
#include "base/text.h"
#include "cli/cli_import_reader.h"
#include "cli/cli_tools.h"
#include "import/layout_infer.h"
#include "import/progress_table.h"
#include "import/sheet.h"
#include "import/table_reader.h"
#include "model/indicators_view.h"
#include "store/store.h"

namespace shihyo {

namespace {

struct ImportOptions {
  std::string config;
  std::string db;
  std::vector<std::string> files;
  std::string encoding = "auto";
  std::string layouts;  // --layouts DIR
  bool explain = false;
  std::string sheet;           // --sheet NAME|N for .xlsx/.ods/.xls; "" for every sheet
  bool allow_removal = false;  // --allow-removal
  bool infer = false;          // --infer: propose a layout
  std::string infer_output;    // --infer-output PATH; default NAME.yaml here
};

// Writes |text| to |path|, never over an existing file (a layout under review).
Status WriteNewFile(const std::string& path, const std::string& text) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    return Status::IOError(path + ": exists; not overwritten (remove it or give --infer-output)");
  }
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out) return Status::IOError(path + ": cannot write");
  return Status::Ok();
}

// Shows how |records| read with the proposed layout |yaml|.
int ShowInferred(const std::vector<Record>& records, const std::string& file,
                 const std::string& yaml, const std::string& layout_path, CliContext& ctx) {
  Result<Layout> layout = ParseLayout(yaml, layout_path);
  if (!layout.ok()) return ReportError(ctx, layout.status());
  Result<TableRead> read = ParseRecords(records, file, {*layout});
  if (!read.ok()) {
    ctx.err << "shihyo: " << Tr("the proposed layout does not read the table yet; edit it:")
            << "\n";
    ReportError(ctx, read.status());
    return kExitFailure;
  }
  read->layout_file = layout_path;
  ctx.out << TrF("how {} reads with it:", {EscapeControls(file)}) << "\n";
  for (const std::string& line : ExplainTable(*read))
    ctx.out << "  " << EscapeControls(line) << "\n";
  return kExitOk;
}

// The rows --infer looks at: a text file's records, or one sheet of a
// workbook (--sheet, by default the first); |source| names them in messages.
Result<std::vector<Record>> InferRecords(const ImportOptions& opts, Encoding encoding,
                                         std::string* source) {
  const std::string& file = opts.files[0];
  *source = file;
  SheetFormat format = SheetFormatOf(file);
  if (format != SheetFormat::kNone) {
    Result<std::vector<Sheet>> sheets = ReadWorkbook(file, format);
    if (!sheets.ok()) return sheets.status();
    Result<std::vector<Sheet>> chosen =
        SelectSheets(std::move(sheets).value(), opts.sheet.empty() ? "1" : opts.sheet, file);
    if (!chosen.ok()) return chosen.status();
    *source = file + "[" + chosen->front().name + "]";
    return std::move(chosen->front().rows);
  }
  Result<std::string> bytes = ReadTableBytes(file);
  if (!bytes.ok()) return bytes.status();
  Result<DecodedText> text = DecodeToUtf8(*bytes, file, encoding);
  if (!text.ok()) return text.status();
  return SplitRecords(text->utf8, DetectDelimiter(text->utf8), file);
}

// --infer: a proposed layout for a table no layout knows, written for review.
int RunInfer(const ImportOptions& opts, Encoding encoding, CliContext& ctx) {
  if (opts.files.size() != 1) {
    ctx.err << "shihyo: " << Tr("--infer reads one table file") << "\n";
    return kExitUsage;
  }
  const std::string& file = opts.files[0];
  std::string source;
  Result<std::vector<Record>> records = InferRecords(opts, encoding, &source);
  if (!records.ok()) return ReportError(ctx, records.status());
  std::string name = std::filesystem::path(file).stem().string();
  Result<InferredLayout> inferred = InferLayout(*records, source, name);
  if (!inferred.ok()) return ReportError(ctx, inferred.status());
  std::string out = opts.infer_output.empty() ? name + ".yaml" : opts.infer_output;
  if (Status w = WriteNewFile(out, inferred->yaml); !w.ok()) return ReportError(ctx, w);
  ctx.out << TrF("proposed layout written to {} (review it, then put it in /etc/shihyo/layouts.d "
                 "or pass its directory with --layouts):",
                 {EscapeControls(out)})
          << "\n";
  for (size_t at = 0; at < inferred->yaml.size();) {
    size_t eol = std::min(inferred->yaml.find('\n', at), inferred->yaml.size());
    ctx.out << "  " << EscapeControls(std::string_view(inferred->yaml).substr(at, eol - at))
            << "\n";
    at = eol + 1;
  }
  return ShowInferred(*records, source, inferred->yaml, out, ctx);
}

// --explain: how each file reads, nothing written.
int RunExplain(const ImportOptions& opts, const std::vector<Layout>& layouts, Encoding encoding,
               CliContext& ctx) {
  int worst = kExitOk;
  for (const std::string& file : opts.files) {
    Result<std::vector<TableRead>> reads = ReadTables(file, encoding, layouts, opts.sheet);
    if (!reads.ok()) {
      worst = std::max(worst, ReportError(ctx, reads.status()));
      continue;
    }
    // What came from the file is escaped: a table must not write to the terminal.
    for (const TableRead& read : *reads) {
      ctx.out << EscapeControls(read.table.source) << " (" << read.table.encoding << ")\n";
      for (const std::string& line : ExplainTable(read)) {
        ctx.out << "  " << EscapeControls(line) << "\n";
      }
    }
  }
  return worst;
}

// What the summary line says of a table (kept when its cells are freed).
struct TableSummary {
  std::string encoding, title;
  size_t projects = 0, indicators = 0;
  int first_year = 0, last_year = 0;
};

// One line per imported table.
void PrintSummary(const std::vector<TableSummary>& tables, const std::vector<ImportResult>& results,
                  CliContext& ctx) {
  for (size_t i = 0; i < results.size(); ++i) {
    const ImportResult& r = results[i];
    const TableSummary& t = tables[i];
    ctx.out << EscapeControls(r.source) << " (" << t.encoding << "): " << EscapeControls(t.title)
            << ": "
            << TrF("{} projects, {} indicators, FY{}–FY{}; ",
                   {std::to_string(t.projects), std::to_string(t.indicators),
                    std::to_string(t.first_year), std::to_string(t.last_year)});
    if (!r.changed) {
      ctx.out << Tr("unchanged") << "\n";
    } else {
      ctx.out << (r.created ? Tr("new plan, ") : "")
              << TrF("{} cells changed, {} indicators added, {} removed",
                     {std::to_string(r.cells_changed), std::to_string(r.indicators_added),
                      std::to_string(r.indicators_removed)})
              << "\n";
      for (const std::string& name : r.removed_names) {
        ctx.out << "  " << Tr("removed:") << " " << EscapeControls(name) << "\n";
      }
    }
  }
}

// Removes the store file (and its WAL and shared memory) an import created
// when that import ends with nothing imported; kept once it succeeded.
class CreatedStore {
 public:
  explicit CreatedStore(const std::string& path) : path_(path) {
    std::error_code ec;
    existed_ = std::filesystem::exists(std::filesystem::symlink_status(path, ec));
  }
  ~CreatedStore() {
    if (existed_ || kept_) return;
    store.reset();  // closed before it goes
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
      std::filesystem::remove(path_ + suffix, ec);
    }
  }
  CreatedStore(const CreatedStore&) = delete;
  CreatedStore& operator=(const CreatedStore&) = delete;
  void Keep() { kept_ = true; }

  std::unique_ptr<IndicatorStore> store;

 private:
  std::string path_;
  bool existed_ = false;
  bool kept_ = false;
};

// Hands the store the tables of |files| in order, each read while the ones
// before it are written; keeps the summary of each and the first file's error.
class TableFeeder {
 public:
  explicit TableFeeder(TableReadAhead& files) : files_(files) {}

  Result<const ProgressTable*> Next() {
    while (file_ < files_.size()) {
      Result<std::vector<TableRead>>& reads = files_.Take(file_);
      if (!reads.ok()) return reads.status();
      if (table_ < reads->size()) {
        const ProgressTable& t = (*reads)[table_++].table;
        summaries.push_back({t.encoding, t.title, t.projects.size(), t.IndicatorCount(),
                             t.fiscal_years.front(), t.fiscal_years.back()});
        return &t;
      }
      files_.Release(file_++);
      table_ = 0;
    }
    return nullptr;
  }

  std::vector<TableSummary> summaries;

 private:
  TableReadAhead& files_;
  size_t file_ = 0;   // the file being handed over
  size_t table_ = 0;  // its next table
};

// Reports every file that could not be read, in the order given; the worst exit code.
int ReportReadErrors(TableReadAhead& files, CliContext& ctx) {
  int worst = kExitOk;
  for (size_t i = 0; i < files.size(); ++i) {
    Result<std::vector<TableRead>>& reads = files.Take(i);
    if (!reads.ok()) worst = std::max(worst, ReportError(ctx, reads.status()));
    files.Release(i);
  }
  if (worst != kExitOk) {
    ctx.err << "shihyo: " << Tr("nothing imported; the store is unchanged") << "\n";
  }
  return worst;
}

// Imports the files of |opts| into |db| in one transaction, reading each
// file while the store writes the ones before it. One bad file rejects the
// whole import: its error (and every other bad file's) is what is reported.
int ImportFiles(const ImportOptions& opts, Encoding encoding, const std::vector<Layout>& layouts,
                const std::string& db, CliContext& ctx) {
  constexpr size_t kReadAhead = 4;  // files read beyond the one being written
  TableReadAhead files(opts.files, encoding, layouts, opts.sheet, kReadAhead);
  CreatedStore created(db);
  auto store = IndicatorStore::Open(db, IndicatorStore::Mode::kReadWrite);
  Status failed = store.status();
  TableFeeder feeder(files);
  Result<std::vector<ImportResult>> results = failed;
  if (store.ok()) {
    created.store = std::move(store).value();
    results = created.store->Import([&]() { return feeder.Next(); }, FormatIso8601(ctx.clock.Now()),
                                    ImportPolicy{opts.allow_removal});
  }
  if (!results.ok()) {
    // A file that cannot be read is reported before what the store said.
    if (int worst = ReportReadErrors(files, ctx)) return worst;
    return ReportError(ctx, results.status());
  }
  created.Keep();
  PrintSummary(feeder.summaries, *results, ctx);
  return kExitOk;
}

int RunImport(const ImportOptions& opts, CliContext& ctx) {
  // Keep freed heap for reuse: with glibc's default 128 KiB trim threshold an
  // import of 300 tables made 65,000 brk calls, shrinking and regrowing the
  // heap (a third of its time, all of it system time).
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
  Result<Encoding> encoding = EncodingFromName(opts.encoding);
  if (!encoding.ok()) return ReportError(ctx, encoding.status());
  Result<std::vector<Layout>> layouts = LoadLayouts(LayoutSearch{opts.layouts});
  if (!layouts.ok()) return ReportError(ctx, layouts.status());
  if (opts.infer) return RunInfer(opts, *encoding, ctx);
  if (opts.explain) return RunExplain(opts, *layouts, *encoding, ctx);
  std::string db = opts.db;
  if (int rc = PathsFromConfig(opts.config, ctx, &db)) return rc;
  return ImportFiles(opts, *encoding, *layouts, db, ctx);
}

struct IndicatorsOptions {
  std::string config;
  std::string db;
  std::string format = "text";
};

int RunIndicators(const IndicatorsOptions& opts, CliContext& ctx) {
  std::string db = opts.db;
  if (int rc = PathsFromConfig(opts.config, ctx, &db)) return rc;
  auto store = IndicatorStore::Open(db, IndicatorStore::Mode::kReadOnly);
  if (!store.ok()) return ReportError(ctx, store.status());
  Result<std::vector<Plan>> plans = (*store)->LoadPlans();
  if (!plans.ok()) return ReportError(ctx, plans.status());
  if (opts.format == "json") {
    ctx.out << IndicatorsJson(*plans).dump(2) << "\n";
  } else {
    ctx.out << RenderIndicatorsText(*plans);
  }
  return kExitOk;
}

}  // namespace

ToolRunner RegisterImport(CLI::App& app, CliContext& ctx) {
  auto opts = std::make_shared<ImportOptions>();
  CLI::App* cmd = app.add_subcommand(
      "import", "Import progress tables (TSV/CSV, .xlsx, .ods, .xls) into the indicator store");
  cmd->add_option("--db", opts->db, "indicator store (SQLite file, created if absent)");
  AddConfigOption(cmd, &opts->config);  // its store: unless --db is given
  cmd->add_option("--encoding", opts->encoding, "auto, utf-8 or cp932")->capture_default_str();
  cmd->add_option("--layouts", opts->layouts,
                  "directory of layout files, searched before /etc/shihyo/layouts.d and the "
                  "built-in layouts");
  cmd->add_option("--sheet", opts->sheet,
                  "for .xlsx, .ods and .xls files: read only this sheet (name or 1-based "
                  "number); by default every sheet a layout recognises");
  cmd->add_flag("--explain", opts->explain,
                "show which layout reads each file and how every row was read; writes nothing");
  cmd->add_flag("--infer", opts->infer,
                "propose a layout for a table no layout reads: write it (commented, for review) "
                "and show how the table reads with it; imports nothing");
  cmd->add_option("--infer-output", opts->infer_output,
                  "where --infer writes the proposed layout (default: NAME.yaml here; never "
                  "overwritten)");
  cmd->add_flag("--allow-removal", opts->allow_removal,
                "accept a table that removes more than 3 indicators (or a tenth) of its plan; "
                "without it such an import is refused as a possibly truncated file");
  cmd->add_option("files", opts->files, "progress table files")->required();
  return [opts, &ctx]() {
    // The reader bounds what it holds; should memory still run out (a small
    // ulimit), say so rather than abort with the store half-written.
    try {
      return RunImport(*opts, ctx);
    } catch (const std::bad_alloc&) {
      ctx.err << "shihyo: import: " << Tr("out of memory; nothing imported, the store is unchanged")
              << "\n";
      return static_cast<int>(kExitUsage);
    }
  };
}

struct LayoutsOptions {
  std::string layouts;
};

int RunLayouts(const LayoutsOptions& opts, CliContext& ctx) {
  Result<std::vector<Layout>> layouts = LoadLayouts(LayoutSearch{opts.layouts});
  if (!layouts.ok()) return ReportError(ctx, layouts.status());
  for (const Layout& l : *layouts) {
    const char* kind = l.kind == Layout::Kind::kRows         ? "rows"
                       : l.kind == Layout::Kind::kTransposed ? "transposed"
                                                             : "sectioned";
    ctx.out << l.name << "\t" << kind << "\t" << l.file << "\t" << l.description << "\n";
  }
  return kExitOk;
}

ToolRunner RegisterLayouts(CLI::App& app, CliContext& ctx) {
  auto opts = std::make_shared<LayoutsOptions>();
  CLI::App* cmd = app.add_subcommand(
      "layouts", "List the known table layouts (--layouts DIR, /etc/shihyo/layouts.d, built-in)");
  cmd->add_option("--layouts", opts->layouts, "directory of layout files, searched first");
  return [opts, &ctx]() { return RunLayouts(*opts, ctx); };
}

ToolRunner RegisterIndicators(CLI::App& app, CliContext& ctx) {
  auto opts = std::make_shared<IndicatorsOptions>();
  CLI::App* cmd = app.add_subcommand("indicators", "Show the indicators in the store");
  cmd->add_option("--db", opts->db, "indicator store (default: the config's store:)");
  AddConfigOption(cmd, &opts->config);
  cmd->add_option("--format", opts->format, "text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  return [opts, &ctx]() { return RunIndicators(*opts, ctx); };
}

}  // namespace shihyo
