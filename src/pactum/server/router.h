// The routing table: method + path pattern → handler. Patterns are literal segments and
// "{name}" parameters ("/v1/keys/{id}"), matched whole-segment. The table is also what
// metrics label requests by, and what the OpenAPI document is checked against.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "pactum/server/http.h"

namespace pactum::server {

using Handler = std::function<Response(Request&)>;

// Who may call a route.
struct Access {
  bool needs_key = true;
  std::string scope;  // empty: any valid key

  static Access Public() { return {false, ""}; }
  static Access AnyKey() { return {true, ""}; }
  static Access Scope(std::string scope) { return {true, std::move(scope)}; }
};

// Where a route's handler runs. Most handlers wait on the store (a commit, a report's reads,
// an outbound call), so they run on the API's worker threads: an io thread held by a bulk
// ingest or a scorecard is one that cannot answer decisions. Handlers that answer from memory,
// or through their own Reply without waiting (decide), run on the io thread and skip the
// hand-off.
enum class Runs { kOnWorker, kOnIoThread };

struct Route {
  std::string method;
  std::string pattern;
  Access access;
  Handler handler;
  Runs runs = Runs::kOnWorker;
  std::vector<std::string> segments;  // pattern split on '/'
};

class Router {
 public:
  // Routes must be added before serving starts; the table is read-only afterwards.
  void Add(std::string method, std::string pattern, Access access, Handler handler,
           Runs runs = Runs::kOnWorker);

  struct Match {
    const Route* route = nullptr;  // null: no route for this path and method
    std::size_t index = 0;         // position in routes()
    bool path_exists = false;      // the path matched some route with another method (→ 405)
    std::vector<std::string> allowed_methods;
  };
  // Fills `params` from the pattern on a match.
  Match Find(const std::string& method, const std::string& path,
             std::map<std::string, std::string>* params) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace pactum::server
