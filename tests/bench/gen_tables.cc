// Writes synthetic progress tables in the bundled (Kamaishi) layout, one file
// per municipality, for the national-scale benchmark (tests/bench/national.py).
// Deterministic for a given seed.
//
//   build/tests/shihyo_gen_tables OUTDIR MUNICIPALITIES [INDICATORS] [SEED]
//
// Each table has the title line, three プロジェクトN: headings, ①②③ measures
// with the two-line header (令和2年度…令和6年度), indicator rows and ※
// footnotes, and the oddities of the real table: counts, people, places and
// percentages; 年N回 and 累計 targets; survey rows (アンケート調査済, —);
// 有り/無し; ※ values; 件 written where 人 was meant; full-width digits;
// rising abuse counts; a duplicated series; FY2024 still empty.
#include <sys/stat.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

namespace {

// A small deterministic generator (splitmix64), so every run writes the same files.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  int Below(int n) { return static_cast<int>(Next() % static_cast<uint64_t>(n)); }
  bool Chance(int percent) { return Below(100) < percent; }

 private:
  uint64_t state_;
};

struct Kind {
  const char* name;
  const char* unit;
};

constexpr Kind kKinds[] = {
    {"子育て支援センターの利用者数", "人"},
    {"子育て支援センターの相談件数", "件"},
    {"「赤ちゃんの駅」登録数", "か所"},
    {"関係機関との連携件数", "件"},
    {"乳幼児健診の受診率", "%"},
    {"保育所の定員数", "人"},
    {"研修等への参加者数", "人"},
    {"子育て世代が集える公園の整備数", "か所"},
    {"一時預かり事業の利用者数", "人"},
    {"ファミリー・サポートの会員数", "人"},
};

std::string Grouped(long v) {
  std::string digits = std::to_string(v), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string FullWidth(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c >= '0' && c <= '9') {
      out += "\xEF\xBC";  // U+FF10..U+FF19: EF BC 90..99
      out += static_cast<char>(0x90 + (c - '0'));
    } else {
      out += c;
    }
  }
  return out;
}

// One indicator row: name, target, four actuals (FY2020–2023) and an empty FY2024.
std::vector<std::string> Row(Rng& rng, int index, std::vector<std::string>* last_numeric) {
  const Kind& kind = kKinds[rng.Below(static_cast<int>(std::size(kKinds)))];
  std::string name = std::string(kind.name) + std::to_string(index);
  int shape = rng.Below(100);
  if (shape < 8) return {name, "100%", "", "", "アンケート調査済", "—", ""};
  if (shape < 11) return {name, "有り", "無し", "無し", "有り", "有り", ""};
  if (shape < 15) {
    return {name,    "年3回", "年3回",
            "年2回", "年3回", "年" + std::to_string(rng.Below(4) + 1) + "回",
            ""};
  }
  if (shape < 19) {  // abuse counts, meant to fall, sometimes rising sharply
    std::vector<std::string> row = {"児童虐待発生件数(の減少)" + std::to_string(index), "0件"};
    long v = 5 + rng.Below(20);
    for (int y = 0; y < 4; ++y) {
      v = y == 3 && rng.Chance(50) ? v * 3 : std::max(0L, v + rng.Below(7) - 3);
      row.push_back(std::to_string(v) + "件");
    }
    row.push_back("");
    return row;
  }
  if (shape < 21 && !last_numeric->empty()) {  // a copy-paste duplicate of the previous row
    std::vector<std::string> row = *last_numeric;
    row[0] = name;
    return row;
  }
  bool percent = std::strcmp(kind.unit, "%") == 0;
  bool cumulative = !percent && rng.Chance(8);
  long base = percent ? rng.Below(90) : rng.Below(5000);
  long target =
      percent ? std::min(100L, base + rng.Below(20)) : base + base * rng.Below(60) / 100 + 1;
  std::vector<std::string> row = {cumulative ? name + "(累計)" : name,
                                  (cumulative ? "累計" : "") + Grouped(target) + kind.unit};
  long v = base;
  for (int y = 0; y < 4; ++y) {
    v = cumulative ? v + rng.Below(200) : std::max(0L, v * (80 + rng.Below(50)) / 100);
    if (percent) v = std::min(100L, v);
    std::string unit = kind.unit;
    if (std::strcmp(kind.unit, "人") == 0 && rng.Chance(3)) unit = "件";  // the unit slip
    std::string cell = Grouped(v) + unit;
    if (rng.Chance(2)) cell = FullWidth(cell);
    if (std::strcmp(kind.unit, "か所") == 0 && rng.Chance(5)) cell = "※" + cell;
    row.push_back(cell);
  }
  row.push_back("");
  *last_numeric = row;
  return row;
}

void WriteTable(std::ofstream& out, int city, int indicators, Rng& rng) {
  char title[256];
  std::snprintf(title, sizeof title,
                "第2期テスト市%04d子ども・子育て支援事業計画 重点プロジェクト進捗状況【数値指標】",
                city);
  out << "\n\n" << title << "\n\n";
  const char* marks[] = {"①", "②", "③"};
  int index = 0;
  std::vector<std::string> last_numeric;
  for (int p = 1; p <= 3; ++p) {
    out << "プロジェクト" << p << ":テストプロジェクト" << p << "\n\n";
    for (int m = 0; m < 3; ++m) {
      out << marks[m] << "施策" << p << "-" << (m + 1) << "を推進します。\n\n";
      out << "指標内容\t目標値\t実績値\t\t\t\t\n"
          << "\t\t令和2年度\t令和3年度\t令和4年度\t令和5年度\t令和6年度\n";
      int share = (indicators - index) / (9 - ((p - 1) * 3 + m));
      for (int i = 0; i < share; ++i) {
        std::vector<std::string> row = Row(rng, ++index, &last_numeric);
        for (size_t c = 0; c < row.size(); ++c) out << (c ? "\t" : "") << row[c];
        out << "\n";
      }
      if (rng.Chance(30)) out << "※復興事業により整備した施設数\n";
      out << "\n";
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s OUTDIR MUNICIPALITIES [INDICATORS] [SEED]\n", argv[0]);
    return 2;
  }
  std::string dir = argv[1];
  int cities = std::atoi(argv[2]);
  int indicators = argc > 3 ? std::atoi(argv[3]) : 117;
  uint64_t seed = argc > 4 ? std::strtoull(argv[4], nullptr, 10) : 20261128;
  if (cities < 1 || cities > 100000 || indicators < 9 || indicators > 10000) {
    std::fprintf(stderr, "MUNICIPALITIES must be 1–100000 and INDICATORS 9–10000\n");
    return 2;
  }
  if (mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
    std::fprintf(stderr, "%s: %s\n", dir.c_str(), std::strerror(errno));
    return 2;
  }
  for (int c = 1; c <= cities; ++c) {
    Rng rng(seed * 1000003u + static_cast<uint64_t>(c));
    char name[64];
    std::snprintf(name, sizeof name, "/city%04d.txt", c);
    std::ofstream out(dir + name, std::ios::binary | std::ios::trunc);
    WriteTable(out, c, indicators, rng);
    if (!out) {
      std::fprintf(stderr, "%s%s: write failed\n", dir.c_str(), name);
      return 2;
    }
  }
  std::printf("%d tables × %d indicators in %s\n", cities, indicators, dir.c_str());
  return 0;
}
