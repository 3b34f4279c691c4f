// Shared by the commands that send evidence in bulk (`evidence ingest`, `eval run`): a progress
// line on stderr, and posting one JSON Lines batch to POST /v1/evidence:bulk.
#pragma once

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>

#include <unistd.h>

#include "pactum/base/json.h"
#include "pactum/base/status.h"
#include "pactum/net/http_client.h"

namespace pactum::cli {

// Shows progress on a terminal as one rewritten line, elsewhere every 10%.
class Progress {
 public:
  Progress(std::size_t total, bool quiet, std::string unit = "items")
      : total_(total), quiet_(quiet), tty_(isatty(STDERR_FILENO) == 1), unit_(std::move(unit)) {}
  void Update(std::size_t done) {
    if (quiet_ || total_ == 0) return;
    const std::size_t decile = done * 10 / total_;
    if (!tty_ && decile == last_decile_ && done != total_) return;
    last_decile_ = decile;
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
    const int width = 30;
    const int filled = static_cast<int>(width * done / total_);
    std::cerr << (tty_ ? "\r" : "") << "[" << std::string(filled, '#')
              << std::string(width - filled, '.') << "] " << done << "/" << total_ << " " << unit_
              << ", " << static_cast<long>(rate) << "/s" << (tty_ && done != total_ ? "" : "\n")
              << std::flush;
  }

 private:
  std::size_t total_;
  bool quiet_, tty_;
  std::string unit_;
  std::size_t last_decile_ = 11;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

struct BulkCounts {
  std::size_t accepted = 0;
  std::size_t duplicates = 0;
};

// Posts one batch (JSON Lines, each line an evidence item). A rejected batch is an error with
// the server's message; when the server named the line at fault ("line N: ..."), the status's
// details carry {"line": N}, 1-based within this batch.
inline Result<BulkCounts> PostEvidenceBulk(net::HttpClient& client, const std::string& body) {
  PACTUM_ASSIGN_OR_RETURN(net::HttpResponse response,
                          client.Send("POST", "/v1/evidence:bulk", body, "application/x-ndjson"));
  if (response.status != 200) {
    const std::string message = net::ErrorMessage(response);
    auto json = ParseJson(response.body);
    std::size_t at = 0;
    if (json.ok() && json->is_object() && (*json)["error"].is_object() &&
        (*json)["error"]["details"].is_object() &&
        (*json)["error"]["details"]["line"].is_number_unsigned()) {
      at = (*json)["error"]["details"]["line"].get<std::size_t>();
    } else if (message.rfind("line ", 0) == 0) {
      at = std::strtoul(message.c_str() + 5, nullptr, 10);
    }
    return Status(Code::kFailedPrecondition, message, at ? Json{{"line", at}} : Json());
  }
  auto json = ParseJson(response.body);
  if (!json.ok()) return Internal("unreadable answer: " + json.status().message());
  if (!json->is_object()) return Internal("unreadable answer: not a JSON object");
  return BulkCounts{json->value("accepted", std::size_t{0}),
                    json->value("duplicates", std::size_t{0})};
}

}  // namespace pactum::cli
