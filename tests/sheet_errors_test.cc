// Broken and hostile workbooks are refused with an error naming the file,
// sheet, row and cell: never a crash, never unbounded memory.
#include <zip.h>

#include <catch2/catch.hpp>
#include <string>
#include <utility>
#include <vector>

#include "fakes.h"
#include "import/sheet.h"

namespace shihyo {
namespace {

using testing::TempDir;
using Entries = std::vector<std::pair<std::string, std::string>>;

void WriteZip(const std::string& path, const Entries& entries) {
  int error = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  REQUIRE(z != nullptr);
  for (const auto& [name, data] : entries) {
    zip_source_t* src = zip_source_buffer(z, data.data(), data.size(), 0);
    REQUIRE(zip_file_add(z, name.c_str(), src, ZIP_FL_OVERWRITE) >= 0);
  }
  REQUIRE(zip_close(z) == 0);
}

const char kWorkbook[] =
    R"(<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" )"
    R"(xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">)"
    R"(<sheets><sheet name="表" sheetId="1" r:id="rId1"/></sheets></workbook>)";
const char kRels[] =
    R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
    R"(<Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="x"/></Relationships>)";

std::string SheetXml(const std::string& data) {
  return R"(<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">)"
         "<sheetData>" +
         data + "</sheetData></worksheet>";
}

// Reads an .xlsx made of the workbook above and |sheet_xml| (plus |more|).
Result<std::vector<Sheet>> ReadXlsx(const TempDir& dir, const std::string& sheet_xml,
                                    Entries more = {}, const SheetLimits& limits = {}) {
  std::string path = dir.File("t.xlsx");
  Entries entries = {{"xl/workbook.xml", kWorkbook},
                     {"xl/_rels/workbook.xml.rels", kRels},
                     {"xl/worksheets/sheet1.xml", sheet_xml}};
  for (auto& e : more) entries.push_back(std::move(e));
  WriteZip(path, entries);
  return ReadWorkbook(path, SheetFormat::kXlsx, limits);
}

std::string ErrorOf(const Result<std::vector<Sheet>>& r, const std::string& dir) {
  REQUIRE_FALSE(r.ok());
  std::string msg = r.status().message();
  for (size_t at; (at = msg.find(dir)) != std::string::npos;) msg.replace(at, dir.size(), "DIR");
  return msg;
}

TEST_CASE("sheet errors: shared, inline, formula, boolean cells and phonetic guides", "[sheets]") {
  TempDir dir;
  std::string strings = R"(<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">)"
                        "<si><t>指標</t><rPh sb=\"0\" eb=\"2\"><t>シヒョウ</t></rPh></si>"
                        "<si><r><t>目標</t></r><r><t>値</t></r></si></sst>";
  auto r =
      ReadXlsx(dir,
               SheetXml(R"(<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="s"><v>1</v></c>)"
                        R"(<c r="C2" t="inlineStr"><is><t>実績</t></is></c>)"
                        R"(<c r="D2"><f>1+2</f><v>3</v></c><c r="E2" t="b"><v>1</v></c>)"
                        R"(<c r="F2" t="str"><f>"a"&amp;"b"</f><v>ab</v></c></row>)"),
               {{"xl/sharedStrings.xml", strings}});
  REQUIRE(r.ok());
  const Sheet& s = (*r)[0];
  CHECK(s.name == "表");
  REQUIRE(s.rows.size() == 2);
  CHECK(s.rows[1].cells == std::vector<std::string>{"指標", "目標値", "実績", "3", "TRUE", "ab"});
}

TEST_CASE("sheet errors: broken containers", "[sheets]") {
  TempDir dir;
  std::string d = dir.File("");
  std::string not_zip = dir.File("not.xlsx");
  std::ofstream(not_zip) << "指標内容\t目標値\n";
  CHECK(ErrorOf(ReadWorkbook(not_zip, SheetFormat::kXlsx), d) ==
        "DIRnot.xlsx: not a readable zip file (Not a zip archive); .xlsx and .ods files are zip "
        "containers");
  std::string good = dir.File("good.xlsx");
  WriteZip(good, {{"xl/workbook.xml", kWorkbook},
                  {"xl/_rels/workbook.xml.rels", kRels},
                  {"xl/worksheets/sheet1.xml", SheetXml("")}});
  std::string bytes = testing::ReadFile(good);
  std::string cut = dir.File("cut.xlsx");
  std::ofstream(cut, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  CHECK(ErrorOf(ReadWorkbook(cut, SheetFormat::kXlsx), d) ==
        "DIRcut.xlsx: not a readable zip file (Not a zip archive); .xlsx and .ods files are zip "
        "containers");
  std::string no_workbook = dir.File("nowb.xlsx");
  WriteZip(no_workbook, {{"xl/worksheets/sheet1.xml", SheetXml("")}});
  CHECK(ErrorOf(ReadWorkbook(no_workbook, SheetFormat::kXlsx), d) ==
        "DIRnowb.xlsx: no xl/workbook.xml; not an .xlsx workbook");
  std::string no_content = dir.File("empty.ods");
  WriteZip(no_content, {{"mimetype", "application/vnd.oasis.opendocument.spreadsheet"}});
  CHECK(ErrorOf(ReadWorkbook(no_content, SheetFormat::kOds), d) ==
        "DIRempty.ods: no content.xml; not an OpenDocument spreadsheet");
  std::string not_xls = dir.File("not.xls");
  std::ofstream(not_xls) << "not a workbook";
  CHECK(ErrorOf(ReadWorkbook(not_xls, SheetFormat::kXls), d)
            .rfind("DIRnot.xls: libfreexl cannot read it", 0) == 0);
}

TEST_CASE("sheet errors: bad XML, a DOCTYPE, deep nesting", "[sheets]") {
  TempDir dir;
  std::string d = dir.File("");
  CHECK(ErrorOf(ReadXlsx(dir, SheetXml("<row><c>")), d) ==
        "DIRt.xlsx: xl/worksheets/sheet1.xml:1:99: not well-formed XML: mismatched tag "
        "(sheet '表')");
  CHECK(ErrorOf(ReadXlsx(dir, "<!DOCTYPE x [<!ENTITY a \"aaaa\">]><x>&a;</x>"), d) ==
        "DIRt.xlsx: xl/worksheets/sheet1.xml:1:13: a DOCTYPE is not allowed (sheet '表')");
  std::string deep;
  for (int i = 0; i < 100; ++i) deep += "<a>";
  CHECK(ErrorOf(ReadXlsx(dir, SheetXml(deep)), d) ==
        "DIRt.xlsx: xl/worksheets/sheet1.xml:1:278: elements nested deeper than 64 (sheet '表')");
}

TEST_CASE("sheet errors: a zip bomb entry, too many rows, columns, long cells", "[sheets]") {
  TempDir dir;
  std::string d = dir.File("");
  std::string bomb = SheetXml("") + std::string(65u << 20, ' ');
  std::string bomb_error = ErrorOf(ReadXlsx(dir, bomb), d);
  CHECK(bomb_error.rfind("DIRt.xlsx: xl/worksheets/sheet1.xml: 68157", 0) == 0);
  CHECK_THAT(bomb_error, Catch::EndsWith(" (over the limit of 64 MiB or ratio 1000; a zip "
                                         "bomb?) (sheet '表')"));
  CHECK(ErrorOf(ReadXlsx(dir, SheetXml(R"(<row r="200000"><c r="A200000" t="inlineStr">)"
                                       "<is><t>x</t></is></c></row>")),
                d) ==
        "DIRt.xlsx[表]:200000: cell A200000: beyond row 100000; a progress table "
        "is far smaller");
  CHECK(ErrorOf(ReadXlsx(dir, SheetXml(R"(<row r="1"><c r="ZZZ1"><v>1</v></c></row>)")), d) ==
        "DIRt.xlsx[表]:1: cell ZZZ1: beyond column 2000");
  std::string long_text(70000, 'x');
  CHECK(ErrorOf(ReadXlsx(dir, SheetXml(R"(<row r="3"><c r="B3" t="inlineStr"><is><t>)" + long_text +
                                       "</t></is></c></row>")),
                d) == "DIRt.xlsx[表]:3: cell B3: longer than 64 KiB");
}

TEST_CASE("sheet errors: overlapping merged ranges cannot make the reader loop for long",
          "[sheets]") {
  TempDir dir;
  std::string rows;
  for (int r = 1; r <= 400; ++r) {
    std::string n = std::to_string(r);
    rows += "<row r=\"" + n + "\"><c r=\"BXW" + n + "\"><v>1</v></c></row>";
  }
  std::string merges = "<mergeCells>";
  for (int i = 0; i < 10; ++i) merges += R"(<mergeCell ref="A1:BXW400"/>)";
  merges += "</mergeCells>";
  std::string xml = SheetXml(rows);
  xml.insert(xml.find("</worksheet>"), merges);
  CHECK(ErrorOf(ReadXlsx(dir, xml), dir.File("")) ==
        "DIRt.xlsx[表]:1: merged ranges cover more than 4000000 cells");
  // One merged range across a heading row keeps the text in its first cell.
  std::string heading =
      SheetXml(R"(<row r="2"><c r="A2" t="inlineStr"><is><t>プロジェクト1</t></is></c><c r="B2" )"
               R"(t="inlineStr"><is><t>hidden</t></is></c></row>)");
  heading.insert(heading.find("</worksheet>"),
                 R"(<mergeCells><mergeCell ref="A2:G2"/></mergeCells>)");
  auto merged = ReadXlsx(dir, heading);
  REQUIRE(merged.ok());
  CHECK((*merged)[0].rows[1].cells == std::vector<std::string>{"プロジェクト1", ""});
}

std::string OdsContent(const std::string& rows) {
  return R"(<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" )"
         R"(xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" )"
         R"(xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body>)"
         R"(<office:spreadsheet><table:table table:name="シート1">)" +
         rows + "</table:table></office:spreadsheet></office:body></office:document-content>";
}

Result<std::vector<Sheet>> ReadOds(const TempDir& dir, const std::string& rows) {
  std::string path = dir.File("t.ods");
  WriteZip(path, {{"content.xml", OdsContent(rows)}});
  return ReadWorkbook(path, SheetFormat::kOds);
}

TEST_CASE("sheet errors: ODS repeats are expanded only within the limits", "[sheets]") {
  TempDir dir;
  std::string d = dir.File("");
  // Trailing empty cells and rows repeated a million times cost nothing.
  auto ok =
      ReadOds(dir, R"(<table:table-row><table:table-cell><text:p>a</text:p></table:table-cell>)"
                   R"(<table:table-cell table:number-columns-repeated="2"><text:p>b</text:p>)"
                   R"(</table:table-cell><table:covered-table-cell/>)"
                   R"(<table:table-cell table:number-columns-repeated="16000"/></table:table-row>)"
                   R"(<table:table-row table:number-rows-repeated="1048000"><table:table-cell )"
                   R"(table:number-columns-repeated="1024"/></table:table-row>)");
  REQUIRE(ok.ok());
  REQUIRE((*ok)[0].rows.size() == 1);
  CHECK((*ok)[0].rows[0].cells == std::vector<std::string>{"a", "b", "b"});
  CHECK(ErrorOf(
            ReadOds(dir, R"(<table:table-row><table:table-cell table:number-columns-repeated=)"
                         R"("999999999"><text:p>x</text:p></table:table-cell></table:table-row>)"),
            d) == "DIRt.ods[シート1]:1: cell A1: repeated 999999999 times, beyond column 2000");
  CHECK(ErrorOf(ReadOds(dir, R"(<table:table-row table:number-rows-repeated="999999999">)"
                             R"(<table:table-cell><text:p>x</text:p></table:table-cell>)"
                             R"(</table:table-row>)"),
                d) == "DIRt.ods[シート1]:1: a row repeated 999999999 times, beyond row 100000");
}

}  // namespace
}  // namespace shihyo
