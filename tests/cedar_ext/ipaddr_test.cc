#include "pactum/cedar/ext/ipaddr.h"

#include <string>

#include <gtest/gtest.h>

#include "expect_rejected.h"

namespace pactum::cedar::ext {
namespace {

using testing::ExpectRejected;

IpAddr Ip(const std::string& text) {
  Result<IpAddr> parsed = IpAddr::Parse(text);
  EXPECT_TRUE(parsed.ok()) << text << ": " << parsed.status().ToString();
  return parsed.ok() ? *parsed : *IpAddr::Parse("0.0.0.0/0");
}

TEST(IpAddr, FamiliesAndDefaultPrefixes) {
  EXPECT_TRUE(Ip("127.0.0.1").IsIpv4());
  EXPECT_FALSE(Ip("127.0.0.1").IsIpv6());
  EXPECT_EQ(Ip("127.0.0.1").PrefixLength(), 32);
  EXPECT_TRUE(Ip("::1").IsIpv6());
  EXPECT_FALSE(Ip("::1").IsIpv4());
  EXPECT_EQ(Ip("::1").PrefixLength(), 128);
  // IPv4-mapped written in hex is an IPv6 address.
  EXPECT_TRUE(Ip("::ffff:ff00:1").IsIpv6());
  EXPECT_TRUE(Ip("127.0.0.1/24").IsIpv4());
  EXPECT_TRUE(Ip("ffee::/64").IsIpv6());
}

TEST(IpAddr, Ipv4Literals) {
  EXPECT_EQ(Ip("0.0.0.0").ToString(), "0.0.0.0/32");
  EXPECT_EQ(Ip("255.255.255.255").ToString(), "255.255.255.255/32");
  ExpectRejected<IpAddr>("380.0.0.1", "octet 1");
  ExpectRejected<IpAddr>("256.0.0.1", "octet 1");
  ExpectRejected<IpAddr>("1.2.3.256", "octet 4");
  ExpectRejected<IpAddr>("ab.ab.ab.ab", "octet 1");
  ExpectRejected<IpAddr>("010.0.0.1", "leading zeros");  // would be octal elsewhere
  ExpectRejected<IpAddr>("1.2.3.00", "leading zeros");
  ExpectRejected<IpAddr>("0001.2.3.4", "octet 1");
  ExpectRejected<IpAddr>("1.2.3", "four octets");
  ExpectRejected<IpAddr>("1.2.3.4.5", "octet 4");
  ExpectRejected<IpAddr>("1..2.3", "octet 2");
  ExpectRejected<IpAddr>("1.2.3.", "octet 4");
  ExpectRejected<IpAddr>("+1.2.3.4", "octet 1");
  ExpectRejected<IpAddr>(" 1.2.3.4", "octet 1");
  ExpectRejected<IpAddr>("?", "four octets");
  ExpectRejected<IpAddr>("", "four octets");
}

TEST(IpAddr, Ipv6Literals) {
  EXPECT_EQ(Ip("::").ToString(), "::/128");
  EXPECT_EQ(Ip("1:2:3:4:5:6:7:8").ToString(), "1:2:3:4:5:6:7:8/128");
  EXPECT_EQ(Ip("0001:0002:0003:0004:0005:0006:0007:0008"), Ip("1:2:3:4:5:6:7:8"));
  EXPECT_EQ(Ip("FFEE::11"), Ip("ffee::11"));
  EXPECT_EQ(Ip("1:2:3:4:5:6:7::"), Ip("1:2:3:4:5:6:7:0"));  // "::" for a single group
  EXPECT_EQ(Ip("::2:3:4:5:6:7:8"), Ip("0:2:3:4:5:6:7:8"));
  EXPECT_EQ(Ip("1::8"), Ip("1:0:0:0:0:0:0:8"));
  ExpectRejected<IpAddr>("foo::1", "not hexadecimal");
  ExpectRejected<IpAddr>("12345::", "1 to 4 hex digits");
  ExpectRejected<IpAddr>("1:2:3:4:5:6:7", "exactly 8 groups");
  ExpectRejected<IpAddr>("1:2:3:4:5:6:7:8:9", "at most 8 groups");
  ExpectRejected<IpAddr>("1:2:3:4::5:6:7:8", "at least one zero group");
  ExpectRejected<IpAddr>("1::2::3", "only once");
  ExpectRejected<IpAddr>(":::", "1 to 4 hex digits");
  ExpectRejected<IpAddr>("::1:", "1 to 4 hex digits");
  ExpectRejected<IpAddr>(":1::", "1 to 4 hex digits");
  ExpectRejected<IpAddr>("fe80::1%eth0", "not hexadecimal");
}

TEST(IpAddr, RejectsIpv4EmbeddedInIpv6) {
  ExpectRejected<IpAddr>("::ffff:127.0.0.1", "embedded");
  ExpectRejected<IpAddr>("::127.0.0.1", "embedded");
  ExpectRejected<IpAddr>("64:ff9b::192.0.2.33/96", "embedded");
}

TEST(IpAddr, Prefixes) {
  EXPECT_EQ(Ip("127.0.0.1/0").PrefixLength(), 0);
  EXPECT_EQ(Ip("127.0.0.1/32").PrefixLength(), 32);
  EXPECT_EQ(Ip("ffee::/0").PrefixLength(), 0);
  EXPECT_EQ(Ip("ffee::/128").PrefixLength(), 128);
  ExpectRejected<IpAddr>("127.0.0.1/8/24", "more than one '/'");
  ExpectRejected<IpAddr>("fee::/64::1", "prefix length");
  ExpectRejected<IpAddr>("172.0.0.1/64", "0 to 32");
  ExpectRejected<IpAddr>("172.0.0.1/33", "0 to 32");
  ExpectRejected<IpAddr>("172.0.0.1/100", "0 to 32");
  ExpectRejected<IpAddr>("ffee::/132", "0 to 128");
  ExpectRejected<IpAddr>("ffee::/129", "0 to 128");
  ExpectRejected<IpAddr>("ffee::/+1", "prefix length");
  ExpectRejected<IpAddr>("ffee::/01", "leading zeros");
  ExpectRejected<IpAddr>("10.0.0.0/08", "leading zeros");
  ExpectRejected<IpAddr>("ffee::/1234", "prefix length");
  ExpectRejected<IpAddr>("10.0.0.0/", "prefix length");
  ExpectRejected<IpAddr>("/8", "four octets");
}

TEST(IpAddr, ToStringKeepsTheAddressAsWrittenAndParsesBack) {
  EXPECT_EQ(Ip("127.0.0.1/8").ToString(), "127.0.0.1/8");
  EXPECT_EQ(Ip("ffee::11").ToString(), "ffee::11/128");
  EXPECT_EQ(Ip("ffee::/64").ToString(), "ffee::/64");
  // RFC 5952: the longest zero run is compressed, the first on a tie, never a single group.
  EXPECT_EQ(Ip("1:0:0:2:0:0:0:3").ToString(), "1:0:0:2::3/128");
  EXPECT_EQ(Ip("1:0:0:2:0:0:3:4").ToString(), "1::2:0:0:3:4/128");
  EXPECT_EQ(Ip("1:0:2:3:4:5:6:7").ToString(), "1:0:2:3:4:5:6:7/128");
  EXPECT_EQ(Ip("0:0:0:0:0:0:0:1").ToString(), "::1/128");
  // Never dotted, unlike some renderings of IPv4-mapped addresses, so it parses back.
  EXPECT_EQ(Ip("::ffff:c000:280").ToString(), "::ffff:c000:280/128");
  for (const char* text :
       {"10.1.2.3/17", "::", "1::", "a:b:c:d:e:f:a:b/0", "::ffff:ff00:1/96", "0.0.0.0/0"}) {
    const IpAddr value = Ip(text);
    EXPECT_EQ(Ip(value.ToString()), value) << text;
  }
}

// ip_equality and more_ip_semantics: the prefix and the unmasked address both count.
TEST(IpAddr, Equality) {
  EXPECT_EQ(Ip("127.0.0.1"), Ip("127.0.0.1"));
  EXPECT_NE(Ip("192.168.0.1"), Ip("8.8.8.8"));
  EXPECT_NE(Ip("127.0.0.1"), Ip("::1"));
  EXPECT_NE(Ip("0.0.0.0"), Ip("::"));
  EXPECT_NE(Ip("127.0.0.1"), Ip("192.168.0.1/24"));
  EXPECT_NE(Ip("192.168.0.1/24"), Ip("8.8.8.8/8"));
  EXPECT_EQ(Ip("10.0.0.0/32"), Ip("10.0.0.0"));
  EXPECT_NE(Ip("10.0.0.0/24"), Ip("10.0.0.0"));
  EXPECT_NE(Ip("10.0.0.0/24"), Ip("10.0.0.1/24"));
  EXPECT_NE(Ip("10.0.0.1/24"), Ip("10.0.0.1/29"));
  EXPECT_EQ(Ip("10.0.0.0/32").Hash(), Ip("10.0.0.0").Hash());
  EXPECT_EQ(Ip("::1").Hash(), Ip("0::0:1").Hash());
}

TEST(IpAddr, LoopbackAndMulticast) {
  EXPECT_TRUE(Ip("127.0.0.2").IsLoopback());
  EXPECT_TRUE(Ip("127.255.0.0/16").IsLoopback());
  EXPECT_TRUE(Ip("127.0.0.0/8").IsLoopback());
  EXPECT_FALSE(Ip("127.0.0.0/7").IsLoopback());
  EXPECT_FALSE(Ip("127.255.200.200/0").IsLoopback());
  EXPECT_TRUE(Ip("::1").IsLoopback());
  EXPECT_FALSE(Ip("::1/127").IsLoopback());
  EXPECT_FALSE(Ip("::2").IsLoopback());
  EXPECT_FALSE(Ip("::ffff:7f00:1").IsLoopback());  // 127.0.0.1 mapped, but IPv6
  EXPECT_TRUE(Ip("228.228.228.0").IsMulticast());
  EXPECT_FALSE(Ip("224.0.0.0/3").IsMulticast());
  EXPECT_TRUE(Ip("224.0.0.0/5").IsMulticast());
  EXPECT_TRUE(Ip("239.255.255.255").IsMulticast());
  EXPECT_FALSE(Ip("240.0.0.0").IsMulticast());
  EXPECT_FALSE(Ip("ff00::/7").IsMulticast());
  EXPECT_TRUE(Ip("ff00::/9").IsMulticast());
  EXPECT_TRUE(Ip("ff00::2").IsMulticast());
  EXPECT_FALSE(Ip("fe00::2").IsMulticast());
  EXPECT_FALSE(Ip("127.0.0.1").IsMulticast());
  EXPECT_FALSE(Ip("127.0.0.1/1").IsMulticast());
}

TEST(IpAddr, IsInRangeIpv4) {
  struct Case {
    const char* address;
    const char* range;
    bool in;
  };
  for (const Case& c : std::initializer_list<Case>{
           {"192.168.0.1/24", "192.168.0.1/24", true}, {"192.168.0.1", "192.168.0.1/28", true},
           {"192.168.0.10", "192.168.0.1/24", true},   {"192.168.0.10", "192.168.0.1/28", true},
           {"192.168.0.75", "192.168.0.1/24", true},   {"192.168.0.75", "192.168.0.1/28", false},
           {"192.168.0.1", "192.168.0.1", true},       {"10.0.0.0", "10.0.0.0/24", true},
           {"10.0.0.0", "10.0.0.0/32", true},          {"10.0.0.0", "10.0.0.1/24", true},
           {"10.0.0.0", "10.0.0.1/32", false},         {"10.0.0.1", "10.0.0.0/24", true},
           {"10.0.0.0/24", "10.0.0.0/32", false},      {"10.0.0.0/32", "10.0.0.0/24", true},
           {"10.0.0.1/24", "10.0.0.0/24", true},       {"10.0.0.0/24", "10.0.0.1/24", true},
           {"10.0.0.0/24", "10.0.0.0/29", false},      {"10.0.0.0/29", "10.0.0.0/24", true},
           {"10.0.0.1/24", "10.0.0.0/29", false},      {"10.0.0.1/29", "10.0.0.0/24", true},
           {"255.255.255.255", "0.0.0.0/0", true},     {"0.0.0.0/0", "0.0.0.0/0", true},
           {"0.0.0.0/0", "128.0.0.0/1", false},
       }) {
    EXPECT_EQ(Ip(c.address).IsInRange(Ip(c.range)), c.in) << c.address << " in " << c.range;
  }
}

TEST(IpAddr, IsInRangeIpv6) {
  EXPECT_TRUE(Ip("1:2:3:4::").IsInRange(Ip("1:2:3:4::/48")));
  EXPECT_TRUE(Ip("1:2:3:4::").IsInRange(Ip("1:2:3:4::/52")));
  EXPECT_TRUE(Ip("1:2:3:6::").IsInRange(Ip("1:2:3:4::/48")));
  EXPECT_TRUE(Ip("1:2:3:6::").IsInRange(Ip("1:2:3:4::/52")));
  EXPECT_TRUE(Ip("1:2:3:ffff::").IsInRange(Ip("1:2:3:4::/48")));
  EXPECT_FALSE(Ip("1:2:3:ffff::").IsInRange(Ip("1:2:3:4::/52")));
  EXPECT_TRUE(Ip("1:2:3:4::").IsInRange(Ip("1:2:3:4::")));
  // The /0 range spans all 128 bits.
  EXPECT_TRUE(Ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff").IsInRange(Ip("::/0")));
  EXPECT_TRUE(Ip("::/0").IsInRange(Ip("1::/0")));
  EXPECT_FALSE(Ip("::/0").IsInRange(Ip("::/1")));
  // Masks that cross the 64-bit halves.
  EXPECT_TRUE(Ip("1:2:3:4:8000::").IsInRange(Ip("1:2:3:4:8000::/65")));
  EXPECT_FALSE(Ip("1:2:3:4:4000::").IsInRange(Ip("1:2:3:4:8000::/65")));
  EXPECT_TRUE(Ip("1:2:3:4:4000::").IsInRange(Ip("1:2:3:4:8000::/64")));
}

TEST(IpAddr, IsInRangeIsFalseAcrossFamilies) {
  EXPECT_FALSE(Ip("192.168.0.1").IsInRange(Ip("1:2:3:4::/48")));
  EXPECT_FALSE(Ip("::1").IsInRange(Ip("0.0.0.0/0")));
  EXPECT_FALSE(Ip("0.0.0.0/0").IsInRange(Ip("::/0")));
  EXPECT_FALSE(Ip("::ffff:c0a8:1").IsInRange(Ip("192.168.0.0/16")));
  EXPECT_FALSE(Ip("192.168.0.1").IsInRange(Ip("::ffff:c0a8:0/112")));
}

}  // namespace
}  // namespace pactum::cedar::ext
