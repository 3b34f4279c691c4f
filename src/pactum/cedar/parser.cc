#include "pactum/cedar/parser.h"

#include <cstdint>
#include <set>
#include <string>
#include <utility>

#include "pactum/base/encoding.h"
#include "pactum/base/json.h"

namespace pactum::cedar {
namespace {

// ---------------------------------------------------------------------------------------------
// Escapes

// Decodes `raw` (a literal body). With `pattern` set, `*` becomes kWildcard and `\*` a star;
// `out_pattern` then receives the result, otherwise `out_string`. Returns an error message, or
// an empty string on success; `error_at` receives the offset of the bad escape.
std::string Unescape(std::string_view raw, bool pattern, std::string* out_string,
                     Pattern* out_pattern, std::size_t* error_at) {
  auto emit = [&](std::string_view bytes) {
    if (pattern) {
      for (char c : bytes)
        out_pattern->push_back(static_cast<unsigned char>(c));
    } else {
      *out_string += bytes;
    }
  };
  for (std::size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '*' && pattern) {
      out_pattern->push_back(kWildcard);
      continue;
    }
    if (c != '\\') {
      emit(std::string_view(&raw[i], 1));
      continue;
    }
    *error_at = i;
    if (i + 1 >= raw.size()) return "unterminated escape";
    char e = raw[++i];
    switch (e) {
      case 'n':
        emit("\n");
        break;
      case 'r':
        emit("\r");
        break;
      case 't':
        emit("\t");
        break;
      case '\\':
        emit("\\");
        break;
      case '0':
        emit(std::string_view("\0", 1));
        break;
      case '\'':
        emit("'");
        break;
      case '"':
        emit("\"");
        break;
      case '*':
        if (!pattern) return "invalid escape \\*";
        out_pattern->push_back('*');
        break;
      case 'x': {
        int hi = i + 1 < raw.size() ? HexDigitValue(raw[i + 1]) : -1;
        int lo = i + 2 < raw.size() ? HexDigitValue(raw[i + 2]) : -1;
        if (hi < 0 || lo < 0) return "invalid \\x escape";
        int v = hi * 16 + lo;
        if (v > 0x7F) return "\\x escape out of range (must be at most \\x7F)";
        char ch = static_cast<char>(v);
        emit(std::string_view(&ch, 1));
        i += 2;
        break;
      }
      case 'u': {
        if (i + 1 >= raw.size() || raw[i + 1] != '{')
          return "invalid \\u escape (expected \\u{...})";
        std::size_t j = i + 2;
        std::uint32_t cp = 0;
        int digits = 0;
        while (j < raw.size() && raw[j] != '}') {
          int d = HexDigitValue(raw[j]);
          if (d < 0 || digits == 6) return "invalid \\u escape";
          cp = cp * 16 + static_cast<std::uint32_t>(d);
          ++digits;
          ++j;
        }
        if (j >= raw.size() || digits == 0) return "invalid \\u escape";
        if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
          return "\\u escape is not a Unicode scalar value";
        std::string bytes;
        AppendUtf8(bytes, cp);
        emit(bytes);
        i = j;
        break;
      }
      default:
        return std::string("invalid escape \\") + e;
    }
  }
  return "";
}

// A kInvalidArgument status for `message` at byte `offset` of `text`, with line and column.
Status ErrorAt(std::string_view text, std::size_t offset, const std::string& message) {
  TextPosition p = PositionOf(text, offset);
  return InvalidArgument(
      "line " + std::to_string(p.line) + ", column " + std::to_string(p.column) + ": " + message,
      Json{{"line", p.line}, {"column", p.column}});
}

// ---------------------------------------------------------------------------------------------
// Lexer

enum class Tok {
  kEnd,
  kIdent,
  kString,
  kInt,
  kSlot,
  kLParen,
  kRParen,
  kLBracket,
  kRBracket,
  kLBrace,
  kRBrace,
  kComma,
  kSemi,
  kDot,
  kColonColon,
  kColon,
  kAt,
  kEq,
  kNotEq,
  kLess,
  kLessEq,
  kGreater,
  kGreaterEq,
  kAssign,
  kAnd,
  kOr,
  kBang,
  kMinus,
  kPlus,
  kStar,
  kSlash,
  kPercent,
};

struct Token {
  Tok kind = Tok::kEnd;
  std::string_view text;  // identifier name, raw string body, digits, or slot name
  std::size_t offset = 0;
};

class Lexer {
 public:
  explicit Lexer(std::string_view src) : src_(src) {}

  // Returns an empty message on success.
  std::string Run(std::vector<Token>* out, std::size_t* error_at) {
    std::size_t i = 0;
    while (true) {
      // Skip whitespace and comments.
      while (i < src_.size()) {
        char c = src_[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
          ++i;
        } else if (c == '/' && i + 1 < src_.size() && src_[i + 1] == '/') {
          while (i < src_.size() && src_[i] != '\n')
            ++i;
        } else {
          break;
        }
      }
      Token t;
      t.offset = i;
      if (i >= src_.size()) {
        out->push_back(t);
        return "";
      }
      char c = src_[i];
      auto is_ident_start = [](char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_';
      };
      auto is_ident_char = [&](char ch) { return is_ident_start(ch) || (ch >= '0' && ch <= '9'); };
      if (is_ident_start(c)) {
        std::size_t j = i;
        while (j < src_.size() && is_ident_char(src_[j]))
          ++j;
        t.kind = Tok::kIdent;
        t.text = src_.substr(i, j - i);
        i = j;
      } else if (c >= '0' && c <= '9') {
        std::size_t j = i;
        while (j < src_.size() && src_[j] >= '0' && src_[j] <= '9')
          ++j;
        t.kind = Tok::kInt;
        t.text = src_.substr(i, j - i);
        i = j;
      } else if (c == '"') {
        std::size_t j = i + 1;
        while (j < src_.size() && src_[j] != '"') {
          if (src_[j] == '\\') ++j;
          ++j;
        }
        if (j >= src_.size()) {
          *error_at = i;
          return "unterminated string literal";
        }
        t.kind = Tok::kString;
        t.text = src_.substr(i + 1, j - i - 1);
        i = j + 1;
      } else if (c == '?') {
        std::size_t j = i + 1;
        while (j < src_.size() && is_ident_char(src_[j]))
          ++j;
        t.kind = Tok::kSlot;
        t.text = src_.substr(i + 1, j - i - 1);
        if (t.text != "principal" && t.text != "resource") {
          *error_at = i;
          return "invalid template slot (expected ?principal or ?resource)";
        }
        i = j;
      } else {
        auto two = [&](char next) { return i + 1 < src_.size() && src_[i + 1] == next; };
        std::size_t len = 1;
        switch (c) {
          case '(':
            t.kind = Tok::kLParen;
            break;
          case ')':
            t.kind = Tok::kRParen;
            break;
          case '[':
            t.kind = Tok::kLBracket;
            break;
          case ']':
            t.kind = Tok::kRBracket;
            break;
          case '{':
            t.kind = Tok::kLBrace;
            break;
          case '}':
            t.kind = Tok::kRBrace;
            break;
          case ',':
            t.kind = Tok::kComma;
            break;
          case ';':
            t.kind = Tok::kSemi;
            break;
          case '.':
            t.kind = Tok::kDot;
            break;
          case '@':
            t.kind = Tok::kAt;
            break;
          case '+':
            t.kind = Tok::kPlus;
            break;
          case '-':
            t.kind = Tok::kMinus;
            break;
          case '*':
            t.kind = Tok::kStar;
            break;
          case '/':
            t.kind = Tok::kSlash;
            break;
          case '%':
            t.kind = Tok::kPercent;
            break;
          case ':':
            if (two(':')) {
              t.kind = Tok::kColonColon;
              len = 2;
            } else {
              t.kind = Tok::kColon;
            }
            break;
          case '=':
            if (two('=')) {
              t.kind = Tok::kEq;
              len = 2;
            } else {
              t.kind = Tok::kAssign;
            }
            break;
          case '!':
            if (two('=')) {
              t.kind = Tok::kNotEq;
              len = 2;
            } else {
              t.kind = Tok::kBang;
            }
            break;
          case '<':
            if (two('=')) {
              t.kind = Tok::kLessEq;
              len = 2;
            } else {
              t.kind = Tok::kLess;
            }
            break;
          case '>':
            if (two('=')) {
              t.kind = Tok::kGreaterEq;
              len = 2;
            } else {
              t.kind = Tok::kGreater;
            }
            break;
          case '&':
            if (!two('&')) {
              *error_at = i;
              return "unexpected '&' (did you mean '&&'?)";
            }
            t.kind = Tok::kAnd;
            len = 2;
            break;
          case '|':
            if (!two('|')) {
              *error_at = i;
              return "unexpected '|' (did you mean '||'?)";
            }
            t.kind = Tok::kOr;
            len = 2;
            break;
          default:
            *error_at = i;
            return std::string("unexpected character '") + c + "'";
        }
        t.text = src_.substr(i, len);
        i += len;
      }
      out->push_back(t);
    }
  }

 private:
  std::string_view src_;
};

// ---------------------------------------------------------------------------------------------
// Parser

bool IsReserved(std::string_view id) {
  static const std::set<std::string_view> kReserved = {"true", "false", "if",   "then", "else",
                                                       "in",   "is",    "like", "has",  "__cedar"};
  return kReserved.count(id) > 0;
}

// Methods that are Cedar operators rather than extension functions.
struct MethodOp {
  std::string_view name;
  BinaryOp op;
};
constexpr MethodOp kMethodOps[] = {
    {"contains", BinaryOp::kContains},       {"containsAll", BinaryOp::kContainsAll},
    {"containsAny", BinaryOp::kContainsAny}, {"hasTag", BinaryOp::kHasTag},
    {"getTag", BinaryOp::kGetTag},
};

// Extension functions, and whether each is called as a method (receiver first).
struct ExtFunction {
  std::string_view name;
  bool method;
};
constexpr ExtFunction kExtFunctions[] = {
    {"decimal", false},      {"ip", false},
    {"datetime", false},     {"duration", false},
    {"lessThan", true},      {"lessThanOrEqual", true},
    {"greaterThan", true},   {"greaterThanOrEqual", true},
    {"isIpv4", true},        {"isIpv6", true},
    {"isLoopback", true},    {"isMulticast", true},
    {"isInRange", true},     {"offset", true},
    {"durationSince", true}, {"toDate", true},
    {"toTime", true},        {"toMilliseconds", true},
    {"toSeconds", true},     {"toMinutes", true},
    {"toHours", true},       {"toDays", true},
};

const ExtFunction* FindExtFunction(std::string_view name) {
  for (const ExtFunction& f : kExtFunctions) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

class Parser {
 public:
  Parser(std::string_view src, std::vector<Token> tokens) : src_(src), tokens_(std::move(tokens)) {}

  Status error() const { return error_; }

  bool AtEnd() const { return Peek().kind == Tok::kEnd; }
  std::size_t Offset() const { return Peek().offset; }

  // Returns false (with error() set) on failure.
  bool ParsePolicy(Policy* out) {
    while (Peek().kind == Tok::kAt) {
      const Token& at = Next();
      if (!Expect(Tok::kIdent, "an annotation name")) return false;
      std::string key(Prev().text);
      std::string value;
      if (Accept(Tok::kLParen)) {
        if (!ExpectString(&value)) return false;
        if (!Expect(Tok::kRParen, "')'")) return false;
      }
      if (!out->annotations.emplace(key, value).second) {
        return Fail(at, "duplicate annotation @" + key);
      }
    }
    const Token& effect = Peek();
    if (effect.kind == Tok::kIdent && effect.text == "permit") {
      out->effect = Effect::kPermit;
    } else if (effect.kind == Tok::kIdent && effect.text == "forbid") {
      out->effect = Effect::kForbid;
    } else {
      return Fail(effect, "expected 'permit' or 'forbid'");
    }
    Next();
    if (!Expect(Tok::kLParen, "'('")) return false;
    if (!ParseScope("principal", &out->principal)) return false;
    if (!Expect(Tok::kComma, "','")) return false;
    if (!ParseScope("action", &out->action)) return false;
    if (!Expect(Tok::kComma, "','")) return false;
    if (!ParseScope("resource", &out->resource)) return false;
    if (!Expect(Tok::kRParen, "')'")) return false;
    while (Peek().kind == Tok::kIdent && (Peek().text == "when" || Peek().text == "unless")) {
      Condition cond;
      cond.is_when = Next().text == "when";
      if (!Expect(Tok::kLBrace, "'{'")) return false;
      if (Peek().kind == Tok::kRBrace) return Fail(Peek(), "empty condition body");
      if (!ParseExpr(&cond.expr)) return false;
      if (!Expect(Tok::kRBrace, "'}'")) return false;
      out->conditions.push_back(std::move(cond));
    }
    if (!Expect(Tok::kSemi, "';' or a when/unless condition")) return false;
    return true;
  }

  bool ParseStandaloneExpr(ExprPtr* out) {
    if (!ParseExpr(out)) return false;
    if (!AtEnd()) return Fail(Peek(), "unexpected token after expression");
    return true;
  }

  bool ParseStandaloneEntity(EntityUid* out) {
    if (!ParseEntityRef(out)) return false;
    if (!AtEnd()) return Fail(Peek(), "unexpected token after entity reference");
    return true;
  }

 private:
  const Token& Peek(std::size_t ahead = 0) const {
    std::size_t i = pos_ + ahead;
    return i < tokens_.size() ? tokens_[i] : tokens_.back();
  }
  const Token& Next() {
    const Token& t = Peek();
    if (pos_ + 1 < tokens_.size()) ++pos_;
    return t;
  }
  const Token& Prev() const { return tokens_[pos_ == 0 ? 0 : pos_ - 1]; }
  bool Accept(Tok kind) {
    if (Peek().kind != kind) return false;
    Next();
    return true;
  }
  bool Expect(Tok kind, std::string_view what) {
    if (Accept(kind)) return true;
    return Fail(Peek(), "expected " + std::string(what));
  }
  bool IsKeyword(std::string_view word, std::size_t ahead = 0) const {
    return Peek(ahead).kind == Tok::kIdent && Peek(ahead).text == word;
  }

  bool Fail(const Token& at, const std::string& message) {
    return FailAt(at.offset, message + (at.kind == Tok::kEnd ? " (found end of input)" : ""));
  }
  bool FailAt(std::size_t offset, const std::string& message) {
    if (error_.ok()) error_ = ErrorAt(src_, offset, message);
    return false;
  }

  bool ExpectString(std::string* out) {
    const Token& t = Peek();
    if (t.kind != Tok::kString) return Fail(t, "expected a string literal");
    Next();
    std::size_t at = 0;
    std::string msg = Unescape(t.text, false, out, nullptr, &at);
    if (!msg.empty()) return FailAt(t.offset + 1 + at, msg);
    return true;
  }

  // Path `A::B::"id"`.
  bool ParseEntityRef(EntityUid* out) {
    if (Peek().kind != Tok::kIdent) return Fail(Peek(), "expected an entity reference");
    std::string path(Next().text);
    while (true) {
      if (!Expect(Tok::kColonColon, "'::'")) return false;
      if (Peek().kind == Tok::kString) break;
      if (Peek().kind != Tok::kIdent) return Fail(Peek(), "expected an identifier or string");
      path += "::";
      path += Next().text;
    }
    out->type = std::move(path);
    return ExpectString(&out->id);
  }

  bool ParseEntityOrSlot(Slot slot, EntityOrSlot* out) {
    if (Peek().kind == Tok::kSlot) {
      const Token& t = Next();
      Slot found = t.text == "principal" ? Slot::kPrincipal : Slot::kResource;
      if (found != slot) return Fail(t, "slot ?" + std::string(t.text) + " is not allowed here");
      out->slot = slot;
      return true;
    }
    EntityUid uid;
    if (!ParseEntityRef(&uid)) return false;
    out->uid = std::move(uid);
    return true;
  }

  bool ParsePath(std::string* out) {
    if (Peek().kind != Tok::kIdent) return Fail(Peek(), "expected an entity type name");
    *out = std::string(Next().text);
    while (Peek().kind == Tok::kColonColon && Peek(1).kind == Tok::kIdent) {
      Next();
      *out += "::";
      *out += Next().text;
    }
    if (IsReserved(*out)) return Fail(Prev(), "'" + *out + "' is a reserved word");
    return true;
  }

  bool ParseScope(std::string_view var, ScopeConstraint* out) {
    if (!IsKeyword(var)) return Fail(Peek(), "expected '" + std::string(var) + "'");
    Next();
    Slot slot = var == "resource" ? Slot::kResource : Slot::kPrincipal;
    bool is_action = var == "action";
    if (Accept(Tok::kEq)) {
      out->kind = ScopeConstraint::Kind::kEq;
      if (is_action) {
        EntityUid uid;
        if (!ParseEntityRef(&uid)) return false;
        out->target.uid = std::move(uid);
        return true;
      }
      return ParseEntityOrSlot(slot, &out->target);
    }
    if (IsKeyword("is")) {
      if (is_action) return Fail(Peek(), "'is' is not allowed in the action scope");
      Next();
      if (!ParsePath(&out->entity_type)) return false;
      out->kind = ScopeConstraint::Kind::kIs;
      if (IsKeyword("in")) {
        Next();
        out->kind = ScopeConstraint::Kind::kIsIn;
        return ParseEntityOrSlot(slot, &out->target);
      }
      return true;
    }
    if (IsKeyword("in")) {
      Next();
      if (is_action) {
        if (Accept(Tok::kLBracket)) {
          out->kind = ScopeConstraint::Kind::kInSet;
          while (Peek().kind != Tok::kRBracket) {
            EntityUid uid;
            if (!ParseEntityRef(&uid)) return false;
            out->entities.push_back(std::move(uid));
            if (!Accept(Tok::kComma)) break;
          }
          return Expect(Tok::kRBracket, "']'");
        }
        out->kind = ScopeConstraint::Kind::kIn;
        EntityUid uid;
        if (!ParseEntityRef(&uid)) return false;
        out->target.uid = std::move(uid);
        return true;
      }
      out->kind = ScopeConstraint::Kind::kIn;
      return ParseEntityOrSlot(slot, &out->target);
    }
    return true;
  }

  // --- expressions ---

  bool Make(const Token& at, Expr e, ExprPtr* out) {
    e.depth = HeightOf(e);
    if (e.depth > kMaxNesting) return Fail(at, "expression nested too deeply");
    *out = std::make_shared<const Expr>(std::move(e));
    return true;
  }
  bool MakeKind(const Token& at, Expr::Kind kind, std::vector<ExprPtr> args, ExprPtr* out) {
    Expr e;
    e.kind = kind;
    e.args = std::move(args);
    return Make(at, std::move(e), out);
  }
  bool MakeBinary(const Token& at, BinaryOp op, ExprPtr l, ExprPtr r, ExprPtr* out) {
    Expr e;
    e.kind = Expr::Kind::kBinary;
    e.op = op;
    e.args = {std::move(l), std::move(r)};
    return Make(at, std::move(e), out);
  }
  bool MakeAttr(const Token& at, Expr::Kind kind, ExprPtr target, std::string name, ExprPtr* out) {
    Expr e;
    e.kind = kind;
    e.name = std::move(name);
    e.args = {std::move(target)};
    return Make(at, std::move(e), out);
  }

  // Tracks parser recursion, which nested parentheses drive without deepening the tree.
  struct DepthGuard {
    explicit DepthGuard(int* d) : depth(d) { ++*depth; }
    ~DepthGuard() { --*depth; }
    int* depth;
  };

  bool ParseExpr(ExprPtr* out) {
    DepthGuard guard(&recursion_);
    if (recursion_ > kMaxNesting) return Fail(Peek(), "expression nested too deeply");
    if (IsKeyword("if")) {
      const Token& at = Next();
      ExprPtr c, t, e;
      if (!ParseExpr(&c)) return false;
      if (!IsKeyword("then")) return Fail(Peek(), "expected 'then'");
      Next();
      if (!ParseExpr(&t)) return false;
      if (!IsKeyword("else")) return Fail(Peek(), "expected 'else'");
      Next();
      if (!ParseExpr(&e)) return false;
      return MakeKind(at, Expr::Kind::kIf, {c, t, e}, out);
    }
    return ParseOr(out);
  }

  bool ParseOr(ExprPtr* out) {
    if (!ParseAnd(out)) return false;
    while (Peek().kind == Tok::kOr) {
      const Token& at = Next();
      ExprPtr r;
      if (!ParseAnd(&r)) return false;
      if (!MakeKind(at, Expr::Kind::kOr, {*out, r}, out)) return false;
    }
    return true;
  }

  bool ParseAnd(ExprPtr* out) {
    if (!ParseRelation(out)) return false;
    while (Peek().kind == Tok::kAnd) {
      const Token& at = Next();
      ExprPtr r;
      if (!ParseRelation(&r)) return false;
      if (!MakeKind(at, Expr::Kind::kAnd, {*out, r}, out)) return false;
    }
    return true;
  }

  // An attribute name after `.` or `has`: any identifier, or (for `has`) a string.
  bool ParseAttrName(bool allow_string, std::string* out) {
    if (Peek().kind == Tok::kIdent) {
      *out = std::string(Next().text);
      return true;
    }
    if (allow_string && Peek().kind == Tok::kString) return ExpectString(out);
    return Fail(Peek(), "expected an attribute name");
  }

  bool ParseRelation(ExprPtr* out) {
    ExprPtr left;
    if (!ParseAdd(&left)) return false;
    const Token& at = Peek();
    BinaryOp op;
    bool negate = false;
    switch (at.kind) {
      case Tok::kEq:
        op = BinaryOp::kEq;
        break;
      case Tok::kNotEq:
        op = BinaryOp::kEq;
        negate = true;
        break;
      case Tok::kLess:
        op = BinaryOp::kLess;
        break;
      case Tok::kLessEq:
        op = BinaryOp::kLessEq;
        break;
      case Tok::kGreater:
        op = BinaryOp::kGreater;
        break;
      case Tok::kGreaterEq:
        op = BinaryOp::kGreaterEq;
        break;
      case Tok::kAssign:
        return Fail(at, "'=' is not an operator (did you mean '=='?)");
      case Tok::kIdent:
        if (at.text == "in") {
          op = BinaryOp::kIn;
          break;
        }
        if (at.text == "has") {
          Next();
          std::vector<std::string> path(1);
          if (Peek().kind == Tok::kString) {
            if (!ExpectString(&path[0])) return false;
          } else {
            if (!ParseAttrName(false, &path[0])) return false;
            while (Accept(Tok::kDot)) {
              path.emplace_back();
              if (!ParseAttrName(false, &path.back())) return false;
            }
          }
          // `e has a.b` is `e has a && e.a has b`.
          ExprPtr target = left;
          ExprPtr result;
          for (std::size_t i = 0; i < path.size(); ++i) {
            ExprPtr test;
            if (!MakeAttr(at, Expr::Kind::kHasAttr, target, path[i], &test)) return false;
            if (i == 0) {
              result = test;
            } else if (!MakeKind(at, Expr::Kind::kAnd, {result, test}, &result)) {
              return false;
            }
            if (!MakeAttr(at, Expr::Kind::kGetAttr, target, path[i], &target)) return false;
          }
          *out = result;
          return CheckNoChainedRelation();
        }
        if (at.text == "like") {
          Next();
          const Token& pat = Peek();
          if (pat.kind != Tok::kString) return Fail(pat, "expected a pattern string after 'like'");
          Next();
          Expr e;
          e.kind = Expr::Kind::kLike;
          std::size_t err_at = 0;
          std::string msg = Unescape(pat.text, true, nullptr, &e.pattern, &err_at);
          if (!msg.empty()) return FailAt(pat.offset + 1 + err_at, msg);
          e.args = {left};
          if (!Make(at, std::move(e), out)) return false;
          return CheckNoChainedRelation();
        }
        if (at.text == "is") {
          Next();
          std::string type;
          if (!ParsePath(&type)) return false;
          if (!MakeAttr(at, Expr::Kind::kIs, left, type, out)) return false;
          if (IsKeyword("in")) {
            const Token& in_at = Next();
            ExprPtr container, in_test;
            if (!ParseAdd(&container)) return false;
            if (!MakeBinary(in_at, BinaryOp::kIn, left, container, &in_test)) return false;
            if (!MakeKind(at, Expr::Kind::kAnd, {*out, in_test}, out)) return false;
          }
          return CheckNoChainedRelation();
        }
        *out = left;
        return true;
      default:
        *out = left;
        return true;
    }
    Next();
    ExprPtr right;
    if (!ParseAdd(&right)) return false;
    if (!MakeBinary(at, op, left, right, out)) return false;
    if (negate && !MakeKind(at, Expr::Kind::kNot, {*out}, out)) return false;
    return CheckNoChainedRelation();
  }

  bool CheckNoChainedRelation() {
    switch (Peek().kind) {
      case Tok::kEq:
      case Tok::kNotEq:
      case Tok::kLess:
      case Tok::kLessEq:
      case Tok::kGreater:
      case Tok::kGreaterEq:
        return Fail(Peek(), "relational operators cannot be chained; add parentheses");
      case Tok::kIdent:
        if (Peek().text == "in" || Peek().text == "has" || Peek().text == "like" ||
            Peek().text == "is") {
          return Fail(Peek(), "relational operators cannot be chained; add parentheses");
        }
        return true;
      default:
        return true;
    }
  }

  bool ParseAdd(ExprPtr* out) {
    if (!ParseMult(out)) return false;
    while (Peek().kind == Tok::kPlus || Peek().kind == Tok::kMinus) {
      const Token& at = Next();
      ExprPtr r;
      if (!ParseMult(&r)) return false;
      BinaryOp op = at.kind == Tok::kPlus ? BinaryOp::kAdd : BinaryOp::kSub;
      if (!MakeBinary(at, op, *out, r, out)) return false;
    }
    return true;
  }

  bool ParseMult(ExprPtr* out) {
    if (!ParseUnary(out)) return false;
    while (true) {
      const Token& at = Peek();
      if (at.kind == Tok::kSlash || at.kind == Tok::kPercent) {
        return Fail(at, "'" + std::string(at.text) + "' is not a Cedar operator");
      }
      if (at.kind != Tok::kStar) return true;
      Next();
      ExprPtr r;
      if (!ParseUnary(&r)) return false;
      if (!MakeBinary(at, BinaryOp::kMul, *out, r, out)) return false;
    }
  }

  bool ParseUnary(ExprPtr* out) {
    const Token& first = Peek();
    if (first.kind != Tok::kBang && first.kind != Tok::kMinus) return ParseMember(out);
    Tok op = first.kind;
    int count = 0;
    while (Peek().kind == op) {
      Next();
      ++count;
    }
    // Cedar allows at most four repeated unary operators.
    if (count > 4) return Fail(first, "too many repeated unary operators (at most 4)");
    if (op == Tok::kMinus && Peek().kind == Tok::kInt && !IsMemberAccess(Peek(1))) {
      // `-N` is a literal, so that -9223372036854775808 can be written.
      const Token& lit = Next();
      std::int64_t value = 0;
      if (!ParseIntLiteral(lit, true, &value)) return false;
      Expr e;
      e.value = Value(value);
      if (!Make(lit, std::move(e), out)) return false;
      --count;
    } else if (!ParseMember(out)) {
      return false;
    }
    for (int i = 0; i < count; ++i) {
      Expr::Kind kind = op == Tok::kBang ? Expr::Kind::kNot : Expr::Kind::kNeg;
      if (!MakeKind(first, kind, {*out}, out)) return false;
    }
    return true;
  }

  static bool IsMemberAccess(const Token& t) {
    return t.kind == Tok::kDot || t.kind == Tok::kLBracket || t.kind == Tok::kLParen;
  }

  bool ParseIntLiteral(const Token& t, bool negative, std::int64_t* out) {
    std::uint64_t v = 0;
    const std::uint64_t limit = negative ? (std::uint64_t{1} << 63) : (std::uint64_t{1} << 63) - 1;
    for (char c : t.text) {
      std::uint64_t d = static_cast<std::uint64_t>(c - '0');
      if (v > (limit - d) / 10) return Fail(t, "integer literal out of range");
      v = v * 10 + d;
    }
    *out = negative ? static_cast<std::int64_t>(0 - v) : static_cast<std::int64_t>(v);
    return true;
  }

  bool ParseArgs(std::vector<ExprPtr>* args) {
    // After '('.
    while (Peek().kind != Tok::kRParen) {
      ExprPtr a;
      if (!ParseExpr(&a)) return false;
      args->push_back(std::move(a));
      if (!Accept(Tok::kComma)) break;
    }
    return Expect(Tok::kRParen, "')' or ','");
  }

  bool ParseMember(ExprPtr* out) {
    if (!ParsePrimary(out)) return false;
    while (true) {
      const Token& at = Peek();
      if (at.kind == Tok::kDot) {
        Next();
        std::string name;
        if (!ParseAttrName(false, &name)) return false;
        if (Peek().kind != Tok::kLParen) {
          if (!MakeAttr(at, Expr::Kind::kGetAttr, *out, name, out)) return false;
          continue;
        }
        Next();
        std::vector<ExprPtr> args{*out};
        if (!ParseArgs(&args)) return false;
        if (!MakeMethodCall(at, name, std::move(args), out)) return false;
      } else if (at.kind == Tok::kLBracket) {
        Next();
        std::string name;
        if (Peek().kind != Tok::kString) return Fail(Peek(), "expected a string literal index");
        if (!ExpectString(&name)) return false;
        if (!Expect(Tok::kRBracket, "']'")) return false;
        if (!MakeAttr(at, Expr::Kind::kGetAttr, *out, name, out)) return false;
      } else if (at.kind == Tok::kLParen) {
        return Fail(at, "only extension functions and methods can be called");
      } else {
        return true;
      }
    }
  }

  bool MakeMethodCall(const Token& at, const std::string& name, std::vector<ExprPtr> args,
                      ExprPtr* out) {
    for (const MethodOp& m : kMethodOps) {
      if (m.name != name) continue;
      if (args.size() != 2) return Fail(at, name + " takes exactly one argument");
      return MakeBinary(at, m.op, args[0], args[1], out);
    }
    if (name == "isEmpty") {
      if (args.size() != 1) return Fail(at, "isEmpty takes no arguments");
      return MakeKind(at, Expr::Kind::kIsEmpty, std::move(args), out);
    }
    const ExtFunction* f = FindExtFunction(name);
    // A wrong argument count is an evaluation error in Cedar, not a parse error.
    if (f == nullptr || !f->method) return Fail(at, "unknown method '" + name + "'");
    Expr e;
    e.kind = Expr::Kind::kCall;
    e.name = name;
    e.args = std::move(args);
    return Make(at, std::move(e), out);
  }

  bool ParsePrimary(ExprPtr* out) {
    const Token& t = Peek();
    switch (t.kind) {
      case Tok::kInt: {
        Next();
        std::int64_t v = 0;
        if (!ParseIntLiteral(t, false, &v)) return false;
        Expr e;
        e.value = Value(v);
        return Make(t, std::move(e), out);
      }
      case Tok::kString: {
        std::string s;
        if (!ExpectString(&s)) return false;
        Expr e;
        e.value = Value(std::move(s));
        return Make(t, std::move(e), out);
      }
      case Tok::kSlot:
        return Fail(t, "template slots may only appear in the policy scope");
      case Tok::kLParen: {
        Next();
        if (!ParseExpr(out)) return false;
        return Expect(Tok::kRParen, "')'");
      }
      case Tok::kLBracket: {
        Next();
        Expr e;
        e.kind = Expr::Kind::kSet;
        while (Peek().kind != Tok::kRBracket) {
          ExprPtr a;
          if (!ParseExpr(&a)) return false;
          e.args.push_back(std::move(a));
          if (!Accept(Tok::kComma)) break;
        }
        if (!Expect(Tok::kRBracket, "']' or ','")) return false;
        return Make(t, std::move(e), out);
      }
      case Tok::kLBrace: {
        Next();
        Expr e;
        e.kind = Expr::Kind::kRecord;
        std::set<std::string> seen;
        while (Peek().kind != Tok::kRBrace) {
          const Token& key_at = Peek();
          std::string key;
          if (!ParseAttrName(true, &key)) return false;
          if (!seen.insert(key).second) return Fail(key_at, "duplicate record key \"" + key + "\"");
          if (!Expect(Tok::kColon, "':'")) return false;
          ExprPtr v;
          if (!ParseExpr(&v)) return false;
          e.fields.emplace_back(std::move(key), std::move(v));
          if (!Accept(Tok::kComma)) break;
        }
        if (!Expect(Tok::kRBrace, "'}' or ','")) return false;
        return Make(t, std::move(e), out);
      }
      case Tok::kIdent:
        return ParseNamePrimary(out);
      default:
        return Fail(t, "expected an expression");
    }
  }

  bool ParseNamePrimary(ExprPtr* out) {
    const Token& t = Peek();
    if (t.text == "true" || t.text == "false") {
      Next();
      Expr e;
      e.value = Value(t.text == "true");
      return Make(t, std::move(e), out);
    }
    if (Peek(1).kind == Tok::kColonColon) {
      EntityUid uid;
      if (!ParseEntityRef(&uid)) return false;
      Expr e;
      e.value = Value(std::move(uid));
      return Make(t, std::move(e), out);
    }
    static const std::pair<std::string_view, Var> kVars[] = {{"principal", Var::kPrincipal},
                                                             {"action", Var::kAction},
                                                             {"resource", Var::kResource},
                                                             {"context", Var::kContext}};
    for (const auto& [name, var] : kVars) {
      if (t.text != name) continue;
      Next();
      Expr e;
      e.kind = Expr::Kind::kVar;
      e.var = var;
      return Make(t, std::move(e), out);
    }
    if (Peek(1).kind == Tok::kLParen) {
      const ExtFunction* f = FindExtFunction(t.text);
      if (f == nullptr || f->method) {
        return Fail(t, "unknown function '" + std::string(t.text) + "'");
      }
      Next();
      Next();
      Expr e;
      e.kind = Expr::Kind::kCall;
      e.name = std::string(t.text);
      if (!ParseArgs(&e.args)) return false;
      return Make(t, std::move(e), out);
    }
    return Fail(t, "unexpected identifier '" + std::string(t.text) + "'");
  }

  std::string_view src_;
  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
  int recursion_ = 0;
  Status error_;
};

Result<Parser> MakeParser(std::string_view text) {
  std::vector<Token> tokens;
  std::size_t error_at = 0;
  std::string msg = Lexer(text).Run(&tokens, &error_at);
  if (!msg.empty()) return ErrorAt(text, error_at, msg);
  return Parser(text, std::move(tokens));
}

}  // namespace

Result<PolicySet> ParsePolicySet(std::string_view text) {
  PACTUM_ASSIGN_OR_RETURN(Parser parser, MakeParser(text));
  PolicySet set;
  std::set<std::string> ids;
  std::size_t index = 0;
  while (!parser.AtEnd()) {
    Policy policy;
    std::size_t start = parser.Offset();
    if (!parser.ParsePolicy(&policy)) return parser.error();
    auto id = policy.annotations.find("id");
    policy.id = id != policy.annotations.end() ? id->second : "policy" + std::to_string(index);
    ++index;
    if (!ids.insert(policy.id).second) {
      return ErrorAt(text, start, "duplicate policy id \"" + policy.id + "\"");
    }
    (policy.IsTemplate() ? set.templates : set.policies).push_back(std::move(policy));
  }
  return set;
}

Result<Policy> ParsePolicy(std::string_view text) {
  PACTUM_ASSIGN_OR_RETURN(PolicySet set, ParsePolicySet(text));
  std::size_t n = set.policies.size() + set.templates.size();
  if (n != 1) return InvalidArgument("expected exactly one policy, found " + std::to_string(n));
  return set.policies.empty() ? std::move(set.templates[0]) : std::move(set.policies[0]);
}

Result<ExprPtr> ParseExpression(std::string_view text) {
  PACTUM_ASSIGN_OR_RETURN(Parser parser, MakeParser(text));
  ExprPtr e;
  if (!parser.ParseStandaloneExpr(&e)) return parser.error();
  return e;
}

Result<EntityUid> ParseEntityUid(std::string_view text) {
  PACTUM_ASSIGN_OR_RETURN(Parser parser, MakeParser(text));
  EntityUid uid;
  if (!parser.ParseStandaloneEntity(&uid)) return parser.error();
  return uid;
}

Result<Pattern> ParsePattern(std::string_view raw_body) {
  Pattern p;
  std::size_t at = 0;
  std::string msg = Unescape(raw_body, true, nullptr, &p, &at);
  if (!msg.empty()) return InvalidArgument(msg + " at offset " + std::to_string(at));
  return p;
}

Result<std::string> UnescapeString(std::string_view raw_body) {
  std::string s;
  std::size_t at = 0;
  std::string msg = Unescape(raw_body, false, &s, nullptr, &at);
  if (!msg.empty()) return InvalidArgument(msg + " at offset " + std::to_string(at));
  return s;
}

}  // namespace pactum::cedar
