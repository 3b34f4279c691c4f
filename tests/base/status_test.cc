#include "pactum/base/status.h"

#include <gtest/gtest.h>

namespace pactum {
namespace {

Result<int> Half(int x) {
  if (x % 2 != 0) return InvalidArgument("odd", {{"field", "x"}});
  return x / 2;
}

Result<int> Quarter(int x) {
  PACTUM_ASSIGN_OR_RETURN(int h, Half(x));
  return Half(h);
}

TEST(Status, OkIsCheapAndEmpty) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.code(), Code::kOk);
  EXPECT_EQ(s.message(), "");
  EXPECT_EQ(s.ToString(), "ok");
  EXPECT_EQ(sizeof(Status), sizeof(void*));
}

TEST(Status, CarriesCodeMessageAndDetails) {
  Status s = NotFound("no agent \"a\"", {{"field", "agent"}});
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(CodeName(s.code()), "not_found");
  EXPECT_EQ(s.details()["field"], "agent");
  Status copy = s;
  EXPECT_EQ(copy.ToString(), "not_found: no agent \"a\"");
  EXPECT_EQ(s.WithContext("lookup").message(), "lookup: no agent \"a\"");
  EXPECT_EQ(s.WithDetail("line", 3).details()["line"], 3);
}

TEST(Result, PropagatesErrors) {
  EXPECT_EQ(*Quarter(8), 2);
  Result<int> r = Quarter(6);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(r.status().details()["field"], "x");
}

TEST(Result, RefusesOkStatus) {
  Result<int> r = Status::Ok();
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInternal);
}

}  // namespace
}  // namespace pactum
