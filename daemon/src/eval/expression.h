// A user-written numeric condition ("value < target * 0.5 && change < 0") run by
// muparser: arithmetic and comparisons over the variables below, never code.
// Thread-safe: Holds takes a mutex (muparser binds variables by address).
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

  // Compiles |source|. On a syntax error or unknown variable the message says
  // what is wrong and |*error_at| (if given) the character offset (0-based).
  static Result<std::shared_ptr<const Expression>> Compile(const std::string& source,
                                                           size_t* error_at = nullptr);

  ~Expression();
  Expression(const Expression&) = delete;
  Expression& operator=(const Expression&) = delete;

  // True when the condition holds for |vars| (non-zero and not NaN). Callers
  // on other threads wait for the evaluation in progress.
  bool Holds(const Variables& vars) const;

  // The index of |name| in Variables.
  static size_t IndexOf(const std::string& name);

 private:
  Expression();
  std::unique_ptr<mu_detail::Parser> parser_;
};

}  // namespace shihyo
