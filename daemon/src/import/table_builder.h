// TableBuilder: what the layout readers share. They hand it headings and
// indicators with their yearly cells keyed by year; it lays them out as a
// ProgressTable whose plan period runs from the first to the last year that
// holds actual values. Pure; thread-compatible.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "import/progress_table.h"

namespace shihyo {

// One indicator as a reader finds it: yearly cells keyed by year.
struct PendingIndicator {
  TableIndicator ind;  // actual_raw and rate_raw are filled by Build
  std::map<int, std::string> actuals;
  std::map<int, std::string> rates;
  YearKind actual_kind = YearKind::kUnspecified;
};

class TableBuilder {
 public:
  explicit TableBuilder(std::string_view source);

  // "|source|:|line|: |what|" as kInvalidArgument.
  Status Error(int line, const std::string& what) const;
  // "|source|:|line|: cell N: |what|" (|cell| is 0-based).
  Status CellError(int line, size_t cell, const std::string& what) const;

  void Explain(int line, const std::string& text);
  void SetTitle(const std::string& title) { table_.title = title; }
  bool HasTitle() const { return !table_.title.empty(); }
  void StartProject(const std::string& heading, int line);
  void StartMeasure(const std::string& text, int line);

  // Adds |p| to the current measure; an indicator of the same name there is an error.
  Status Add(PendingIndicator p);

  // The table. Fails when no indicator holds an actual-value year.
  Result<ProgressTable> Build(const std::string& layout, const std::string& plan);

 private:
  struct Placed {
    size_t project;
    size_t measure;
    PendingIndicator p;
  };
  void EnsureMeasure(int line);

  ProgressTable table_;
  std::vector<Placed> pending_;
};

// "生涯学習用公民館パソコン設置台数【台】" → "台"; "" when the name carries no 【unit】.
std::string UnitInName(std::string_view name);

}  // namespace shihyo
