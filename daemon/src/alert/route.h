// Routing alerts to receivers through the routing tree of the config, in the
// manner of Alertmanager, and the group an alert falls into. Pure.
#pragma once

#include <string>
#include <vector>

#include "alert/alert_state.h"
#include "config/config.h"

namespace shihyo {

struct RouteMatch {
  const Route* route = nullptr;
  std::string path;  // "0.2": child indexes from the root; part of the group key
};

// The routes that take an alert with |labels|: the deepest matching nodes,
// following `continue`. The root matches everything.
std::vector<RouteMatch> MatchRoutes(const Route& root, const Labels& labels);

// True when every matcher of |route| holds for |labels|.
bool RouteMatches(const Route& route, const Labels& labels);

// The group of an alert under |match|: a key unique per receiver, route and
// values of the route's group_by labels, and those label values.
struct GroupId {
  std::string key;
  Labels labels;  // the group_by labels and their values
};
GroupId GroupOf(const RouteMatch& match, const Labels& labels, const std::string& fingerprint);

}  // namespace shihyo
