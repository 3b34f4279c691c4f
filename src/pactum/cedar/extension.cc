#include "pactum/cedar/extension.h"

#include <memory>
#include <string>
#include <utility>

#include "pactum/cedar/ext/datetime.h"
#include "pactum/cedar/ext/decimal.h"
#include "pactum/cedar/ext/ipaddr.h"

namespace pactum::cedar {
namespace {

// One extension type T with its Cedar names.
template <typename T>
class Wrapped final : public ExtensionValue {
 public:
  Wrapped(T value, std::string_view type_name, std::string_view constructor)
      : value_(std::move(value)), type_name_(type_name), constructor_(constructor) {}
  std::string_view TypeName() const override { return type_name_; }
  std::string_view ConstructorName() const override { return constructor_; }
  bool Equals(const ExtensionValue& other) const override {
    return value_ == static_cast<const Wrapped&>(other).value_;
  }
  std::string ToString() const override { return value_.ToString(); }
  const T& value() const { return value_; }

 private:
  T value_;
  std::string_view type_name_;
  std::string_view constructor_;
};

template <typename T>
struct Names;
template <>
struct Names<ext::Decimal> {
  static constexpr std::string_view kType = "decimal", kCtor = "decimal";
};
template <>
struct Names<ext::IpAddr> {
  static constexpr std::string_view kType = "ipaddr", kCtor = "ip";
};
template <>
struct Names<ext::Datetime> {
  static constexpr std::string_view kType = "datetime", kCtor = "datetime";
};
template <>
struct Names<ext::Duration> {
  static constexpr std::string_view kType = "duration", kCtor = "duration";
};

template <typename T>
Value Wrap(T value) {
  return Value(std::shared_ptr<const ExtensionValue>(
      std::make_shared<const Wrapped<T>>(std::move(value), Names<T>::kType, Names<T>::kCtor)));
}

// The T inside `v`, or null when `v` is not an extension value of that type.
template <typename T>
const T* As(const Value& v) {
  if (!v.is_extension() || v.as_extension().TypeName() != Names<T>::kType) return nullptr;
  return &static_cast<const Wrapped<T>&>(v.as_extension()).value();
}

Status TypeError(std::string_view fn, std::string_view expected) {
  return InvalidArgument("type error: " + std::string(fn) + " expects " + std::string(expected));
}

template <typename T>
Result<Value> Construct(std::string_view fn, const std::vector<Value>& args) {
  if (!args[0].is_string()) return TypeError(fn, "a string");
  Result<T> parsed = T::Parse(args[0].as_string());
  if (!parsed.ok()) {
    return InvalidArgument("extension error: " + std::string(fn) + "(\"" +
                           EscapeString(args[0].as_string()) + "\"): " + parsed.status().message());
  }
  return Wrap(std::move(parsed).value());
}

template <typename T, typename F>
Result<Value> Unary(std::string_view fn, const std::vector<Value>& args, F f) {
  const T* a = As<T>(args[0]);
  if (a == nullptr) return TypeError(fn, Names<T>::kType);
  return Value(f(*a));
}

template <typename T, typename U, typename F>
Result<Value> Binary(std::string_view fn, const std::vector<Value>& args, F f) {
  const T* a = As<T>(args[0]);
  const U* b = As<U>(args[1]);
  if (a == nullptr || b == nullptr) {
    return TypeError(fn, std::string(Names<T>::kType) + " and " + std::string(Names<U>::kType));
  }
  return f(*a, *b);
}

Result<Value> FromResult(std::string_view fn, auto result) {
  if (!result.ok()) {
    return InvalidArgument("extension error: " + std::string(fn) + ": " +
                           result.status().message());
  }
  return Wrap(std::move(result).value());
}

}  // namespace

Result<Value> CallExtension(std::string_view name, const std::vector<Value>& args) {
  using ext::Datetime;
  using ext::Decimal;
  using ext::Duration;
  using ext::IpAddr;
  std::size_t want = 1;
  if (name == "lessThan" || name == "lessThanOrEqual" || name == "greaterThan" ||
      name == "greaterThanOrEqual" || name == "isInRange" || name == "offset" ||
      name == "durationSince") {
    want = 2;
  }
  if (args.size() != want) {
    return InvalidArgument("type error: " + std::string(name) + " takes " + std::to_string(want) +
                           " argument(s)");
  }
  if (name == "decimal") return Construct<Decimal>(name, args);
  if (name == "ip") return Construct<IpAddr>(name, args);
  if (name == "datetime") return Construct<Datetime>(name, args);
  if (name == "duration") return Construct<Duration>(name, args);
  auto decimal_cmp = [&](auto pred) {
    return Binary<Decimal, Decimal>(name, args, [&](const Decimal& a, const Decimal& b) {
      return Result<Value>(Value(pred(a <=> b)));
    });
  };
  if (name == "lessThan") return decimal_cmp([](auto c) { return c < 0; });
  if (name == "lessThanOrEqual") return decimal_cmp([](auto c) { return c <= 0; });
  if (name == "greaterThan") return decimal_cmp([](auto c) { return c > 0; });
  if (name == "greaterThanOrEqual") return decimal_cmp([](auto c) { return c >= 0; });
  if (name == "isIpv4")
    return Unary<IpAddr>(name, args, [](const IpAddr& a) { return a.IsIpv4(); });
  if (name == "isIpv6")
    return Unary<IpAddr>(name, args, [](const IpAddr& a) { return a.IsIpv6(); });
  if (name == "isLoopback") {
    return Unary<IpAddr>(name, args, [](const IpAddr& a) { return a.IsLoopback(); });
  }
  if (name == "isMulticast") {
    return Unary<IpAddr>(name, args, [](const IpAddr& a) { return a.IsMulticast(); });
  }
  if (name == "isInRange") {
    return Binary<IpAddr, IpAddr>(name, args, [](const IpAddr& a, const IpAddr& b) {
      return Result<Value>(Value(a.IsInRange(b)));
    });
  }
  if (name == "offset") {
    return Binary<Datetime, Duration>(name, args, [&](const Datetime& a, const Duration& b) {
      return FromResult(name, a.Offset(b));
    });
  }
  if (name == "durationSince") {
    return Binary<Datetime, Datetime>(name, args, [&](const Datetime& a, const Datetime& b) {
      return FromResult(name, a.DurationSince(b));
    });
  }
  if (name == "toDate") {
    const Datetime* a = As<Datetime>(args[0]);
    if (a == nullptr) return TypeError(name, "datetime");
    return FromResult(name, a->ToDate());
  }
  if (name == "toTime") {
    const Datetime* a = As<Datetime>(args[0]);
    if (a == nullptr) return TypeError(name, "datetime");
    return Wrap(a->ToTime());
  }
  using DurationGetter = std::int64_t (Duration::*)() const;
  static const std::pair<std::string_view, DurationGetter> kGetters[] = {
      {"toMilliseconds", &Duration::ToMilliseconds},
      {"toSeconds", &Duration::ToSeconds},
      {"toMinutes", &Duration::ToMinutes},
      {"toHours", &Duration::ToHours},
      {"toDays", &Duration::ToDays}};
  // Not a structured binding: clang before 16 (the fuzz build's) cannot capture one.
  for (const auto& entry : kGetters) {
    if (name != entry.first) continue;
    DurationGetter getter = entry.second;
    return Unary<Duration>(name, args, [getter](const Duration& d) { return (d.*getter)(); });
  }
  return InvalidArgument("unknown extension function '" + std::string(name) + "'");
}

std::optional<std::strong_ordering> CompareOrderedExtensions(const Value& a, const Value& b) {
  if (const ext::Datetime* x = As<ext::Datetime>(a)) {
    if (const ext::Datetime* y = As<ext::Datetime>(b)) return *x <=> *y;
    return std::nullopt;
  }
  if (const ext::Duration* x = As<ext::Duration>(a)) {
    if (const ext::Duration* y = As<ext::Duration>(b)) return *x <=> *y;
  }
  return std::nullopt;
}

}  // namespace pactum::cedar
