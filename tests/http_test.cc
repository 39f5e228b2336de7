// The http section of the config, and the escaping of what the status
// pages, the charts and the JSON API show.
#include <catch2/catch.hpp>

#include "config/config.h"
#include "fakes.h"
#include "http/html_page.h"
#include "http/http_internal.h"
#include "notify/receiver_registry.h"

namespace shihyo {
namespace {

using testing::TempDir;

const char* kBase = R"(store: s.db
state: st.db
rules: rules
receivers: [{name: a, webhook: {url: "http://127.0.0.1:1/h"}}]
route: {receiver: a}
)";

Result<Config> Load(const std::string& http) {
  TempDir dir;
  return LoadConfig(dir.Write("shihyo.yaml", kBase + http), ReceiverConfigKinds());
}

TEST_CASE("http config: off without the section, listen parsed when present", "[http]") {
  Result<Config> none = Load("");
  REQUIRE(none.ok());
  CHECK_FALSE(none->http.has_value());
  Result<Config> empty = Load("http: {}\n");
  REQUIRE(empty.ok());
  CHECK(empty->http->listen() == "127.0.0.1:9387");
  Result<Config> v6 = Load("http: {listen: '[::1]:8080'}\n");
  REQUIRE(v6.ok());
  CHECK(v6->http->host == "::1");
  CHECK(v6->http->port == 8080);
  CHECK(v6->http->listen() == "[::1]:8080");
  CHECK_FALSE(v6->http->write);
  Result<Config> write = Load("http: {write: {token_env: SHIHYO_TOKEN}}\n");
  REQUIRE(write.ok());
  CHECK(write->http->write);
  CHECK(write->http->token.env == "SHIHYO_TOKEN");
}

TEST_CASE("http config: bad values name file:line:column", "[http]") {
  struct {
    const char* yaml;
    const char* error;
  } cases[] = {
      {"http: {listen: localhost:80}\n",
       ":6:16: 'http': 'listen': expected an address and port such as 127.0.0.1:9387 or "
       "[::1]:9387, found 'localhost:80'"},
      {"http: {listen: '127.0.0.1:0'}\n", "found '127.0.0.1:0'"},
      {"http: {listen: '127.0.0.1:65536'}\n", "found '127.0.0.1:65536'"},
      {"http: {listen: '127.0.0.1'}\n", "found '127.0.0.1'"},
      {"http: {listen: '::1:80'}\n", "found '::1:80'"},
      {"http: {port: 80}\n", ":6:8: 'http': unknown key 'port'"},
      {"http: {write: {}}\n", "'http': 'write': needs 'token_file' or 'token_env'"},
      {"http: {write: {token: abc}}\n", "'http': 'write': unknown key 'token'"},
  };
  for (const auto& c : cases) {
    INFO(c.yaml);
    Result<Config> r = Load(c.yaml);
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.status().message(), Catch::Contains(c.error));
  }
}

TEST_CASE("http: names from tables are escaped in pages, charts and JSON", "[http]") {
  CHECK(Esc("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;");
  CHECK(Esc("\"><img src=x onerror=alert(1)>") == "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
  Indicator ind;
  ind.name = "\"><img src=x onerror=alert(1)>";
  ind.target_raw = "<b>10</b>件";
  ind.target = ParseCell("10件");
  for (int fy : {2020, 2021}) {
    Observation o;
    o.fiscal_year = fy;
    o.raw = fy == 2020 ? "5件" : "<script>x</script>";
    o.cell = ParseCell(o.raw);
    ind.observations.push_back(o);
  }
  std::string svg = IndicatorChart(ind, {2020});
  CHECK(svg.find("<img") == std::string::npos);
  CHECK(svg.find("<script") == std::string::npos);
  CHECK(svg.find("<b>") == std::string::npos);
  CHECK(svg.find("&quot;&gt;&lt;img") != std::string::npos);
  CHECK(svg.find("fill=\"#c62828\"") != std::string::npos);  // 2020 is flagged
  HttpResponse json = JsonResponse(200, {{"name", "<script>&"}});
  CHECK(json.body.find("\\u003cscript\\u003e\\u0026") != std::string::npos);
  CHECK(json.body.find('<') == std::string::npos);
  CHECK(UrlEncode("a b/<&>") == "a%20b%2F%3C%26%3E");
}

}  // namespace
}  // namespace shihyo
