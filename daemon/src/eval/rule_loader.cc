#include "eval/rule_loader.h"

#include <algorithm>
#include <filesystem>
#include <map>

#include "base/message_template.h"
#include "eval/checks.h"
#include "eval/rule_loader_internal.h"

namespace shihyo {

namespace {

bool ValidId(const std::string& id) {
  if (id.empty() || id.size() > 100) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.';
  });
}

std::string CheckList() {
  std::string out;
  for (Check c : AllChecks()) out += (out.empty() ? "" : ", ") + std::string(CheckName(c));
  return out;
}

class FileLoader {
 public:
  FileLoader(const std::string& file, RuleSet* out,
             std::map<std::string, std::string>* id_locations)
      : errors_(file), out_(out), id_locations_(id_locations) {}

  std::vector<std::string> Load() {
    std::optional<YAML::Node> doc = LoadYamlFile(errors_.file(), &errors_);
    if (!doc) return errors_.messages();
    if (doc->IsNull()) return errors_.messages();  // an empty file: no rules
    for (const YamlField& f :
         ReadFields(*doc, FileStart(), "rule file", {"rules", "overrides"}, &errors_)) {
      if (!f.value.IsSequence()) {
        errors_.Add(f.mark(), "'" + f.key + "': expected a list");
        continue;
      }
      for (const YAML::Node& item : f.value) {
        if (f.key == "rules") {
          LoadRule(item);
        } else {
          LoadOverride(item);
        }
      }
    }
    return errors_.messages();
  }

 private:
  void LoadRule(const YAML::Node& node) {
    static const std::vector<std::string> kKeys = {"id",      "check",   "description", "severity",
                                                   "select",  "exclude", "params",      "labels",
                                                   "message", "enabled"};
    Rule rule;
    rule.file = errors_.file();
    rule.line = node.Mark().line + 1;
    // Messages about any key name the rule, so peek at its id first.
    std::string named = "rule";
    if (!ChildScalar(node, "id").empty()) named = "rule '" + ChildScalar(node, "id") + "'";
    std::vector<YamlField> fields = ReadFields(node, node.Mark(), named, kKeys, &errors_);
    auto find = [&](const char* key) -> const YamlField* {
      for (const YamlField& f : fields) {
        if (f.key == key) return &f;
      }
      return nullptr;
    };
    if (!node.IsMap()) return;
    std::string context = "rule";
    if (const YamlField* id = find("id")) {
      if (auto v = ReadString(*id, "rule: 'id'", &errors_)) {
        rule.id = *v;
        context = "rule '" + rule.id + "'";
        if (!ValidId(rule.id)) {
          errors_.Add(id->mark(),
                      context + ": 'id' may hold only letters, digits, '_', '-' and '.'");
        } else {
          RecordId(rule.id, id->mark(), context);
        }
      }
    } else {
      errors_.Add(node.Mark(), "rule: missing required key 'id'");
    }
    std::optional<Check> check;
    if (const YamlField* c = find("check")) {
      if (auto v = ReadString(*c, context + ": 'check'", &errors_)) {
        check = CheckFromName(*v);
        if (!check) {
          std::vector<std::string> names;
          for (Check k : AllChecks()) names.push_back(CheckName(k));
          std::string hint = ClosestWord(*v, names);
          errors_.Add(c->mark(), context + ": unknown check '" + *v + "' (" +
                                     (hint.empty() ? "expected one of: " + CheckList()
                                                   : "did you mean '" + hint + "'?") +
                                     ")");
        }
      }
    } else {
      errors_.Add(node.Mark(),
                  context + ": missing required key 'check' (one of: " + CheckList() + ")");
    }
    bool enabled = true;
    for (const YamlField& f : fields) {
      std::string what = context + ": '" + f.key + "'";
      if (f.key == "description") {
        rule.description = ReadString(f, what, &errors_).value_or("");
      } else if (f.key == "severity") {
        ReadSeverity(f, what, &rule);
      } else if (f.key == "select") {
        rule.select = ReadSelector(f, what, &errors_);
      } else if (f.key == "exclude") {
        ReadExclude(f, what, &rule);
      } else if (f.key == "labels") {
        rule.labels =
            ReadStringMap(f, what, &errors_).value_or(std::map<std::string, std::string>{});
      } else if (f.key == "enabled") {
        enabled = ReadBool(f, what, &errors_).value_or(true);
      }
    }
    if (!check) return;
    rule.check = *check;
    rule.params = ReadParams(find("params"), *check, node.Mark(), context, &errors_);
    if (const YamlField* m = find("message")) ReadMessage(*m, context, &rule);
    if (enabled) out_->rules.push_back(std::move(rule));
  }

  void RecordId(const std::string& id, const YAML::Mark& mark, const std::string& context) {
    std::string here = errors_.file() + ":" + std::to_string(mark.line + 1) + ":" +
                       std::to_string(mark.column + 1);
    auto [it, inserted] = id_locations_->emplace(id, here);
    if (!inserted) {
      errors_.Add(mark, context + ": duplicate id (already defined at " + it->second + ")");
    }
  }

  void ReadSeverity(const YamlField& f, const std::string& what, Rule* rule) {
    std::optional<std::string> v = ReadString(f, what, &errors_);
    if (!v) return;
    if (std::optional<Severity> s = SeverityFromName(*v)) {
      rule->severity = *s;
    } else {
      errors_.Add(f.mark(),
                  what + ": unknown severity '" + *v + "' (expected info, warning or critical)");
    }
  }

  void ReadExclude(const YamlField& f, const std::string& what, Rule* rule) {
    if (f.value.IsSequence()) {
      for (const YAML::Node& item : f.value) {
        YamlField sub{f.key, item, item.Mark()};
        rule->exclude.push_back(ReadSelector(sub, what, &errors_));
      }
    } else {
      rule->exclude.push_back(ReadSelector(f, what, &errors_));
    }
  }

  void ReadMessage(const YamlField& f, const std::string& context, Rule* rule) {
    std::optional<std::string> text = ReadString(f, context + ": 'message'", &errors_);
    if (!text) return;
    size_t at = std::string::npos;
    auto tmpl = MessageTemplate::Compile(*text, PlaceholdersFor(rule->check), &at);
    if (!tmpl.ok()) {
      ErrorInScalar(f, at, context + ": 'message': " + tmpl.status().message(), &errors_);
      return;
    }
    rule->message_source = *text;
    rule->message = *tmpl;
  }

  void LoadOverride(const YAML::Node& node) {
    static const std::vector<std::string> kKeys = {"indicator", "select", "direction",
                                                   "aggregation", "labels"};
    IndicatorOverride o;
    o.file = errors_.file();
    o.line = node.Mark().line + 1;
    const std::string context = "override";
    bool has_target = false, has_change = false;
    for (const YamlField& f : ReadFields(node, node.Mark(), context, kKeys, &errors_)) {
      std::string what = context + ": '" + f.key + "'";
      if (f.key == "indicator") {
        has_target = true;
        o.select.names = ReadStringList(f, what, &errors_).value_or(std::vector<std::string>{});
      } else if (f.key == "select") {
        has_target = true;
        Selector s = ReadSelector(f, what, &errors_);
        s.names.insert(s.names.end(), o.select.names.begin(), o.select.names.end());
        o.select = std::move(s);
      } else if (f.key == "direction") {
        has_change = true;
        auto v = ReadString(f, what, &errors_);
        if (v && !(o.direction = DirectionFromName(*v))) {
          errors_.Add(f.mark(), what + ": unknown direction '" + *v +
                                    "' (expected increase, decrease or boolean)");
        }
      } else if (f.key == "aggregation") {
        has_change = true;
        auto v = ReadString(f, what, &errors_);
        if (v && !(o.aggregation = AggregationFromName(*v))) {
          errors_.Add(f.mark(), what + ": unknown aggregation '" + *v +
                                    "' (expected level, per_year, cumulative or sum)");
        }
      } else if (f.key == "labels") {
        has_change = true;
        o.labels = ReadStringMap(f, what, &errors_).value_or(std::map<std::string, std::string>{});
      }
    }
    if (!node.IsMap()) return;
    if (!has_target) {
      errors_.Add(node.Mark(), context + ": needs 'indicator' (a name) or 'select'");
    }
    if (!has_change) {
      errors_.Add(node.Mark(),
                  context + ": sets nothing (expected direction, aggregation or labels)");
    }
    out_->overrides.push_back(std::move(o));
  }

  YamlErrors errors_;
  RuleSet* out_;
  std::map<std::string, std::string>* id_locations_;
};

}  // namespace

Result<std::vector<std::string>> ListRuleFiles(const std::string& dir) {
  std::error_code ec;
  std::vector<std::string> files;
  std::filesystem::directory_iterator it(dir, ec);
  if (ec) return Status::IOError(dir + ": cannot read rule directory: " + ec.message());
  for (const auto& entry : it) {
    std::string ext = entry.path().extension().string();
    if ((ext == ".yaml" || ext == ".yml") && entry.is_regular_file(ec)) {
      files.push_back(entry.path().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

RuleLoad LoadRules(const std::vector<std::string>& files) {
  RuleLoad load;
  std::map<std::string, std::string> ids;
  for (const std::string& file : files) {
    std::vector<std::string> errors = FileLoader(file, &load.rules, &ids).Load();
    load.errors.insert(load.errors.end(), errors.begin(), errors.end());
    load.rules.files.push_back(file);
  }
  return load;
}

RuleLoad LoadRuleDir(const std::string& dir) {
  Result<std::vector<std::string>> files = ListRuleFiles(dir);
  if (!files.ok()) {
    RuleLoad load;
    load.errors.push_back(files.status().message());
    return load;
  }
  return LoadRules(*files);
}

}  // namespace shihyo
