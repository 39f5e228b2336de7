// `shihyo import` and `shihyo indicators`: the indicator store from the
// command line.
#include <malloc.h>

#include <algorithm>
#include <memory>
#include <new>

#include "base/text.h"
#include "cli/cli_tools.h"
#include "import/progress_table.h"
#include "import/table_reader.h"
#include "model/indicators_view.h"
#include "store/store.h"

namespace shihyo {

namespace {

struct ImportOptions {
  std::string db;
  std::vector<std::string> files;
  std::string encoding = "auto";
  std::string layouts;  // --layouts DIR
  bool explain = false;
  std::string sheet;           // --sheet NAME|N for .xlsx/.ods/.xls; "" for every sheet
  bool allow_removal = false;  // --allow-removal
};

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

// One line per imported table.
void PrintSummary(const std::vector<ProgressTable>& tables,
                  const std::vector<ImportResult>& results, CliContext& ctx) {
  for (size_t i = 0; i < results.size(); ++i) {
    const ImportResult& r = results[i];
    const ProgressTable& t = tables[i];
    ctx.out << EscapeControls(r.source) << " (" << t.encoding << "): " << EscapeControls(t.title)
            << ": " << t.projects.size() << " projects, " << t.IndicatorCount() << " indicators, FY"
            << t.fiscal_years.front() << "–FY" << t.fiscal_years.back() << "; ";
    if (!r.changed) {
      ctx.out << "unchanged\n";
    } else {
      ctx.out << (r.created ? "new plan, " : "") << r.cells_changed << " cells changed, "
              << r.indicators_added << " indicators added, " << r.indicators_removed
              << " removed\n";
      for (const std::string& name : r.removed_names) {
        ctx.out << "  removed: " << EscapeControls(name) << "\n";
      }
    }
  }
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
  if (opts.explain) return RunExplain(opts, *layouts, *encoding, ctx);
  if (opts.db.empty()) {
    ctx.err << "shihyo: import needs --db STORE (or --explain, which writes nothing)\n";
    return kExitUsage;
  }
  // Read every file first: one bad file rejects the whole import.
  std::vector<ProgressTable> tables;
  int worst = kExitOk;
  for (const std::string& file : opts.files) {
    Result<std::vector<TableRead>> reads = ReadTables(file, *encoding, *layouts, opts.sheet);
    if (!reads.ok()) {
      worst = std::max(worst, ReportError(ctx, reads.status()));
      continue;
    }
    for (TableRead& read : *reads) tables.push_back(std::move(read.table));
  }
  if (worst != kExitOk) {
    ctx.err << "shihyo: nothing imported; the store is unchanged\n";
    return worst;
  }
  auto store = IndicatorStore::Open(opts.db, IndicatorStore::Mode::kReadWrite);
  if (!store.ok()) return ReportError(ctx, store.status());
  Result<std::vector<ImportResult>> results =
      (*store)->Import(tables, FormatIso8601(ctx.clock.Now()), ImportPolicy{opts.allow_removal});
  if (!results.ok()) return ReportError(ctx, results.status());
  PrintSummary(tables, *results, ctx);
  return kExitOk;
}

struct IndicatorsOptions {
  std::string db;
  std::string format = "text";
};

int RunIndicators(const IndicatorsOptions& opts, CliContext& ctx) {
  auto store = IndicatorStore::Open(opts.db, IndicatorStore::Mode::kReadOnly);
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
  cmd->add_option("--encoding", opts->encoding, "auto, utf-8 or cp932")->capture_default_str();
  cmd->add_option("--layouts", opts->layouts,
                  "directory of layout files, searched before /etc/shihyo/layouts.d and the "
                  "built-in layouts");
  cmd->add_option("--sheet", opts->sheet,
                  "for .xlsx, .ods and .xls files: read only this sheet (name or 1-based "
                  "number); by default every sheet a layout recognises");
  cmd->add_flag("--explain", opts->explain,
                "show which layout reads each file and how every row was read; writes nothing");
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
      ctx.err << "shihyo: import: out of memory; nothing imported, the store is unchanged\n";
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
  cmd->add_option("--db", opts->db, "indicator store")->required();
  cmd->add_option("--format", opts->format, "text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  return [opts, &ctx]() { return RunIndicators(*opts, ctx); };
}

}  // namespace shihyo
