// The `pactum` command's subcommands. Each Register* adds its subcommand to the CLI11 app
// and runs it when chosen; failures print one line to stderr and set a non-zero exit code.
#pragma once

#include <CLI/CLI.hpp>

namespace pactum::cli {

// Exit codes: 0 success, 1 the operation failed, 2 bad usage.
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

void RegisterServe(CLI::App& app, int* exit_code);
void RegisterKeys(CLI::App& app, int* exit_code);
// `log ...` and `verify FILE`.
void RegisterLog(CLI::App& app, int* exit_code);

}  // namespace pactum::cli
