// The shihyo command line: one binary, subcommands registered from a table
// (as ninja's tools), parsed with CLI11. Exit codes per ExitStatus.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "base/exit_status.h"

namespace shihyo {

// Entry point of the binary.
int RunCli(int argc, char** argv);

// The same with |args| (without the program name) and explicit streams, for
// tests. Output goes to |out|, diagnostics to |err|.
int RunCli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace shihyo
