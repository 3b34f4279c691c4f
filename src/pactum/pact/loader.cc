#include "pactum/pact/loader.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <map>
#include <system_error>
#include <tuple>

#include <yaml-cpp/yaml.h>

#include "pactum/pact/validate.h"

namespace pactum::pact {
namespace {

// Bounds on the YAML tree: nesting, and nodes visited (aliases make a small file name the same
// subtree many times over, so the count is of nodes converted, not written).
constexpr int kMaxDepth = 32;
constexpr std::size_t kMaxNodes = 100'000;

struct Position {
  int line = 1;
  int column = 1;
};

Position PositionOf(const YAML::Mark& mark) {
  if (mark.is_null()) return {};
  return {mark.line + 1, mark.column + 1};
}

bool IsPlainNull(const std::string& s) {
  return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL";
}

// A plain scalar as YAML 1.2's core schema types it: null, bool, integer, float, else string.
Json PlainScalar(const std::string& s) {
  if (IsPlainNull(s)) return nullptr;
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  std::string_view digits = s;
  if (digits.starts_with('+')) digits.remove_prefix(1);
  bool numeric = !digits.empty() && digits.find_first_not_of("0123456789.eE+-") == digits.npos &&
                 digits.find_first_of("0123456789") != digits.npos;
  if (!numeric) return s;
  const char* end = digits.data() + digits.size();
  std::int64_t i = 0;
  if (auto r = std::from_chars(digits.data(), end, i); r.ec == std::errc() && r.ptr == end) {
    return i;
  }
  double d = 0;
  if (auto r = std::from_chars(digits.data(), end, d); r.ec == std::errc() && r.ptr == end) {
    return d;
  }
  return s;
}

class YamlToJson {
 public:
  YamlToJson(std::string source, std::vector<Diagnostic>* diagnostics)
      : source_(std::move(source)), diagnostics_(diagnostics) {}

  Json Convert(const YAML::Node& node, const std::string& path, int depth) {
    marks_.emplace(path, PositionOf(node.Mark()));
    if (++nodes_ > kMaxNodes) {
      if (nodes_ == kMaxNodes + 1) Report(node.Mark(), "too many YAML nodes (aliases?)");
      return nullptr;
    }
    if (depth > kMaxDepth) {
      if (!too_deep_)
        Report(node.Mark(), "nested deeper than " + std::to_string(kMaxDepth) + " levels");
      too_deep_ = true;
      return nullptr;
    }
    switch (node.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null:
        return nullptr;
      case YAML::NodeType::Scalar:
        // A quoted or explicitly tagged scalar is a string, whatever it looks like.
        return node.Tag() == "?" ? PlainScalar(node.Scalar()) : Json(node.Scalar());
      case YAML::NodeType::Sequence: {
        Json out = Json::array();
        for (std::size_t i = 0; i < node.size(); ++i) {
          out.push_back(Convert(node[i], path + "[" + std::to_string(i) + "]", depth + 1));
        }
        return out;
      }
      case YAML::NodeType::Map: {
        Json out = Json::object();
        // yaml-cpp's iterators hand out temporaries: hold each entry for the whole body.
        for (const auto& entry : node) {
          const YAML::Node& key = entry.first;
          if (!key.IsScalar()) {
            Report(key.Mark(), "a key must be a plain name");
            continue;
          }
          const std::string& name = key.Scalar();
          std::string child = path.empty() ? name : path + "." + name;
          if (out.contains(name)) {
            Report(key.Mark(), "duplicate key \"" + name + "\"");
            continue;
          }
          key_marks_.emplace(child, PositionOf(key.Mark()));
          out[name] = Convert(entry.second, child, depth + 1);
        }
        return out;
      }
    }
    return nullptr;
  }

  Position Locate(const internal::Issue& issue) const {
    if (issue.at_key) {
      if (auto it = key_marks_.find(issue.path); it != key_marks_.end()) return it->second;
    }
    // A missing field is reported where its parent is.
    std::string path = issue.path;
    while (true) {
      if (auto it = marks_.find(path); it != marks_.end()) return it->second;
      if (path.empty()) return {};
      std::size_t cut = path.find_last_of(".[");
      path.resize(cut == std::string::npos ? 0 : cut);
    }
  }

  void Report(const YAML::Mark& mark, std::string message) {
    Position p = PositionOf(mark);
    diagnostics_->push_back({source_, p.line, p.column, std::move(message)});
  }

 private:
  std::string source_;
  std::vector<Diagnostic>* diagnostics_;
  std::map<std::string, Position> marks_;
  std::map<std::string, Position> key_marks_;
  std::size_t nodes_ = 0;
  bool too_deep_ = false;
};

// Reads at most the bound (and one byte more, to tell): the size the file system reports is not
// trusted, as special files report 0.
Result<std::string> ReadBounded(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return NotFound("no such file " + path.string());
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return IoError("cannot read " + path.string());
  std::string text(internal::kMaxFileBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad()) return IoError("cannot read " + path.string());
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > internal::kMaxFileBytes) {
    return ResourceExhausted(path.string() + " is larger than 1 MiB");
  }
  return text;
}

std::string DisplayPath(const std::filesystem::path& base_dir, const std::string& file) {
  return (base_dir / file).lexically_normal().string();
}

}  // namespace

std::string ToString(const Diagnostic& d) {
  if (d.line <= 0) return d.file + ": " + d.message;
  return d.file + ":" + std::to_string(d.line) + ":" + std::to_string(d.column) + ": " + d.message;
}

namespace {

PactCheck Check(std::string_view yaml, std::string_view source_name,
                const std::filesystem::path& base_dir) {
  PactCheck out;
  std::string source(source_name);
  if (yaml.size() > internal::kMaxFileBytes) {
    out.diagnostics.push_back({source, 0, 0, "a pact file may be at most 1 MiB"});
    return out;
  }
  YamlToJson converter(source, &out.diagnostics);
  Json doc;
  try {
    YAML::Node root = YAML::Load(std::string(yaml));
    doc = converter.Convert(root, "", 0);
  } catch (const YAML::Exception& e) {
    Position p = PositionOf(e.mark);
    out.diagnostics.push_back({source, p.line, p.column, "YAML syntax: " + e.msg});
    return out;
  } catch (const std::exception& e) {
    out.diagnostics.push_back({source, 0, 0, std::string("YAML: ") + e.what()});
    return out;
  }
  if (!out.diagnostics.empty()) return out;  // the tree is incomplete: do not guess further

  internal::FileAccess files{[&](const std::string& file) -> Result<std::string> {
                               auto text = ReadBounded(base_dir / file);
                               if (!text.ok()) {
                                 return Status(text.status().code(),
                                               "cannot read boundary file \"" + file + "\" (" +
                                                   text.status().message() + ")");
                               }
                               return text;
                             },
                             [&](const std::string& file) {
                               std::error_code ec;
                               return std::filesystem::is_regular_file(base_dir / file, ec);
                             }};
  std::vector<internal::Issue> issues;
  Pact pact = internal::Validate(doc, &files, &issues);
  for (const internal::Issue& issue : issues) {
    if (!issue.boundary_file.empty()) {
      out.diagnostics.push_back({DisplayPath(base_dir, issue.boundary_file), issue.line,
                                 issue.column, internal::Describe(issue)});
    } else {
      Position p = converter.Locate(issue);
      out.diagnostics.push_back({source, p.line, p.column, internal::Describe(issue)});
    }
  }
  if (out.diagnostics.empty()) out.pact = std::move(pact);
  return out;
}

}  // namespace

PactCheck CheckPactYaml(std::string_view yaml, std::string_view source_name,
                        const std::filesystem::path& base_dir) {
  PactCheck out = Check(yaml, source_name, base_dir);
  // In file order: the pact file first, then each boundary file.
  std::stable_sort(out.diagnostics.begin(), out.diagnostics.end(),
                   [&](const Diagnostic& a, const Diagnostic& b) {
                     return std::make_tuple(a.file != source_name, a.file, a.line, a.column) <
                            std::make_tuple(b.file != source_name, b.file, b.line, b.column);
                   });
  for (Diagnostic& d : out.diagnostics) {
    d.file = internal::ValidUtf8(d.file);
    d.message = internal::ValidUtf8(d.message);
  }
  return out;
}

PactCheck CheckPactFile(const std::filesystem::path& file) {
  auto text = ReadBounded(file);
  if (!text.ok()) {
    return {
        std::nullopt,
        {{internal::ValidUtf8(file.string()), 0, 0, internal::ValidUtf8(text.status().message())}}};
  }
  return CheckPactYaml(*text, file.string(), file.parent_path());
}

namespace {

Result<Pact> ToResult(PactCheck check) {
  if (check.pact) return std::move(*check.pact);
  std::string message;
  Json details = Json::array();
  for (const Diagnostic& d : check.diagnostics) {
    if (!message.empty()) message += "\n";
    message += ToString(d);
    details.push_back(
        {{"file", d.file}, {"line", d.line}, {"column", d.column}, {"message", d.message}});
  }
  return InvalidArgument(std::move(message), {{"diagnostics", std::move(details)}});
}

}  // namespace

Result<Pact> ParsePactYaml(std::string_view yaml, std::string_view source_name,
                           const std::filesystem::path& base_dir) {
  return ToResult(CheckPactYaml(yaml, source_name, base_dir));
}

Result<Pact> LoadPactFile(const std::filesystem::path& file) {
  return ToResult(CheckPactFile(file));
}

}  // namespace pactum::pact
