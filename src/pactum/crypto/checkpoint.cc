#include "pactum/crypto/checkpoint.h"

#include <algorithm>
#include <charconv>

#include "pactum/base/encoding.h"

namespace pactum::crypto {
namespace {

Status LineError(std::size_t line, const std::string& problem) {
  return InvalidArgument("checkpoint line " + std::to_string(line) + ": " + problem,
                         Json{{"line", line}});
}

Result<std::uint64_t> ParseSize(std::string_view text) {
  std::uint64_t size = 0;
  const bool digits_only = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return c >= '0' && c <= '9';
  });
  if (!digits_only) return LineError(2, "tree size must be a decimal number");
  if (text.size() > 1 && text[0] == '0') return LineError(2, "tree size has a leading zero");
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), size);
  if (error != std::errc() || end != text.data() + text.size()) {
    return LineError(2, "tree size does not fit in 64 bits");
  }
  return size;
}

}  // namespace

Result<std::string> Checkpoint::ToText() const {
  const auto one_line = [](const std::string& s) {
    return !s.empty() && s.find('\n') == std::string::npos;
  };
  if (!one_line(origin)) return InvalidArgument("checkpoint origin must be one non-empty line");
  std::string text =
      origin + "\n" + std::to_string(size) + "\n" + Base64Encode(AsBytes(root)) + "\n";
  for (const std::string& extension : extensions) {
    if (!one_line(extension)) {
      return InvalidArgument("checkpoint extension lines must be non-empty single lines");
    }
    text += extension + "\n";
  }
  return text;
}

Result<Checkpoint> Checkpoint::FromText(std::string_view text) {
  if (text.empty() || text.back() != '\n') {
    return InvalidArgument("checkpoint text must end with a newline");
  }
  std::vector<std::string_view> lines;
  for (std::string_view rest = text; !rest.empty();) {
    const std::size_t end = rest.find('\n');
    lines.push_back(rest.substr(0, end));
    rest.remove_prefix(end + 1);
  }
  if (lines.size() < 3) return InvalidArgument("checkpoint needs origin, size and root lines");
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].empty()) return LineError(i + 1, "must not be empty");
  }
  Checkpoint checkpoint;
  checkpoint.origin = std::string(lines[0]);
  PACTUM_ASSIGN_OR_RETURN(checkpoint.size, ParseSize(lines[1]));
  auto root = Base64Decode(lines[2]);
  if (!root.ok()) return LineError(3, "root hash is not base64: " + root.status().message());
  if (root->size() != checkpoint.root.size()) {
    return LineError(3, "root hash is " + std::to_string(root->size()) + " bytes, not 32");
  }
  std::copy(root->begin(), root->end(), checkpoint.root.begin());
  for (std::size_t i = 3; i < lines.size(); ++i)
    checkpoint.extensions.emplace_back(lines[i]);
  return checkpoint;
}

Result<std::string> SignCheckpoint(const Checkpoint& checkpoint,
                                   std::span<const NoteSigner> signers) {
  PACTUM_ASSIGN_OR_RETURN(std::string text, checkpoint.ToText());
  return SignNote(text, signers);
}

Result<Checkpoint> OpenCheckpoint(std::string_view message, std::string_view origin,
                                  std::span<const NoteVerifier> verifiers) {
  PACTUM_ASSIGN_OR_RETURN(Note note, OpenNote(message, verifiers));
  PACTUM_ASSIGN_OR_RETURN(Checkpoint checkpoint, Checkpoint::FromText(note.text));
  if (checkpoint.origin != origin) {
    return InvalidArgument(
        "checkpoint origin is '" + checkpoint.origin + "', expected '" + std::string(origin) + "'",
        Json{{"line", 1}});
  }
  return checkpoint;
}

}  // namespace pactum::crypto
