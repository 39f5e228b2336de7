// Spreadsheets read directly: the Kamaishi table saved as .xlsx, .ods and .xls
// by LibreOffice and openpyxl (tests/data/sheets/make-fixtures.sh) imports
// into the same store as the .txt; --sheet; broken and hostile workbooks.
#include "import/sheet.h"

#include <zip.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

#include "fakes.h"

namespace shihyo {
namespace {

using nlohmann::json;
using testing::SourcePath;
using testing::TempDir;

std::string Fixture(const std::string& name) { return SourcePath("tests/data/sheets/" + name); }

// `indicators --format json` after importing |file| into a fresh store,
// without the fields that name the import (imported_at, source).
json Indicators(const TempDir& dir, const std::string& file, const std::string& db_name) {
  std::string db = dir.File(db_name);
  testing::CliRun imp = testing::RunShihyo({"import", "--db", db, file});
  INFO(imp.err);
  REQUIRE(imp.code == 0);
  testing::CliRun show = testing::RunShihyo({"indicators", "--db", db, "--format", "json"});
  REQUIRE(show.code == 0);
  json doc = json::parse(show.out);
  for (json& plan : doc["plans"]) {
    plan.erase("imported_at");
    plan.erase("source");
  }
  return doc;
}

TEST_CASE("sheets: the Kamaishi table as .xlsx, .ods and .xls imports as the .txt does",
          "[sheets]") {
  TempDir dir;
  json want = Indicators(dir, testing::KamaishiPath(), "txt.db");
  REQUIRE(want["indicators"].size() == 26);
  for (const char* name : {"kamaishi_lo.xlsx", "kamaishi_lo.ods", "kamaishi_lo.xls",
                           "kamaishi_openpyxl.xlsx", "kamaishi_openpyxl_lo.ods"}) {
    INFO(name);
    CHECK(Indicators(dir, Fixture(name), std::string(name) + ".db") == want);
  }
}

TEST_CASE("sheets: numbers read as displayed, merged headings as the TSV has them", "[sheets]") {
  Result<std::vector<Sheet>> sheets =
      ReadWorkbook(Fixture("kamaishi_openpyxl.xlsx"), SheetFormat::kXlsx);
  REQUIRE(sheets.ok());
  REQUIRE(sheets->size() == 1);
  const Sheet& s = (*sheets)[0];
  CHECK(s.name == "進捗状況");
  // 釜石市LINEの友達登録数(累計): 5000 as #,##0"人", 1748 likewise.
  const Record& line = s.rows[17];
  CHECK(line.line == 18);
  CHECK(line.cells == std::vector<std::string>{"釜石市LINEの友達登録数(累計)", "5,000人", "1,748人",
                                               "3,188人", "5,070人", "5,992人"});
  CHECK(s.rows[11].cells[1] == "100%");  // 1 with 0%
  // A heading merged across A5:G5 keeps its text in A5 only.
  CHECK(s.rows[4].cells == std::vector<std::string>{"プロジェクト1:情報発信プロジェクト"});
  CHECK(s.rows[0].cells == std::vector<std::string>{""});  // empty rows stay, as in the .txt
}

TEST_CASE("sheets: an .xls number reads as the plain number (libfreexl gives no formats)",
          "[sheets]") {
  Result<std::vector<Sheet>> sheets =
      ReadWorkbook(Fixture("kamaishi_openpyxl_lo.xls"), SheetFormat::kXls);
  REQUIRE(sheets.ok());
  const Sheet& s = (*sheets)[0];
  CHECK(s.name == "進捗状況");
  CHECK(s.rows[17].cells == std::vector<std::string>{"釜石市LINEの友達登録数(累計)", "5000", "1748",
                                                     "3188", "5070", "5992"});
  CHECK(s.rows[11].cells[1] == "1");  // displayed as 100%
  CHECK(s.rows[4].cells[0] == "プロジェクト1:情報発信プロジェクト");
}

TEST_CASE("sheets: --sheet by name or number; an unknown one names the sheets", "[sheets]") {
  TempDir dir;
  std::string db = dir.File("s.db");
  std::string file = Fixture("kamaishi_openpyxl.xlsx");
  CHECK(testing::RunShihyo({"import", "--db", db, "--sheet", "進捗状況", file}).code == 0);
  CHECK(testing::RunShihyo({"import", "--db", db, "--sheet", "1", file}).code == 0);
  testing::CliRun bad = testing::RunShihyo({"import", "--db", db, "--sheet", "2", file});
  CHECK(bad.code != 0);
  CHECK(bad.err.find(file + ": no sheet '2' (the sheets: 1 '進捗状況')") != std::string::npos);
  testing::CliRun text =
      testing::RunShihyo({"import", "--db", db, "--sheet", "1", testing::KamaishiPath()});
  CHECK(text.err.find("--sheet applies to .xlsx, .ods and .xls files") != std::string::npos);
}

std::string Escaped(const std::string& text) {
  std::string out;
  for (char c : text) {
    out += c == '&' ? "&amp;" : c == '<' ? "&lt;" : c == '>' ? "&gt;" : std::string(1, c);
  }
  return out;
}

// An .ods with a cover sheet (one cell) before the Kamaishi table.
std::string OdsWithCover(const TempDir& dir) {
  std::string rows;
  std::istringstream lines(testing::ReadFile(testing::KamaishiPath()));
  for (std::string line; std::getline(lines, line);) {
    rows += "<table:table-row>";
    std::istringstream cells(line);
    for (std::string cell; std::getline(cells, cell, '\t');) {
      rows += "<table:table-cell><text:p>" + Escaped(cell) + "</text:p></table:table-cell>";
    }
    rows += "</table:table-row>";
  }
  std::string content =
      R"(<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" )"
      R"(xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" )"
      R"(xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body>)"
      R"(<office:spreadsheet><table:table table:name="表紙"><table:table-row><table:table-cell>)"
      R"(<text:p>令和6年度 進捗状況</text:p></table:table-cell></table:table-row></table:table>)"
      R"(<table:table table:name="進捗">)" +
      rows + "</table:table></office:spreadsheet></office:body></office:document-content>";
  std::string path = dir.File("cover.ods");
  int error = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  REQUIRE(z != nullptr);
  zip_source_t* src = zip_source_buffer(z, content.data(), content.size(), 0);
  REQUIRE(zip_file_add(z, "content.xml", src, ZIP_FL_OVERWRITE) >= 0);
  REQUIRE(zip_close(z) == 0);
  return path;
}

TEST_CASE("sheets: a cover sheet no layout reads is skipped, unless asked for", "[sheets]") {
  TempDir dir;
  std::string file = OdsWithCover(dir);
  json want = Indicators(dir, testing::KamaishiPath(), "txt.db");
  CHECK(Indicators(dir, file, "ods.db") == want);
  testing::CliRun cover = testing::RunShihyo({"import", "--explain", "--sheet", "表紙", file});
  CHECK(cover.code == 1);
  CHECK(cover.err.find(file + "[表紙]: no layout reads this table:") != std::string::npos);
  testing::CliRun table = testing::RunShihyo({"import", "--explain", "--sheet", "2", file});
  CHECK(table.code == 0);
  CHECK(table.out.rfind(file + "[進捗] (ods)\n", 0) == 0);
}

}  // namespace
}  // namespace shihyo
