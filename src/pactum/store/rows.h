// Helpers the query files share: reading one or all rows of a statement, the conversion of log
// indexes (unsigned) to SQLite integers (signed; indexes stay far below 2^63), and queries
// whose conditions depend on which filters a caller set.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "pactum/store/sqlite.h"

namespace pactum::store {

inline std::int64_t ToSql(std::uint64_t v) {
  return static_cast<std::int64_t>(v);
}
inline std::uint64_t FromSql(std::int64_t v) {
  return static_cast<std::uint64_t>(v);
}

template <typename Row>
Result<std::optional<Row>> FirstRow(Statement& st, Row (*read)(const Statement&)) {
  PACTUM_ASSIGN_OR_RETURN(bool found, st.Step());
  if (!found) return std::optional<Row>();
  return std::optional<Row>(read(st));
}

template <typename Row>
Result<std::vector<Row>> AllRows(Statement& st, Row (*read)(const Statement&)) {
  std::vector<Row> rows;
  for (;;) {
    PACTUM_ASSIGN_OR_RETURN(bool found, st.Step());
    if (!found) return rows;
    rows.push_back(read(st));
  }
}

// SQL text built piece by piece, each piece with at most one `?` whose value is kept and bound
// in order (anonymous parameters are numbered as they appear), so that optional filters never
// paste a value into the text.
class Query {
 public:
  using Value = std::variant<std::int64_t, std::string>;
  explicit Query(std::string_view sql) : sql_(sql) {}

  Query& Add(std::string_view sql) {
    sql_ += sql;
    return *this;
  }
  Query& Add(std::string_view sql, Value value) {
    sql_ += sql;
    values_.push_back(std::move(value));
    return *this;
  }
  // The piece only when the filter is set.
  template <typename T>
  Query& AddIf(std::string_view sql, const std::optional<T>& value) {
    if (value) Add(sql, Value(*value));
    return *this;
  }
  // `sql` followed by "(?, ?, ...)" for a non-empty list; nothing for an empty one.
  Query& AddList(std::string_view sql, const std::vector<std::string>& values) {
    if (values.empty()) return *this;
    sql_ += sql;
    for (std::size_t i = 0; i < values.size(); ++i) {
      sql_ += i == 0 ? "(?" : ", ?";
      values_.push_back(values[i]);
    }
    sql_ += ")";
    return *this;
  }

  Result<Statement> Prepare(Connection& db) const {
    PACTUM_ASSIGN_OR_RETURN(Statement st, db.Prepare(sql_));
    for (std::size_t i = 0; i < values_.size(); ++i) {
      const int index = static_cast<int>(i) + 1;
      if (const auto* n = std::get_if<std::int64_t>(&values_[i])) {
        st.Bind(index, *n);
      } else {
        st.Bind(index, std::get<std::string>(values_[i]));
      }
    }
    return st;
  }

 private:
  std::string sql_;
  std::vector<Value> values_;
};

}  // namespace pactum::store
