#include "pactum/cedar/entity_json.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "pactum/base/encoding.h"
#include "pactum/base/json.h"
#include "pactum/cedar/extension.h"
#include "pactum/cedar/parser.h"
#include "pactum/cedar/schema/conformance.h"
#include "pactum/cedar/schema/extension_values.h"
#include "pactum/cedar/schema/raw_schema.h"

namespace pactum::cedar {
namespace {

using schema::Type;
using schema::TypeKind;

// Entities::FromJson's bound on nesting when there is no schema.
constexpr int kMaxPlainDepth = 256;

// ---------------------------------------------------------------------------------------------
// A pull parser over JSON text (RFC 8259, as nlohmann reads it: UTF-8 checked, a leading BOM
// skipped). Containers are walked by the caller; Skip validates and passes over any value.

struct Number {
  enum class Kind { kLong, kTooBig, kFloat } kind = Kind::kLong;
  std::int64_t value = 0;
};

// The length of the UTF-8 sequence at `s[i]` (a byte >= 0x80), or 0 if it is malformed.
std::size_t Utf8Length(std::string_view s, std::size_t i) {
  auto byte = [&](std::size_t k) -> unsigned {
    return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0u;
  };
  auto cont = [&](std::size_t k) { return (byte(k) & 0xC0u) == 0x80u; };
  const unsigned b0 = byte(0);
  if (b0 >= 0xC2 && b0 <= 0xDF) return cont(1) ? 2 : 0;
  if (b0 >= 0xE0 && b0 <= 0xEF) {
    const unsigned lo = b0 == 0xE0 ? 0xA0 : 0x80, hi = b0 == 0xED ? 0x9F : 0xBF;
    return byte(1) >= lo && byte(1) <= hi && cont(2) ? 3 : 0;
  }
  if (b0 >= 0xF0 && b0 <= 0xF4) {
    const unsigned lo = b0 == 0xF0 ? 0x90 : 0x80, hi = b0 == 0xF4 ? 0x8F : 0xBF;
    return byte(1) >= lo && byte(1) <= hi && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
  }

  std::size_t pos() const { return pos_; }
  // Where the next significant character is.
  std::size_t Here() {
    Peek();
    return pos_;
  }
  void Seek(std::size_t pos) { pos_ = pos; }
  std::string_view text() const { return text_; }

  // The next significant character, or '\0' at the end.
  char Peek() {
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') return c;
      ++pos_;
    }
    return '\0';
  }
  bool Consume(char c) {
    if (Peek() != c) return false;
    ++pos_;
    return true;
  }
  Status Expect(char c) {
    if (Consume(c)) return Status::Ok();
    return Missing(c);
  }
  // After a member or element: true if another follows, false at `close`.
  Result<bool> Next(char close) {
    if (Consume(',')) return true;
    if (Consume(close)) return false;
    return Missing(',', close);
  }
  bool AtEnd() { return Peek() == '\0' && pos_ >= text_.size(); }

  Status Error(std::string_view what) const { return ErrorAt(pos_, what); }
  // Errors are out of line and cold: the reading functions stay small enough to inline.
  [[gnu::cold, gnu::noinline]] Status Missing(char c, char or_c = '\0') const {
    std::string what = std::string("expected '") + c + "'";
    if (or_c != '\0') what += std::string(" or '") + or_c + "'";
    return Error(what);
  }
  [[gnu::cold, gnu::noinline]] Status ErrorAt(std::size_t offset, std::string_view what) const {
    TextPosition p = PositionOf(text_, offset);
    return InvalidArgument("malformed JSON at line " + std::to_string(p.line) + ", column " +
                               std::to_string(p.column) + ": " + std::string(what),
                           Json{{"line", p.line}, {"column", p.column}, {"offset", offset}});
  }

  // A string; `*out` points into the text, or into a buffer valid until the next call.
  Status String(std::string_view* out) {
    if (Peek() != '"') return Error("expected a string");
    const std::size_t start = ++pos_;
    std::size_t i = start;
    while (true) {  // the common case: no escapes, nothing to copy
      i = PlainRun(i);
      if (i >= text_.size()) return ErrorAt(start - 1, "unterminated string");
      const auto c = static_cast<unsigned char>(text_[i]);
      if (c == '"') {
        *out = std::string_view(text_.data() + start, i - start);  // no bounds check: i < size
        pos_ = i + 1;
        return Status::Ok();
      }
      if (c == '\\') break;
      if (c < 0x20) return ErrorAt(i, "control character in a string");
      const std::size_t n = Utf8Length(text_, i);
      if (n == 0) return ErrorAt(i, "invalid UTF-8 in a string");
      i += n;
    }
    buffer_.assign(text_.substr(start, i - start));
    while (true) {
      if (i >= text_.size()) return ErrorAt(start - 1, "unterminated string");
      const auto c = static_cast<unsigned char>(text_[i]);
      if (c == '"') break;
      if (c < 0x20) return ErrorAt(i, "control character in a string");
      if (c >= 0x80) {
        const std::size_t n = Utf8Length(text_, i);
        if (n == 0) return ErrorAt(i, "invalid UTF-8 in a string");
        buffer_.append(text_.substr(i, n));
        i += n;
        continue;
      }
      if (c != '\\') {
        const std::size_t end = PlainRun(i);
        buffer_.append(text_.substr(i, end - i));
        i = end;
        continue;
      }
      if (i + 1 >= text_.size()) return ErrorAt(start - 1, "unterminated string");
      const char e = text_[i + 1];
      i += 2;
      switch (e) {
        case '"':
        case '\\':
        case '/':
          buffer_ += e;
          break;
        case 'b':
          buffer_ += '\b';
          break;
        case 'f':
          buffer_ += '\f';
          break;
        case 'n':
          buffer_ += '\n';
          break;
        case 'r':
          buffer_ += '\r';
          break;
        case 't':
          buffer_ += '\t';
          break;
        case 'u': {
          std::optional<std::uint32_t> cp = Hex4(i);
          if (!cp) return ErrorAt(i - 2, "\\u must be followed by 4 hex digits");
          i += 4;
          if (*cp >= 0xDC00 && *cp <= 0xDFFF) {
            return ErrorAt(i - 6, "lone low surrogate in \\u escape");
          }
          if (*cp >= 0xD800 && *cp <= 0xDBFF) {
            std::optional<std::uint32_t> low;
            if (i + 1 < text_.size() && text_[i] == '\\' && text_[i + 1] == 'u') low = Hex4(i + 2);
            if (!low || *low < 0xDC00 || *low > 0xDFFF) {
              return ErrorAt(i - 6, "high surrogate not followed by a low surrogate");
            }
            i += 6;
            *cp = 0x10000 + ((*cp - 0xD800) << 10) + (*low - 0xDC00);
          }
          AppendUtf8(buffer_, *cp);
          break;
        }
        default:
          return ErrorAt(i - 2, "invalid escape in a string");
      }
    }
    *out = buffer_;
    pos_ = i + 1;
    return Status::Ok();
  }

  std::size_t PlainRun(std::size_t i) const { return JsonPlainRunEnd(text_, i); }

  // A number as nlohmann classifies it: integers that fit 64 bits, else non-integers.
  Status ReadNumber(Number* out) {
    std::size_t i = Here();
    const bool negative = i < text_.size() && text_[i] == '-';
    if (negative) ++i;
    auto digit = [&](std::size_t k) {
      return k < text_.size() && text_[k] >= '0' && text_[k] <= '9';
    };
    if (!digit(i)) return ErrorAt(i, "expected a digit");
    bool overflow = false;
    std::uint64_t magnitude = 0;
    if (text_[i] == '0') {
      ++i;
    } else {
      for (; digit(i); ++i) {
        const auto d = static_cast<std::uint64_t>(text_[i] - '0');
        if (magnitude > (std::numeric_limits<std::uint64_t>::max() - d) / 10) overflow = true;
        magnitude = magnitude * 10 + d;
      }
    }
    bool fractional = false;
    if (i < text_.size() && text_[i] == '.') {
      ++i;
      if (!digit(i)) return ErrorAt(i, "expected a digit after '.'");
      while (digit(i))
        ++i;
      fractional = true;
    }
    if (i < text_.size() && (text_[i] == 'e' || text_[i] == 'E')) {
      ++i;
      if (i < text_.size() && (text_[i] == '+' || text_[i] == '-')) ++i;
      if (!digit(i)) return ErrorAt(i, "expected a digit in the exponent");
      while (digit(i))
        ++i;
      fractional = true;
    }
    pos_ = i;
    constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    if (fractional || overflow || (negative && magnitude > kMax + 1)) {
      out->kind = Number::Kind::kFloat;
    } else if (negative) {
      out->kind = Number::Kind::kLong;
      out->value = magnitude == kMax + 1 ? std::numeric_limits<std::int64_t>::min()
                                         : -static_cast<std::int64_t>(magnitude);
    } else if (magnitude > kMax) {
      out->kind = Number::Kind::kTooBig;
    } else {
      out->kind = Number::Kind::kLong;
      out->value = static_cast<std::int64_t>(magnitude);
    }
    return Status::Ok();
  }

  // `true`, `false` or `null`.
  Status Word(std::string_view word) {
    Peek();
    if (text_.substr(pos_, word.size()) != word) return Error("invalid literal");
    pos_ += word.size();
    return Status::Ok();
  }

  // Validates and passes over one value of any depth (iteratively: no recursion to exhaust).
  Status Skip() {
    std::string open;  // the closers of the containers we are in
    while (true) {
      bool value_done = true;
      switch (Peek()) {
        case '{':
          ++pos_;
          if (!Consume('}')) {
            open += '}';
            PACTUM_TRY(Key());
            value_done = false;
          }
          break;
        case '[':
          ++pos_;
          if (!Consume(']')) {
            open += ']';
            value_done = false;
          }
          break;
        case '"': {
          std::string_view s;
          PACTUM_TRY(String(&s));
          break;
        }
        case 't':
          PACTUM_TRY(Word("true"));
          break;
        case 'f':
          PACTUM_TRY(Word("false"));
          break;
        case 'n':
          PACTUM_TRY(Word("null"));
          break;
        default: {
          const char c = Peek();
          if (c != '-' && (c < '0' || c > '9')) return Error("expected a value");
          Number n;
          PACTUM_TRY(ReadNumber(&n));
        }
      }
      if (!value_done) continue;
      while (true) {
        if (open.empty()) return Status::Ok();
        PACTUM_ASSIGN_OR_RETURN(bool more, Next(open.back()));
        if (more) {
          if (open.back() == '}') PACTUM_TRY(Key());
          break;
        }
        open.pop_back();
      }
    }
  }

  // An object member's key and its colon.
  Status Key() {
    std::string_view key;
    PACTUM_TRY(String(&key));
    return Expect(':');
  }

 private:
  std::optional<std::uint32_t> Hex4(std::size_t at) const {
    if (at + 4 > text_.size()) return std::nullopt;
    std::uint32_t v = 0;
    for (std::size_t k = 0; k < 4; ++k) {
      const int d = HexDigitValue(text_[at + k]);
      if (d < 0) return std::nullopt;
      v = v * 16 + static_cast<std::uint32_t>(d);
    }
    return v;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::string buffer_;
};

// ---------------------------------------------------------------------------------------------
// Where a value sits, rendered only when an error needs it: in NormalizeEntities' words with a
// schema ("entity User::\"a\" attribute `x`[2]"), as a path without ("entities/0/attrs/x/2").

// As conformance.cc writes a uid in messages.
std::string UidText(const EntityUid& uid) {
  std::string out = uid.type + "::\"";
  for (char c : uid.id) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

struct Where {
  enum class Kind { kEntity, kPlainEntity, kContext, kPlainContext, kAttribute, kElement, kTag };
  Kind kind;
  const Where* parent = nullptr;
  std::string_view name = {};      // kAttribute, kTag; kPlainEntity: "attrs" or "tags"
  std::size_t index = 0;           // kElement, kPlainEntity
  const EntityUid* uid = nullptr;  // kEntity; kContext: the action

  std::string Render(bool schema_style) const {
    switch (kind) {
      case Kind::kEntity:
        return "entity " + UidText(*uid);
      case Kind::kPlainEntity:
        return "entities/" + std::to_string(index) + "/" + std::string(name);
      case Kind::kContext:  // NormalizeContext leaves the id unescaped
        return "context of " + uid->type + "::\"" + uid->id + "\"";
      case Kind::kPlainContext:
        return "context";
      case Kind::kAttribute:
        return parent->Render(schema_style) +
               (schema_style ? " attribute `" + std::string(name) + "`" : "/" + std::string(name));
      case Kind::kElement:
        return parent->Render(schema_style) +
               (schema_style ? "[" + std::to_string(index) + "]" : "/" + std::to_string(index));
      case Kind::kTag:
        return parent->Render(schema_style) + " tag `" + std::string(name) + "`";
    }
    return "";
  }
};

// `s` in the context `where`, unless it is malformed JSON, whose position says it all.
Status Within(const Status& s, const std::string& where) {
  if (s.details().is_object() && s.details().contains("offset")) return s;
  return s.WithContext(where);
}

// `s == literal`, inline: member names are compared for every member of every entity, and the
// library's out-of-line compare costs more than the comparison itself.
template <std::size_t N>
bool Is(std::string_view s, const char (&literal)[N]) {
  return s.size() == N - 1 && std::memcmp(s.data(), literal, N - 1) == 0;
}

bool IsSpecialKey(std::string_view key) {
  return Is(key, "__entity") || Is(key, "__extn") || Is(key, "__expr");
}

// The members of a uid object that matter: {"type", "id"} (and how many members there are).
struct UidFields {
  bool object = false;
  std::size_t size = 0;                 // distinct keys
  std::optional<std::string> type, id;  // set when present as strings
};

// ---------------------------------------------------------------------------------------------

}  // namespace

// What a reader prepares from its schema once.
struct EntityReader::Index {
  explicit Index(const schema::Schema& s) : schema(s) {
    for (const auto& [name, type] : s.entity_types) {
      types.emplace(name, &type);
      has_enums = has_enums || type.enum_choices.has_value();
    }
    Entities::Builder builder;
    for (const auto& [uid, action] : s.actions) {
      Entity e;
      e.uid = EntityUid{uid.type, uid.id};
      for (const auto& parent : action.member_of)
        e.parents.push_back(EntityUid{parent.type, parent.id});
      action_types.insert(uid.type);
      ActionInfo& info = actions[e.uid];
      info.action = &action;
      info.direct = e.parents;
      std::sort(info.direct.begin(), info.direct.end());
      for (const auto& ancestor : schema::ActionAncestors(s, uid))
        info.ancestors.push_back(EntityUid{ancestor.type, ancestor.id});
      builder.Add(std::move(e)).IgnoreError();  // uids are unique in the schema
    }
    action_entities = std::make_shared<const Entities>(std::move(builder).Finish());
  }

  const schema::Schema& schema;
  // Schema::FindEntityType without building a std::string per lookup.
  std::unordered_map<std::string_view, const schema::EntityType*> types;
  bool has_enums = false;  // else no id needs checking against an enumeration
  std::unordered_set<std::string_view> action_types;
  // An action entity in the text must have the declared parents, either the direct groups or
  // all ancestors (schema::CheckActionEntity); both sorted, to compare without building sets.
  struct ActionInfo {
    const schema::Action* action = nullptr;
    std::vector<EntityUid> direct, ancestors;
  };
  std::unordered_map<EntityUid, ActionInfo, EntityUidHash> actions;
  // The schema's action entities, the base of every store read (Entities::Builder::Finish).
  std::shared_ptr<const Entities> action_entities;
};

namespace {

class Reader {
 public:
  Reader(std::string_view text, const EntityReader::Index* index)
      : c_(text), index_(index), schema_(index ? &index->schema : nullptr) {}

  Status ReadAll(Entities::Builder* out) {
    if (c_.Peek() != '[') {
      PACTUM_TRY(c_.Skip());
      return InvalidArgument(schema_ ? "entities must be a JSON array"
                                     : "entities: expected a JSON array");
    }
    c_.Consume('[');
    if (!c_.Consume(']')) {
      for (std::size_t i = 0;; ++i) {
        Entity e;
        PACTUM_TRY(schema_ ? SchemaEntity(i, &e) : PlainEntity(i, &e));
        PACTUM_TRY(out->Add(std::move(e)));
        PACTUM_ASSIGN_OR_RETURN(bool more, c_.Next(']'));
        if (!more) break;
      }
    }
    if (!c_.AtEnd()) return c_.Error("unexpected text after the entities");
    return Status::Ok();
  }

  // A request context, for `action` (see EntityReader::ReadContext).
  Result<Value> Context(const EntityUid& action) {
    const bool absent = c_.AtEnd() || (c_.Peek() == 'n' && c_.Word("null").ok());
    Record fields;
    if (schema_ == nullptr) {
      if (!absent) {
        Where w{Where::Kind::kPlainContext};
        PACTUM_ASSIGN_OR_RETURN(fields, PlainRecord(w));
      }
    } else {
      auto it = index_->actions.find(action);
      if (it == index_->actions.end()) {
        return InvalidArgument("action " + UidText(action) + " is not declared in the schema");
      }
      const Type& type = *it->second.action->context;
      Where w{Where::Kind::kContext, nullptr, {}, 0, &action};
      if (absent) {
        PACTUM_TRY(RequiredPresent(type, fields, w));
      } else {
        const std::size_t start = c_.Here();
        std::optional<Record> record;
        if (c_.Peek() == '{') {
          PACTUM_ASSIGN_OR_RETURN(record, TypedRecord(type, w, 0, /*nested=*/true));
        }
        if (!record) {
          PACTUM_ASSIGN_OR_RETURN(std::string_view found, Describe(start));
          return InvalidArgument(Render(w) + ": expected a record, found " + std::string(found));
        }
        fields = std::move(*record);
      }
    }
    if (!c_.AtEnd()) return c_.Error("unexpected text after the context");
    return Value::MakeRecord(std::move(fields));
  }

 private:
  std::string Render(const Where& w) const { return w.Render(schema_ != nullptr); }

  const schema::EntityType* FindType(std::string_view name) const {
    auto it = index_->types.find(name);
    return it == index_->types.end() ? nullptr : it->second;
  }

  // The enumerated-id check of `uid`, whose schema type is `type` (null: none), with the
  // message built only when it fails.
  Status CheckEnum(const schema::EntityType* type, const EntityUid& uid, const Where& w,
                   std::string_view suffix) const {
    if (type == nullptr || !type->enum_choices) return Status::Ok();
    const std::vector<std::string>& choices = *type->enum_choices;
    if (std::find(choices.begin(), choices.end(), uid.id) != choices.end()) return Status::Ok();
    return schema::CheckEnumId(*schema_, uid.type, uid.id, Render(w) + std::string(suffix));
  }

  // ---- uids ----

  // With `inner`, the value of a "__entity" member is read into it (`*has_entity` tells);
  // without, it is passed over.
  Result<UidFields> ReadUidFields(UidFields* inner, bool* has_entity) {
    UidFields u;
    if (c_.Peek() != '{') {
      PACTUM_TRY(c_.Skip());
      return u;
    }
    u.object = true;
    c_.Consume('{');
    if (c_.Consume('}')) return u;
    bool has_type = false, has_id = false, has_wrapper = false;
    std::vector<std::string> others;
    do {
      std::string_view key;
      PACTUM_TRY(c_.String(&key));
      PACTUM_TRY(c_.Expect(':'));
      std::optional<std::string>* field = nullptr;
      if (Is(key, "type")) {
        field = &u.type;
        has_type = true;
      } else if (Is(key, "id")) {
        field = &u.id;
        has_id = true;
      } else if (Is(key, "__entity")) {
        has_wrapper = true;
      } else if (std::find(others.begin(), others.end(), key) == others.end()) {
        others.emplace_back(key);
      }
      if (field && c_.Peek() == '"') {
        std::string_view s;
        PACTUM_TRY(c_.String(&s));
        field->emplace(s);
      } else if (Is(key, "__entity") && inner != nullptr) {
        PACTUM_ASSIGN_OR_RETURN(*inner, ReadUidFields(nullptr, nullptr));
      } else {
        if (field) field->reset();
        PACTUM_TRY(c_.Skip());
      }
      PACTUM_ASSIGN_OR_RETURN(bool more, c_.Next('}'));
      if (!more) break;
    } while (true);
    u.size = others.size() + has_type + has_id + has_wrapper;
    if (has_entity != nullptr) *has_entity = has_wrapper;
    return u;
  }

  // The forms nearly every uid has, {"type": "T", "id": "I"} (either order) and, unless
  // `inner`, the same wrapped as {"__entity": {...}}, read without the general machinery. False
  // for anything else, malformed input included, with the cursor anywhere: the caller rewinds
  // and takes the general path, which finds the error.
  bool PlainUid(EntityUid* uid, bool inner = false) {
    if (!c_.Consume('{')) return false;
    bool has_type = false, has_id = false;
    for (int member = 0; member < 2; ++member) {
      if (member == 1 && !c_.Consume(',')) return false;
      std::string_view key;
      if (c_.Peek() != '"' || !c_.String(&key).ok() || !c_.Consume(':')) return false;
      if (member == 0 && !inner && Is(key, "__entity")) {
        return PlainUid(uid, /*inner=*/true) && c_.Consume('}');
      }
      std::string* field = nullptr;
      if (Is(key, "type") && !has_type) {
        field = &uid->type;
        has_type = true;
      } else if (Is(key, "id") && !has_id) {
        field = &uid->id;
        has_id = true;
      } else {
        return false;
      }
      std::string_view value;
      if (c_.Peek() != '"' || !c_.String(&value).ok()) return false;
      field->assign(value);  // now: the next String may reuse the cursor's escape buffer
    }
    return c_.Consume('}');
  }

  // A uid as Entities::FromJson (no schema) or NormalizeEntities (with one) reads it; errors
  // carry no context, the caller adds it. The cursor ends after the value. With `type`, the
  // schema's entity type of the uid (null when the schema declares none, e.g. for an action).
  Result<EntityUid> ReadUid(const schema::EntityType** type = nullptr) {
    const std::size_t start = c_.Here();
    EntityUid uid;
    if (!PlainUid(&uid)) {
      c_.Seek(start);
      UidFields inner;
      bool has_entity = false;
      PACTUM_ASSIGN_OR_RETURN(UidFields outer, ReadUidFields(&inner, &has_entity));
      const std::size_t end = c_.pos();
      UidFields* body = outer.object && has_entity && outer.size == 1 ? &inner : &outer;
      const bool shape_ok =
          body->object && body->type && body->id && (schema_ == nullptr || body->size == 2);
      if (!shape_ok) {
        if (schema_) return InvalidArgument("expected an entity uid {\"type\": ..., \"id\": ...}");
        Result<Json> json = ParseJson(c_.text().substr(start, end - start));
        return InvalidArgument("entity uid must be {\"type\": string, \"id\": string}, got " +
                               (json.ok() ? json->dump() : std::string("malformed JSON")));
      }
      uid = EntityUid{std::move(*body->type), std::move(*body->id)};
    }
    // A type the schema names is a valid path.
    const schema::EntityType* declared = index_ != nullptr ? FindType(uid.type) : nullptr;
    if (type != nullptr) *type = declared;
    if (declared == nullptr && !(index_ != nullptr && index_->action_types.count(uid.type) > 0) &&
        !schema::IsPath(uid.type)) {
      if (schema_) return InvalidArgument("invalid entity type name `" + uid.type + "`");
      // The policy parser is the judge without a schema (it admits, e.g., spaces around `::`).
      if (!ParseEntityUid(uid.type + "::\"\"").ok()) {
        return InvalidArgument("invalid entity type \"" + uid.type + "\"");
      }
    }
    return uid;
  }

  // ---- values, the slow path: rare forms go through the JSON document readers ----

  // The value at `start`, read by NormalizeValue (with a schema) and ValueFromJson.
  Result<Value> ViaDocument(std::size_t start, const Type* type, const Where& w, int depth) {
    c_.Seek(start);
    PACTUM_TRY(c_.Skip());
    Result<Json> json = ParseJson(c_.text().substr(start, c_.pos() - start));
    if (!json.ok()) return json.status().WithContext(Render(w));
    const std::string where = Render(w);
    if (!schema_) return ValueFromJson(*json, where, depth);
    PACTUM_ASSIGN_OR_RETURN(Json normalized,
                            schema::NormalizeValue(*schema_, *json, type, where, depth));
    return ValueFromJson(normalized, where, depth);
  }

  // What NormalizeValue says of a value at `start` that does not have `type`.
  Status Mismatch(std::size_t start, const Type& type, const Where& w) {
    PACTUM_ASSIGN_OR_RETURN(std::string_view found, Describe(start));
    return InvalidArgument(Render(w) + ": expected " + schema::TypeToString(type) + ", found " +
                           std::string(found));
  }

  // The kind of the value at `start`, in NormalizeEntities' words; the cursor ends after it.
  Result<std::string_view> Describe(std::size_t start) {
    c_.Seek(start);
    PACTUM_TRY(c_.Skip());
    std::string_view found;
    Cursor look(c_.text());
    look.Seek(start);
    switch (look.Peek()) {
      case '"':
        found = "a string";
        break;
      case 't':
      case 'f':
        found = "a boolean";
        break;
      case 'n':
        found = "null";
        break;
      case '[':
        found = "a set";
        break;
      case '{': {
        found = "a record";
        look.Consume('{');
        bool extn = false;
        for (bool more = !look.Consume('}'); more;) {
          std::string_view key;
          PACTUM_TRY(look.String(&key));
          if (Is(key, "__entity")) found = "an entity reference";
          extn = extn || Is(key, "__extn");
          PACTUM_TRY(look.Expect(':'));
          PACTUM_TRY(look.Skip());
          PACTUM_ASSIGN_OR_RETURN(more, look.Next('}'));
        }
        if (extn && found == "a record") found = "an extension value";
        break;
      }
      default: {
        Number n;
        PACTUM_TRY(look.ReadNumber(&n));
        found = n.kind == Number::Kind::kFloat ? "a non-integer number" : "an integer";
      }
    }
    return found;
  }

  // ---- values with a schema ----

  Result<Value> Typed(const Type* type, const Where& w, int depth) {
    if (depth > schema::kMaxValueDepth) {
      return InvalidArgument(Render(w) + ": value nested deeper than " +
                             std::to_string(schema::kMaxValueDepth));
    }
    if (!type) return Untyped(w, depth);
    const char first = c_.Peek();
    const std::size_t start = c_.pos();
    switch (type->kind) {
      case TypeKind::kBool:
        if (first != 't' && first != 'f') return Mismatch(start, *type, w);
        PACTUM_TRY(c_.Word(first == 't' ? "true" : "false"));
        return Value(first == 't');
      case TypeKind::kLong: {
        if (first != '-' && (first < '0' || first > '9')) return Mismatch(start, *type, w);
        Number n;
        PACTUM_TRY(c_.ReadNumber(&n));
        if (n.kind == Number::Kind::kTooBig) {
          return InvalidArgument(Render(w) + ": integer out of the range of Long");
        }
        if (n.kind == Number::Kind::kFloat) return Mismatch(start, *type, w);
        return Value(n.value);
      }
      case TypeKind::kString: {
        if (first != '"') return Mismatch(start, *type, w);
        std::string_view s;
        PACTUM_TRY(c_.String(&s));
        return Value(std::string(s));
      }
      case TypeKind::kSet: {
        if (first != '[') return Mismatch(start, *type, w);
        c_.Consume('[');
        std::vector<Value> elements;
        if (!c_.Consume(']')) {
          for (std::size_t i = 0;; ++i) {
            Where ew{Where::Kind::kElement, &w, {}, i};
            PACTUM_ASSIGN_OR_RETURN(Value v, Typed(type->element.get(), ew, depth + 1));
            elements.push_back(std::move(v));
            PACTUM_ASSIGN_OR_RETURN(bool more, c_.Next(']'));
            if (!more) break;
          }
        }
        return Value::MakeSet(std::move(elements));
      }
      case TypeKind::kRecord: {
        if (first != '{') return Mismatch(start, *type, w);
        PACTUM_ASSIGN_OR_RETURN(std::optional<Record> fields,
                                TypedRecord(*type, w, depth, /*nested=*/true));
        if (!fields) return Mismatch(start, *type, w);
        return Value::MakeRecord(std::move(*fields));
      }
      case TypeKind::kEntity: {
        if (first != '{') return Mismatch(start, *type, w);
        const schema::EntityType* declared = nullptr;
        Result<EntityUid> uid = ReadUid(&declared);
        if (!uid.ok()) return Within(uid.status(), Render(w));
        if (uid->type != type->name) {
          return InvalidArgument(Render(w) + ": expected an entity of type " + type->name +
                                 ", found " + UidText(*uid));
        }
        PACTUM_TRY(CheckEnum(declared, *uid, w, ""));
        return Value(std::move(uid).value());
      }
      case TypeKind::kExtension: {
        if (first == '{') {
          if (std::optional<Value> v = SimpleExtension(*type)) return std::move(*v);
          return ViaDocument(start, type, w, depth);
        }
        if (first != '"') return Mismatch(start, *type, w);
        std::string_view literal;
        PACTUM_TRY(c_.String(&literal));
        const std::string_view constructor = schema::ConstructorOf(type->name);
        Result<Value> v = CallExtension(constructor, {Value(std::string(literal))});
        if (v.ok()) return v;
        // NormalizeEntities' message for a bad literal; the call's own otherwise.
        Status literal_ok = schema::CheckExtensionLiteral(constructor, literal);
        return (literal_ok.ok() ? v.status() : literal_ok).WithContext(Render(w));
      }
    }
    return Internal("unhandled type kind");
  }

  // {"__extn": {"fn": F, "arg": "literal"}}, F a one-string constructor of `type`: the common
  // explicit form, read here. Nullopt for any other form or a bad literal, which the document
  // path then reads (and reports).
  std::optional<Value> SimpleExtension(const Type& type) {
    std::string_view key;
    if (!c_.Consume('{') || !c_.String(&key).ok() || !Is(key, "__extn") || !c_.Consume(':') ||
        !c_.Consume('{')) {
      return std::nullopt;
    }
    std::optional<std::string> fn, arg;
    for (bool more = true; more;) {
      if (!c_.String(&key).ok()) return std::nullopt;
      std::optional<std::string>* member = Is(key, "fn") ? &fn : Is(key, "arg") ? &arg : nullptr;
      std::string_view value;
      if (member == nullptr || member->has_value() || !c_.Consume(':') || !c_.String(&value).ok()) {
        return std::nullopt;
      }
      member->emplace(value);
      Result<bool> next = c_.Next('}');
      if (!next.ok()) return std::nullopt;
      more = *next;
    }
    if (!fn || !arg || !c_.Consume('}')) return std::nullopt;
    const schema::ExtensionFunction* f = schema::FindExtensionFunction(*fn);
    if (f == nullptr || f->result != type.name || f->params.size() != 1 ||
        f->params[0] != "String") {
      return std::nullopt;
    }
    Result<Value> v = CallExtension(*fn, {Value(std::move(*arg))});
    if (!v.ok()) return std::nullopt;
    return std::move(v).value();
  }

  // The members of a record of `type`; nullopt (cursor past the record) when a nested record
  // turns out to be an entity reference or extension value, i.e. not a record.
  Result<std::optional<Record>> TypedRecord(const Type& type, const Where& w, int depth,
                                            bool nested) {
    c_.Consume('{');
    Record fields;
    bool not_a_record = false;
    std::size_t required_read = 0;  // distinct required attributes among the fields
    if (!c_.Consume('}')) {
      do {
        std::string_view key_view;
        PACTUM_TRY(c_.String(&key_view));
        PACTUM_TRY(c_.Expect(':'));
        std::string key(key_view);
        if (not_a_record || (nested && (Is(key, "__entity") || Is(key, "__extn")))) {
          not_a_record = true;
          PACTUM_TRY(c_.Skip());
        } else {
          Where fw{Where::Kind::kAttribute, &w, key};
          auto it = type.attributes.find(key);
          if (it == type.attributes.end() && !type.additional_attributes) {
            PACTUM_TRY(c_.Skip());
            return InvalidArgument(Render(fw) + ": attribute is not declared in the schema");
          }
          const Type* field_type = it == type.attributes.end() ? nullptr : it->second.type.get();
          PACTUM_ASSIGN_OR_RETURN(Value v, Typed(field_type, fw, depth + 1));
          // The hint makes members in key order (most texts) one comparison each.
          const std::size_t before = fields.size();
          fields.insert_or_assign(std::move(key), std::move(v));
          if (fields.size() > before && it != type.attributes.end() && it->second.required) {
            ++required_read;
          }
        }
        PACTUM_ASSIGN_OR_RETURN(bool more, c_.Next('}'));
        if (!more) break;
      } while (true);
    }
    if (not_a_record) return std::optional<Record>();
    std::size_t required = 0;
    for (const auto& [name, attr] : type.attributes)
      required += attr.required;
    if (required_read != required) PACTUM_TRY(RequiredPresent(type, fields, w));
    return std::optional<Record>(std::move(fields));
  }

  Status RequiredPresent(const Type& type, const Record& fields, const Where& w) const {
    for (const auto& [name, attr] : type.attributes) {
      if (attr.required && fields.find(name) == fields.end()) {
        return InvalidArgument(Render(w) + ": required attribute `" + name + "` is missing");
      }
    }
    return Status::Ok();
  }

  // A value with no schema type (under additionalAttributes): only the explicit escapes mean
  // entities and extension values.
  Result<Value> Untyped(const Where& w, int depth) {
    const char first = c_.Peek();
    const std::size_t start = c_.pos();
    switch (first) {
      case '"': {
        std::string_view s;
        PACTUM_TRY(c_.String(&s));
        return Value(std::string(s));
      }
      case 't':
        PACTUM_TRY(c_.Word("true"));
        return Value(true);
      case 'f':
        PACTUM_TRY(c_.Word("false"));
        return Value(false);
      case 'n':
        PACTUM_TRY(c_.Word("null"));
        return InvalidArgument(Render(w) + ": null is not a Cedar value");
      case '[': {
        c_.Consume('[');
        std::vector<Value> elements;
        if (!c_.Consume(']')) {
          for (std::size_t i = 0;; ++i) {
            Where ew{Where::Kind::kElement, &w, {}, i};
            PACTUM_ASSIGN_OR_RETURN(Value v, Typed(nullptr, ew, depth + 1));
            elements.push_back(std::move(v));
            PACTUM_ASSIGN_OR_RETURN(bool more, c_.Next(']'));
            if (!more) break;
          }
        }
        return Value::MakeSet(std::move(elements));
      }
      case '{': {
        c_.Consume('{');
        Record fields;
        if (!c_.Consume('}')) {
          do {
            std::string_view key_view;
            PACTUM_TRY(c_.String(&key_view));
            if (IsSpecialKey(key_view)) return ViaDocument(start, nullptr, w, depth);
            PACTUM_TRY(c_.Expect(':'));
            std::string key(key_view);
            Where fw{Where::Kind::kAttribute, &w, key};
            PACTUM_ASSIGN_OR_RETURN(Value v, Typed(nullptr, fw, depth + 1));
            fields.insert_or_assign(std::move(key), std::move(v));
            PACTUM_ASSIGN_OR_RETURN(bool more, c_.Next('}'));
            if (!more) break;
          } while (true);
        }
        return Value::MakeRecord(std::move(fields));
      }
      default: {
        if (first != '-' && (first < '0' || first > '9')) return c_.Error("expected a value");
        Number n;
        PACTUM_TRY(c_.ReadNumber(&n));
        if (n.kind == Number::Kind::kFloat) {
          return InvalidArgument(Render(w) + ": non-integer numbers are not Cedar values");
        }
        if (n.kind == Number::Kind::kTooBig) {
          return InvalidArgument(Render(w) + ": integer out of the range of Long");
        }
        return Value(n.value);
      }
    }
  }

  // ---- values without a schema (Entities::FromJson) ----

  Result<Value> Plain(const Where& w, int depth) {
    if (depth > kMaxPlainDepth) return InvalidArgument(Render(w) + ": value nested too deeply");
    const char first = c_.Peek();
    const std::size_t start = c_.pos();
    switch (first) {
      case '"': {
        std::string_view s;
        PACTUM_TRY(c_.String(&s));
        return Value(std::string(s));
      }
      case 't':
        PACTUM_TRY(c_.Word("true"));
        return Value(true);
      case 'f':
        PACTUM_TRY(c_.Word("false"));
        return Value(false);
      case 'n':
        PACTUM_TRY(c_.Word("null"));
        return InvalidArgument(Render(w) + ": null is not a Cedar value");
      case '[': {
        c_.Consume('[');
        std::vector<Value> elements;
        if (!c_.Consume(']')) {
          for (std::size_t i = 0;; ++i) {
            Where ew{Where::Kind::kElement, &w, {}, i};
            PACTUM_ASSIGN_OR_RETURN(Value v, Plain(ew, depth + 1));
            elements.push_back(std::move(v));
            PACTUM_ASSIGN_OR_RETURN(bool more, c_.Next(']'));
            if (!more) break;
          }
        }
        return Value::MakeSet(std::move(elements));
      }
      case '{': {
        c_.Consume('{');
        Record fields;
        if (!c_.Consume('}')) {
          bool first_member = true;
          do {
            std::string_view key_view;
            PACTUM_TRY(c_.String(&key_view));
            // {"__entity": ...} and {"__extn": ...} alone are escapes: the document reader
            // tells them from records that merely have such a member.
            if (first_member && (Is(key_view, "__entity") || Is(key_view, "__extn"))) {
              return ViaDocument(start, nullptr, w, depth);
            }
            first_member = false;
            PACTUM_TRY(c_.Expect(':'));
            std::string key(key_view);
            Where fw{Where::Kind::kAttribute, &w, key};
            PACTUM_ASSIGN_OR_RETURN(Value v, Plain(fw, depth + 1));
            fields.insert_or_assign(std::move(key), std::move(v));
            PACTUM_ASSIGN_OR_RETURN(bool more, c_.Next('}'));
            if (!more) break;
          } while (true);
        }
        return Value::MakeRecord(std::move(fields));
      }
      default: {
        if (first != '-' && (first < '0' || first > '9')) return c_.Error("expected a value");
        Number n;
        PACTUM_TRY(c_.ReadNumber(&n));
        if (n.kind == Number::Kind::kFloat) {
          return InvalidArgument(Render(w) + ": Cedar has no floating-point numbers");
        }
        if (n.kind == Number::Kind::kTooBig) {
          return InvalidArgument(Render(w) + ": integer out of range for a Cedar long");
        }
        return Value(n.value);
      }
    }
  }

  Result<Record> PlainRecord(const Where& w) {
    if (c_.Peek() != '{') {
      PACTUM_TRY(c_.Skip());
      return InvalidArgument(Render(w) + ": expected an object");
    }
    c_.Consume('{');
    Record fields;
    if (c_.Consume('}')) return fields;
    do {
      std::string_view key_view;
      PACTUM_TRY(c_.String(&key_view));
      PACTUM_TRY(c_.Expect(':'));
      std::string key(key_view);
      Where fw{Where::Kind::kAttribute, &w, key};
      PACTUM_ASSIGN_OR_RETURN(Value v, Plain(fw, 1));
      fields.insert_or_assign(std::move(key), std::move(v));
      PACTUM_ASSIGN_OR_RETURN(bool more, c_.Next('}'));
      if (!more) break;
    } while (true);
    return fields;
  }

  // ---- entities ----

  Status PlainEntity(std::size_t index, Entity* e) {
    auto where = [&] { return "entities/" + std::to_string(index); };
    if (c_.Peek() != '{') {
      PACTUM_TRY(c_.Skip());
      return InvalidArgument(where() + ": expected an object with \"uid\"");
    }
    c_.Consume('{');
    bool has_uid = false;
    if (!c_.Consume('}')) {
      do {
        std::string_view key;
        PACTUM_TRY(c_.String(&key));
        PACTUM_TRY(c_.Expect(':'));
        if (Is(key, "uid")) {
          Result<EntityUid> uid = ReadUid();
          if (!uid.ok()) return Within(uid.status(), where() + "/uid");
          e->uid = std::move(uid).value();
          has_uid = true;
        } else if (Is(key, "attrs") || Is(key, "tags")) {
          const bool attrs = Is(key, "attrs");
          Where w{Where::Kind::kPlainEntity, nullptr, attrs ? "attrs" : "tags", index};
          Record& record = attrs ? e->attrs : e->tags;
          PACTUM_ASSIGN_OR_RETURN(record, PlainRecord(w));
        } else if (Is(key, "parents")) {
          if (c_.Peek() != '[') {
            PACTUM_TRY(c_.Skip());
            return InvalidArgument(where() + "/parents: expected an array");
          }
          c_.Consume('[');
          e->parents.clear();
          if (!c_.Consume(']')) {
            do {
              Result<EntityUid> parent = ReadUid();
              if (!parent.ok()) return Within(parent.status(), where() + "/parents");
              e->parents.push_back(std::move(parent).value());
              PACTUM_ASSIGN_OR_RETURN(bool more, c_.Next(']'));
              if (!more) break;
            } while (true);
          }
        } else {
          PACTUM_TRY(c_.Skip());
        }
        PACTUM_ASSIGN_OR_RETURN(bool more, c_.Next('}'));
        if (!more) break;
      } while (true);
    }
    if (!has_uid) return InvalidArgument(where() + ": expected an object with \"uid\"");
    return Status::Ok();
  }

  // With a schema. The uid decides how the other members are read, so members before it are
  // passed over and read once it is known.
  Status SchemaEntity(std::size_t index, Entity* e) {
    auto where = [&] { return "entity [" + std::to_string(index) + "]"; };
    if (c_.Peek() != '{') {
      PACTUM_TRY(c_.Skip());
      return InvalidArgument(where() + ": expected an object");
    }
    c_.Consume('{');
    bool has_uid = false;
    SchemaEntityState state;
    std::vector<std::pair<std::string_view, std::size_t>> deferred;  // member, value position
    if (!c_.Consume('}')) {
      do {
        std::string_view key;
        PACTUM_TRY(c_.String(&key));
        PACTUM_TRY(c_.Expect(':'));
        if (Is(key, "uid")) {
          Result<EntityUid> uid = ReadUid(&state.type);
          if (!uid.ok()) return Within(uid.status(), where() + " uid");
          e->uid = std::move(uid).value();
          has_uid = true;
          PACTUM_TRY(Begin(*e, &state));
        } else if (Is(key, "attrs") || Is(key, "parents") || Is(key, "tags")) {
          const std::string_view member = Is(key, "attrs")  ? "attrs"
                                          : Is(key, "tags") ? "tags"
                                                            : "parents";
          if (has_uid) {
            PACTUM_TRY(Member(member, e, &state));
          } else {
            deferred.emplace_back(member, c_.Here());
            PACTUM_TRY(c_.Skip());
          }
        } else {
          return InvalidArgument(where() + ": unknown field `" + std::string(key) + "`");
        }
        PACTUM_ASSIGN_OR_RETURN(bool more, c_.Next('}'));
        if (!more) break;
      } while (true);
    }
    if (!has_uid) return InvalidArgument(where() + ": missing field `uid`");
    if (!deferred.empty()) {
      const std::size_t end = c_.pos();
      for (const auto& [member, pos] : deferred) {
        c_.Seek(pos);
        PACTUM_TRY(Member(member, e, &state));
      }
      c_.Seek(end);
    }
    return Finish(*e, state);
  }

  struct SchemaEntityState {
    const schema::EntityType* type = nullptr;  // null for action entities
    bool action = false;
    bool has_attrs = false;
    bool action_has_data = false;  // an action entity with attributes or tags
  };

  // Once the uid is read, with state->type its schema type as ReadUid found it.
  Status Begin(const Entity& e, SchemaEntityState* state) {
    Where w{Where::Kind::kEntity, nullptr, {}, 0, &e.uid};
    state->action = schema::IsActionType(e.uid.type);
    if (state->action) {
      state->type = nullptr;
      return Status::Ok();
    }
    if (!state->type) {
      return InvalidArgument(Render(w) + ": entity type " + e.uid.type +
                             " is not declared in the schema");
    }
    return CheckEnum(state->type, e.uid, w, "");
  }

  Status Member(std::string_view member, Entity* e, SchemaEntityState* state) {
    Where w{Where::Kind::kEntity, nullptr, {}, 0, &e->uid};
    const char first = c_.Peek();
    if (Is(member, "parents")) {
      if (first != '[') {
        PACTUM_TRY(c_.Skip());
        return InvalidArgument(Render(w) + ": `parents` must be an array");
      }
      c_.Consume('[');
      e->parents.clear();
      if (c_.Consume(']')) return Status::Ok();
      for (std::size_t i = 0;; ++i) {
        const schema::EntityType* parent_type = nullptr;
        Result<EntityUid> parent = ReadUid(&parent_type);
        if (!parent.ok()) {
          return Within(parent.status(), Render(w) + " parent [" + std::to_string(i) + "]");
        }
        if (!state->action) {
          if (!state->type->member_of_types.count(parent->type)) {
            return InvalidArgument(Render(w) + ": parent " + UidText(*parent) +
                                   " has a type that " + e->uid.type + " cannot be a member of");
          }
          PACTUM_TRY(CheckEnum(parent_type, *parent, w, " parent"));
        }
        if (std::find(e->parents.begin(), e->parents.end(), *parent) == e->parents.end()) {
          e->parents.push_back(std::move(parent).value());
        }
        PACTUM_ASSIGN_OR_RETURN(bool more, c_.Next(']'));
        if (!more) return Status::Ok();
      }
    }
    const bool attrs = Is(member, "attrs");
    if (first != '{') {
      PACTUM_TRY(c_.Skip());
      return InvalidArgument(Render(w) + ": `" + std::string(member) + "` must be an object");
    }
    if (state->action) {  // no members allowed; checked at the end, with the parents
      const std::size_t start = c_.pos();
      c_.Consume('{');
      if (!c_.Consume('}')) {
        state->action_has_data = true;
        c_.Seek(start);
        PACTUM_TRY(c_.Skip());
      }
      return Status::Ok();
    }
    if (attrs) {
      state->has_attrs = true;
      PACTUM_ASSIGN_OR_RETURN(std::optional<Record> fields,
                              TypedRecord(*state->type->shape, w, 0, /*nested=*/false));
      e->attrs = std::move(*fields);
      return Status::Ok();
    }
    c_.Consume('{');
    e->tags.clear();
    if (c_.Consume('}')) return Status::Ok();
    if (!state->type->tags) {
      return InvalidArgument(Render(w) + ": entity type " + e->uid.type + " does not allow tags");
    }
    do {
      std::string_view key_view;
      PACTUM_TRY(c_.String(&key_view));
      PACTUM_TRY(c_.Expect(':'));
      std::string key(key_view);
      Where tw{Where::Kind::kTag, &w, key};
      PACTUM_ASSIGN_OR_RETURN(Value v, Typed(state->type->tags.get(), tw, 1));
      e->tags.insert_or_assign(std::move(key), std::move(v));
      PACTUM_ASSIGN_OR_RETURN(bool more, c_.Next('}'));
      if (!more) break;
    } while (true);
    return Status::Ok();
  }

  // `given` (without duplicates: Member drops them) holds the uids of `sorted`.
  static bool SameSet(const std::vector<EntityUid>& given, const std::vector<EntityUid>& sorted) {
    return given.size() == sorted.size() &&
           std::all_of(given.begin(), given.end(), [&](const EntityUid& uid) {
             return std::binary_search(sorted.begin(), sorted.end(), uid);
           });
  }

  Status Finish(const Entity& e, const SchemaEntityState& state) {
    Where w{Where::Kind::kEntity, nullptr, {}, 0, &e.uid};
    if (state.action) {
      auto it = index_->actions.find(e.uid);
      if (it != index_->actions.end() && !state.action_has_data &&
          (SameSet(e.parents, it->second.direct) || SameSet(e.parents, it->second.ancestors))) {
        return Status::Ok();
      }
      std::set<schema::ActionUid> parents;  // for CheckActionEntity's verdict and message
      for (const EntityUid& p : e.parents)
        parents.insert(schema::ActionUid{p.type, p.id});
      return schema::CheckActionEntity(*schema_, schema::ActionUid{e.uid.type, e.uid.id},
                                       state.action_has_data, parents, Render(w));
    }
    if (!state.has_attrs) return RequiredPresent(*state.type->shape, Record(), w);
    return Status::Ok();
  }

  Cursor c_;
  const EntityReader::Index* index_;  // null without a schema
  const schema::Schema* schema_;
};

}  // namespace

EntityReader::EntityReader(const schema::Schema& schema)
    : index_(std::make_shared<const Index>(schema)) {}

Result<Entities> EntityReader::Read(std::string_view json_text) const {
  Reader reader(json_text, index_.get());
  Entities::Builder builder;
  PACTUM_TRY(reader.ReadAll(&builder));
  if (!index_) return std::move(builder).Finish();
  return std::move(builder).Finish(index_->action_entities);
}

Result<Value> EntityReader::ReadContext(std::string_view json_text, const EntityUid& action) const {
  Reader reader(json_text, index_.get());
  return reader.Context(action);
}

Status EntityReader::CheckScope(const EntityUid& principal, const EntityUid& action,
                                const EntityUid& resource) const {
  if (!index_) return Status::Ok();
  auto it = index_->actions.find(action);
  if (it == index_->actions.end()) {
    return InvalidArgument("action " + UidText(action) + " is not declared in the schema");
  }
  const schema::Action& declared = *it->second.action;
  for (const auto& [role, uid] : {std::pair<const char*, const EntityUid&>{"principal", principal},
                                  std::pair<const char*, const EntityUid&>{"resource", resource}}) {
    PACTUM_TRY(schema::CheckAppliesTo(declared, role, uid.type));
    if (index_->has_enums) PACTUM_TRY(schema::CheckEnumId(index_->schema, uid.type, uid.id, role));
  }
  return Status::Ok();
}

Result<Entities> ReadEntities(std::string_view json_text) {
  return EntityReader().Read(json_text);
}

Result<Entities> ReadEntities(std::string_view json_text, const schema::Schema& schema) {
  return EntityReader(schema).Read(json_text);
}

}  // namespace pactum::cedar
