#include "pactum/base/id.h"

#include <set>

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

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

// Random bits are drawn in blocks per thread; a forked child must not reuse the block its
// parent is still drawing from, or both would make the same ids.
TEST(Id, AForkedChildDoesNotRepeatItsParentsIds) {
  ManualClock clock(FromUnixMillis(1'795'291'262'345));
  NewUuidV7(clock);  // the parent's block is drawn
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const std::string id = NewUuidV7(clock);
    const ssize_t written = write(fds[1], id.data(), id.size());
    _exit(written == static_cast<ssize_t>(id.size()) ? 0 : 1);
  }
  close(fds[1]);
  const std::string mine = NewUuidV7(clock);
  std::string theirs(36, '\0');
  ASSERT_EQ(read(fds[0], theirs.data(), theirs.size()), 36);
  close(fds[0]);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(IsUuid(theirs)) << theirs;
  // The last 62 bits are random: equal tails would mean shared random bits.
  EXPECT_NE(mine.substr(19), theirs.substr(19));
}

}  // namespace
}  // namespace pactum
