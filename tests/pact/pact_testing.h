// Helpers shared by the pact tests: the fixture folder, and scratch copies of it to edit.
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "pactum/pact/loader.h"

namespace pactum::pact::testing {

inline std::filesystem::path TestData() {
  return PACT_TESTDATA;
}

inline std::string ReadText(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << "missing fixture " << path;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline void WriteText(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

// A fresh copy of the fixture folder, removed when the test ends.
class ScratchCopy {
 public:
  ScratchCopy() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           ("pact_test_" + std::string(info->test_suite_name()) + "_" + info->name() + "_" +
            std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::copy(TestData(), dir_, std::filesystem::copy_options::recursive);
  }
  ~ScratchCopy() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  ScratchCopy(const ScratchCopy&) = delete;
  ScratchCopy& operator=(const ScratchCopy&) = delete;

  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
};

// The fixture pact, loaded; fails the test if it does not load.
inline Pact LoadFixture(const std::filesystem::path& file) {
  Result<Pact> pact = LoadPactFile(file);
  EXPECT_TRUE(pact.ok()) << pact.status().message();
  return pact.ok() ? std::move(pact).value() : Pact{};
}

}  // namespace pactum::pact::testing
