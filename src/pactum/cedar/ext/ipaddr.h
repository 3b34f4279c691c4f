// Cedar's `ipaddr` extension type: an IPv4 or IPv6 address with a CIDR prefix length.
//
// Parse accepts what Cedar 4.x accepts: dotted-quad IPv4 (decimal octets, no leading zeros)
// or colon-hex IPv6 (at most one "::", which stands for at least one zero group), each
// optionally followed by "/prefix" (decimal, no leading zeros, at most 32 or 128). A missing
// prefix means a single address (/32 or /128). IPv4 embedded in IPv6 ("::ffff:1.2.3.4") and
// zone ids are rejected.
//
// The address is kept as written, not masked: equality compares family, address and prefix,
// so ip("10.0.0.1/24") != ip("10.0.0.0/24"), while IsInRange compares the masked ranges.
// Cedar gives ip addresses no ordering.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "pactum/base/status.h"

namespace pactum::cedar::ext {

class IpAddr {
 public:
  // The argument of the Cedar constructor `ip("...")`.
  static Result<IpAddr> Parse(std::string_view text);

  // "address/prefix", IPv6 in RFC 5952 form: "10.0.0.1/32", "ffee::11/128".
  std::string ToString() const;

  bool IsIpv4() const { return !v6_; }
  bool IsIpv6() const { return v6_; }
  // Within 127.0.0.0/8, or exactly ::1/128.
  bool IsLoopback() const;
  // Within 224.0.0.0/4 or ff00::/8.
  bool IsMulticast() const;
  // True when every address of this range lies in `range`; always false across families.
  bool IsInRange(const IpAddr& range) const;

  int PrefixLength() const { return prefix_; }

  std::size_t Hash() const;

  friend bool operator==(const IpAddr&, const IpAddr&) = default;

 private:
  IpAddr(bool v6, std::uint64_t high, std::uint64_t low, int prefix)
      : v6_(v6), high_(high), low_(low), prefix_(prefix) {}

  bool v6_;
  // The address as a 128-bit number; an IPv4 address occupies the low 32 bits.
  std::uint64_t high_;
  std::uint64_t low_;
  int prefix_;
};

}  // namespace pactum::cedar::ext
