// The routes of reports (docs/API.md "Scorecards", docs/PACKETS.md): weekly KPI scorecards and
// signed trust packets.
#include "pactum/server/api.h"
#include "pactum/server/params.h"

namespace pactum::server {
namespace {

Result<std::optional<TimePoint>> TimeParam(const std::map<std::string, std::string>& params,
                                           const char* name) {
  auto text = StringParam(params, name);
  if (!text) return std::optional<TimePoint>();
  auto t = ParseRfc3339(*text);
  if (!t.ok())
    return InvalidArgument(
        std::string(name) + ": must be an RFC 3339 time: " + t.status().message(),
        {{"field", name}});
  return std::optional<TimePoint>(*t);
}

}  // namespace

void Api::AddReportRoutes() {
  router_.Add("GET", "/v1/scorecards", Access::Scope("read"), [this](Request& req) {
    service::Service::ScorecardQuery query;
    query.agent = StringParam(req.query, "agent");
    query.workflow = StringParam(req.query, "workflow");
    auto from = TimeParam(req.query, "from");
    if (!from.ok()) return Response::Error(from.status());
    auto to = TimeParam(req.query, "to");
    if (!to.ok()) return Response::Error(to.status());
    query.from = *from;
    query.to = *to;
    auto weeks = UintParam(req.query, "weeks", false);
    if (!weeks.ok()) return Response::Error(weeks.status());
    if (*weeks) {
      if (**weeks < 1 || **weeks > 52)
        return Response::Error(
            InvalidArgument("weeks: must be from 1 to 52", {{"field", "weeks"}}));
      query.weeks = static_cast<int>(**weeks);
    }
    auto cards = service_.Scorecards(*req.principal, query);
    if (!cards.ok()) return Response::Error(cards.status());
    return Response::Json(200, *cards);
  });

  router_.Add("POST", "/v1/packets", Access::Scope("read"), [this](Request& req) {
    auto body = req.JsonBody();
    if (!body.ok()) return Response::Error(body.status());
    if (!body->is_object())
      return Response::Error(InvalidArgument("the body must be a JSON object"));
    if (Status s = RejectUnknownFields(*body, {"agent", "workflow"}); !s.ok())
      return Response::Error(s);
    std::string fields[2];
    const char* names[2] = {"agent", "workflow"};
    for (int i = 0; i < 2; ++i) {
      auto it = body->find(names[i]);
      if (it == body->end() || !it->is_string() || it->get<std::string>().empty())
        return Response::Error(
            InvalidArgument(std::string(names[i]) + ": required, a string", {{"field", names[i]}}));
      fields[i] = it->get<std::string>();
    }
    auto packet = service_.TrustPacket(*req.principal, fields[0], fields[1]);
    if (!packet.ok()) return Response::Error(packet.status());
    return Response::Json(200, *packet);
  });
}

}  // namespace pactum::server
