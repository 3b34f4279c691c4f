#include "pactum/base/id.h"

#include <set>

#include <gtest/gtest.h>

namespace pactum {
namespace {

TEST(Id, UuidV7IsWellFormedAndSortable) {
  ManualClock clock(FromUnixMillis(1'795'291'262'345));
  std::string prev;
  std::set<std::string> seen;
  for (int i = 0; i < 10'000; ++i) {
    std::string id = NewUuidV7(clock);
    ASSERT_TRUE(IsUuid(id)) << id;
    EXPECT_EQ(id[14], '7');                                          // version
    EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos);  // variant 10xx
    EXPECT_LT(prev, id);  // strictly increasing, same millisecond
    prev = id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 10'000u);
  clock.Advance(std::chrono::hours(1));
  EXPECT_LT(prev, NewUuidV7(clock));
}

}  // namespace
}  // namespace pactum
