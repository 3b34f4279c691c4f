// Request metrics in the Prometheus text exposition format (version 0.0.4):
//   pactum_http_requests_total{route,method,status}   counter
//   pactum_http_request_duration_seconds{route,method} histogram
//   pactum_http_connections_open                      gauge
// Labels come from the routing table (the pattern, never the raw path), so cardinality is
// bounded. Recording is lock-free: one set of atomics per route. The log's own series
// (RenderLogMetrics) come from the ledger's counters, read when /metrics is asked for.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "pactum/ledger/ledger.h"

namespace pactum::server {

class Metrics {
 public:
  struct RouteLabel {
    std::string method;
    std::string pattern;
  };
  // One entry per route; an extra "unmatched" series counts requests that found no route.
  explicit Metrics(std::vector<RouteLabel> routes);

  // `route` is an index into the constructor's list, or routes.size() for unmatched.
  void Record(std::size_t route, int status, double seconds);
  void ConnectionOpened() { open_connections_.fetch_add(1, std::memory_order_relaxed); }
  void ConnectionClosed() { open_connections_.fetch_sub(1, std::memory_order_relaxed); }

  std::string Render() const;

  static constexpr std::array<double, 14> kBuckets = {
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5};

 private:
  struct Series {
    std::array<std::atomic<std::uint64_t>, 500> by_status{};  // index status - 100
    std::array<std::atomic<std::uint64_t>, kBuckets.size()> buckets{};
    std::atomic<std::uint64_t> count{0};
    std::atomic<std::uint64_t> sum_ns{0};
  };
  std::vector<RouteLabel> labels_;
  std::unique_ptr<Series[]> series_;
  std::atomic<std::int64_t> open_connections_{0};
};

// The transparency log's series: its size, and its group commits (docs/OPERATIONS.md):
//   pactum_log_leaves                        gauge
//   pactum_log_commits_total                 counter
//   pactum_log_commit_failures_total         counter
//   pactum_log_leaves_committed_total        counter
//   pactum_log_leaves_queued                 gauge
//   pactum_log_commit_duration_seconds       histogram
std::string RenderLogMetrics(std::uint64_t size, const ledger::Ledger::CommitStats& stats);

}  // namespace pactum::server
