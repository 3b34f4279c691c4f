// Helpers the query files share: reading one or all rows of a statement, and the conversion
// of log indexes (unsigned) to SQLite integers (signed; indexes stay far below 2^63).
#pragma once

#include <cstdint>
#include <optional>
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

}  // namespace pactum::store
