// Cedar values: Bool, Long, String, EntityUID, Set, Record and extension values.
//
// Values are immutable and cheap to copy: sets, records and extension values are shared
// pointers to const data. Sets are kept sorted by a total order and without duplicates, so
// equality is structural and order-insensitive, as Cedar defines it. Records are ordered by key.
#pragma once

#include <compare>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace pactum::cedar {

// An entity reference: a type path such as `NS::User` and an id string.
struct EntityUid {
  std::string type;
  std::string id;

  friend bool operator==(const EntityUid&, const EntityUid&) = default;
  friend std::strong_ordering operator<=>(const EntityUid&, const EntityUid&) = default;
  // `NS::User::"alice"`, with the id escaped as a Cedar string literal.
  std::string ToString() const;
};

struct EntityUidHash {
  std::size_t operator()(const EntityUid& uid) const;
};

// An extension value (decimal, ipaddr, datetime, duration). The concrete classes live beside
// the extension functions; the core only needs equality, an order for sets and printing.
class ExtensionValue {
 public:
  virtual ~ExtensionValue() = default;
  // "decimal", "ipaddr", "datetime" or "duration".
  virtual std::string_view TypeName() const = 0;
  // Only called with an `other` of the same TypeName().
  virtual bool Equals(const ExtensionValue& other) const = 0;
  // The constructor argument that rebuilds an equal value (`decimal("1.2000")` → "1.2000").
  virtual std::string ToString() const = 0;
  // The name of the constructor function ("decimal", "ip", "datetime", "duration").
  virtual std::string_view ConstructorName() const = 0;
};

class Value;
using Set = std::vector<Value>;  // sorted by Compare, no duplicates
using Record = std::map<std::string, Value, std::less<>>;

class Value {
 public:
  enum class Kind { kBool, kLong, kString, kEntity, kSet, kRecord, kExtension };

  Value() : data_(false) {}
  Value(bool b) : data_(b) {}                      // NOLINT: implicit by design
  Value(std::int64_t n) : data_(n) {}              // NOLINT
  Value(std::string s) : data_(std::move(s)) {}    // NOLINT
  Value(const char* s) : data_(std::string(s)) {}  // NOLINT
  Value(EntityUid uid) : data_(std::move(uid)) {}  // NOLINT
  Value(std::shared_ptr<const ExtensionValue> ext) : data_(std::move(ext)) {}  // NOLINT
  // Sorts and deduplicates `elements`.
  static Value MakeSet(std::vector<Value> elements);
  static Value MakeRecord(Record fields);

  Kind kind() const { return static_cast<Kind>(data_.index()); }
  bool is_bool() const { return kind() == Kind::kBool; }
  bool is_long() const { return kind() == Kind::kLong; }
  bool is_string() const { return kind() == Kind::kString; }
  bool is_entity() const { return kind() == Kind::kEntity; }
  bool is_set() const { return kind() == Kind::kSet; }
  bool is_record() const { return kind() == Kind::kRecord; }
  bool is_extension() const { return kind() == Kind::kExtension; }

  // Accessors: only valid for the matching kind.
  bool as_bool() const { return std::get<bool>(data_); }
  std::int64_t as_long() const { return std::get<std::int64_t>(data_); }
  const std::string& as_string() const { return std::get<std::string>(data_); }
  const EntityUid& as_entity() const { return std::get<EntityUid>(data_); }
  const Set& as_set() const { return *std::get<std::shared_ptr<const Set>>(data_); }
  const Record& as_record() const { return *std::get<std::shared_ptr<const Record>>(data_); }
  const ExtensionValue& as_extension() const {
    return *std::get<std::shared_ptr<const ExtensionValue>>(data_);
  }

  // Set membership; `this` must be a set.
  bool SetContains(const Value& element) const;

  // A total order used to keep sets canonical: by kind, then by content.
  static int Compare(const Value& a, const Value& b);
  friend bool operator==(const Value& a, const Value& b) { return Compare(a, b) == 0; }

  // Cedar syntax for the value (`[1, "a"]`, `{"k": true}`, `ip("10.0.0.1")`).
  std::string ToString() const;

 private:
  std::variant<bool, std::int64_t, std::string, EntityUid, std::shared_ptr<const Set>,
               std::shared_ptr<const Record>, std::shared_ptr<const ExtensionValue>>
      data_;
};

// The name of a kind for error messages ("long", "set", ...).
std::string_view KindName(Value::Kind kind);

// Escapes `s` as the body of a Cedar string literal (without the quotes).
std::string EscapeString(std::string_view s);

}  // namespace pactum::cedar
