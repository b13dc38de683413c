#pragma once
//! The `zhibu` command line (CLI11). Exit codes: 0 success, 1 a user error (one line on stderr
//! naming the reason), 2 bad usage.

namespace zhibu::cli {

//! Parses `argv` and runs the chosen command; answers the process exit code.
int Run(int argc, char** argv);

}  // namespace zhibu::cli
