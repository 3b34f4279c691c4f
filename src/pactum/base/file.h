// Whole-file reads for configuration and artifacts (pacts, rubrics, suites, keys, bundles).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "pactum/base/status.h"

namespace pactum {

// The file's bytes. Failure is an IoError naming the path and, when given, what the file was
// for: "<path>: cannot read the rubric: No such file or directory".
Result<std::string> ReadFile(const std::filesystem::path& path, std::string_view what = {});

}  // namespace pactum
