#include "pactum/jury/rubric.h"

#include <charconv>

#include "pactum/base/file.h"

namespace pactum::jury {
namespace {

constexpr std::size_t kMaxRubricBytes = 256 * 1024;

std::string_view TrimLeft(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  return s;
}

}  // namespace

Result<Rubric> ParseRubric(std::string_view text, std::string_view source) {
  Rubric rubric{std::string(source), std::string(text), {}};
  std::size_t line_number = 0;
  std::size_t from = 0;
  bool low = false, high = false, middle = false;
  while (from < text.size()) {
    ++line_number;
    auto end = text.find('\n', from);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = TrimLeft(text.substr(from, end - from));
    from = end + 1;
    if (line.size() < 2 || (line[0] != '-' && line[0] != '*') || line[1] != ' ') continue;
    line = TrimLeft(line.substr(2));
    const auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) continue;
    const std::string_view number = line.substr(0, colon);
    double score = 0;
    const auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), score);
    // A list item that does not start with a number is prose, not a band.
    if (ec != std::errc() || ptr != number.data() + number.size()) continue;
    const std::string where = std::string(source) + ":" + std::to_string(line_number);
    if (score < 0 || score > 1)
      return InvalidArgument(where + ": band score " + std::string(number) + " is outside [0, 1]",
                             {{"line", line_number}});
    std::string description(TrimLeft(line.substr(colon + 1)));
    if (description.empty())
      return InvalidArgument(where + ": band " + std::string(number) + " has no description",
                             {{"line", line_number}});
    low = low || score == 0;
    high = high || score == 1;
    middle = middle || (score > 0 && score < 1);
    rubric.bands.push_back({score, std::move(description)});
  }
  if (!low || !high || !middle)
    return InvalidArgument(std::string(source) +
                           ": a rubric needs anchored bands (\"- <score>: ...\") at 0, at 1 and "
                           "at least one between");
  return rubric;
}

Result<Rubric> LoadRubric(const std::filesystem::path& file) {
  PACTUM_ASSIGN_OR_RETURN(std::string text, ReadFile(file, "rubric"));
  if (text.size() > kMaxRubricBytes)
    return InvalidArgument(file.string() + ": a rubric is at most 256 KiB");
  return ParseRubric(text, file.string());
}

}  // namespace pactum::jury
