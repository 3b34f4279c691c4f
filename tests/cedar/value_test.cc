#include "pactum/cedar/value.h"

#include <gtest/gtest.h>

namespace pactum::cedar {
namespace {

TEST(CedarValue, SetsIgnoreOrderAndDuplicates) {
  Value a = Value::MakeSet({Value(std::int64_t{2}), Value("x"), Value(std::int64_t{2})});
  Value b = Value::MakeSet({Value("x"), Value(std::int64_t{2})});
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.as_set().size(), 2u);
  EXPECT_TRUE(a.SetContains(Value("x")));
  EXPECT_FALSE(a.SetContains(Value(std::int64_t{3})));
}

TEST(CedarValue, EqualityIsStructuralAndTypeSensitive) {
  EXPECT_FALSE(Value(std::int64_t{1}) == Value(true));
  EXPECT_FALSE(Value("1") == Value(std::int64_t{1}));
  Value r1 = Value::MakeRecord({{"a", Value(std::int64_t{1})}, {"b", Value::MakeSet({})}});
  Value r2 = Value::MakeRecord({{"b", Value::MakeSet({})}, {"a", Value(std::int64_t{1})}});
  EXPECT_EQ(r1, r2);
  Value r3 = Value::MakeRecord({{"a", Value(std::int64_t{1})}});
  EXPECT_FALSE(r1 == r3);
  EXPECT_EQ(Value(EntityUid{"NS::User", "alice"}), Value(EntityUid{"NS::User", "alice"}));
  EXPECT_FALSE(Value(EntityUid{"NS::User", "alice"}) == Value(EntityUid{"User", "alice"}));
}

TEST(CedarValue, NestedSetsCompareByContent) {
  Value inner1 = Value::MakeSet({Value(std::int64_t{1}), Value(std::int64_t{2})});
  Value inner2 = Value::MakeSet({Value(std::int64_t{2}), Value(std::int64_t{1})});
  Value outer = Value::MakeSet({inner1, inner2});
  EXPECT_EQ(outer.as_set().size(), 1u);
}

TEST(CedarValue, PrintsCedarSyntax) {
  EXPECT_EQ(Value(EntityUid{"A::B", "q\"x"}).ToString(), "A::B::\"q\\\"x\"");
  EXPECT_EQ(Value::MakeRecord({{"k", Value(true)}}).ToString(), "{\"k\": true}");
  EXPECT_EQ(Value::MakeSet({Value(std::int64_t{-3})}).ToString(), "[-3]");
}

}  // namespace
}  // namespace pactum::cedar
