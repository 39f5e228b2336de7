#include "eval/rule_loader.h"

#include <algorithm>
#include <filesystem>
#include <map>

#include "base/message_template.h"
#include "eval/checks/registry.h"
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
  for (const CheckSpec* c : AllChecks()) out += (out.empty() ? "" : ", ") + c->name;
  return out;
}

const YamlField* Find(const std::vector<YamlField>& fields, const char* key) {
  for (const YamlField& f : fields) {
    if (f.key == key) return &f;
  }
  return nullptr;
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

  // Loads |list| (rule mappings) as this file's rules.
  std::vector<std::string> LoadList(const YAML::Node& list) {
    for (const YAML::Node& item : list) LoadRule(item);
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
    if (!node.IsMap()) return;
    std::string context = ReadId(node, Find(fields, "id"), &rule);
    const CheckSpec* check = ReadCheck(node, Find(fields, "check"), context);
    bool enabled = ReadRuleKeys(fields, context, &rule);
    if (!check) {
      // Its params' errors too, in this run, against the check it most
      // likely means; the rule stays rejected.
      if (const CheckSpec* guess = GuessCheck(node)) {
        ReadParams(Find(fields, "params"), *guess, node.Mark(), context, &errors_);
      }
      return;
    }
    rule.check = check;
    rule.params = ReadParams(Find(fields, "params"), *check, node.Mark(), context, &errors_);
    if (const YamlField* m = Find(fields, "message")) ReadMessage(*m, context, &rule);
    if (enabled) out_->rules.push_back(std::move(rule));
  }

  // The check a rule whose 'check' key or value is misspelled most likely
  // names ("did you mean"), or null when none is close.
  static const CheckSpec* GuessCheck(const YAML::Node& node) {
    std::vector<std::string> names;
    for (const CheckSpec* c : AllChecks()) names.push_back(c->name);
    for (const auto& kv : node) {
      if (!kv.first.IsScalar() || !kv.second.IsScalar()) continue;
      const std::string& key = kv.first.Scalar();
      if (key != "check" && ClosestWord(key, {"check"}) != "check") continue;
      if (const CheckSpec* c = FindCheck(kv.second.Scalar())) return c;
      std::string hint = ClosestWord(kv.second.Scalar(), names);
      if (!hint.empty()) return FindCheck(hint);
    }
    return nullptr;
  }

  // Reads the rule's id; returns how its messages name the rule.
  std::string ReadId(const YAML::Node& node, const YamlField* id, Rule* rule) {
    if (!id) {
      errors_.Add(node.Mark(), "rule: missing required key 'id'");
      return "rule";
    }
    std::optional<std::string> v = ReadString(*id, "rule: 'id'", &errors_);
    if (!v) return "rule";
    rule->id = *v;
    std::string context = "rule '" + rule->id + "'";
    if (!ValidId(rule->id)) {
      errors_.Add(id->mark(), context + ": 'id' may hold only letters, digits, '_', '-' and '.'");
    } else {
      RecordId(rule->id, id->mark(), context);
    }
    return context;
  }

  // The check the rule names, or null after reporting why not.
  const CheckSpec* ReadCheck(const YAML::Node& node, const YamlField* field,
                             const std::string& context) {
    if (!field) {
      errors_.Add(node.Mark(),
                  context + ": missing required key 'check' (one of: " + CheckList() + ")");
      return nullptr;
    }
    std::optional<std::string> v = ReadString(*field, context + ": 'check'", &errors_);
    if (!v) return nullptr;
    if (const CheckSpec* check = FindCheck(*v)) return check;
    std::vector<std::string> names;
    for (const CheckSpec* c : AllChecks()) names.push_back(c->name);
    std::string hint = ClosestWord(*v, names);
    errors_.Add(field->mark(), context + ": unknown check '" + *v + "' (" +
                                   (hint.empty() ? "expected one of: " + CheckList()
                                                 : "did you mean '" + hint + "'?") +
                                   ")");
    return nullptr;
  }

  // Reads the keys that do not depend on the check; returns 'enabled'.
  bool ReadRuleKeys(const std::vector<YamlField>& fields, const std::string& context, Rule* rule) {
    bool enabled = true;
    for (const YamlField& f : fields) {
      std::string what = context + ": '" + f.key + "'";
      if (f.key == "description") {
        rule->description = ReadString(f, what, &errors_).value_or("");
      } else if (f.key == "severity") {
        ReadSeverity(f, what, rule);
      } else if (f.key == "select") {
        rule->select = ReadSelector(f, what, &errors_);
      } else if (f.key == "exclude") {
        ReadExclude(f, what, rule);
      } else if (f.key == "labels") {
        rule->labels =
            ReadStringMap(f, what, &errors_).value_or(std::map<std::string, std::string>{});
      } else if (f.key == "enabled") {
        enabled = ReadBool(f, what, &errors_).value_or(true);
      }
    }
    return enabled;
  }

  void RecordId(const std::string& id, const YAML::Mark& mark, const std::string& context) {
    std::string here = errors_.Where(mark);
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
    auto tmpl = MessageTemplate::Compile(*text, PlaceholdersFor(*rule->check), &at);
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
      if (f.key == "indicator" || f.key == "select") {
        has_target = true;
        ReadOverrideTarget(f, what, &o);
      } else {
        has_change = true;
        ReadOverrideChange(f, what, &o);
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

  // 'indicator' (names) or 'select' (a selector; names add to it).
  void ReadOverrideTarget(const YamlField& f, const std::string& what, IndicatorOverride* o) {
    if (f.key == "indicator") {
      o->select.names = ReadStringList(f, what, &errors_).value_or(std::vector<std::string>{});
      return;
    }
    Selector s = ReadSelector(f, what, &errors_);
    s.names.insert(s.names.end(), o->select.names.begin(), o->select.names.end());
    o->select = std::move(s);
  }

  // 'direction', 'aggregation' or 'labels'.
  void ReadOverrideChange(const YamlField& f, const std::string& what, IndicatorOverride* o) {
    if (f.key == "labels") {
      o->labels = ReadStringMap(f, what, &errors_).value_or(std::map<std::string, std::string>{});
      return;
    }
    auto v = ReadString(f, what, &errors_);
    if (!v) return;
    if (f.key == "direction" && !(o->direction = DirectionFromName(*v))) {
      errors_.Add(f.mark(), what + ": unknown direction '" + *v +
                                "' (expected increase, decrease or boolean)");
    } else if (f.key == "aggregation" && !(o->aggregation = AggregationFromName(*v))) {
      errors_.Add(f.mark(), what + ": unknown aggregation '" + *v +
                                "' (expected level, per_year, cumulative or sum)");
    }
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

RuleLoad LoadRuleList(const std::string& file, const YAML::Node& rules) {
  RuleLoad load;
  std::map<std::string, std::string> ids;
  load.errors = FileLoader(file, &load.rules, &ids).LoadList(rules);
  load.rules.files.push_back(file);
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
