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
// following `continue`. The root matches everything. When a regex matcher
// cannot decide (PCRE2's match limit), the alert goes to the root (the
// default receiver) alone and |*error| (if given) names the route and why:
// the caller tells the admin.
std::vector<RouteMatch> MatchRoutes(const Route& root, const Labels& labels,
                                    std::string* error = nullptr);

// True when every matcher of |route| holds for |labels|. False with |*error|
// (if given) set when a regex matcher cannot decide.
bool RouteMatches(const Route& route, const Labels& labels, std::string* error = nullptr);

// True when every one of |matchers| holds for |labels| (a label that is
// absent reads as ""). False with |*error| (if given) set when a regex
// matcher cannot decide.
bool MatchersHold(const std::vector<Matcher>& matchers, const Labels& labels,
                  std::string* error = nullptr);

// The group of an alert under |match|: a key unique per receiver, route and
// values of the route's group_by labels, and those label values.
struct GroupId {
  std::string key;
  Labels labels;  // the group_by labels and their values
};
GroupId GroupOf(const RouteMatch& match, const Labels& labels, const std::string& fingerprint);

}  // namespace shihyo
