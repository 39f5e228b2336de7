// A user-written numeric condition ("value < target * 0.5 && change < 0") run by
// muparser: arithmetic and comparisons over the variables below, never code.
// Thread-safe: Evaluate takes a mutex (muparser binds variables by address).
#pragma once

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"

namespace shihyo {

namespace mu_detail {
struct Parser;
}

class Expression {
 public:
  // The variables an expression can use, in ExpressionVariables order.
  // Unknown values (no previous year, no target) are NaN; `defined(x)` is 1
  // when x is known.
  static const std::vector<std::string>& VariableNames();
  static constexpr size_t kVariableCount = 12;
  using Variables = std::array<double, kVariableCount>;

  // Compiles |source|. On a syntax error, an unknown variable or an
  // assignment ("value = 5": muparser would assign and be true) the message
  // says what is wrong and |*error_at| (if given) the character offset
  // (0-based).
  static Result<std::shared_ptr<const Expression>> Compile(const std::string& source,
                                                           size_t* error_at = nullptr);

  ~Expression();
  Expression(const Expression&) = delete;
  Expression& operator=(const Expression&) = delete;

  // Whether the condition holds for |vars|: true when the result is finite
  // and non-zero, false when zero or NaN (an unknown variable). An infinite
  // result (a division by zero) is kInvalidArgument, for the caller to
  // report: it is neither true nor false. Callers on other threads wait for
  // the evaluation in progress.
  Result<bool> Evaluate(const Variables& vars) const;

  // Evaluate() for callers that do not report errors: an error is false.
  // Prefer Evaluate().
  bool Holds(const Variables& vars) const;

  // The index of |name| in Variables.
  static size_t IndexOf(const std::string& name);

  // The condition as written.
  std::string Source() const;

 private:
  Expression();
  std::unique_ptr<mu_detail::Parser> parser_;
};

}  // namespace shihyo
