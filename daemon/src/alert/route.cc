#include "alert/route.h"

#include "base/regex.h"

namespace shihyo {

bool RouteMatches(const Route& route, const Labels& labels) {
  for (const Matcher& m : route.matchers) {
    auto it = labels.find(m.label);
    std::string value = it == labels.end() ? "" : it->second;
    bool holds = m.regex ? m.regex->Search(value) : value == m.value;
    if (holds == m.negate) return false;
  }
  return true;
}

namespace {

void Walk(const Route& node, const std::string& path, const Labels& labels,
          std::vector<RouteMatch>* out) {
  bool child_took_it = false;
  for (size_t i = 0; i < node.routes.size(); ++i) {
    const Route& child = node.routes[i];
    if (!RouteMatches(child, labels)) continue;
    Walk(child, path + "." + std::to_string(i), labels, out);
    child_took_it = true;
    if (!child.continue_matching) break;
  }
  if (!child_took_it) out->push_back(RouteMatch{&node, path});
}

}  // namespace

std::vector<RouteMatch> MatchRoutes(const Route& root, const Labels& labels) {
  std::vector<RouteMatch> out;
  Walk(root, "0", labels, &out);
  return out;
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
