#include "pactum/pact/diff.h"

#include <algorithm>
#include <map>

#include "pactum/base/canonical_json.h"

namespace pactum::pact {
namespace {

// Values as the canonical form writes them (30000, not 30000.0). Validated pacts are UTF-8
// throughout; a hand-built one need not be, and is shown with replacement characters.
std::string Show(const Json& j) {
  Result<std::string> canonical = CanonicalJson(j);
  return canonical.ok() ? *canonical : j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

// Line counts and how many lines appear only on one side (as multisets: a moved line is no
// change), which is what a reviewer needs to see that a policy file changed and by how much.
PactChange TextChange(const std::string& path, const std::string& a, const std::string& b) {
  std::vector<std::string> old_lines = Lines(a), new_lines = Lines(b);
  std::vector<std::string> old_sorted = old_lines, new_sorted = new_lines;
  std::sort(old_sorted.begin(), old_sorted.end());
  std::sort(new_sorted.begin(), new_sorted.end());
  std::vector<std::string> common;
  std::set_intersection(old_sorted.begin(), old_sorted.end(), new_sorted.begin(), new_sorted.end(),
                        std::back_inserter(common));
  std::size_t added = new_lines.size() - common.size();
  std::size_t removed = old_lines.size() - common.size();
  PactChange c{path, ChangeKind::kChanged, old_lines.size(), new_lines.size(), ""};
  c.summary = std::to_string(old_lines.size()) + " -> " + std::to_string(new_lines.size()) +
              " lines (+" + std::to_string(added) + " -" + std::to_string(removed) + ")";
  return c;
}

class Differ {
 public:
  void Compare(const std::string& path, const Json& a, const Json& b) {
    if (a == b) return;
    if (path == "conditions" && a.is_array() && b.is_array()) {
      Conditions(a, b);
    } else if (path.ends_with(".text") && a.is_string() && b.is_string()) {
      out_.push_back(TextChange(path, a.get<std::string>(), b.get<std::string>()));
    } else if (a.is_object() && b.is_object()) {
      for (const auto& [key, value] : a.items()) {
        std::string child = Join(path, key);
        if (!b.contains(key)) {
          Removed(child, value);
        } else {
          Compare(child, value, b[key]);
        }
      }
      for (const auto& [key, value] : b.items()) {
        if (!a.contains(key)) Added(Join(path, key), value);
      }
    } else if (a.is_null()) {
      Added(path, b);
    } else if (b.is_null()) {
      Removed(path, a);
    } else {
      out_.push_back({path, ChangeKind::kChanged, a, b, ""});
    }
  }

  std::vector<PactChange> Take() { return std::move(out_); }

 private:
  static std::string Join(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
  }

  // A boundary file that appears or goes is listed field by field, so its text is summarised
  // too, never printed whole.
  void Added(const std::string& path, const Json& value) {
    if (value.is_object() && path.starts_with("boundaries")) {
      for (const auto& [key, v] : value.items()) {
        if (!v.is_null()) Added(Join(path, key), v);
      }
    } else if (path.ends_with(".text") && value.is_string()) {
      PactChange c = TextChange(path, "", value.get<std::string>());
      c.kind = ChangeKind::kAdded;
      c.old_value = nullptr;
      out_.push_back(std::move(c));
    } else {
      out_.push_back({path, ChangeKind::kAdded, nullptr, value, ""});
    }
  }

  void Removed(const std::string& path, const Json& value) {
    if (value.is_object() && path.starts_with("boundaries")) {
      for (const auto& [key, v] : value.items()) {
        if (!v.is_null()) Removed(Join(path, key), v);
      }
    } else if (path.ends_with(".text") && value.is_string()) {
      PactChange c = TextChange(path, value.get<std::string>(), "");
      c.kind = ChangeKind::kRemoved;
      c.new_value = nullptr;
      out_.push_back(std::move(c));
    } else {
      out_.push_back({path, ChangeKind::kRemoved, value, nullptr, ""});
    }
  }

  void Conditions(const Json& a, const Json& b) {
    auto by_id = [](const Json& list) {
      std::map<std::string, const Json*> m;
      for (const Json& c : list)
        m.emplace(c.value("id", ""), &c);
      return m;
    };
    auto old_ids = by_id(a), new_ids = by_id(b);
    for (const Json& c : a) {
      std::string path = "conditions[" + c.value("id", "") + "]";
      auto it = new_ids.find(c.value("id", ""));
      if (it == new_ids.end()) {
        Removed(path, c);
      } else {
        Compare(path, c, *it->second);
      }
    }
    for (const Json& c : b) {
      if (!old_ids.contains(c.value("id", ""))) {
        Added("conditions[" + c.value("id", "") + "]", c);
      }
    }
  }

  std::vector<PactChange> out_;
};

}  // namespace

std::string_view NameOf(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::kAdded:
      return "added";
    case ChangeKind::kRemoved:
      return "removed";
    case ChangeKind::kChanged:
      return "changed";
  }
  return "changed";
}

std::vector<PactChange> Diff(const Pact& a, const Pact& b) {
  Differ differ;
  differ.Compare("", ToJson(a), ToJson(b));
  return differ.Take();
}

std::string RenderDiff(const std::vector<PactChange>& changes) {
  std::string out;
  for (const PactChange& c : changes) {
    std::string old_text = c.summary.empty() ? Show(c.old_value) : "";
    std::string new_text = c.summary.empty() ? Show(c.new_value) : "";
    switch (c.kind) {
      case ChangeKind::kAdded:
        out += "+ " + c.path + ": " + (c.summary.empty() ? new_text : c.summary);
        break;
      case ChangeKind::kRemoved:
        out += "- " + c.path + ": " + (c.summary.empty() ? old_text : c.summary);
        break;
      case ChangeKind::kChanged:
        out +=
            "~ " + c.path + ": " + (c.summary.empty() ? old_text + " -> " + new_text : c.summary);
        break;
    }
    out += "\n";
  }
  return out;
}

Json DiffToJson(const std::vector<PactChange>& changes) {
  Json out = Json::array();
  for (const PactChange& c : changes) {
    Json j = {
        {"path", c.path}, {"kind", NameOf(c.kind)}, {"old", c.old_value}, {"new", c.new_value}};
    if (!c.summary.empty()) j["summary"] = c.summary;
    out.push_back(std::move(j));
  }
  return out;
}

}  // namespace pactum::pact
