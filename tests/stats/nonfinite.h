// The non-finite inputs every stats test feeds its functions.
#pragma once

#include <limits>

namespace pactum::stats::testing {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
inline constexpr double kInfinity = std::numeric_limits<double>::infinity();

}  // namespace pactum::stats::testing
