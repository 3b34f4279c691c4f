#include "pactum/cedar/value.h"

#include <algorithm>
#include <cstdio>
#include <functional>

namespace pactum::cedar {

std::string EscapeString(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\0':
        out += "\\0";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[16];
          std::snprintf(buf, sizeof buf, "\\u{%x}", static_cast<unsigned>(c));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string EntityUid::ToString() const {
  std::string out = type;
  out += "::\"";
  out += EscapeString(id);
  out += '"';
  return out;
}

std::size_t EntityUidHash::operator()(const EntityUid& uid) const {
  // One pass over the id; the type only by length, since stores rarely reuse an id across types
  // and equality settles any collision. Hashing is the hot path of `in` and scope checks.
  return std::hash<std::string>()(uid.id) ^ (uid.type.size() * 0x9e3779b97f4a7c15ULL);
}

Value Value::MakeSet(std::vector<Value> elements) {
  std::sort(elements.begin(), elements.end(),
            [](const Value& a, const Value& b) { return Compare(a, b) < 0; });
  elements.erase(std::unique(elements.begin(), elements.end()), elements.end());
  Value v;
  v.data_ = std::make_shared<const Set>(std::move(elements));
  return v;
}

Value Value::MakeRecord(Record fields) {
  Value v;
  v.data_ = std::make_shared<const Record>(std::move(fields));
  return v;
}

bool Value::SetContains(const Value& element) const {
  const Set& s = as_set();
  auto it = std::lower_bound(s.begin(), s.end(), element,
                             [](const Value& a, const Value& b) { return Compare(a, b) < 0; });
  return it != s.end() && Compare(*it, element) == 0;
}

namespace {

template <typename T>
int Cmp(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

}  // namespace

int Value::Compare(const Value& a, const Value& b) {
  if (a.data_.index() != b.data_.index()) return Cmp(a.data_.index(), b.data_.index());
  switch (a.kind()) {
    case Kind::kBool:
      return Cmp(a.as_bool(), b.as_bool());
    case Kind::kLong:
      return Cmp(a.as_long(), b.as_long());
    case Kind::kString:
      return a.as_string().compare(b.as_string()) < 0 ? -1
                                                      : (a.as_string() == b.as_string() ? 0 : 1);
    case Kind::kEntity: {
      auto c = a.as_entity() <=> b.as_entity();
      return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    case Kind::kSet: {
      const Set& x = a.as_set();
      const Set& y = b.as_set();
      if (&x == &y) return 0;
      for (std::size_t i = 0; i < x.size() && i < y.size(); ++i) {
        if (int c = Compare(x[i], y[i]); c != 0) return c;
      }
      return Cmp(x.size(), y.size());
    }
    case Kind::kRecord: {
      const Record& x = a.as_record();
      const Record& y = b.as_record();
      if (&x == &y) return 0;
      auto i = x.begin();
      auto j = y.begin();
      for (; i != x.end() && j != y.end(); ++i, ++j) {
        if (int c = i->first.compare(j->first); c != 0) return c < 0 ? -1 : 1;
        if (int c = Compare(i->second, j->second); c != 0) return c;
      }
      return Cmp(x.size(), y.size());
    }
    case Kind::kExtension: {
      const ExtensionValue& x = a.as_extension();
      const ExtensionValue& y = b.as_extension();
      if (x.TypeName() != y.TypeName()) return x.TypeName() < y.TypeName() ? -1 : 1;
      if (x.Equals(y)) return 0;
      // Unequal values of one type have distinct canonical strings; ties cannot happen.
      return x.ToString() < y.ToString() ? -1 : 1;
    }
  }
  return 0;
}

std::string_view KindName(Value::Kind kind) {
  switch (kind) {
    case Value::Kind::kBool:
      return "bool";
    case Value::Kind::kLong:
      return "long";
    case Value::Kind::kString:
      return "string";
    case Value::Kind::kEntity:
      return "entity";
    case Value::Kind::kSet:
      return "set";
    case Value::Kind::kRecord:
      return "record";
    case Value::Kind::kExtension:
      return "extension";
  }
  return "unknown";
}

std::string Value::ToString() const {
  switch (kind()) {
    case Kind::kBool:
      return as_bool() ? "true" : "false";
    case Kind::kLong:
      return std::to_string(as_long());
    case Kind::kString: {
      std::string out = "\"";
      out += EscapeString(as_string());
      out += '"';
      return out;
    }
    case Kind::kEntity:
      return as_entity().ToString();
    case Kind::kSet: {
      std::string out = "[";
      for (const Value& v : as_set()) {
        if (out.size() > 1) out += ", ";
        out += v.ToString();
      }
      return out + "]";
    }
    case Kind::kRecord: {
      std::string out = "{";
      for (const auto& [k, v] : as_record()) {
        if (out.size() > 1) out += ", ";
        out += '"';
        out += EscapeString(k);
        out += "\": ";
        out += v.ToString();
      }
      return out + "}";
    }
    case Kind::kExtension: {
      const ExtensionValue& x = as_extension();
      std::string out(x.ConstructorName());
      out += "(\"";
      out += EscapeString(x.ToString());
      out += "\")";
      return out;
    }
  }
  return "";
}

}  // namespace pactum::cedar
