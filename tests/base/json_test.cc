#include "pactum/base/json.h"

#include <gtest/gtest.h>

namespace pactum {
namespace {

TEST(Json, ParseErrorsNameLineAndColumn) {
  auto r = ParseJson("{\n  \"a\": 1,\n  \"b\": tru\n}");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(r.status().details()["line"], 3);
  EXPECT_NE(r.status().message().find("line 3, column"), std::string::npos) << r.status().message();
}

TEST(Json, UnrepresentableNumbersAreErrorsNotExceptions) {
  auto r = ParseJson(R"({"a": 1e999})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("1e999"), std::string::npos) << r.status().message();
}

TEST(Json, ParsesValidDocuments) {
  auto r = ParseJson(R"({"a":[1,2.5,"x"]})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)["a"][1], 2.5);
}

}  // namespace
}  // namespace pactum
