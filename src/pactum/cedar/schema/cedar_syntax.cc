// The human-readable schema syntax: a hand-written lexer and recursive-descent parser following
// Cedar's grammar (cedar-policy-validator `cedar_schema/grammar.lalrpop`), producing the raw
// form that ResolveSchema checks.
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <set>

#include "pactum/base/encoding.h"
#include "pactum/cedar/schema/raw_schema.h"
#include "pactum/cedar/schema/schema.h"

namespace pactum::cedar::schema {
namespace {

enum class Tok { kEnd, kIdent, kString, kNumber, kPunct };

struct Token {
  Tok kind = Tok::kEnd;
  std::string text;  // identifier, unescaped string, or the punctuation itself
  std::size_t line = 1;
  std::size_t column = 1;
};

std::string Where(std::size_t line, std::size_t column) {
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  Result<std::vector<Token>> Run() {
    std::vector<Token> tokens;
    while (true) {
      SkipSpaceAndComments();
      Token token;
      token.line = line_;
      token.column = column_;
      if (pos_ >= text_.size()) {
        tokens.push_back(token);
        return tokens;
      }
      char c = text_[pos_];
      auto u = static_cast<unsigned char>(c);
      if (std::isalpha(u) || c == '_') {
        token.kind = Tok::kIdent;
        while (pos_ < text_.size() &&
               (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '_')) {
          token.text += Advance();
        }
      } else if (std::isdigit(u)) {
        token.kind = Tok::kNumber;
        while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) {
          token.text += Advance();
        }
      } else if (c == '"') {
        token.kind = Tok::kString;
        PACTUM_ASSIGN_OR_RETURN(token.text, LexString());
      } else if (c == ':' && pos_ + 1 < text_.size() && text_[pos_ + 1] == ':') {
        token.kind = Tok::kPunct;
        token.text = "::";
        Advance();
        Advance();
      } else if (std::string_view(",;:{}[]<>=?@()").find(c) != std::string_view::npos) {
        token.kind = Tok::kPunct;
        token.text = std::string(1, Advance());
      } else {
        return InvalidArgument(Where(line_, column_) + ": unexpected character `" +
                               std::string(1, c) + "`");
      }
      tokens.push_back(std::move(token));
    }
  }

 private:
  char Advance() {
    char c = text_[pos_++];
    if (c == '\n') {
      ++line_;
      column_ = 1;
    } else {
      ++column_;
    }
    return c;
  }

  void SkipSpaceAndComments() {
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (std::isspace(static_cast<unsigned char>(c))) {
        Advance();
      } else if (c == '/' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '/') {
        while (pos_ < text_.size() && text_[pos_] != '\n' && text_[pos_] != '\r')
          Advance();
      } else {
        return;
      }
    }
  }

  // A double-quoted literal with Cedar's escapes: \n \r \t \\ \0 \' \" and \u{hex}.
  Result<std::string> LexString() {
    const std::size_t line = line_, column = column_;
    Advance();  // opening quote
    std::string out;
    while (true) {
      if (pos_ >= text_.size()) {
        return InvalidArgument(Where(line, column) + ": unterminated string literal");
      }
      char c = Advance();
      if (c == '"') return out;
      if (c != '\\') {
        out += c;
        continue;
      }
      if (pos_ >= text_.size()) {
        return InvalidArgument(Where(line, column) + ": unterminated string literal");
      }
      const std::size_t esc_line = line_, esc_column = column_ - 1;
      char e = Advance();
      switch (e) {
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case '0':
          out += '\0';
          break;
        case '\\':
        case '\'':
        case '"':
          out += e;
          break;
        case 'u': {
          if (pos_ >= text_.size() || Advance() != '{') {
            return InvalidArgument(Where(esc_line, esc_column) + ": malformed \\u escape");
          }
          std::uint32_t cp = 0;
          int digits = 0;
          while (pos_ < text_.size() && std::isxdigit(static_cast<unsigned char>(text_[pos_]))) {
            char h = Advance();
            cp = cp * 16 + static_cast<std::uint32_t>(
                               std::isdigit(static_cast<unsigned char>(h))
                                   ? h - '0'
                                   : std::tolower(static_cast<unsigned char>(h)) - 'a' + 10);
            if (++digits > 6) break;
          }
          if (digits == 0 || digits > 6 || pos_ >= text_.size() || Advance() != '}' ||
              cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            return InvalidArgument(Where(esc_line, esc_column) + ": malformed \\u escape");
          }
          AppendUtf8(out, cp);
          break;
        }
        default:
          return InvalidArgument(Where(esc_line, esc_column) + ": invalid escape `\\" +
                                 std::string(1, e) + "`");
      }
    }
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
  std::size_t column_ = 1;
};

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

  Result<std::vector<RawNamespace>> Run() {
    std::vector<RawNamespace> out;
    RawNamespace unnamed;
    bool has_unnamed = false;
    while (Peek().kind != Tok::kEnd) {
      PACTUM_TRY(ParseAnnotations());
      if (IsKeyword("namespace")) {
        RawNamespace ns;
        ns.where = Here();
        Next();
        PACTUM_ASSIGN_OR_RETURN(ns.name, ParsePath());
        PACTUM_TRY(Expect("{"));
        while (!IsPunct("}")) {
          PACTUM_TRY(ParseAnnotations());
          PACTUM_TRY(ParseDecl(ns));
        }
        Next();
        out.push_back(std::move(ns));
      } else {
        if (!has_unnamed) unnamed.where = Here();
        has_unnamed = true;
        PACTUM_TRY(ParseDecl(unnamed));
      }
    }
    // Declarations outside any namespace all belong to the one empty namespace.
    if (has_unnamed) out.push_back(std::move(unnamed));
    return out;
  }

 private:
  const Token& Peek(std::size_t ahead = 0) const {
    std::size_t i = std::min(pos_ + ahead, tokens_.size() - 1);
    return tokens_[i];
  }
  const Token& Next() {
    const Token& token = tokens_[pos_];
    if (pos_ + 1 < tokens_.size()) ++pos_;
    return token;
  }
  std::string Here() const { return Where(Peek().line, Peek().column); }
  bool IsPunct(std::string_view p, std::size_t ahead = 0) const {
    return Peek(ahead).kind == Tok::kPunct && Peek(ahead).text == p;
  }
  bool IsKeyword(std::string_view word) const {
    return Peek().kind == Tok::kIdent && Peek().text == word;
  }

  static std::string Describe(const Token& token) {
    switch (token.kind) {
      case Tok::kEnd:
        return "end of input";
      case Tok::kString:
        return "string literal";
      case Tok::kNumber:
        return "number `" + token.text + "`";
      default:
        return "`" + token.text + "`";
    }
  }

  Status ErrorHere(const std::string& expected) const {
    return InvalidArgument(Here() + ": expected " + expected + ", found " + Describe(Peek()),
                           Json{{"line", Peek().line}, {"column", Peek().column}});
  }

  Status Expect(std::string_view punct) {
    if (!IsPunct(punct)) return ErrorHere("`" + std::string(punct) + "`");
    Next();
    return Status::Ok();
  }

  Status ExpectKeyword(std::string_view word) {
    if (!IsKeyword(word)) return ErrorHere("`" + std::string(word) + "`");
    Next();
    return Status::Ok();
  }

  // Annotations are accepted and checked for duplicates; the model does not keep them.
  Status ParseAnnotations() {
    std::set<std::string> keys;
    while (IsPunct("@")) {
      Next();
      if (Peek().kind != Tok::kIdent) return ErrorHere("an annotation name");
      const std::string where = Here();
      std::string key = Next().text;
      if (!keys.insert(key).second) {
        return InvalidArgument(where + ": duplicate annotation `@" + key + "`");
      }
      if (IsPunct("(")) {
        Next();
        if (Peek().kind != Tok::kString) return ErrorHere("a string literal");
        Next();
        PACTUM_TRY(Expect(")"));
      }
    }
    return Status::Ok();
  }

  Result<std::string> ParseIdent() {
    if (Peek().kind != Tok::kIdent) return ErrorHere("an identifier");
    if (IsReservedWord(Peek().text)) {
      return InvalidArgument(Here() + ": `" + Peek().text + "` is a reserved identifier");
    }
    return Next().text;
  }

  Result<std::string> ParsePath() {
    PACTUM_ASSIGN_OR_RETURN(std::string path, ParseIdent());
    while (IsPunct("::") && Peek(1).kind == Tok::kIdent) {
      Next();
      PACTUM_ASSIGN_OR_RETURN(std::string part, ParseIdent());
      path += "::" + part;
    }
    return path;
  }

  // Name := IDENT | STR
  Result<std::string> ParseName() {
    if (Peek().kind == Tok::kString) return Next().text;
    return ParseIdent();
  }

  Status ParseDecl(RawNamespace& ns) {
    if (IsKeyword("entity")) return ParseEntity(ns);
    if (IsKeyword("action")) return ParseAction(ns);
    if (IsKeyword("type")) return ParseCommonType(ns);
    return ErrorHere("`entity`, `action` or `type`");
  }

  // EntTypes := Path | '[' [Path {',' Path}] ']'
  Result<std::vector<std::pair<std::string, std::string>>> ParseEntityTypes() {
    std::vector<std::pair<std::string, std::string>> out;
    if (!IsPunct("[")) {
      std::string where = Here();
      PACTUM_ASSIGN_OR_RETURN(std::string path, ParsePath());
      out.emplace_back(std::move(path), std::move(where));
      return out;
    }
    Next();
    while (!IsPunct("]")) {
      std::string where = Here();
      PACTUM_ASSIGN_OR_RETURN(std::string path, ParsePath());
      out.emplace_back(std::move(path), std::move(where));
      if (!IsPunct(",")) break;
      Next();
      if (IsPunct("]")) return ErrorHere("an entity type");
    }
    PACTUM_TRY(Expect("]"));
    return out;
  }

  Status ParseEntity(RawNamespace& ns) {
    const std::string where = Here();
    Next();
    std::vector<std::string> names;
    do {
      if (!names.empty()) Next();
      PACTUM_ASSIGN_OR_RETURN(std::string name, ParseIdent());
      names.push_back(std::move(name));
    } while (IsPunct(","));
    RawEntityType entity;
    entity.where = where;
    if (IsKeyword("enum")) {
      Next();
      PACTUM_TRY(Expect("["));
      std::vector<std::string> choices;
      do {
        if (!choices.empty()) Next();
        if (Peek().kind != Tok::kString) return ErrorHere("a string literal");
        choices.push_back(Next().text);
      } while (IsPunct(","));
      PACTUM_TRY(Expect("]"));
      entity.enum_choices = std::move(choices);
    } else {
      if (IsKeyword("in")) {
        Next();
        PACTUM_ASSIGN_OR_RETURN(entity.member_of_types, ParseEntityTypes());
      }
      if (IsPunct("=") || IsPunct("{")) {
        if (IsPunct("=")) Next();
        if (!IsPunct("{")) return ErrorHere("`{`");
        PACTUM_ASSIGN_OR_RETURN(entity.shape, ParseType(0));
      }
      if (IsKeyword("tags")) {
        Next();
        PACTUM_ASSIGN_OR_RETURN(entity.tags, ParseType(0));
      }
    }
    PACTUM_TRY(Expect(";"));
    for (auto& name : names) {
      RawEntityType copy = entity;
      copy.name = std::move(name);
      ns.entity_types.push_back(std::move(copy));
    }
    return Status::Ok();
  }

  // QualName := Name | Path '::' STR
  Result<RawActionRef> ParseActionRef() {
    RawActionRef ref;
    ref.where = Here();
    if (Peek().kind == Tok::kString) {
      ref.id = Next().text;
      return ref;
    }
    PACTUM_ASSIGN_OR_RETURN(std::string path, ParseIdent());
    while (IsPunct("::")) {
      Next();
      if (Peek().kind == Tok::kString) {
        ref.type = std::move(path);
        ref.id = Next().text;
        return ref;
      }
      PACTUM_ASSIGN_OR_RETURN(std::string part, ParseIdent());
      path += "::" + part;
    }
    if (path.find("::") != std::string::npos) return ErrorHere("`::` and an action name");
    ref.id = std::move(path);
    return ref;
  }

  Status ParseAction(RawNamespace& ns) {
    const std::string where = Here();
    Next();
    std::vector<std::string> names;
    do {
      if (!names.empty()) Next();
      PACTUM_ASSIGN_OR_RETURN(std::string name, ParseName());
      names.push_back(std::move(name));
    } while (IsPunct(","));
    RawAction action;
    action.where = where;
    if (IsKeyword("in")) {
      Next();
      if (IsPunct("[")) {
        Next();
        do {
          if (!action.member_of.empty()) Next();
          PACTUM_ASSIGN_OR_RETURN(RawActionRef ref, ParseActionRef());
          action.member_of.push_back(std::move(ref));
        } while (IsPunct(","));
        PACTUM_TRY(Expect("]"));
      } else {
        PACTUM_ASSIGN_OR_RETURN(RawActionRef ref, ParseActionRef());
        action.member_of.push_back(std::move(ref));
      }
    }
    if (IsKeyword("appliesTo")) {
      Next();
      PACTUM_ASSIGN_OR_RETURN(action.applies_to, ParseAppliesTo(names.front(), where));
    }
    if (IsKeyword("attributes")) {
      // Cedar's grammar accepts only an empty action attribute block.
      Next();
      PACTUM_TRY(Expect("{"));
      PACTUM_TRY(Expect("}"));
    }
    PACTUM_TRY(Expect(";"));
    for (auto& name : names) {
      RawAction copy = action;
      copy.name = std::move(name);
      ns.actions.push_back(std::move(copy));
    }
    return Status::Ok();
  }

  Result<RawAppliesTo> ParseAppliesTo(const std::string& action, const std::string& where) {
    PACTUM_TRY(Expect("{"));
    RawAppliesTo applies;
    bool principal = false, resource = false, context = false;
    do {
      if (principal || resource || context) Next();
      if (IsPunct("}") && (principal || resource || context)) break;
      const std::string item_where = Here();
      auto duplicate = [&](const char* what) {
        return InvalidArgument(item_where + ": duplicate `" + std::string(what) +
                               "` in appliesTo of action \"" + action + "\"");
      };
      if (IsKeyword("principal")) {
        if (principal) return duplicate("principal");
        principal = true;
        Next();
        PACTUM_TRY(Expect(":"));
        PACTUM_ASSIGN_OR_RETURN(applies.principal_types, ParseEntityTypes());
      } else if (IsKeyword("resource")) {
        if (resource) return duplicate("resource");
        resource = true;
        Next();
        PACTUM_TRY(Expect(":"));
        PACTUM_ASSIGN_OR_RETURN(applies.resource_types, ParseEntityTypes());
      } else if (IsKeyword("context")) {
        if (context) return duplicate("context");
        context = true;
        Next();
        PACTUM_TRY(Expect(":"));
        if (IsPunct("{")) {
          PACTUM_ASSIGN_OR_RETURN(applies.context, ParseType(0));
        } else {
          auto type = std::make_shared<RawType>();
          type->where = Here();
          type->kind = RawType::Kind::kCommon;
          PACTUM_ASSIGN_OR_RETURN(type->name, ParsePath());
          applies.context = type;
        }
      } else {
        return ErrorHere("`principal`, `resource` or `context`");
      }
    } while (IsPunct(","));
    PACTUM_TRY(Expect("}"));
    if (!principal) {
      return InvalidArgument(where + ": appliesTo of action \"" + action +
                             "\" does not declare `principal`");
    }
    if (!resource) {
      return InvalidArgument(where + ": appliesTo of action \"" + action +
                             "\" does not declare `resource`");
    }
    return applies;
  }

  Status ParseCommonType(RawNamespace& ns) {
    RawCommonType common;
    common.where = Here();
    Next();
    PACTUM_ASSIGN_OR_RETURN(common.name, ParseIdent());
    PACTUM_TRY(Expect("="));
    PACTUM_ASSIGN_OR_RETURN(common.type, ParseType(0));
    PACTUM_TRY(Expect(";"));
    ns.common_types.push_back(std::move(common));
    return Status::Ok();
  }

  // Type := Path | 'Set' '<' Type '>' | '{' [AttrDecls] '}'
  Result<RawTypePtr> ParseType(int depth) {
    if (depth >= kMaxTypeDepth) {
      return InvalidArgument(Here() + ": types nested deeper than " +
                             std::to_string(kMaxTypeDepth));
    }
    auto type = std::make_shared<RawType>();
    type->where = Here();
    if (IsKeyword("Set") && IsPunct("<", 1)) {
      Next();
      Next();
      type->kind = RawType::Kind::kSet;
      PACTUM_ASSIGN_OR_RETURN(type->element, ParseType(depth + 1));
      PACTUM_TRY(Expect(">"));
      return RawTypePtr(type);
    }
    if (IsPunct("{")) {
      Next();
      type->kind = RawType::Kind::kRecord;
      while (!IsPunct("}")) {
        PACTUM_TRY(ParseAnnotations());
        RawAttribute attr;
        attr.where = Here();
        PACTUM_ASSIGN_OR_RETURN(attr.name, ParseName());
        if (IsPunct("?")) {
          Next();
          attr.required = false;
        }
        PACTUM_TRY(Expect(":"));
        PACTUM_ASSIGN_OR_RETURN(attr.type, ParseType(depth + 1));
        type->attributes.push_back(std::move(attr));
        if (!IsPunct(",")) break;
        Next();
      }
      PACTUM_TRY(Expect("}"));
      return RawTypePtr(type);
    }
    if (Peek().kind != Tok::kIdent) return ErrorHere("a type");
    type->kind = RawType::Kind::kEntityOrCommon;
    PACTUM_ASSIGN_OR_RETURN(type->name, ParsePath());
    return RawTypePtr(type);
  }

  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
};

}  // namespace

Result<Schema> ParseCedarSchema(std::string_view text) {
  PACTUM_ASSIGN_OR_RETURN(std::vector<Token> tokens, Lexer(text).Run());
  PACTUM_ASSIGN_OR_RETURN(std::vector<RawNamespace> namespaces, Parser(std::move(tokens)).Run());
  return ResolveSchema(namespaces);
}

}  // namespace pactum::cedar::schema
