#include "import/delimited.h"

#include <catch2/catch.hpp>

namespace shihyo {
namespace {

TEST_CASE("delimited: tabs, CRLF and trailing cells", "[delimited]") {
  auto r = SplitRecords("a\tb\t\r\n\r\nc", '\t', "t.txt");
  REQUIRE(r.ok());
  REQUIRE(r->size() == 3);
  CHECK((*r)[0].cells == std::vector<std::string>{"a", "b", ""});
  CHECK((*r)[0].line == 1);
  CHECK((*r)[1].cells == std::vector<std::string>{""});
  CHECK((*r)[2].cells == std::vector<std::string>{"c"});
  CHECK((*r)[2].line == 3);
}

TEST_CASE("delimited: quoted CSV cells as spreadsheets write them", "[delimited]") {
  auto r = SplitRecords("名,\"5,070人\",\"say \"\"hi\"\"\"\n\"two\nlines\",x\n", ',', "t.csv");
  REQUIRE(r.ok());
  REQUIRE(r->size() == 2);
  CHECK((*r)[0].cells == std::vector<std::string>{"名", "5,070人", "say \"hi\""});
  CHECK((*r)[1].cells == std::vector<std::string>{"two\nlines", "x"});
  CHECK((*r)[1].line == 2);
}

TEST_CASE("delimited: line numbers continue after a multi-line cell", "[delimited]") {
  auto r = SplitRecords("\"a\r\nb\",1\r\nc,2\r\n", ',', "t.csv");
  REQUIRE(r.ok());
  REQUIRE(r->size() == 2);
  CHECK((*r)[1].line == 3);
}

TEST_CASE("delimited: broken quoting is an error with the line", "[delimited]") {
  auto open = SplitRecords("a,b\nc,\"never closed\n", ',', "t.csv");
  REQUIRE_FALSE(open.ok());
  CHECK(open.status().message() ==
        "t.csv:2: unterminated quoted cell (a '\"' opens here and is never closed)");
  auto junk = SplitRecords("\"a\"b,c\n", ',', "t.csv");
  REQUIRE_FALSE(junk.ok());
  CHECK(junk.status().message() ==
        "t.csv:1: unexpected text after a closing quote (expected ',' or the end of the line)");
}

TEST_CASE("delimited: hostile sizes are refused with the line", "[delimited]") {
  auto wide = SplitRecords("a\n" + std::string(5000, '\t') + "\n", '\t', "w.txt");
  REQUIRE_FALSE(wide.ok());
  CHECK(wide.status().message() == "w.txt:2: more than 2000 cells in one line");
  auto tall = SplitRecords(std::string(200000, '\n'), '\t', "t.txt");
  REQUIRE_FALSE(tall.ok());
  CHECK(tall.status().message() ==
        "t.txt:100001: more than 100000 lines; a progress table is far "
        "smaller");
  auto big = SplitRecords("x\t" + std::string(70000, 'a'), '\t', "b.txt");
  REQUIRE_FALSE(big.ok());
  CHECK(big.status().message() == "b.txt:1: cell 2: longer than 64 KiB");
}

TEST_CASE("delimited: delimiter detection", "[delimited]") {
  CHECK(DetectDelimiter("a\tb") == '\t');
  CHECK(DetectDelimiter("a,b") == ',');
  CHECK(DetectDelimiter("\"a\tb\",c") == ',');
}

}  // namespace
}  // namespace shihyo
