#include "alert/alert_finding.h"

#include <cmath>

#include "eval/checks/check.h"

namespace shihyo {

namespace {

// As `shihyo eval --format json` reports a figure (eval/evaluator.cc).
std::variant<double, std::string> ReportedFigure(const Figure& fig) {
  const double* d = std::get_if<double>(&fig.value);
  if (!d) return std::get<std::string>(fig.value);
  if (std::isfinite(*d)) return std::round(*d * 1e6) / 1e6;
  bool percent = fig.name == "ratio" || fig.name.find("percent") != std::string::npos;
  return FormatNumber(*d, percent ? 1 : 2);
}

std::shared_ptr<const IndicatorEvidence> MakeEvidence(const Indicator& ind) {
  auto e = std::make_shared<IndicatorEvidence>();
  e->target_raw = ind.target_raw;
  e->target = ind.target;
  e->direction = ind.direction;
  e->aggregation = ind.aggregation;
  e->series = ind.observations;
  e->footnotes = ind.footnotes;
  return e;
}

AlertEvidence EvidenceOf(const Finding& f, EvidenceCache* cache) {
  AlertEvidence e;
  for (const Figure& fig : f.figures) e.figures[fig.name] = ReportedFigure(fig);
  if (const Indicator* ind = f.source) e.indicator = cache ? cache->Of(*ind) : MakeEvidence(*ind);
  return e;
}

}  // namespace

const IndicatorEvidence& AlertEvidence::indicator_or_empty() const {
  static const IndicatorEvidence kNone;
  return indicator ? *indicator : kNone;
}

std::shared_ptr<const IndicatorEvidence> EvidenceCache::Of(const Indicator& ind) {
  std::shared_ptr<const IndicatorEvidence>& e = by_indicator_[&ind];
  if (!e) e = MakeEvidence(ind);
  return e;
}

AlertFinding ToAlertFinding(Finding&& f, EvidenceCache* cache) {
  AlertFinding a;
  a.evidence = EvidenceOf(f, cache);
  a.rule = std::move(f.rule);
  a.check = std::move(f.check);
  a.severity = f.severity;
  a.plan = std::move(f.plan);
  a.project = std::move(f.project);
  a.measure = std::move(f.measure);
  a.indicator = std::move(f.indicator);
  a.ordinal = f.ordinal;
  a.department = std::move(f.department);
  a.fiscal_year = f.fiscal_year;
  a.message = std::move(f.message);
  a.fingerprint = f.fingerprint;  // the caller's key
  a.labels = std::move(f.labels);
  a.related = std::move(f.related);
  return a;
}

AlertFinding ToAlertFinding(const Finding& f, EvidenceCache* cache) {
  AlertFinding a;
  a.rule = f.rule;
  a.check = f.check;
  a.severity = f.severity;
  a.plan = f.plan;
  a.project = f.project;
  a.measure = f.measure;
  a.indicator = f.indicator;
  a.ordinal = f.ordinal;
  a.department = f.department;
  a.fiscal_year = f.fiscal_year;
  a.message = f.message;
  a.fingerprint = f.fingerprint;
  a.labels = f.labels;
  a.related = f.related;
  a.evidence = EvidenceOf(f, cache);
  return a;
}

}  // namespace shihyo
