// The routes of human review (docs/API.md): the review queue, resolutions, and the admin switch
// of a pact between shadow and enforce.
#include "pactum/server/api.h"
#include "pactum/server/params.h"

namespace pactum::server {

void Api::AddReviewRoutes() {
  router_.Add("GET", "/v1/reviews", Access::Scope("read"), [this](Request& req) {
    service::Service::ReviewQuery query;
    query.owner = StringParam(req.query, "owner");
    query.status = StringParam(req.query, "status");
    query.agent = StringParam(req.query, "agent");
    query.workflow = StringParam(req.query, "workflow");
    auto limit = UintParam(req.query, "limit", false);
    if (!limit.ok()) return Response::Error(limit.status());
    if (*limit) query.limit = static_cast<std::size_t>(**limit);
    auto reviews = service_.ListReviews(*req.principal, query);
    if (!reviews.ok()) return Response::Error(reviews.status());
    return Response::Json(200, {{"reviews", *reviews}});
  });

  router_.Add("GET", "/v1/reviews/{id}", Access::Scope("read"), [this](Request& req) {
    auto review = service_.GetReview(*req.principal, req.params["id"]);
    if (!review.ok()) return Response::Error(review.status());
    return Response::Json(200, *review);
  });

  router_.Add(
      "POST", "/v1/reviews/{id}/resolve", Access::Scope("reviews:write"), [this](Request& req) {
        auto body = req.JsonBody();
        if (!body.ok()) return Response::Error(body.status());
        if (!body->is_object())
          return Response::Error(InvalidArgument("the body must be a JSON object"));
        if (Status s = RejectUnknownFields(*body, {"decision", "note"}); !s.ok())
          return Response::Error(s);
        auto decision = body->find("decision");
        if (decision == body->end() || !decision->is_string() ||
            (*decision != "approve" && *decision != "deny"))
          return Response::Error(InvalidArgument("decision: required, \"approve\" or \"deny\"",
                                                 {{"field", "decision"}}));
        std::string note;
        if (auto n = body->find("note"); n != body->end()) {
          if (!n->is_string())
            return Response::Error(InvalidArgument("note: must be a string", {{"field", "note"}}));
          note = n->get<std::string>();
        }
        auto review =
            service_.ResolveReview(*req.principal, req.params["id"], *decision == "approve", note);
        if (!review.ok()) return Response::Error(review.status());
        return Response::Json(200, *review);
      });

  router_.Add("PUT", "/v1/pacts/{name}/mode", Access::Scope("admin"), [this](Request& req) {
    auto body = req.JsonBody();
    if (!body.ok()) return Response::Error(body.status());
    if (!body->is_object())
      return Response::Error(InvalidArgument("the body must be a JSON object"));
    if (Status s = RejectUnknownFields(*body, {"mode"}); !s.ok()) return Response::Error(s);
    auto mode = body->find("mode");
    std::optional<pact::Mode> parsed;
    if (mode != body->end() && mode->is_string())
      parsed = pact::ParseMode(mode->get<std::string>());
    if (!parsed)
      return Response::Error(
          InvalidArgument("mode: required, \"shadow\" or \"enforce\"", {{"field", "mode"}}));
    auto switched = service_.SetPactMode(*req.principal, req.params["name"], *parsed);
    if (!switched.ok()) return Response::Error(switched.status());
    return Response::Json(200, *switched);
  });
}

}  // namespace pactum::server
