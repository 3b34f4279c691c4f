#include "pactum/server/metrics.h"

#include <span>
#include <string_view>

#include <fmt/format.h>

namespace pactum::server {
namespace {

// One histogram's series: `within[i]` counts the observations at most `bounds[i]` (and over the
// bound before it); `labels` is empty or `name="value",...`.
void AppendHistogram(std::string* out, std::string_view name, std::string_view labels,
                     std::span<const double> bounds, std::span<const std::uint64_t> within,
                     std::uint64_t count, double sum) {
  const std::string_view comma = labels.empty() ? "" : ",";
  std::uint64_t cumulative = 0;
  for (std::size_t b = 0; b < bounds.size(); ++b) {
    cumulative += within[b];
    *out +=
        fmt::format("{}_bucket{{{}{}le=\"{}\"}} {}\n", name, labels, comma, bounds[b], cumulative);
  }
  *out += fmt::format("{}_bucket{{{}{}le=\"+Inf\"}} {}\n", name, labels, comma, count);
  const std::string braced = labels.empty() ? "" : fmt::format("{{{}}}", labels);
  *out += fmt::format("{}_sum{} {:.9f}\n", name, braced, sum);
  *out += fmt::format("{}_count{} {}\n", name, braced, count);
}

}  // namespace

Metrics::Metrics(std::vector<RouteLabel> routes)
    : labels_(std::move(routes)), series_(new Series[labels_.size() + 1]) {
  labels_.push_back({"", "unmatched"});
}

void Metrics::Record(std::size_t route, int status, double seconds) {
  if (route >= labels_.size()) route = labels_.size() - 1;
  Series& s = series_[route];
  if (status >= 100 && status < 600)
    s.by_status[static_cast<std::size_t>(status - 100)].fetch_add(1, std::memory_order_relaxed);
  for (std::size_t b = 0; b < kBuckets.size(); ++b) {
    if (seconds <= kBuckets[b]) {
      s.buckets[b].fetch_add(1, std::memory_order_relaxed);
      break;
    }
  }
  s.count.fetch_add(1, std::memory_order_relaxed);
  s.sum_ns.fetch_add(static_cast<std::uint64_t>(seconds * 1e9), std::memory_order_relaxed);
}

std::string Metrics::Render() const {
  std::string out;
  out += "# HELP pactum_http_requests_total HTTP requests answered, by route and status.\n";
  out += "# TYPE pactum_http_requests_total counter\n";
  for (std::size_t r = 0; r < labels_.size(); ++r) {
    for (std::size_t k = 0; k < 500; ++k) {
      std::uint64_t n = series_[r].by_status[k].load(std::memory_order_relaxed);
      if (n == 0) continue;
      out +=
          fmt::format("pactum_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{}\"}} {}\n",
                      labels_[r].pattern, labels_[r].method, k + 100, n);
    }
  }
  out +=
      "# HELP pactum_http_request_duration_seconds Time from a request's last byte to its "
      "response.\n";
  out += "# TYPE pactum_http_request_duration_seconds histogram\n";
  for (std::size_t r = 0; r < labels_.size(); ++r) {
    const Series& s = series_[r];
    std::uint64_t count = s.count.load(std::memory_order_relaxed);
    if (count == 0) continue;
    std::array<std::uint64_t, kBuckets.size()> within{};
    for (std::size_t b = 0; b < kBuckets.size(); ++b)
      within[b] = s.buckets[b].load(std::memory_order_relaxed);
    AppendHistogram(
        &out, "pactum_http_request_duration_seconds",
        fmt::format("route=\"{}\",method=\"{}\"", labels_[r].pattern, labels_[r].method), kBuckets,
        within, count, static_cast<double>(s.sum_ns.load(std::memory_order_relaxed)) / 1e9);
  }
  out += "# HELP pactum_http_connections_open Client connections currently open.\n";
  out += "# TYPE pactum_http_connections_open gauge\n";
  out += fmt::format("pactum_http_connections_open {}\n",
                     open_connections_.load(std::memory_order_relaxed));
  return out;
}

std::string RenderLogMetrics(std::uint64_t size, const ledger::Ledger::CommitStats& stats) {
  std::string out;
  auto one = [&out](const char* name, const char* type, const char* help, auto value) {
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n{} {}\n", name, help, name, type, name, value);
  };
  one("pactum_log_leaves", "gauge", "Durable leaves in the transparency log.", size);
  one("pactum_log_commits_total", "counter",
      "Group commits of the log (transactions), failed ones included.", stats.commits);
  one("pactum_log_commit_failures_total", "counter", "Group commits of the log that failed.",
      stats.failed);
  one("pactum_log_leaves_committed_total", "counter",
      "Leaves the log's group commits made durable.", stats.leaves);
  one("pactum_log_leaves_queued", "gauge", "Leaves waiting for the log's next group commit.",
      stats.queued);
  out +=
      "# HELP pactum_log_commit_duration_seconds Time of one group commit, from its first insert "
      "to its fsync's return.\n";
  out += "# TYPE pactum_log_commit_duration_seconds histogram\n";
  AppendHistogram(&out, "pactum_log_commit_duration_seconds", "", stats.kBuckets, stats.within,
                  stats.commits, stats.seconds);
  return out;
}

}  // namespace pactum::server
