// Standard Webhooks signing and verification (against the specification's published example),
// event messages, filters, the retry schedule, and real attempts against a loopback receiver.
#include <gtest/gtest.h>

#include "pactum/base/json.h"
#include "pactum/webhooks/message.h"
#include "pactum/webhooks/retry.h"
#include "pactum/webhooks/sender.h"
#include "pactum/webhooks/signature.h"

#include "receiver.h"

namespace pactum::webhooks {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// The example of the Standard Webhooks specification and its reference libraries.
constexpr const char* kSpecSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
constexpr const char* kSpecId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
constexpr std::int64_t kSpecTimestamp = 1614265330;
constexpr const char* kSpecBody = R"({"test": 2432232314})";
constexpr const char* kSpecSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

TimePoint At(std::int64_t unix_seconds) {
  return FromUnixMillis(unix_seconds * 1000);
}

TEST(Signature, ReproducesTheSpecificationExample) {
  auto signature = Sign(kSpecSecret, kSpecId, kSpecTimestamp, kSpecBody);
  ASSERT_TRUE(signature.ok()) << signature.status().ToString();
  EXPECT_EQ(*signature, kSpecSignature);
  // The prefix is optional, as in the reference libraries.
  EXPECT_EQ(*Sign("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", kSpecId, kSpecTimestamp, kSpecBody),
            kSpecSignature);
}

TEST(Signature, VerifiesTheSpecificationExampleAndRejectsAnyChange) {
  const SignedHeaders headers{kSpecId, std::to_string(kSpecTimestamp), kSpecSignature};
  const TimePoint now = At(kSpecTimestamp + 10);
  EXPECT_TRUE(Verify(kSpecSecret, headers, kSpecBody, now).ok());
  EXPECT_FALSE(Verify(kSpecSecret, headers, R"({"test": 2432232315})", now).ok());
  SignedHeaders other_id = headers;
  other_id.id = "msg_p5jXN8AQM9LWM0D4loKWxJel";
  EXPECT_FALSE(Verify(kSpecSecret, other_id, kSpecBody, now).ok());
  SignedHeaders other_time = headers;
  other_time.timestamp = std::to_string(kSpecTimestamp + 1);
  EXPECT_FALSE(Verify(kSpecSecret, other_time, kSpecBody, now).ok());
  auto other_secret = NewSecret();
  ASSERT_TRUE(other_secret.ok());
  EXPECT_FALSE(Verify(*other_secret, headers, kSpecBody, now).ok());
}

TEST(Signature, AcceptsOneMatchAmongSeveralSignatures) {
  const TimePoint now = At(kSpecTimestamp);
  SignedHeaders headers{kSpecId, std::to_string(kSpecTimestamp),
                        std::string("v1,bm9wZQ== v1a,abc ") + kSpecSignature};
  EXPECT_TRUE(Verify(kSpecSecret, headers, kSpecBody, now).ok());
  headers.signature = "v1,bm9wZQ== v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
  EXPECT_FALSE(Verify(kSpecSecret, headers, kSpecBody, now).ok());
  headers.signature = "";
  EXPECT_FALSE(Verify(kSpecSecret, headers, kSpecBody, now).ok());
}

TEST(Signature, RefusesTimestampsOutsideTheTolerance) {
  const SignedHeaders headers{kSpecId, std::to_string(kSpecTimestamp), kSpecSignature};
  EXPECT_TRUE(Verify(kSpecSecret, headers, kSpecBody, At(kSpecTimestamp + 300)).ok());
  EXPECT_TRUE(Verify(kSpecSecret, headers, kSpecBody, At(kSpecTimestamp - 300)).ok());
  Status late = Verify(kSpecSecret, headers, kSpecBody, At(kSpecTimestamp + 301));
  EXPECT_EQ(late.code(), Code::kUnauthenticated);
  EXPECT_NE(late.message().find("tolerance"), std::string::npos) << late.message();
  EXPECT_FALSE(Verify(kSpecSecret, headers, kSpecBody, At(kSpecTimestamp - 301)).ok());
  EXPECT_TRUE(
      Verify(kSpecSecret, headers, kSpecBody, At(kSpecTimestamp + 3000), seconds(3600)).ok());
  for (const char* bad : {"", "16142653a0", "-1", "1614265330.5", "99999999999999999999999"}) {
    SignedHeaders h = headers;
    h.timestamp = bad;
    EXPECT_FALSE(Verify(kSpecSecret, h, kSpecBody, At(kSpecTimestamp)).ok()) << bad;
  }
}

TEST(Signature, SecretsAreFreshAndChecked) {
  auto a = NewSecret();
  auto b = NewSecret();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
  EXPECT_TRUE(a->starts_with("whsec_"));
  EXPECT_EQ(SecretKey(*a)->size(), 32u);
  EXPECT_EQ(SecretKey("whsec_not base64!").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(SecretKey("whsec_c2hvcnQ=").status().details()["field"], "secret");  // 5 bytes
  EXPECT_FALSE(Sign("whsec_c2hvcnQ=", "id", 1, "{}").ok());
}

Json Event() {
  return {{"id", "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"},
          {"log_index", 7},
          {"type", "tier.changed"},
          {"agent", "triage-1"},
          {"workflow", "alert_triage"},
          {"time", "2026-11-21T20:01:02.345Z"},
          {"cause_index", 6},
          {"data", {{"from", "silver"}, {"to", "gold"}}}};
}

TEST(Message, AnEventIsWrappedWithItsTypeAndTimeAndIsStable) {
  auto message = EventMessage(Event());
  ASSERT_TRUE(message.ok()) << message.status().ToString();
  EXPECT_EQ(message->id, "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
  EXPECT_EQ(message->type, "tier.changed");
  auto body = ParseJson(message->body);
  ASSERT_TRUE(body.ok());
  EXPECT_EQ((*body)["type"], "tier.changed");
  EXPECT_EQ((*body)["timestamp"], "2026-11-21T20:01:02.345Z");
  EXPECT_EQ((*body)["data"], Event());
  // The same event in another key order gives the same bytes.
  Json reordered = Json::parse(Event().dump(2));
  EXPECT_EQ(EventMessage(reordered)->body, message->body);
  EXPECT_EQ(message->body.find(' '), std::string::npos) << message->body;
  Json no_id = Event();
  no_id.erase("id");
  EXPECT_EQ(EventMessage(no_id).status().details()["field"], "id");
}

TEST(Message, TestMessagesHaveFreshIds) {
  auto a = TestMessage("wh-1", SystemClock());
  auto b = TestMessage("wh-1", SystemClock());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->id, b->id);
  EXPECT_EQ(a->type, "webhook.test");
  EXPECT_EQ(ParseJson(a->body)->at("data")["webhook"], "wh-1");
}

TEST(Filter, AcceptsKnownTypesFamiliesAndAll) {
  auto filter = ParseEventFilter(Json::array({"tier.changed", "review.*", "*"}));
  ASSERT_TRUE(filter.ok()) << filter.status().ToString();
  EXPECT_EQ(filter->size(), 3u);
  for (const std::string& type : EventTypes())
    EXPECT_TRUE(ParseEventFilter(Json::array({type})).ok()) << type;
}

TEST(Filter, RejectsUnknownTypesNamingTheEntry) {
  auto unknown = ParseEventFilter(Json::array({"tier.changed", "tier.chnged"}));
  EXPECT_EQ(unknown.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(unknown.status().details()["field"], "events[1]");
  EXPECT_NE(unknown.status().message().find("tier.chnged"), std::string::npos);
  EXPECT_EQ(ParseEventFilter(Json::array({"nothing.*"})).status().details()["field"], "events[0]");
  EXPECT_EQ(ParseEventFilter(Json::array({".*"})).status().details()["field"], "events[0]");
  EXPECT_EQ(ParseEventFilter(Json::array({"review"})).status().details()["field"], "events[0]");
  EXPECT_EQ(ParseEventFilter(Json::array({"score.changed", 3})).status().details()["field"],
            "events[1]");
  EXPECT_EQ(ParseEventFilter(Json::array()).status().details()["field"], "events");
  EXPECT_EQ(ParseEventFilter("tier.changed").status().details()["field"], "events");
}

TEST(Filter, MatchesExactTypesFamiliesAndAll) {
  EXPECT_TRUE(FilterMatches({"tier.changed"}, "tier.changed"));
  EXPECT_FALSE(FilterMatches({"tier.changed"}, "score.changed"));
  EXPECT_TRUE(FilterMatches({"review.*"}, "review.overdue"));
  EXPECT_FALSE(FilterMatches({"review.*"}, "reviewer.added"));
  EXPECT_FALSE(FilterMatches({"score.*"}, "tier.changed"));
  EXPECT_TRUE(FilterMatches({"score.*", "tier.changed"}, "tier.changed"));
  EXPECT_TRUE(FilterMatches({"*"}, "pact.published"));
}

TEST(Retry, BacksOffExponentiallyUpToTheCapWithBoundedJitter) {
  RetryPolicy policy{milliseconds(1000), milliseconds(10'000), 0.2};
  EXPECT_EQ(RetryDelay(policy, 1, 0.5), milliseconds(1000));
  EXPECT_EQ(RetryDelay(policy, 2, 0.5), milliseconds(2000));
  EXPECT_EQ(RetryDelay(policy, 3, 0.5), milliseconds(4000));
  EXPECT_EQ(RetryDelay(policy, 4, 0.5), milliseconds(8000));
  EXPECT_EQ(RetryDelay(policy, 5, 0.5), milliseconds(10'000));
  EXPECT_EQ(RetryDelay(policy, 500, 0.5), milliseconds(10'000));
  EXPECT_EQ(RetryDelay(policy, 1, 0.0), milliseconds(800));
  EXPECT_EQ(RetryDelay(policy, 1, 0.999999), milliseconds(1199));
  EXPECT_EQ(RetryDelay(policy, 0, 0.5), milliseconds(1000));
}

TEST(Sender, ChecksUrls) {
  EXPECT_TRUE(CheckUrl("https://soc.example.com/hooks/pactum?x=1").ok());
  EXPECT_TRUE(CheckUrl("http://127.0.0.1:9000").ok());
  for (const char* bad : {"", "ftp://x/", "http://", "https:///path", "http://a b/", "soc.example"})
    EXPECT_EQ(CheckUrl(bad).details()["field"], "url") << bad;
  EXPECT_FALSE(CheckUrl("http://x/" + std::string(2048, 'a')).ok());
}

TEST(Sender, AReceiverVerifiesWhatIsSentAndItsAnswerIsReported) {
  testing::Receiver receiver;
  auto secret = NewSecret();
  ASSERT_TRUE(secret.ok());
  receiver.SetSecret("/hook/", *secret);
  receiver.SetStatus("/failing", 500);
  receiver.SetSecret("/failing", *secret);
  auto message = EventMessage(Event());
  ASSERT_TRUE(message.ok());

  Attempt ok = Send(receiver.Url("/hook/"), *message, *secret, SystemClock().Now(), {});
  EXPECT_TRUE(ok.delivered()) << ok.error;
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.response, "ok");
  auto got = receiver.To("/hook/");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_TRUE(got[0].verified) << got[0].verify_error;
  EXPECT_EQ(got[0].id, message->id);
  EXPECT_EQ(got[0].body, message->body);

  Attempt failed = Send(receiver.Url("/failing"), *message, *secret, SystemClock().Now(), {});
  EXPECT_FALSE(failed.delivered());
  EXPECT_EQ(failed.status, 500);
  EXPECT_NE(failed.error.find("500"), std::string::npos) << failed.error;

  // A signature made with another secret does not verify at the receiver.
  auto other = NewSecret();
  Send(receiver.Url("/hook/"), *message, *other, SystemClock().Now(), {});
  ASSERT_EQ(receiver.To("/hook/").size(), 2u);
  EXPECT_FALSE(receiver.To("/hook/")[1].verified);

  // Nobody listening: no status, an error, and quickly.
  Attempt refused = Send("http://127.0.0.1:1/x", *message, *secret, SystemClock().Now(),
                         {milliseconds(2000), milliseconds(500)});
  EXPECT_EQ(refused.status, 0);
  EXPECT_FALSE(refused.error.empty());
}

TEST(Sender, ASlowReceiverTimesOut) {
  testing::Receiver receiver;
  auto secret = NewSecret();
  receiver.SetSecret("/slow", *secret);
  receiver.SetDelay(milliseconds(1500));
  auto message = EventMessage(Event());
  Attempt attempt = Send(receiver.Url("/slow"), *message, *secret, SystemClock().Now(),
                         {milliseconds(300), milliseconds(300)});
  EXPECT_EQ(attempt.status, 0);
  EXPECT_LT(attempt.latency, milliseconds(1400));
  EXPECT_FALSE(attempt.error.empty());
}

}  // namespace
}  // namespace pactum::webhooks
