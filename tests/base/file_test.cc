#include "pactum/base/file.h"

#include <filesystem>
#include <random>
#include <string>

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

namespace pactum {
namespace {

class FileLockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("pactum-lock-" + std::to_string(std::random_device{}()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

// One holder at a time; the refusal names the holder; releasing lets the next one in.
TEST_F(FileLockTest, OneHolderAtATime) {
  const auto path = dir_ / "pactum.lock";
  {
    auto held = FileLock::Acquire(path);
    ASSERT_TRUE(held.ok()) << held.status().ToString();
    auto again = FileLock::Acquire(path);
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.status().code(), Code::kFailedPrecondition);
    EXPECT_NE(again.status().message().find(path.string()), std::string::npos);
    EXPECT_NE(again.status().message().find("pid " + std::to_string(getpid())), std::string::npos)
        << again.status().message();
    FileLock moved = std::move(*held);  // the lock moves with it
    EXPECT_FALSE(FileLock::Acquire(path).ok());
  }
  EXPECT_TRUE(FileLock::Acquire(path).ok());
}

// A process killed while it holds the lock does not leave the folder locked.
TEST_F(FileLockTest, AHolderKilledLeavesItFree) {
  const auto path = dir_ / "pactum.lock";
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto held = FileLock::Acquire(path);
    const char byte = held.ok() ? 'y' : 'n';
    if (write(ready[1], &byte, 1) != 1) _exit(2);
    pause();
    _exit(0);
  }
  char byte = 0;
  ASSERT_EQ(read(ready[0], &byte, 1), 1);
  ASSERT_EQ(byte, 'y');
  auto refused = FileLock::Acquire(path);
  EXPECT_FALSE(refused.ok());
  if (!refused.ok()) {
    EXPECT_NE(refused.status().message().find("pid " + std::to_string(child)), std::string::npos)
        << refused.status().message();
  }
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  close(ready[0]);
  close(ready[1]);
  EXPECT_TRUE(FileLock::Acquire(path).ok());
}

TEST_F(FileLockTest, AFolderThatCannotHoldTheFileIsAnIoError) {
  auto lock = FileLock::Acquire(dir_ / "missing" / "pactum.lock");
  ASSERT_FALSE(lock.ok());
  EXPECT_EQ(lock.status().code(), Code::kIoError);
  EXPECT_NE(lock.status().message().find("missing/pactum.lock"), std::string::npos);
}

}  // namespace
}  // namespace pactum
