#include "pactum/base/canonical_json.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <initializer_list>
#include <vector>

#include "pactum/base/json.h"

namespace pactum {
namespace {

// Appends the pieces with one size change: std::string checks and grows on every append, which
// for the short names and values of a leaf costs more than the copying.
void AppendAll(std::string* out, std::initializer_list<std::string_view> parts) {
  std::size_t n = 0;
  for (std::string_view p : parts)
    n += p.size();
  const std::size_t at = out->size();
  out->resize(at + n);
  char* d = out->data() + at;
  for (std::string_view p : parts) {
    std::memcpy(d, p.data(), p.size());
    d += p.size();
  }
}

// Decodes UTF-8 into UTF-16 code units; false on malformed input.
bool ToUtf16(std::string_view s, std::u16string* out) {
  out->clear();
  for (std::size_t i = 0; i < s.size();) {
    auto b0 = static_cast<unsigned char>(s[i]);
    char32_t cp;
    std::size_t len;
    if (b0 < 0x80) {
      cp = b0;
      len = 1;
    } else if ((b0 & 0xE0) == 0xC0) {
      cp = b0 & 0x1F;
      len = 2;
    } else if ((b0 & 0xF0) == 0xE0) {
      cp = b0 & 0x0F;
      len = 3;
    } else if ((b0 & 0xF8) == 0xF0) {
      cp = b0 & 0x07;
      len = 4;
    } else {
      return false;
    }
    if (i + len > s.size()) return false;
    for (std::size_t k = 1; k < len; ++k) {
      auto b = static_cast<unsigned char>(s[i + k]);
      if ((b & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (b & 0x3F);
    }
    // Reject overlong forms, surrogates and out-of-range code points.
    static constexpr char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out->push_back(static_cast<char16_t>(0xD800 + (cp >> 10)));
      out->push_back(static_cast<char16_t>(0xDC00 + (cp & 0x3FF)));
    } else {
      out->push_back(static_cast<char16_t>(cp));
    }
    i += len;
  }
  return true;
}

Status AppendString(std::string_view s, std::string* out) {
  // ASCII is valid UTF-8; anything else is checked by converting it.
  const std::size_t plain = JsonPlainRunEnd(s, 0);
  if (plain < s.size() &&
      std::any_of(s.begin() + static_cast<std::ptrdiff_t>(plain), s.end(),
                  [](char c) { return static_cast<unsigned char>(c) >= 0x80; })) {
    std::u16string scratch;
    if (!ToUtf16(s, &scratch)) return InvalidArgument("string is not valid UTF-8");
  }
  if (plain == s.size()) {  // the common case: nothing to escape
    AppendAll(out, {"\"", s, "\""});
    return Status::Ok();
  }
  out->push_back('"');
  // Runs of characters that stand for themselves are copied whole.
  std::size_t run = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    i = JsonPlainRunEnd(s, i);
    if (i == s.size()) break;
    const auto u = static_cast<unsigned char>(s[i]);
    if (u >= 0x20 && u != '"' && u != '\\') continue;  // a byte of a UTF-8 sequence, or DEL
    out->append(s.data() + run, i - run);
    run = i + 1;
    switch (u) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\b':
        out->append("\\b");
        break;
      case '\f':
        out->append("\\f");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default: {
        static constexpr char kHex[] = "0123456789abcdef";
        out->append("\\u00");
        out->push_back(kHex[u >> 4]);
        out->push_back(kHex[u & 0xF]);
      }
    }
  }
  out->append(s.data() + run, s.size() - run);
  out->push_back('"');
  return Status::Ok();
}

// An integer as ECMAScript prints the double it denotes: its decimal digits while the double
// holds it exactly (|n| <= 2^53), the general form beyond.
void AppendInteger(std::int64_t n, std::string* out) {
  constexpr std::int64_t kExact = std::int64_t{1} << 53;
  if (n < -kExact || n > kExact) {
    out->append(EcmaNumberString(static_cast<double>(n)));
    return;
  }
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, n);
  out->append(buf, end);
}

// A double as ECMAScript prints it; NaN and infinities have no JSON form.
Status AppendDouble(double d, std::string* out) {
  if (!std::isfinite(d)) return InvalidArgument("NaN and Infinity have no JSON form");
  out->append(EcmaNumberString(d));
  return Status::Ok();
}

Status Append(const Json& v, std::string* out) {
  switch (v.type()) {
    case Json::value_t::null:
      out->append("null");
      return Status::Ok();
    case Json::value_t::boolean:
      out->append(v.get<bool>() ? "true" : "false");
      return Status::Ok();
    case Json::value_t::number_integer:
      AppendInteger(v.get<std::int64_t>(), out);
      return Status::Ok();
    case Json::value_t::number_unsigned:
      out->append(EcmaNumberString(static_cast<double>(v.get<std::uint64_t>())));
      return Status::Ok();
    case Json::value_t::number_float:
      return AppendDouble(v.get<double>(), out);
    case Json::value_t::string:
      return AppendString(v.get_ref<const std::string&>(), out);
    case Json::value_t::array: {
      out->push_back('[');
      bool first = true;
      for (const Json& item : v) {
        if (!first) out->push_back(',');
        first = false;
        PACTUM_TRY(Append(item, out));
      }
      out->push_back(']');
      return Status::Ok();
    }
    case Json::value_t::object: {
      // Members are kept in byte order, which is code point order; UTF-16 order (RFC 8785
      // §3.2.3) differs from it only where a name has a character beyond U+FFFF (a 4-byte
      // UTF-8 sequence, lead byte 0xF0 or above). Without one, the stored order is the answer.
      bool astral = false;
      for (auto it = v.begin(); it != v.end() && !astral; ++it) {
        for (unsigned char c : it.key())
          astral = astral || c >= 0xF0;
      }
      if (!astral) {
        out->push_back('{');
        bool first = true;
        for (auto it = v.begin(); it != v.end(); ++it) {
          if (!first) out->push_back(',');
          first = false;
          PACTUM_TRY(AppendString(it.key(), out));
          out->push_back(':');
          PACTUM_TRY(Append(it.value(), out));
        }
        out->push_back('}');
        return Status::Ok();
      }
      struct Member {
        std::u16string key16;
        const std::string* key;
        const Json* value;
      };
      std::vector<Member> members;
      members.reserve(v.size());
      for (auto it = v.begin(); it != v.end(); ++it) {
        Member m{{}, &it.key(), &it.value()};
        if (!ToUtf16(it.key(), &m.key16)) return InvalidArgument("member name is not valid UTF-8");
        members.push_back(std::move(m));
      }
      std::sort(members.begin(), members.end(),
                [](const Member& a, const Member& b) { return a.key16 < b.key16; });
      out->push_back('{');
      bool first = true;
      for (const Member& m : members) {
        if (!first) out->push_back(',');
        first = false;
        PACTUM_TRY(AppendString(*m.key, out));
        out->push_back(':');
        PACTUM_TRY(Append(*m.value, out));
      }
      out->push_back('}');
      return Status::Ok();
    }
    case Json::value_t::binary:
    case Json::value_t::discarded:
      break;
  }
  return InvalidArgument("value has no JSON text form");
}

}  // namespace

std::string EcmaNumberString(double value) {
  if (value == 0) return "0";  // covers -0
  std::string out;
  if (value < 0) {
    out.push_back('-');
    value = -value;
  }
  // Shortest round-trip digits, as "d.ddde±x".
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<std::size_t>(end - buf));
  std::size_t e_pos = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e_pos))
    if (c != '.') digits.push_back(c);
  int exp10 = 0;
  std::from_chars(sci.data() + e_pos + 1 + (sci[e_pos + 1] == '+'), sci.data() + sci.size(), exp10);
  const int k = static_cast<int>(digits.size());
  const int n = exp10 + 1;  // value = 0.digits × 10^n
  if (k <= n && n <= 21) {
    out += digits;
    out.append(static_cast<std::size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out += digits.substr(0, static_cast<std::size_t>(n));
    out.push_back('.');
    out += digits.substr(static_cast<std::size_t>(n));
  } else if (-6 < n && n <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-n), '0');
    out += digits;
  } else {
    out.push_back(digits[0]);
    if (k > 1) {
      out.push_back('.');
      out += digits.substr(1);
    }
    out.push_back('e');
    out.push_back(n - 1 >= 0 ? '+' : '-');
    out += std::to_string(std::abs(n - 1));
  }
  return out;
}

namespace {

Status Misuse(const std::string& what) {
  return Internal("canonical JSON writer: " + what);
}

}  // namespace

bool CanonicalWriter::BeforeValue() {
  if (!status_.ok()) return false;
  if (open_.empty()) {
    if (done_) Fail(Misuse("a second value after the document"));
    done_ = true;
    return status_.ok();
  }
  Open& o = open_.back();
  if (o.object) {
    if (!o.named) {
      Fail(Misuse("a value where a member name is due"));
      return false;
    }
    o.named = false;
    return true;
  }
  if (!o.empty) out_.push_back(',');
  o.empty = false;
  return true;
}

void CanonicalWriter::Fail(Status why) {
  if (status_.ok()) status_ = std::move(why);
}

CanonicalWriter& CanonicalWriter::BeginObject() {
  if (BeforeValue()) {
    out_.push_back('{');
    open_.emplace_back().object = true;
  }
  return *this;
}

CanonicalWriter& CanonicalWriter::EndObject() {
  if (!status_.ok()) return *this;
  if (open_.empty() || !open_.back().object || open_.back().named) {
    Fail(Misuse("an object closed where none is open, or before its last value"));
    return *this;
  }
  open_.pop_back();
  out_.push_back('}');
  return *this;
}

CanonicalWriter& CanonicalWriter::BeginArray() {
  if (BeforeValue()) {
    out_.push_back('[');
    open_.emplace_back().object = false;
  }
  return *this;
}

CanonicalWriter& CanonicalWriter::EndArray() {
  if (!status_.ok()) return *this;
  if (open_.empty() || open_.back().object) {
    Fail(Misuse("an array closed where none is open"));
    return *this;
  }
  open_.pop_back();
  out_.push_back(']');
  return *this;
}

CanonicalWriter& CanonicalWriter::Name(std::string_view name) {
  if (!status_.ok()) return *this;
  if (open_.empty() || !open_.back().object || open_.back().named) {
    Fail(Misuse("member name \"" + std::string(name) +
                "\" outside an object or where a value is due"));
    return *this;
  }
  Open& o = open_.back();
  // A plain ASCII name (the usual one) needs neither escapes nor the UTF-16 order check, and
  // is written as it is, so the next name is checked against the text already written.
  const bool plain = JsonPlainRunEnd(name, 0) == name.size();
  const bool astral = !plain && std::any_of(name.begin(), name.end(), [](char c) {
    return static_cast<unsigned char>(c) >= 0xF0;
  });
  const std::string_view last = o.last_escaped
                                    ? std::string_view(o.last_name)
                                    : std::string_view(out_).substr(o.last_at, o.last_size);
  if (astral || (!o.empty && name <= last)) {
    Fail(Misuse("member name \"" + std::string(name) + "\" out of canonical order"));
    return *this;
  }
  const std::string_view open_quote = o.empty ? "\"" : ",\"";
  o.empty = false;
  o.named = true;
  if (plain) {
    o.last_escaped = false;
    o.last_at = out_.size() + open_quote.size();
    o.last_size = name.size();
    AppendAll(&out_, {open_quote, name, "\":"});
    return *this;
  }
  o.last_escaped = true;
  o.last_name.assign(name);
  out_.append(open_quote.substr(0, open_quote.size() - 1));
  Status s = AppendString(name, &out_);
  if (!s.ok()) Fail(std::move(s));
  out_.push_back(':');
  return *this;
}

CanonicalWriter& CanonicalWriter::String(std::string_view value) {
  if (BeforeValue()) {
    Status s = AppendString(value, &out_);
    if (!s.ok()) Fail(std::move(s));
  }
  return *this;
}

CanonicalWriter& CanonicalWriter::Int(std::int64_t value) {
  if (BeforeValue()) AppendInteger(value, &out_);
  return *this;
}

CanonicalWriter& CanonicalWriter::Number(double value) {
  if (BeforeValue()) {
    Status s = AppendDouble(value, &out_);
    if (!s.ok()) Fail(std::move(s));
  }
  return *this;
}

CanonicalWriter& CanonicalWriter::Bool(bool value) {
  if (BeforeValue()) out_.append(value ? "true" : "false");
  return *this;
}

CanonicalWriter& CanonicalWriter::Value(const Json& value) {
  if (BeforeValue()) {
    Status s = Append(value, &out_);
    if (!s.ok()) Fail(std::move(s));
  }
  return *this;
}

CanonicalWriter& CanonicalWriter::Canonical(std::string_view text) {
  if (BeforeValue()) out_.append(text);
  return *this;
}

Result<std::string> CanonicalWriter::Finish() && {
  if (status_.ok() && (!open_.empty() || !done_)) Fail(Misuse("the document is not complete"));
  if (!status_.ok()) return status_;
  return std::move(out_);
}

Result<std::string> CanonicalJson(const Json& value) {
  std::string out;
  PACTUM_TRY(Append(value, &out));
  return out;
}

Result<std::string> CanonicalizeJsonText(std::string_view text) {
  PACTUM_ASSIGN_OR_RETURN(Json doc, ParseJson(text));
  return CanonicalJson(doc);
}

}  // namespace pactum
