#include "pactum/server/metrics.h"

#include <fmt/format.h>

namespace pactum::server {

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
    std::string labels =
        fmt::format("route=\"{}\",method=\"{}\"", labels_[r].pattern, labels_[r].method);
    std::uint64_t cumulative = 0;
    for (std::size_t b = 0; b < kBuckets.size(); ++b) {
      cumulative += s.buckets[b].load(std::memory_order_relaxed);
      out += fmt::format("pactum_http_request_duration_seconds_bucket{{{},le=\"{}\"}} {}\n", labels,
                         kBuckets[b], cumulative);
    }
    out += fmt::format("pactum_http_request_duration_seconds_bucket{{{},le=\"+Inf\"}} {}\n", labels,
                       count);
    out += fmt::format("pactum_http_request_duration_seconds_sum{{{}}} {:.9f}\n", labels,
                       static_cast<double>(s.sum_ns.load(std::memory_order_relaxed)) / 1e9);
    out += fmt::format("pactum_http_request_duration_seconds_count{{{}}} {}\n", labels, count);
  }
  out += "# HELP pactum_http_connections_open Client connections currently open.\n";
  out += "# TYPE pactum_http_connections_open gauge\n";
  out += fmt::format("pactum_http_connections_open {}\n",
                     open_connections_.load(std::memory_order_relaxed));
  return out;
}

}  // namespace pactum::server
