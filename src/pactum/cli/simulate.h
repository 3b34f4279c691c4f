// The demo's traffic (issue 7): a simulated SOC that drives a running server through its HTTP
// API. It publishes the workspace's pacts, registers agents of different quality (one of
// which degrades part way through), earns them an evaluation record, then streams alerts:
// every triage agent classifies each alert and asks to close or escalate it, the incident
// agent asks to contain true threats, analysts label the outcomes (production evidence) and
// resolve the reviews the server opens. It prints what a newcomer should notice: denials and
// escalations with their reasons, score and tier changes, drift alarms and consequences, and
// writes a trust packet once a consequence has hit.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <string>

#include "pactum/base/status.h"

namespace pactum::cli {

struct SimulatorOptions {
  std::string server;  // base URL
  std::string key;     // a key with every scope but admin
  std::filesystem::path workspace = "examples/soc";
  std::filesystem::path out_dir;  // where the trust packet goes; empty: none written
  int alerts = 1000;
  int degrade_after = 60;  // the drifting agent's alert count before it degrades
  std::chrono::milliseconds interval{150};
  std::uint64_t seed = 7;
};

// Runs until `alerts` alerts are done or `stop` becomes true. Progress goes to `out`.
Status RunSimulator(const SimulatorOptions& options, const std::atomic<bool>& stop,
                    std::ostream& out);

}  // namespace pactum::cli
