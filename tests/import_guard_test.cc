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
#include "notify/receiver_registry.h"
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

TEST_CASE("import guard: encoding errors name the line and cell (issue 13 item 14)",
          "[import_guard]") {
  auto utf8 = DecodeToUtf8("指標\t目標値\n子育て\t5\xff人\n", "t.txt", Encoding::kUtf8);
  CHECK(utf8.status().message() == "t.txt:2: cell 2: bytes \\xFF人 are not valid UTF-8");
  auto csv = DecodeToUtf8("a,\"1,2\",\xff\n", "t.csv", Encoding::kUtf8);
  CHECK(csv.status().message() == "t.csv:1: cell 3: bytes \\xFF\\x0A are not valid UTF-8");
  // UTF-16LE: "a\tb\nc\t" then a lone low surrogate.
  std::string utf16(
      "\xFF\xFE"
      "a\0\t\0b\0\n\0c\0\t\0\x00\xDC",
      16);
  auto u16 = DecodeToUtf8(utf16, "u.txt", Encoding::kAuto);
  CHECK(u16.status().message() ==
        "u.txt:2: cell 2: bytes \\x00\\xDC are not valid UTF-16 (at byte 14)");
  auto utf32 = DecodeToUtf8(std::string("\xFF\xFE\0\0a\0\0\0", 8), "w.txt", Encoding::kAuto);
  CHECK(utf32.status().message() == "w.txt: UTF-32 is not supported; save as UTF-8 or UTF-16");
  auto be32 = DecodeToUtf8(std::string("\0\0\xFE\xFF\0\0\0a", 8), "w.txt", Encoding::kAuto);
  CHECK(be32.status().message() == "w.txt: UTF-32 is not supported; save as UTF-8 or UTF-16");
  const std::string second =
      ":1: a second byte-order mark (U+FEFF) after the first; save the file again as UTF-8 or "
      "UTF-16";
  auto bom2 = DecodeToUtf8("\xEF\xBB\xBF\xEF\xBB\xBF指標", "b.txt", Encoding::kAuto);
  CHECK(bom2.status().message() == "b.txt" + second);
  auto bom16 = DecodeToUtf8(std::string("\xFF\xFE\xFF\xFE"
                                        "a\0",
                                        6),
                            "b.txt", Encoding::kAuto);
  CHECK(bom16.status().message() == "b.txt" + second);
}

TEST_CASE("import guard: a directory, FIFO or device is refused with exit 2 (issue 13 items 7, 14)",
          "[import_guard]") {
  TempDir dir;
  std::string fifo = dir.File("fifo.txt");
  REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
  const std::pair<std::string, std::string> cases[] = {
      {dir.File(""), ": is a directory (expected a progress table file)"},
      {fifo, ": not a regular file (a FIFO, device or socket); expected a progress table file"},
      {"/dev/zero",
       ": not a regular file (a FIFO, device or socket); expected a progress table file"},
      {dir.File("none.txt"), ": cannot open for reading"},
  };
  for (const auto& [path, error] : cases) {
    CAPTURE(path);
    testing::CliRun imp = RunShihyo({"import", "--db", dir.File("s.db"), path});
    CHECK(imp.code == 2);
    CHECK_THAT(imp.err, Catch::Contains("shihyo: " + path + error));
    CHECK(RunShihyo({"import", "--explain", path}).code == 2);
  }
}

TEST_CASE("import guard: a table over the size bound is refused before reading", "[import_guard]") {
  TempDir dir;
  std::string path = dir.File("big.txt");
  {
    std::ofstream out(path, std::ios::binary);
    out.seekp(50 * 1024 * 1024);
    out << "\n";
  }
  testing::CliRun imp = RunShihyo({"import", "--db", dir.File("s.db"), path});
  CHECK(imp.code == 1);
  CHECK_THAT(imp.err,
             Catch::Contains(path + ": larger than 16 MiB; a progress table is far smaller"));
}

TEST_CASE("import guard: an unknown admin_receiver is reported at its value (issue 13 item 14)",
          "[import_guard]") {
  TempDir dir;
  std::string path = dir.Write("c.yaml",
                               "store: s.db\nstate: st.db\nrules: r\n"
                               "receivers:\n  - name: hook\n    webhook: {url: \"http://x\"}\n"
                               "admin_receiver: opz\nroute: {receiver: hook}\n");
  Result<Config> c = LoadConfig(path, ReceiverConfigKinds());
  REQUIRE_FALSE(c.ok());
  CHECK(c.status().message() == path + ":7:17: config: 'admin_receiver': no receiver named 'opz'");
}

TEST_CASE("import guard: a state DB that is a FIFO is refused, not opened (issue 13 item 8)",
          "[import_guard]") {
  TempDir dir;
  std::string fifo = dir.File("state.db");
  REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
  auto state = StateStore::Open(fifo, 100);
  REQUIRE_FALSE(state.ok());
  CHECK(state.status().message() == fifo + ": not a regular file (the state DB is an SQLite file)");
}

}  // namespace
}  // namespace shihyo
