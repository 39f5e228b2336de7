#include "alert/route.h"

#include "base/regex.h"

namespace shihyo {

bool RouteMatches(const Route& route, const Labels& labels, std::string* error) {
  return MatchersHold(route.matchers, labels, error);
}

bool MatchersHold(const std::vector<Matcher>& matchers, const Labels& labels, std::string* error) {
  for (const Matcher& m : matchers) {
    auto it = labels.find(m.label);
    std::string value = it == labels.end() ? "" : it->second;
    bool holds = value == m.value;
    if (m.regex) {
      Result<bool> matched = m.regex->Match(value);
      if (!matched.ok()) {
        if (error) {
          *error = m.label + (m.negate ? "!~" : "=~") + m.value + ": " + matched.status().message();
        }
        return false;
      }
      holds = *matched;
    }
    if (holds == m.negate) return false;
  }
  return true;
}

namespace {

// Appends the routes taking |labels| under |node|; false (and |*error|)
// when a matcher could not decide.
bool Walk(const Route& node, const std::string& path, const Labels& labels,
          std::vector<RouteMatch>* out, std::string* error) {
  bool child_took_it = false;
  for (size_t i = 0; i < node.routes.size(); ++i) {
    const Route& child = node.routes[i];
    std::string child_path = path + "." + std::to_string(i);
    std::string why;
    bool matches = RouteMatches(child, labels, &why);
    if (!why.empty()) {
      *error = "route " + child_path + " (receiver " + child.receiver + "): " + why;
      return false;
    }
    if (!matches) continue;
    if (!Walk(child, child_path, labels, out, error)) return false;
    child_took_it = true;
    if (!child.continue_matching) break;
  }
  if (!child_took_it) out->push_back(RouteMatch{&node, path});
  return true;
}

}  // namespace

std::vector<RouteMatch> MatchRoutes(const Route& root, const Labels& labels, std::string* error) {
  std::vector<RouteMatch> out;
  std::string why;
  if (Walk(root, "0", labels, &out, &why)) return out;
  // Undecidable: the root's receiver (the default) rather than a guess.
  if (error) *error = why;
  return {RouteMatch{&root, "0"}};
}

GroupId GroupOf(const RouteMatch& match, const Labels& labels, const std::string& fingerprint) {
  GroupId id;
  id.key = match.route->receiver + "/" + match.path + "/";
  if (match.route->group_each) {
    id.key += "alert=" + fingerprint;
    id.labels = labels;
    return id;
  }
  for (const std::string& name : match.route->group_by) {
    auto it = labels.find(name);
    std::string value = it == labels.end() ? "" : it->second;
    id.labels[name] = value;
    id.key += name + "=" + value + "\x1f";
  }
  return id;
}

}  // namespace shihyo
