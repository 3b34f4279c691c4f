// The routes of the trust loop (docs/API.md): agents, pacts, evidence, explained trust,
// decisions, events.
#include <sstream>

#include "pactum/base/json.h"
#include "pactum/server/api.h"
#include "pactum/server/params.h"

namespace pactum::server {
namespace {

// The longest POST /v1/decide?wait= may hold a request open.
constexpr std::chrono::milliseconds kMaxReviewWait{60'000};

Json ReceiptJson(const service::EvidenceReceipt& r) {
  return {{"id", r.id},
          {"duplicate", r.duplicate},
          {"receipt", {{"log_index", r.log_index}, {"leaf_hash", r.leaf_hash}}},
          {"events", r.events}};
}

// The answer to one decision, as POST /v1/decide sends it.
Response DecisionResponse(const service::DecisionRecord& record) {
  Result<std::string> answer = service::DecisionAnswer(record);
  if (!answer.ok()) return Response::Error(answer.status());
  answer->push_back('\n');
  return Response::Text(200, std::move(*answer), "application/json");
}

Result<Json> DecisionJson(const service::DecisionRecord& record) {
  PACTUM_ASSIGN_OR_RETURN(std::string answer, service::DecisionAnswer(record));
  return ParseJson(answer);
}

// The body an error answer has, without its closing newline: an element of a batch answer.
std::string ErrorBody(const Status& status) {
  std::string body = Response::Error(status).body;
  if (!body.empty() && body.back() == '\n') body.pop_back();
  return body;
}

// A JSON Lines body: one evidence object a line; blank lines are skipped. The lines are parsed
// by SubmitEvidence, which reads a request's items in parallel; errors name the line.
Result<std::vector<service::EvidenceSubmission>> SplitJsonLines(const std::string& body) {
  std::vector<service::EvidenceSubmission> items;
  std::istringstream in(body);
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    items.push_back(service::EvidenceSubmission::Line(std::move(line), number));
  }
  if (items.empty())
    return InvalidArgument("the body has no evidence lines (JSON Lines: one object a line)",
                           {{"field", "body"}});
  return items;
}

}  // namespace

void Api::AddLoopRoutes() {
  router_.Add("POST", "/v1/agents", Access::Scope("agents:write"), [this](Request& req) {
    auto body = req.JsonBody();
    if (!body.ok()) return Response::Error(body.status());
    auto agent = service_.RegisterAgent(*req.principal, *body);
    if (!agent.ok()) return Response::Error(agent.status());
    return Response::Json(201, *agent);
  });

  router_.Add("GET", "/v1/agents", Access::Scope("read"), [this](Request& req) {
    auto agents = service_.ListAgents(*req.principal);
    if (!agents.ok()) return Response::Error(agents.status());
    return Response::Json(200, {{"agents", *agents}});
  });

  router_.Add("GET", "/v1/agents/{id}", Access::Scope("read"), [this](Request& req) {
    auto agent = service_.GetAgent(*req.principal, req.params["id"]);
    if (!agent.ok()) return Response::Error(agent.status());
    return Response::Json(200, *agent);
  });

  router_.Add("PUT", "/v1/agents/{id}", Access::Scope("agents:write"), [this](Request& req) {
    auto body = req.JsonBody();
    if (!body.ok()) return Response::Error(body.status());
    auto agent = service_.UpdateAgent(*req.principal, req.params["id"], *body);
    if (!agent.ok()) return Response::Error(agent.status());
    return Response::Json(200, *agent);
  });

  router_.Add(
      "GET", "/v1/agents/{id}/trust", Access::Scope("read"),
      [this](Request& req) {
        auto trust = service_.ExplainTrust(*req.principal, req.params["id"],
                                           StringParam(req.query, "workflow"));
        if (!trust.ok()) return Response::Error(trust.status());
        return Response::Json(200, *trust);
      },
      Runs::kOnIoThread);

  router_.Add("POST", "/v1/pacts", Access::Scope("pacts:write"), [this](Request& req) {
    auto body = req.JsonBody();
    if (!body.ok()) return Response::Error(body.status());
    auto published = service_.PublishPact(*req.principal, *body);
    if (!published.ok()) return Response::Error(published.status());
    return Response::Json(published->created ? 201 : 200, published->pact);
  });

  router_.Add("GET", "/v1/pacts", Access::Scope("read"), [this](Request& req) {
    auto pacts = service_.ListPacts(*req.principal);
    if (!pacts.ok()) return Response::Error(pacts.status());
    return Response::Json(200, {{"pacts", *pacts}});
  });

  router_.Add("GET", "/v1/pacts/{name}", Access::Scope("read"), [this](Request& req) {
    auto version = UintParam(req.query, "version", false);
    if (!version.ok()) return Response::Error(version.status());
    std::optional<std::int64_t> v;
    if (*version) v = static_cast<std::int64_t>(**version);
    auto pact = service_.GetPact(*req.principal, req.params["name"], v);
    if (!pact.ok()) return Response::Error(pact.status());
    return Response::Json(200, *pact);
  });

  router_.Add("POST", "/v1/evidence", Access::Scope("evidence:write"), [this](Request& req) {
    auto body = req.JsonBody();
    if (!body.ok()) return Response::Error(body.status());
    std::optional<std::string> key;
    if (const std::string* h = req.Header("idempotency-key")) key = *h;
    std::vector<service::EvidenceSubmission> items;
    items.push_back({std::move(*body), key, ""});
    auto receipts = service_.SubmitEvidence(*req.principal, std::move(items));
    if (!receipts.ok()) return Response::Error(receipts.status());
    const auto& r = receipts->front();
    return Response::Json(r.duplicate ? 200 : 201, ReceiptJson(r));
  });

  router_.Add("POST", "/v1/evidence:bulk", Access::Scope("evidence:write"), [this](Request& req) {
    auto items = SplitJsonLines(req.body);
    if (!items.ok()) return Response::Error(items.status());
    auto receipts = service_.SubmitEvidence(*req.principal, std::move(*items));
    if (!receipts.ok()) return Response::Error(receipts.status());
    Json list = Json::array();
    std::size_t duplicates = 0;
    for (const auto& r : *receipts) {
      duplicates += r.duplicate ? 1 : 0;
      list.push_back(ReceiptJson(r));
    }
    return Response::Json(200, {{"accepted", receipts->size() - duplicates},
                                {"duplicates", duplicates},
                                {"items", std::move(list)}});
  });

  router_.Add(
      "POST", "/v1/decide", Access::Scope("decide"),
      [this](Request& req) {
        auto body = req.JsonBody();
        if (!body.ok()) return Response::Error(body.status());
        auto request = service::DecideRequestFromJson(*body);
        if (!request.ok()) return Response::Error(request.status());
        // ?wait=30s holds an escalation open until its review is resolved or the wait ends.
        auto wait = WaitParam(req.query, "wait", kMaxReviewWait);
        if (!wait.ok()) return Response::Error(wait.status());
        // Answered once the decision's leaf is durable, without holding an io thread meanwhile.
        auto reply = std::make_shared<Reply>();
        // The completion runs on the log's answering thread, which renders the JSON: the io
        // thread, which every request passes through, only sends it.
        std::vector<control::DecideRequest> one;  // moved in: a braced list would be copied
        one.push_back(std::move(*request));
        service_.Decide(
            *req.principal, std::move(one),
            [this, reply, wait = *wait, caller = *req.principal](
                Result<std::vector<Result<service::DecisionRecord>>> answers) {
              if (!answers.ok()) return reply->Send(Response::Error(answers.status()));
              auto record =
                  std::make_shared<Result<service::DecisionRecord>>(std::move(answers->front()));
              if (!record->ok()) return reply->Send(Response::Error(record->status()));
              const service::DecisionRecord& decided = **record;
              if (!wait || !decided.decision.review || decided.review_id.empty()) {
                return reply->Send(DecisionResponse(**record));
              }
              service_.AwaitReview(caller, decided.review_id, *wait,
                                   [reply, record](Result<Json> review) {
                                     if (!review.ok())
                                       return reply->Send(Response::Error(review.status()));
                                     Result<Json> answer = DecisionJson(**record);
                                     if (!answer.ok())
                                       return reply->Send(Response::Error(answer.status()));
                                     (*answer)["review_state"] = std::move(*review);
                                     reply->Send(Response::Json(200, *answer));
                                   });
            });
        return Response::Later(reply);
      },
      Runs::kOnIoThread);

  router_.Add(
      "POST", "/v1/decide:batch", Access::Scope("decide"),
      [this](Request& req) {
        auto body = req.JsonBody();
        if (!body.ok()) return Response::Error(body.status());
        if (!body->is_object() || !body->contains("requests") || !(*body)["requests"].is_array())
          return Response::Error(InvalidArgument("requests: required (an array of decide requests)",
                                                 {{"field", "requests"}}));
        std::vector<control::DecideRequest> requests;
        for (std::size_t i = 0; i < (*body)["requests"].size(); ++i) {
          auto request = service::DecideRequestFromJson((*body)["requests"][i]);
          if (!request.ok()) {
            const std::string at = "requests[" + std::to_string(i) + "]";
            return Response::Error(request.status().WithContext(at).WithDetail("at", at));
          }
          requests.push_back(std::move(*request));
        }
        auto reply = std::make_shared<Reply>();
        service_.Decide(*req.principal, std::move(requests),
                        [reply](Result<std::vector<Result<service::DecisionRecord>>> answers) {
                          if (!answers.ok()) return reply->Send(Response::Error(answers.status()));
                          auto decided =
                              std::make_shared<std::vector<Result<service::DecisionRecord>>>(
                                  std::move(*answers));
                          reply->SendMade([decided] {
                            // Each element is written once, as a decision answer or as the error
                            // body its failure would have had alone.
                            std::string out = "{\"decisions\":[";
                            for (std::size_t i = 0; i < decided->size(); ++i) {
                              const auto& answer = (*decided)[i];
                              Result<std::string> one =
                                  answer.ok() ? service::DecisionAnswer(*answer)
                                              : Result<std::string>(ErrorBody(answer.status()));
                              if (!one.ok()) return Response::Error(one.status());
                              if (i > 0) out.push_back(',');
                              out += *one;
                            }
                            out += "]}\n";
                            return Response::Text(200, std::move(out), "application/json");
                          });
                        });
        return Response::Later(reply);
      },
      Runs::kOnIoThread);

  router_.Add("GET", "/v1/events", Access::Scope("read"), [this](Request& req) {
    service::EventQuery query;
    query.agent = StringParam(req.query, "agent");
    query.workflow = StringParam(req.query, "workflow");
    query.type = StringParam(req.query, "type");
    auto after = UintParam(req.query, "after", false);
    if (!after.ok()) return Response::Error(after.status());
    query.after = *after;
    auto limit = UintParam(req.query, "limit", false);
    if (!limit.ok()) return Response::Error(limit.status());
    if (*limit) query.limit = static_cast<std::size_t>(**limit);
    auto events = service_.ListEvents(*req.principal, query);
    if (!events.ok()) return Response::Error(events.status());
    return Response::Json(200, {{"events", *events}});
  });
}

}  // namespace pactum::server
