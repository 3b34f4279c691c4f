#include "pactum/server/router.h"

#include <algorithm>
#include <string_view>

namespace pactum::server {
namespace {

std::vector<std::string> Split(const std::string& path) {
  std::vector<std::string> out;
  std::size_t start = 1;  // paths start with '/'
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    out.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

bool IsParam(const std::string& seg) {
  return seg.size() > 2 && seg.front() == '{' && seg.back() == '}';
}

}  // namespace

void Router::Add(std::string method, std::string pattern, Access access, Handler handler,
                 Runs runs) {
  Route r{std::move(method), std::move(pattern), std::move(access), std::move(handler), runs, {}};
  r.segments = Split(r.pattern);
  routes_.push_back(std::move(r));
}

Router::Match Router::Find(const std::string& method, const std::string& path,
                           std::map<std::string, std::string>* params) const {
  Match m;
  if (path.empty() || path[0] != '/') return m;
  // Segments as views into `path`: matching allocates nothing until a route matches.
  std::vector<std::string_view> segs;
  for (std::size_t start = 1; start <= path.size();) {
    std::size_t end = std::min(path.find('/', start), path.size());
    segs.emplace_back(path.data() + start, end - start);
    start = end + 1;
  }
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    const Route& r = routes_[i];
    if (r.segments.size() != segs.size()) continue;
    bool ok = true;
    for (std::size_t k = 0; k < segs.size() && ok; ++k)
      ok = IsParam(r.segments[k]) ? !segs[k].empty() : r.segments[k] == segs[k];
    if (!ok) continue;
    m.path_exists = true;
    m.allowed_methods.push_back(r.method);
    if (r.method == method && m.route == nullptr) {
      m.route = &r;
      m.index = i;
      if (params) {
        params->clear();
        for (std::size_t k = 0; k < segs.size(); ++k)
          if (IsParam(r.segments[k]))
            (*params)[r.segments[k].substr(1, r.segments[k].size() - 2)] = std::string(segs[k]);
      }
    }
  }
  return m;
}

}  // namespace pactum::server
