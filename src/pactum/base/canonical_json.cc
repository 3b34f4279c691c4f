#include "pactum/base/canonical_json.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <vector>

#include "pactum/base/json.h"

namespace pactum {
namespace {

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
  const bool ascii =
      std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  std::u16string scratch;
  if (!ascii && !ToUtf16(s, &scratch)) return InvalidArgument("string is not valid UTF-8");
  out->push_back('"');
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    switch (c) {
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
      default:
        if (u < 0x20) {
          static constexpr char kHex[] = "0123456789abcdef";
          out->append("\\u00");
          out->push_back(kHex[u >> 4]);
          out->push_back(kHex[u & 0xF]);
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
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
      out->append(EcmaNumberString(static_cast<double>(v.get<std::int64_t>())));
      return Status::Ok();
    case Json::value_t::number_unsigned:
      out->append(EcmaNumberString(static_cast<double>(v.get<std::uint64_t>())));
      return Status::Ok();
    case Json::value_t::number_float: {
      double d = v.get<double>();
      if (!std::isfinite(d)) return InvalidArgument("NaN and Infinity have no JSON form");
      out->append(EcmaNumberString(d));
      return Status::Ok();
    }
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
