// Regression tests for issue 13 (hardening), the import side: truncated
// tables, control characters, error messages that name the line and cell,
// and files that are not regular files. Each case failed before its fix.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <string>

#include "base/encoding.h"
#include "config/config.h"
#include "fakes.h"
#include "state/state_store.h"

namespace shihyo {
namespace {

using testing::KamaishiPath;
using testing::ReadFile;
using testing::RunShihyo;
using testing::TempDir;

// The Kamaishi table cut before the line that starts with |marker|.
std::string CutBefore(const std::string& marker) {
  std::string text = ReadFile(KamaishiPath());
  size_t at = text.find("\n" + marker);
  REQUIRE(at != std::string::npos);
  return text.substr(0, at + 1);
}

TEST_CASE("import guard: a table cut at a row boundary is refused (issue 13 item 5)",
          "[import_guard]") {
  TempDir dir;
  std::string db = dir.File("store.db");
  REQUIRE(RunShihyo({"import", "--db", db, KamaishiPath()}).code == 0);
  std::string before = RunShihyo({"indicators", "--db", db, "--format", "json"}).out;
  std::string cut = dir.Write("cut.txt", CutBefore("プロジェクト3"));

  testing::CliRun refused = RunShihyo({"import", "--db", db, cut});
  CHECK(refused.code == 1);
  CHECK_THAT(refused.err, Catch::Contains(cut + ": would remove 10 of the 26 indicators of plan"));
  CHECK_THAT(refused.err, Catch::Contains("import again with --allow-removal"));
  CHECK(refused.out.empty());
  CHECK(RunShihyo({"indicators", "--db", db, "--format", "json"}).out == before);

  testing::CliRun allowed = RunShihyo({"import", "--db", db, "--allow-removal", cut});
  CHECK(allowed.code == 0);
  CHECK_THAT(allowed.out, Catch::Contains("0 indicators added, 10 removed\n  removed: "));
  CHECK_THAT(allowed.out,
             Catch::Contains("  removed: 関係機関との連携件数(児童相談所からの後方支援回数)\n"));
}

TEST_CASE("import guard: one removed row imports and is named (issue 13 item 5)",
          "[import_guard]") {
  TempDir dir;
  std::string db = dir.File("store.db");
  REQUIRE(RunShihyo({"import", "--db", db, KamaishiPath()}).code == 0);
  std::string text = ReadFile(KamaishiPath());
  size_t row = text.find("関係機関との連携件数(児童相談所からの後方支援回数)");
  REQUIRE(row != std::string::npos);
  size_t end = text.find('\n', row);
  std::string rest = end == std::string::npos ? "" : text.substr(end + 1);
  std::string smaller = dir.Write("smaller.txt", text.substr(0, row) + rest);
  testing::CliRun imp = RunShihyo({"import", "--db", db, smaller});
  CHECK(imp.code == 0);
  CHECK_THAT(imp.out,
             Catch::EndsWith(
                 "1 removed\n  removed: 関係機関との連携件数(児童相談所からの後方支援回数)\n"));
}

// The Kamaishi table with |from| replaced by |to| (the first occurrence).
std::string Edited(const std::string& from, const std::string& to) {
  std::string text = ReadFile(KamaishiPath());
  size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

TEST_CASE("import guard: control characters are refused with line and cell (issue 13 item 13)",
          "[import_guard]") {
  TempDir dir;
  struct Case {
    std::string name, from, to, error;
  };
  const Case cases[] = {
      {"nul_title.txt", "第2期釜石市", std::string("\0第2期釜石市", 17),
       ":3: cell 1: control character \\x00 (expected printable text)"},
      {"esc_name.txt", "子育て支援センターの利用者数", "子育て\x1b[2J支援センターの利用者数",
       ":56: cell 1: control character \\x1B (expected printable text)"},
      {"c1_cell.txt", "4,801人", "4,801\xC2\x85人", ":56: cell 3: control character \\x85"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    std::string path = dir.Write(c.name, Edited(c.from, c.to));
    testing::CliRun imp = RunShihyo({"import", "--db", dir.File("s.db"), path});
    CHECK(imp.code == 1);
    CHECK_THAT(imp.err, Catch::Contains(path + c.error));
    CHECK(RunShihyo({"import", "--explain", path}).code == 1);
  }
}

TEST_CASE("import guard: the summary and --explain escape what came from the file",
          "[import_guard]") {
  TempDir dir;
  std::string path = dir.Write("a\x1b]0;title\x07.txt", ReadFile(KamaishiPath()));
  testing::CliRun imp = RunShihyo({"import", "--db", dir.File("s.db"), path});
  REQUIRE(imp.code == 0);
  CHECK(imp.out.find('\x1b') == std::string::npos);
  CHECK_THAT(imp.out, Catch::StartsWith(dir.File("a\\x1B]0;title\\x07.txt (UTF-8)")));
  testing::CliRun explain = RunShihyo({"import", "--explain", path});
  REQUIRE(explain.code == 0);
  CHECK(explain.out.find('\x1b') == std::string::npos);
  CHECK(explain.out.find('\x07') == std::string::npos);
}

}  // namespace
}  // namespace shihyo
