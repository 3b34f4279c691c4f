// The webhook outbox in the store: the trigger's fan-out and filters, one head per subscription
// in log order, attempts recorded (delivered, retried, given up), disabling after consecutive
// failures, enabling, and tenant scoping.
#include "pactum/store/store.h"

#include <filesystem>
#include <random>

#include <gtest/gtest.h>

#include "pactum/store/webhooks.h"

namespace pactum::store {
namespace {

class WebhookStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("pactum-webhook-store-" + std::to_string(std::random_device{}()));
    auto store = Store::Open(dir_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  void AddWebhook(const std::string& id, const std::string& tenant, const std::string& events) {
    WebhookRow row{id,           tenant, "http://127.0.0.1:1/" + id, "whsec_x", events, "", true, 0,
                   std::nullopt, 1000};
    ASSERT_TRUE(store_->Write([&](Connection& db) { return InsertWebhook(db, row); }).ok());
  }
  void AddEvent(std::uint64_t index, const std::string& tenant, const std::string& type) {
    EventRow row{index, "ev-" + std::to_string(index),    tenant, type, "a",
                 "w",   static_cast<std::int64_t>(index), index,  "{}"};
    ASSERT_TRUE(store_->Write([&](Connection& db) { return InsertEvent(db, row); }).ok());
  }
  std::vector<DueDelivery> Due(std::int64_t now, std::vector<std::string> busy = {}) {
    std::vector<DueDelivery> due;
    EXPECT_TRUE(store_
                    ->Read([&](Connection& db) -> Status {
                      PACTUM_ASSIGN_OR_RETURN(due, DueDeliveries(db, now, busy, 100));
                      return Status::Ok();
                    })
                    .ok());
    return due;
  }
  std::vector<DeliveryRow> Deliveries(const std::string& id) {
    std::vector<DeliveryRow> rows;
    EXPECT_TRUE(store_
                    ->Read([&](Connection& db) -> Status {
                      PACTUM_ASSIGN_OR_RETURN(rows, ListDeliveries(db, id, std::nullopt, 100));
                      return Status::Ok();
                    })
                    .ok());
    return rows;
  }
  WebhookRow Webhook(const std::string& tenant, const std::string& id) {
    std::optional<WebhookRow> row;
    EXPECT_TRUE(store_
                    ->Read([&](Connection& db) -> Status {
                      PACTUM_ASSIGN_OR_RETURN(row, GetWebhook(db, tenant, id));
                      return Status::Ok();
                    })
                    .ok());
    return row.value_or(WebhookRow{});
  }
  bool Fail(const std::string& id, std::uint64_t index, std::int64_t next, int give_up = 100,
            int disable = 100, bool now = false) {
    bool disabled = false;
    FailedAttempt f{500, "HTTP 500", next, give_up, disable, now};
    EXPECT_TRUE(store_
                    ->Write([&](Connection& db) -> Status {
                      PACTUM_ASSIGN_OR_RETURN(disabled, MarkFailed(db, id, index, f));
                      return Status::Ok();
                    })
                    .ok());
    return disabled;
  }
  void Deliver(const std::string& id, std::uint64_t index) {
    ASSERT_TRUE(
        store_->Write([&](Connection& db) { return MarkDelivered(db, id, index, 200, 99); }).ok());
  }

  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(WebhookStoreTest, EventsFanOutToMatchingSubscriptionsOfTheirTenant) {
  AddWebhook("all", "t1", R"(["*"])");
  AddWebhook("reviews", "t1", R"(["review.*"])");
  AddWebhook("tiers", "t1", R"(["tier.changed"])");
  AddWebhook("other", "t2", R"(["*"])");
  AddEvent(1, "t1", "tier.changed");
  AddEvent(2, "t1", "review.overdue");
  AddEvent(3, "t1", "reviewer.added");
  AddEvent(4, "t2", "score.changed");
  EXPECT_EQ(Deliveries("all").size(), 3u);
  ASSERT_EQ(Deliveries("reviews").size(), 1u);
  EXPECT_EQ(Deliveries("reviews")[0].event_type, "review.overdue");
  ASSERT_EQ(Deliveries("tiers").size(), 1u);
  EXPECT_EQ(Deliveries("tiers")[0].event_index, 1u);
  ASSERT_EQ(Deliveries("other").size(), 1u);
  EXPECT_EQ(Deliveries("other")[0].event_index, 4u);
  // Tenants are kept apart.
  EXPECT_EQ(Webhook("t2", "all").id, "");
  EXPECT_EQ(Webhook("t1", "all").id, "all");
}

TEST_F(WebhookStoreTest, OnlyTheHeadOfEachQueueIsOfferedInLogOrder) {
  AddWebhook("a", "t1", R"(["*"])");
  AddWebhook("b", "t1", R"(["*"])");
  for (std::uint64_t i = 1; i <= 3; ++i)
    AddEvent(i, "t1", "score.changed");
  auto due = Due(100);
  ASSERT_EQ(due.size(), 2u);
  EXPECT_EQ(due[0].event.log_index, 1u);
  EXPECT_EQ(due[1].event.log_index, 1u);
  EXPECT_EQ(due[0].event.id, "ev-1");
  EXPECT_EQ(Due(100, {"a"}).size(), 1u);
  EXPECT_EQ(Due(0).size(), 0u);  // not yet due
  Deliver("a", 1);
  due = Due(100, {"b"});
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].event.log_index, 2u);
  // A failed head waits for its retry; the events behind it wait too.
  EXPECT_FALSE(Fail("a", 2, 500));
  EXPECT_TRUE(Due(400, {"b"}).empty());
  std::optional<std::int64_t> next;
  ASSERT_TRUE(store_
                  ->Read([&](Connection& db) -> Status {
                    PACTUM_ASSIGN_OR_RETURN(next, NextDeliveryDue(db, {"b"}));
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(next, 500);
  ASSERT_EQ(Due(500, {"b"}).size(), 1u);
  EXPECT_EQ(Due(500, {"b"})[0].consecutive_failures, 1);
}

TEST_F(WebhookStoreTest, ConsecutiveFailuresDisableAndEnablingResumes) {
  AddWebhook("a", "t1", R"(["*"])");
  AddEvent(1, "t1", "score.changed");
  EXPECT_FALSE(Fail("a", 1, 10, 100, 3));
  EXPECT_FALSE(Fail("a", 1, 20, 100, 3));
  EXPECT_TRUE(Fail("a", 1, 30, 100, 3));
  WebhookRow w = Webhook("t1", "a");
  EXPECT_FALSE(w.enabled);
  EXPECT_EQ(w.consecutive_failures, 3);
  ASSERT_TRUE(w.disabled_reason.has_value());
  EXPECT_NE(w.disabled_reason->find("3 consecutive"), std::string::npos) << *w.disabled_reason;
  EXPECT_TRUE(Due(1000).empty());
  // Disabled: what was pending stays, and new events queue behind it, untried (newest first).
  AddEvent(2, "t1", "score.changed");
  ASSERT_EQ(Deliveries("a").size(), 2u);
  EXPECT_EQ(Deliveries("a")[1].status, "pending");
  EXPECT_EQ(Deliveries("a")[1].attempts, 3);
  EXPECT_EQ(Deliveries("a")[0].event_index, 2u);
  EXPECT_EQ(Deliveries("a")[0].status, "pending");
  EXPECT_EQ(Deliveries("a")[0].attempts, 0);
  EXPECT_TRUE(Due(1000).empty());
  bool found = false;
  ASSERT_TRUE(store_
                  ->Write([&](Connection& db) -> Status {
                    PACTUM_ASSIGN_OR_RETURN(found, EnableWebhook(db, "t2", "a", 5));
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_FALSE(found);  // another tenant's
  ASSERT_TRUE(store_
                  ->Write([&](Connection& db) -> Status {
                    PACTUM_ASSIGN_OR_RETURN(found, EnableWebhook(db, "t1", "a", 5));
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_TRUE(found);
  w = Webhook("t1", "a");
  EXPECT_TRUE(w.enabled);
  EXPECT_EQ(w.consecutive_failures, 0);
  EXPECT_FALSE(w.disabled_reason.has_value());
  ASSERT_EQ(Due(5).size(), 1u);  // due at once, whatever its backoff said
  Deliver("a", 1);
  EXPECT_EQ(Deliveries("a")[1].status, "delivered");
  EXPECT_EQ(Deliveries("a")[1].attempts, 4);
  // Then the event committed while it was disabled.
  auto due = Due(5);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].event.log_index, 2u);
  Deliver("a", 2);
  EXPECT_EQ(Deliveries("a")[0].status, "delivered");
}

TEST_F(WebhookStoreTest, ADeliveryIsGivenUpAfterItsAttemptsAndGoneDisablesAtOnce) {
  AddWebhook("a", "t1", R"(["*"])");
  AddEvent(1, "t1", "score.changed");
  AddEvent(2, "t1", "score.changed");
  EXPECT_FALSE(Fail("a", 1, 10, 2));
  EXPECT_FALSE(Fail("a", 1, 20, 2));
  auto rows = Deliveries("a");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].status, "failed");  // given up: the queue moves on
  auto due = Due(1000);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].event.log_index, 2u);
  EXPECT_TRUE(Fail("a", 2, 30, 100, 100, /*now=*/true));
  EXPECT_FALSE(Webhook("t1", "a").enabled);
  // Deleting takes the queue with it; a second delete finds nothing.
  bool deleted = false;
  ASSERT_TRUE(store_
                  ->Write([&](Connection& db) -> Status {
                    PACTUM_ASSIGN_OR_RETURN(deleted, DeleteWebhook(db, "t1", "a"));
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_TRUE(deleted);
  EXPECT_TRUE(Deliveries("a").empty());
  ASSERT_TRUE(store_
                  ->Write([&](Connection& db) -> Status {
                    PACTUM_ASSIGN_OR_RETURN(deleted, DeleteWebhook(db, "t1", "a"));
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_FALSE(deleted);
}

}  // namespace
}  // namespace pactum::store
