#include "pactum/service/service.h"

#include <fstream>
#include <random>

#include <gtest/gtest.h>

namespace pactum::service {
namespace {

class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("pactum-svc-" + std::to_string(std::random_device{}()));
    auto s = Service::Open({.data_dir = dir_, .clock = &clock_});
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    service_ = std::move(*s);
  }
  void TearDown() override {
    service_.reset();
    std::filesystem::remove_all(dir_);
  }
  ManualClock clock_{FromUnixMillis(1'795'291'262'000)};
  std::filesystem::path dir_;
  std::unique_ptr<Service> service_;
};

TEST_F(ServiceTest, BootstrapsExactlyOnce) {
  auto first = service_->Bootstrap();
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(first->has_value());
  const IssuedKey& key = **first;
  EXPECT_EQ(key.secret.rfind("pk_", 0), 0u);
  EXPECT_EQ(key.secret.size(), 46u);  // pk_ + 43 base64url characters = 32 random bytes
  EXPECT_EQ(key.key.tenant_name, "default");
  EXPECT_EQ(key.key.scopes, std::vector<std::string>{"admin"});
  auto second = service_->Bootstrap();
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(second->has_value());
}

TEST_F(ServiceTest, AuthenticatesOnlyLiveKeys) {
  auto issued = service_->CreateOperatorKey("soc", "ci", {"read", "decide"});
  ASSERT_TRUE(issued.ok()) << issued.status().ToString();
  auto who = service_->Authenticate(issued->secret);
  ASSERT_TRUE(who.ok());
  EXPECT_EQ(who->tenant_name, "soc");
  EXPECT_TRUE(who->HasScope("decide"));
  EXPECT_FALSE(who->HasScope("admin"));

  std::string tampered = issued->secret;
  tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
  EXPECT_EQ(service_->Authenticate(tampered).status().code(), Code::kUnauthenticated);
  EXPECT_EQ(service_->Authenticate("").status().code(), Code::kUnauthenticated);
  EXPECT_EQ(service_->Authenticate("Bearer x").status().code(), Code::kUnauthenticated);

  ASSERT_TRUE(service_->RevokeKey(*who, issued->key.id).ok());
  EXPECT_EQ(service_->Authenticate(issued->secret).status().code(), Code::kUnauthenticated);
}

TEST_F(ServiceTest, SecretsAreNeverStored) {
  auto issued = service_->CreateOperatorKey("soc", "ci", {"read"});
  ASSERT_TRUE(issued.ok());
  service_.reset();
  std::ifstream db(dir_ / "pactum.db", std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(db)), std::istreambuf_iterator<char>());
  std::ifstream wal(dir_ / "pactum.db-wal", std::ios::binary);
  bytes.append((std::istreambuf_iterator<char>(wal)), std::istreambuf_iterator<char>());
  EXPECT_EQ(bytes.find(issued->secret), std::string::npos);
  EXPECT_EQ(bytes.find(issued->secret.substr(3)), std::string::npos);
}

TEST_F(ServiceTest, ValidatesInput) {
  EXPECT_EQ(service_->CreateOperatorKey("Bad Tenant", "x", {"read"}).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(service_->CreateOperatorKey("soc", "", {"read"}).status().details()["field"], "name");
  auto unknown = service_->CreateOperatorKey("soc", "x", {"read", "root"});
  EXPECT_EQ(unknown.status().details()["field"], "scopes");
  EXPECT_NE(unknown.status().message().find("\"root\""), std::string::npos);
  EXPECT_EQ(service_->CreateOperatorKey("soc", "x", {}).status().code(), Code::kInvalidArgument);
}

TEST_F(ServiceTest, AdminScopeImpliesEveryScope) {
  Principal p{"t", "t", "k", "k", {"admin"}};
  for (const auto& s : KnownScopes())
    EXPECT_TRUE(p.HasScope(s)) << s;
  Principal reader{"t", "t", "k", "k", {"read"}};
  EXPECT_FALSE(reader.HasScope("decide"));
}

}  // namespace
}  // namespace pactum::service
