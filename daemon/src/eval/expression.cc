#include "eval/expression.h"

#include <muParser.h>

#include <algorithm>
#include <cmath>
#include <mutex>

#include "base/text.h"

namespace shihyo {

namespace mu_detail {
// muparser binds the variables by address and keeps its evaluation stack in
// the parser, so evaluations of one expression take turns.
struct Parser {
  std::mutex mutex;
  mu::Parser parser;             // guarded by |mutex| after Compile
  Expression::Variables vars{};  // guarded by |mutex| after Compile
};
}  // namespace mu_detail

namespace {

double Defined(double x) { return std::isnan(x) ? 0.0 : 1.0; }

// The offset of the first assignment operator in |source| ("=", "+=", ...;
// not "==", "<=", ">=", "!="), or npos. A condition has no string
// arguments, so every '=' is an operator.
size_t FindAssignment(const std::string& source) {
  for (size_t i = 0; i < source.size(); ++i) {
    if (source[i] != '=') continue;
    char prev = i > 0 ? source[i - 1] : ' ';
    char next = i + 1 < source.size() ? source[i + 1] : ' ';
    if (next == '=') {
      ++i;  // "==": skip both
      continue;
    }
    if (prev == '<' || prev == '>' || prev == '!') continue;
    bool compound = i > 0 && std::string_view("+-*/^").find(prev) != std::string_view::npos;
    return compound ? i - 1 : i;
  }
  return std::string::npos;
}

}  // namespace

const std::vector<std::string>& Expression::VariableNames() {
  static const std::vector<std::string> names = {
      "value",           // this year's value
      "target",          // the target value
      "previous",        // the previous reported year's value
      "change",          // value - previous
      "change_percent",  // (value - previous) / previous * 100
      "ratio",           // value / target * 100 (達成率)
      "year",            // the fiscal year (Western)
      "first_year",      // first year of the plan period
      "last_year",       // last year of the plan period
      "years_left",      // last_year - year
      "total",           // sum of the reported values up to this year
      "best_gain",       // largest year-over-year increase so far
  };
  return names;
}

size_t Expression::IndexOf(const std::string& name) {
  const auto& names = VariableNames();
  return static_cast<size_t>(std::find(names.begin(), names.end(), name) - names.begin());
}

Expression::Expression() : parser_(std::make_unique<mu_detail::Parser>()) {}
Expression::~Expression() = default;

Result<std::shared_ptr<const Expression>> Expression::Compile(const std::string& source,
                                                              size_t* error_at) {
  if (size_t at = FindAssignment(source); at != std::string::npos) {
    if (error_at) *error_at = CharOffset(source, at);
    return Status::InvalidArgument("assignment is not allowed in a condition (did you mean '=='?)");
  }
  std::shared_ptr<Expression> expr(new Expression());
  mu::Parser& p = expr->parser_->parser;
  try {
    const auto& names = VariableNames();
    for (size_t i = 0; i < names.size(); ++i) p.DefineVar(names[i], &expr->parser_->vars[i]);
    p.DefineFun("defined", Defined);
    p.SetExpr(source);
    expr->parser_->vars.fill(1.0);
    double r = p.Eval();  // muparser parses on first use: surface syntax errors now
    if (std::isinf(r) && p.GetUsedVar().empty()) {
      if (error_at) *error_at = 0;
      return Status::InvalidArgument("the condition is always infinite (a division by zero?)");
    }
  } catch (const mu::Parser::exception_type& e) {
    std::string msg = e.GetMsg();
    int pos = e.GetPos();
    // muparser's messages end with "at position N." in bytes; the caller
    // points at the character instead.
    size_t cut = msg.find(" at position");
    if (cut != std::string::npos) msg.resize(cut);
    if (!msg.empty() && msg.back() == '.') msg.pop_back();
    if (pos >= 0 && error_at) *error_at = CharOffset(source, static_cast<size_t>(pos));
    return Status::InvalidArgument(msg);
  }
  return std::shared_ptr<const Expression>(std::move(expr));
}

std::string Expression::Source() const { return std::string(TrimSpace(parser_->parser.GetExpr())); }

Result<bool> Expression::Evaluate(const Variables& vars) const {
  std::lock_guard<std::mutex> lock(parser_->mutex);
  parser_->vars = vars;
  double r;
  try {
    r = parser_->parser.Eval();
  } catch (const mu::Parser::exception_type& e) {
    // Compiled expressions only fail on exotic runtime errors.
    return Status::InvalidArgument("condition '" + Source() + "' failed: " + e.GetMsg());
  }
  if (std::isnan(r)) return false;  // an unknown value: the condition cannot hold
  if (std::isinf(r)) {
    return Status::InvalidArgument("condition '" + Source() +
                                   "' is infinite (a division by zero?)");
  }
  return r != 0.0;
}

bool Expression::Holds(const Variables& vars) const {
  Result<bool> r = Evaluate(vars);
  return r.ok() && *r;
}

}  // namespace shihyo
