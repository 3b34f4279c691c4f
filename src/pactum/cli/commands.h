// The `pactum` command's subcommands. Each Register* adds its subcommand to the CLI11 app
// and runs it when chosen; failures print one line to stderr and set a non-zero exit code.
#pragma once

#include <iostream>
#include <string_view>

#include <CLI/CLI.hpp>

#include "pactum/base/status.h"

namespace pactum::cli {

// Exit codes: 0 success, 1 the operation failed, 2 bad usage.
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

// Prints "pactum <command>: <message>" to stderr and returns kExitFailure.
inline int Fail(std::string_view command, std::string_view message) {
  std::cerr << "pactum " << command << ": " << message << "\n";
  return kExitFailure;
}
inline int Fail(std::string_view command, const Status& status) {
  return Fail(command, status.message());
}

void RegisterServe(CLI::App& app, int* exit_code);
void RegisterKeys(CLI::App& app, int* exit_code);
// `log ...` and `verify FILE`.
void RegisterLog(CLI::App& app, int* exit_code);
// `pact publish FILE` under the `pact` command, against a running server.
void AddPactPublish(CLI::App& pact_command, int* exit_code);
// `evidence ingest FILE` and `trust AGENT`, against a running server.
void RegisterEvidence(CLI::App& app, int* exit_code);
// `pact lint|diff|hash` on pact files.
void RegisterPact(CLI::App& app, int* exit_code);
// `policy check`: one Cedar decision from policy, entity, schema and request files.
void RegisterPolicy(CLI::App& app, int* exit_code);
// `webhooks add|list|remove|enable|test`, against a running server.
void RegisterWebhooks(CLI::App& app, int* exit_code);
// `scorecard`: weekly KPI scorecards, against a running server.
void RegisterScorecard(CLI::App& app, int* exit_code);
// `packet`: the signed trust packet (JSON and HTML), against a running server.
void RegisterPacket(CLI::App& app, int* exit_code);
// `replay soc-triage DIR`: recorded triage runs through the trust loop, in process.
void RegisterReplay(CLI::App& app, int* exit_code);
// `eval run`: a suite against an agent, with checks and the jury; evidence to a server.
void RegisterEval(CLI::App& app, int* exit_code);
// `simulate`: the demo's SOC traffic against a running server (simulate.h).
void RegisterSimulate(CLI::App& app, int* exit_code);

}  // namespace pactum::cli
