// `shihyo import` of many files, read on two threads: what it prints, and in
// which order, is the order of the files given.
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "fakes.h"

namespace shihyo {
namespace {

using testing::TempDir;

// The bundled table under another title: a plan of its own.
std::string Retitled(const std::string& text, int n) {
  std::string out = text;
  const std::string title = "第2期釜石市子ども・子育て支援事業計画";
  size_t at = out.find(title);
  REQUIRE(at != std::string::npos);
  out.replace(at, title.size(), "第2期テスト市" + std::to_string(n) + "子ども・子育て支援事業計画");
  return out;
}

TEST_CASE("import files: messages and errors follow the order of the files given", "[cli]") {
  TempDir dir;
  const std::string text = testing::ReadFile(testing::KamaishiPath());
  std::vector<std::string> files;
  for (int n = 1; n <= 9; ++n) {
    files.push_back(dir.Write("t" + std::to_string(n) + ".txt", Retitled(text, n)));
  }
  std::string db = dir.File("store.db");
  testing::CliRun first =
      testing::RunShihyo({"import", "--db", db, files[0], files[1], files[2], files[3], files[4],
                          files[5], files[6], files[7], files[8]});
  REQUIRE(first.code == 0);
  CHECK(first.err.empty());
  size_t at = 0;
  for (const std::string& f : files) {  // one line per file, in the order given
    size_t line = first.out.find(f + " (UTF-8): 第2期テスト市", at);
    REQUIRE(line != std::string::npos);
    CHECK(first.out.find("new plan, ", line) != std::string::npos);
    at = line + 1;
  }

  // Broken files among good ones: every error, in the order given; the
  // store (here not even created) untouched.
  std::string broken = Retitled(text, 20);
  const std::string cell = "3,831件";
  broken.replace(broken.find(cell), cell.size(), std::string("3,8") + "\x1b" + "31件");
  std::string control = dir.Write("control.txt", broken);
  std::string missing = dir.File("missing.txt");
  std::string cut = dir.Write("cut.txt", "x\xff\n");
  std::string fresh = dir.File("fresh.db");
  testing::CliRun bad = testing::RunShihyo(
      {"import", "--db", fresh, files[0], control, files[1], missing, files[2], cut, files[3]});
  CHECK(bad.code == 2);  // the worst: a file that cannot be read
  CHECK(bad.out.empty());
  size_t c = bad.err.find(control + ":");
  size_t m = bad.err.find(missing + ": cannot open for reading");
  size_t u = bad.err.find(cut + ":1: cell 1: bytes");
  size_t end = bad.err.find("nothing imported; the store is unchanged");
  REQUIRE(c != std::string::npos);
  REQUIRE(m != std::string::npos);
  REQUIRE(u != std::string::npos);
  REQUIRE(end != std::string::npos);
  CHECK(c < m);
  CHECK(m < u);
  CHECK(u < end);
  CHECK_FALSE(std::filesystem::exists(fresh));

  // The same files again: unchanged, in the same order.
  testing::CliRun again = testing::RunShihyo({"import", "--db", db, files[8], files[0]});
  REQUIRE(again.code == 0);
  size_t last = again.out.find(files[8] + " (UTF-8): ");
  size_t head = again.out.find(files[0] + " (UTF-8): ");
  REQUIRE(last != std::string::npos);
  REQUIRE(head != std::string::npos);
  CHECK(last < head);
  CHECK(again.out.find("unchanged") != std::string::npos);
}

TEST_CASE("import files: a bad file in the middle of many, read while the others are written",
          "[cli]") {
  TempDir dir;
  const std::string text = testing::ReadFile(testing::KamaishiPath());
  std::vector<std::string> args = {"import", "--db", dir.File("fresh.db")};
  for (int n = 1; n <= 24; ++n) {
    std::string body = Retitled(text, n);
    if (n == 13)
      body.replace(body.find("3,831件"), 9,
                   "3,8\x1b"
                   "31件");
    args.push_back(dir.Write("t" + std::to_string(n) + ".txt", body));
  }
  // A store this import would have created is not left behind.
  testing::CliRun fresh = testing::RunShihyo(args);
  CHECK(fresh.code == 1);
  CHECK(fresh.out.empty());
  CHECK(fresh.err.find(args[3 + 12] + ":") != std::string::npos);
  CHECK(fresh.err.find("nothing imported; the store is unchanged") != std::string::npos);
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    CHECK_FALSE(std::filesystem::exists(dir.File("fresh.db") + suffix));
  }

  // An existing store keeps what it had: the twelve tables before the bad
  // one were written and rolled back.
  std::string db = dir.File("store.db");
  REQUIRE(testing::RunShihyo({"import", "--db", db, args[3]}).code == 0);
  args[2] = db;
  testing::CliRun bad = testing::RunShihyo(args);
  CHECK(bad.code == 1);
  CHECK(bad.out.empty());
  CHECK(std::filesystem::exists(db));
  testing::CliRun shown = testing::RunShihyo({"indicators", "--db", db, "--format", "json"});
  REQUIRE(shown.code == 0);
  CHECK(shown.out.find("テスト市1子ども") != std::string::npos);
  CHECK(shown.out.find("テスト市2子ども") == std::string::npos);
}

}  // namespace
}  // namespace shihyo
