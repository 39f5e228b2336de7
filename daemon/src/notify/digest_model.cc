#include "notify/digest_model.h"

#include <algorithm>
#include <set>

#include "base/text.h"
#include "notify/advice.h"
#include "notify/resolved_reason.h"

namespace shihyo {

namespace {

// A rule and year that fire on at least this many indicators are one entry.
constexpr size_t kGroupMin = 3;

std::string IndicatorKey(const AlertFinding& f) {
  return f.plan + '\x1f' + f.project + '\x1f' + f.measure + '\x1f' + f.indicator;
}

bool TableOrder(const DigestEntry& x, const DigestEntry& y) {
  const AlertFinding& a = x.alert->finding;
  const AlertFinding& b = y.alert->finding;
  if (a.plan != b.plan) return a.plan < b.plan;
  if (a.ordinal != b.ordinal) return a.ordinal < b.ordinal;
  return a.fiscal_year.value_or(0) < b.fiscal_year.value_or(0);
}

bool SeverityFirst(const DigestEntry& x, const DigestEntry& y) {
  Severity a = x.alert->finding.severity, b = y.alert->finding.severity;
  if (a != b) return a > b;
  return TableOrder(x, y);
}

// Marks the entries of every rule and year that fired on kGroupMin or more
// indicators and returns those groups, the most severe and largest first.
std::vector<DigestGroup> Groups(std::vector<DigestEntry>* entries) {
  std::map<std::pair<std::string, int>, std::vector<DigestEntry*>> by_rule;
  for (DigestEntry& e : *entries) {
    const AlertFinding& f = e.alert->finding;
    if (GroupTitle(f.check, f.fiscal_year).empty()) continue;
    by_rule[{f.rule, f.fiscal_year.value_or(0)}].push_back(&e);
  }
  std::vector<DigestGroup> out;
  for (auto& [key, members] : by_rule) {
    std::set<std::string> indicators;
    for (DigestEntry* e : members) indicators.insert(IndicatorKey(e->alert->finding));
    if (indicators.size() < kGroupMin) continue;
    const AlertFinding& f = members.front()->alert->finding;
    DigestGroup g{GroupTitle(f.check, f.fiscal_year), f.check, Severity::kInfo, {}};
    for (DigestEntry* e : members) {
      e->grouped = true;
      g.severity = std::max(g.severity, e->alert->finding.severity);
      g.entries.push_back(*e);
    }
    out.push_back(std::move(g));
  }
  std::stable_sort(out.begin(), out.end(), [](const DigestGroup& a, const DigestGroup& b) {
    if (a.severity != b.severity) return a.severity > b.severity;
    return a.entries.size() > b.entries.size();
  });
  return out;
}

DigestSection Section(std::vector<DigestEntry> entries) {
  std::stable_sort(entries.begin(), entries.end(), TableOrder);
  DigestSection s;
  s.groups = Groups(&entries);
  std::map<std::string, size_t> index;
  for (const DigestEntry& e : entries) {
    std::string key = IndicatorKey(e.alert->finding);
    auto [it, added] = index.emplace(key, s.blocks.size());
    if (added) s.blocks.emplace_back();
    s.blocks[it->second].entries.push_back(e);
  }
  std::erase_if(s.blocks, [](const IndicatorBlock& b) {
    return std::all_of(b.entries.begin(), b.entries.end(),
                       [](const DigestEntry& e) { return e.grouped; });
  });
  for (IndicatorBlock& b : s.blocks) {
    std::stable_sort(b.entries.begin(), b.entries.end(), SeverityFirst);
    b.worst = b.entries.front().alert->finding.severity;
  }
  std::stable_sort(
      s.blocks.begin(), s.blocks.end(),
      [](const IndicatorBlock& a, const IndicatorBlock& b) { return a.worst > b.worst; });
  return s;
}

}  // namespace

DigestModel BuildDigestModel(const GroupNotification& n, const DigestContext& ctx) {
  DigestModel m;
  std::vector<DigestEntry> active, resolved, removed;
  for (const AlertRecord* a : n.fresh) active.push_back({a, EntryKind::kNew, "", false});
  for (const AlertRecord* a : n.ongoing) active.push_back({a, EntryKind::kOngoing, "", false});
  for (const AlertRecord* a : n.resolved) {
    std::string reason = ResolvedReasonOf(*a, ctx);
    if (reason == "indicator_removed") {
      removed.push_back({a, EntryKind::kRemoved, reason, false});
    } else {
      resolved.push_back({a, EntryKind::kResolved, reason, false});
    }
  }
  m.fresh = n.fresh.size();
  m.ongoing = n.ongoing.size();
  m.resolved = resolved.size();
  m.removed = removed.size();
  for (const DigestEntry& e : active) {
    ++m.by_severity[e.alert->finding.severity];
    if (e.alert->finding.severity == Severity::kCritical) m.critical.push_back(e);
  }
  std::stable_sort(m.critical.begin(), m.critical.end(), TableOrder);
  m.active = Section(std::move(active));
  m.resolved_section = Section(std::move(resolved));
  m.removed_section = Section(std::move(removed));
  return m;
}

namespace {

// Alerts about the indicator as a whole (no year) that concern its target.
bool AboutTarget(const AlertFinding& f) {
  return !f.fiscal_year && (f.check == "target_unreachable" || f.check == "target_missed" ||
                            f.check == "status_only" || f.check == "expression");
}

void Flag(std::map<int, Severity>* flagged, std::optional<Severity>* target,
          const AlertFinding& f) {
  if (f.fiscal_year) {
    auto [it, added] = flagged->emplace(*f.fiscal_year, f.severity);
    if (!added) it->second = std::max(it->second, f.severity);
  } else if (AboutTarget(f)) {
    *target = std::max(target->value_or(Severity::kInfo), f.severity);
  }
}

}  // namespace

SeriesView SeriesOf(const IndicatorBlock& block) {
  SeriesView v;
  const DigestEntry& first = block.entries.front();
  // A resolved alert says what changed (old → new) in its reason: no table.
  if (first.kind == EntryKind::kResolved) return v;
  v.label = first.kind == EntryKind::kRemoved ? "削除前の実績" : "実績";
  const IndicatorEvidence& ev = first.alert->finding.evidence.indicator_or_empty();
  v.target_raw = ev.target_raw;
  v.target = ev.target;
  for (const Observation& o : ev.series) {
    if (o.in_table) v.cells.push_back(o);
  }
  if (first.kind != EntryKind::kNew && first.kind != EntryKind::kOngoing) return v;
  for (const DigestEntry& e : block.entries) Flag(&v.flagged, &v.target_flagged, e.alert->finding);
  return v;
}

}  // namespace shihyo
