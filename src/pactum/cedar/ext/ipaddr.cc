#include "pactum/cedar/ext/ipaddr.h"

#include <algorithm>
#include <array>
#include <functional>

#include <fmt/format.h>

#include "pactum/cedar/ext/literal.h"

namespace pactum::cedar::ext {
namespace {

constexpr std::string_view kIpAddrType = "ip address";
__extension__ typedef unsigned __int128 Uint128;

constexpr int kV4Bits = 32;
constexpr int kV6Bits = 128;
constexpr int kV6Groups = 8;

int HexValue(char c) {
  if (IsAsciiDigit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A decimal number of 1..max_digits ASCII digits without leading zeros ("0" itself is fine),
// as both IPv4 octets and prefix lengths are written. Returns -1 when malformed.
int ParseDecimalField(std::string_view field, std::size_t max_digits) {
  if (field.empty() || field.size() > max_digits) return -1;
  if (field.size() > 1 && field[0] == '0') return -1;
  int value = 0;
  for (char c : field) {
    if (!IsAsciiDigit(c)) return -1;
    value = value * 10 + (c - '0');
  }
  return value;
}

Result<std::uint32_t> ParseV4(std::string_view text, std::string_view address) {
  std::uint32_t value = 0;
  std::size_t begin = 0;
  for (int octet = 0; octet < 4; ++octet) {
    const std::size_t dot = octet < 3 ? address.find('.', begin) : address.size();
    if (dot == std::string_view::npos) {
      return InvalidLiteral(kIpAddrType, text, "an IPv4 address has four octets");
    }
    const std::string_view field = address.substr(begin, dot - begin);
    const int number = ParseDecimalField(field, 3);
    if (number < 0 || number > 255) {
      return InvalidLiteral(kIpAddrType, text,
                            fmt::format("octet {} {} is not a decimal number from 0 to 255 "
                                        "without leading zeros",
                                        octet + 1, Quoted(field)));
    }
    value = (value << 8) | static_cast<std::uint32_t>(number);
    begin = dot + 1;
  }
  return value;
}

// Appends the ':'-separated hex groups of `part` (possibly empty) to `groups`.
Status ParseV6Groups(std::string_view text, std::string_view part,
                     std::array<std::uint16_t, kV6Groups>& groups, int& count) {
  if (part.empty()) return Status::Ok();
  std::size_t begin = 0;
  while (true) {
    const std::size_t colon = std::min(part.find(':', begin), part.size());
    const std::string_view field = part.substr(begin, colon - begin);
    if (count == kV6Groups) {
      return InvalidLiteral(kIpAddrType, text, "an IPv6 address has at most 8 groups");
    }
    if (field.find('.') != std::string_view::npos) {
      return InvalidLiteral(kIpAddrType, text,
                            "IPv4 embedded in IPv6 is not accepted; write it in hex");
    }
    unsigned value = 0;
    for (char c : field) {
      const int digit = HexValue(c);
      if (digit < 0) {
        return InvalidLiteral(kIpAddrType, text,
                              fmt::format("IPv6 group {} is not hexadecimal", Quoted(field)));
      }
      value = value * 16 + static_cast<unsigned>(digit);
    }
    if (field.empty() || field.size() > 4) {
      return InvalidLiteral(
          kIpAddrType, text,
          fmt::format("IPv6 group {} must have 1 to 4 hex digits", Quoted(field)));
    }
    groups[static_cast<std::size_t>(count++)] = static_cast<std::uint16_t>(value);
    if (colon == part.size()) return Status::Ok();
    begin = colon + 1;
  }
}

Result<Uint128> ParseV6(std::string_view text, std::string_view address) {
  std::array<std::uint16_t, kV6Groups> head{};
  std::array<std::uint16_t, kV6Groups> tail{};
  int head_count = 0;
  int tail_count = 0;
  const std::size_t gap = address.find("::");
  if (gap == std::string_view::npos) {
    PACTUM_TRY(ParseV6Groups(text, address, head, head_count));
    if (head_count != kV6Groups) {
      return InvalidLiteral(kIpAddrType, text,
                            "an IPv6 address without \"::\" has exactly 8 groups");
    }
  } else {
    const std::string_view after = address.substr(gap + 2);
    if (after.find("::") != std::string_view::npos) {
      return InvalidLiteral(kIpAddrType, text, "\"::\" may appear only once");
    }
    PACTUM_TRY(ParseV6Groups(text, address.substr(0, gap), head, head_count));
    PACTUM_TRY(ParseV6Groups(text, after, tail, tail_count));
    if (head_count + tail_count >= kV6Groups) {
      return InvalidLiteral(kIpAddrType, text, "\"::\" must stand for at least one zero group");
    }
  }
  Uint128 value = 0;
  for (int i = 0; i < head_count; ++i) {
    value = (value << 16) | head[static_cast<std::size_t>(i)];
  }
  for (int i = head_count + tail_count; i < kV6Groups; ++i) {
    value <<= 16;  // a zero group that "::" stands for
  }
  for (int i = 0; i < tail_count; ++i) {
    value = (value << 16) | tail[static_cast<std::size_t>(i)];
  }
  return value;
}

struct Range {
  Uint128 first;
  Uint128 last;
};

Range RangeOf(bool v6, Uint128 address, int prefix) {
  const int host_bits = (v6 ? kV6Bits : kV4Bits) - prefix;
  const Uint128 host_mask = host_bits == kV6Bits ? ~Uint128{0} : (Uint128{1} << host_bits) - 1;
  const Uint128 first = address & ~host_mask;
  return {first, first | host_mask};
}

}  // namespace

Result<IpAddr> IpAddr::Parse(std::string_view text) {
  const std::size_t slash = text.find('/');
  const std::string_view address = text.substr(0, slash);
  const bool v6 = address.find(':') != std::string_view::npos;
  const int max_prefix = v6 ? kV6Bits : kV4Bits;
  int prefix = max_prefix;
  if (slash != std::string_view::npos) {
    const std::string_view field = text.substr(slash + 1);
    if (field.find('/') != std::string_view::npos) {
      return InvalidLiteral(kIpAddrType, text, "more than one '/'");
    }
    prefix = ParseDecimalField(field, v6 ? 3 : 2);
    if (prefix < 0 || prefix > max_prefix) {
      return InvalidLiteral(kIpAddrType, text,
                            fmt::format("prefix length {} is not a decimal number from 0 to {} "
                                        "without leading zeros",
                                        Quoted(field), max_prefix));
    }
  }
  if (!v6) {
    PACTUM_ASSIGN_OR_RETURN(const std::uint32_t value, ParseV4(text, address));
    return IpAddr(false, 0, value, prefix);
  }
  PACTUM_ASSIGN_OR_RETURN(const Uint128 value, ParseV6(text, address));
  return IpAddr(true, static_cast<std::uint64_t>(value >> 64), static_cast<std::uint64_t>(value),
                prefix);
}

std::string IpAddr::ToString() const {
  if (!v6_) {
    return fmt::format("{}.{}.{}.{}/{}", (low_ >> 24) & 0xff, (low_ >> 16) & 0xff,
                       (low_ >> 8) & 0xff, low_ & 0xff, prefix_);
  }
  std::array<unsigned, kV6Groups> groups{};
  for (int i = 0; i < kV6Groups; ++i) {
    const std::uint64_t word = i < 4 ? high_ : low_;
    groups[static_cast<std::size_t>(i)] = (word >> (16 * (3 - i % 4))) & 0xffff;
  }
  // RFC 5952 §4.2: compress the longest run of two or more zero groups, the first on a tie.
  int best_start = -1;
  int best_length = 1;
  for (int i = 0; i < kV6Groups;) {
    int j = i;
    while (j < kV6Groups && groups[static_cast<std::size_t>(j)] == 0) {
      ++j;
    }
    if (j - i > best_length) {
      best_start = i;
      best_length = j - i;
    }
    i = j == i ? i + 1 : j;
  }
  std::string out;
  for (int i = 0; i < kV6Groups; ++i) {
    if (i == best_start) {
      out += "::";
      i += best_length - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    out += fmt::format("{:x}", groups[static_cast<std::size_t>(i)]);
  }
  return fmt::format("{}/{}", out, prefix_);
}

bool IpAddr::IsInRange(const IpAddr& range) const {
  if (v6_ != range.v6_) return false;
  const Range inner = RangeOf(v6_, (Uint128{high_} << 64) | low_, prefix_);
  const Range outer = RangeOf(range.v6_, (Uint128{range.high_} << 64) | range.low_, range.prefix_);
  return outer.first <= inner.first && inner.last <= outer.last;
}

bool IpAddr::IsLoopback() const {
  static const IpAddr kV4(false, 0, 0x7f000000, 8);
  static const IpAddr kV6(true, 0, 1, kV6Bits);
  return IsInRange(v6_ ? kV6 : kV4);
}

bool IpAddr::IsMulticast() const {
  static const IpAddr kV4(false, 0, 0xe0000000, 4);
  static const IpAddr kV6(true, std::uint64_t{0xff00} << 48, 0, 8);
  return IsInRange(v6_ ? kV6 : kV4);
}

std::size_t IpAddr::Hash() const {
  const std::hash<std::uint64_t> hash;
  std::size_t h = hash(low_);
  h = h * 1000003 ^ hash(high_);
  return h * 1000003 ^ static_cast<std::size_t>(prefix_ * 2 + (v6_ ? 1 : 0));
}

}  // namespace pactum::cedar::ext
