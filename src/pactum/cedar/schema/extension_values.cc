#include "pactum/cedar/schema/extension_values.h"

#include <array>
#include <cctype>
#include <cstdint>
#include <limits>
#include <string>

#include <arpa/inet.h>

namespace pactum::cedar::schema {
namespace {

const std::array<ExtensionFunction, 8>& Functions() {
  static const std::array<ExtensionFunction, 8> kFunctions = {{
      {"decimal", "decimal", {"String"}},
      {"ip", "ipaddr", {"String"}},
      {"datetime", "datetime", {"String"}},
      {"duration", "duration", {"String"}},
      {"offset", "datetime", {"datetime", "duration"}},
      {"durationSince", "duration", {"datetime", "datetime"}},
      {"toDate", "datetime", {"datetime"}},
      {"toTime", "duration", {"datetime"}},
  }};
  return kFunctions;
}

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// Accumulates a decimal number, failing on overflow of int64.
bool ParseDigits(std::string_view s, std::int64_t& out) {
  if (!AllDigits(s)) return false;
  out = 0;
  for (char c : s) {
    if (out > (std::numeric_limits<std::int64_t>::max() - (c - '0')) / 10) return false;
    out = out * 10 + (c - '0');
  }
  return true;
}

Status Malformed(std::string_view constructor, std::string_view literal, const char* why) {
  std::string message = "invalid ";
  message.append(constructor).append(" literal \"").append(literal).append("\": ").append(why);
  return InvalidArgument(std::move(message));
}

Status CheckDecimal(std::string_view s) {
  std::string_view body = s;
  bool negative = !body.empty() && body[0] == '-';
  if (negative) body.remove_prefix(1);
  auto dot = body.find('.');
  if (dot == std::string_view::npos) return Malformed("decimal", s, "missing `.`");
  std::string_view whole = body.substr(0, dot), fraction = body.substr(dot + 1);
  if (!AllDigits(whole) || !AllDigits(fraction)) return Malformed("decimal", s, "not a number");
  if (fraction.size() > 4) return Malformed("decimal", s, "more than 4 digits after the point");
  // The value is stored as a 64-bit count of ten-thousandths.
  const std::uint64_t limit =
      static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) + (negative ? 1 : 0);
  std::uint64_t scaled = 0;
  auto push_digit = [&](char c) {
    auto digit = static_cast<std::uint64_t>(c - '0');
    if (scaled > (limit - digit) / 10) return false;
    scaled = scaled * 10 + digit;
    return true;
  };
  for (char c : whole) {
    if (!push_digit(c)) return Malformed("decimal", s, "out of range");
  }
  for (std::size_t i = 0; i < 4; ++i) {
    if (!push_digit(i < fraction.size() ? fraction[i] : '0')) {
      return Malformed("decimal", s, "out of range");
    }
  }
  return Status::Ok();
}

Status CheckIp(std::string_view s) {
  std::string addr(s);
  std::string_view prefix;
  bool has_prefix = false;
  if (auto slash = s.find('/'); slash != std::string_view::npos) {
    addr = std::string(s.substr(0, slash));
    prefix = s.substr(slash + 1);
    has_prefix = true;
  }
  unsigned char buffer[16];
  int max_prefix = 0;
  if (addr.find(':') != std::string::npos) {
    if (inet_pton(AF_INET6, addr.c_str(), buffer) != 1) {
      return Malformed("ip", s, "not an IPv6 address");
    }
    max_prefix = 128;
  } else {
    if (inet_pton(AF_INET, addr.c_str(), buffer) != 1) {
      return Malformed("ip", s, "not an IPv4 address");
    }
    max_prefix = 32;
  }
  if (has_prefix) {
    std::int64_t bits = 0;
    if (prefix.size() > 3 || !ParseDigits(prefix, bits) || bits > max_prefix) {
      return Malformed("ip", s, "invalid prefix length");
    }
  }
  return Status::Ok();
}

bool TwoDigits(std::string_view s, std::size_t at, int max, int& out) {
  if (at + 2 > s.size()) return false;
  std::int64_t v = 0;
  if (!ParseDigits(s.substr(at, 2), v) || v > max) return false;
  out = static_cast<int>(v);
  return true;
}

Status CheckDatetime(std::string_view s) {
  // YYYY-MM-DD, optionally followed by Thh:mm:ss, optional .SSS, then Z or (+|-)hhmm.
  std::int64_t year = 0;
  int month = 0, day = 0;
  if (s.size() < 10 || !ParseDigits(s.substr(0, 4), year) || s[4] != '-' ||
      !TwoDigits(s, 5, 12, month) || s[7] != '-' || !TwoDigits(s, 8, 31, day) || month == 0 ||
      day == 0) {
    return Malformed("datetime", s, "expected a date YYYY-MM-DD");
  }
  static constexpr std::array<int, 12> kDays = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (day > kDays[static_cast<std::size_t>(month - 1)] || (month == 2 && day == 29 && !leap)) {
    return Malformed("datetime", s, "no such day");
  }
  if (s.size() == 10) return Status::Ok();
  int hour = 0, minute = 0, second = 0;
  if (s.size() < 20 || s[10] != 'T' || !TwoDigits(s, 11, 23, hour) || s[13] != ':' ||
      !TwoDigits(s, 14, 59, minute) || s[16] != ':' || !TwoDigits(s, 17, 59, second)) {
    return Malformed("datetime", s, "expected a time Thh:mm:ss");
  }
  std::string_view rest = s.substr(19);
  if (!rest.empty() && rest[0] == '.') {
    if (rest.size() < 4 || !AllDigits(rest.substr(1, 3))) {
      return Malformed("datetime", s, "expected milliseconds .SSS");
    }
    rest.remove_prefix(4);
  }
  if (rest == "Z") return Status::Ok();
  int offset_hour = 0, offset_minute = 0;
  if (rest.size() != 5 || (rest[0] != '+' && rest[0] != '-') ||
      !TwoDigits(rest, 1, 23, offset_hour) || !TwoDigits(rest, 3, 59, offset_minute)) {
    return Malformed("datetime", s, "expected `Z` or an offset (+|-)hhmm");
  }
  return Status::Ok();
}

Status CheckDuration(std::string_view s) {
  std::string_view body = s;
  if (!body.empty() && body[0] == '-') body.remove_prefix(1);
  if (body.empty()) return Malformed("duration", s, "no quantity");
  // Units in their required order, each at most once, with milliseconds per unit.
  static constexpr std::array<std::pair<std::string_view, std::int64_t>, 5> kUnits = {
      {{"d", 86400000}, {"h", 3600000}, {"m", 60000}, {"s", 1000}, {"ms", 1}}};
  std::size_t next_unit = 0;
  std::int64_t total = 0;
  while (!body.empty()) {
    std::size_t digits = 0;
    while (digits < body.size() && std::isdigit(static_cast<unsigned char>(body[digits]))) {
      ++digits;
    }
    std::int64_t quantity = 0;
    if (digits == 0 || !ParseDigits(body.substr(0, digits), quantity)) {
      return Malformed("duration", s, "expected a quantity");
    }
    body.remove_prefix(digits);
    std::size_t letters = 0;
    while (letters < body.size() && std::isalpha(static_cast<unsigned char>(body[letters]))) {
      ++letters;
    }
    std::string_view unit = body.substr(0, letters);
    body.remove_prefix(letters);
    std::size_t found = kUnits.size();
    for (std::size_t i = next_unit; i < kUnits.size(); ++i) {
      if (kUnits[i].first == unit) found = i;
    }
    if (found == kUnits.size()) return Malformed("duration", s, "unknown or misplaced unit");
    next_unit = found + 1;
    std::int64_t ms = kUnits[found].second;
    if (quantity > (std::numeric_limits<std::int64_t>::max() - total) / ms) {
      return Malformed("duration", s, "out of range");
    }
    total += quantity * ms;
  }
  return Status::Ok();
}

}  // namespace

const ExtensionFunction* FindExtensionFunction(std::string_view name) {
  for (const auto& fn : Functions()) {
    if (fn.name == name) return &fn;
  }
  return nullptr;
}

std::string_view ConstructorOf(std::string_view extension_type) {
  if (extension_type == "ipaddr") return "ip";
  return extension_type;
}

Status CheckExtensionLiteral(std::string_view constructor, std::string_view literal) {
  if (constructor == "decimal") return CheckDecimal(literal);
  if (constructor == "ip") return CheckIp(literal);
  if (constructor == "datetime") return CheckDatetime(literal);
  if (constructor == "duration") return CheckDuration(literal);
  std::string message(constructor);
  message += " is not an extension constructor";
  return InvalidArgument(std::move(message));
}

}  // namespace pactum::cedar::schema
