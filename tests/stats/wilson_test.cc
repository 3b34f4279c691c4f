#include "pactum/stats/wilson.h"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "nonfinite.h"

namespace pactum::stats {
namespace {

using testing::kInfinity;
using testing::kNaN;

double Lower(double k, double n, double confidence = 0.95) {
  auto bound = WilsonLowerBound(k, n, confidence);
  EXPECT_TRUE(bound.ok()) << bound.status().ToString();
  return bound.ok() ? *bound : kNaN;
}

// Newcombe (1998), "Two-sided confidence intervals for the single proportion", Statistics in
// Medicine 17:857–872, Table II, method 3 (Wilson score, 95%), to the 4 places published.
TEST(WilsonLowerBound, MatchesNewcombesTable) {
  EXPECT_NEAR(Lower(81, 263), 0.2553, 5e-5);
  EXPECT_NEAR(Lower(15, 148), 0.0624, 5e-5);
  EXPECT_NEAR(Lower(0, 20), 0.0, 5e-5);
  EXPECT_NEAR(Lower(1, 29), 0.0061, 5e-5);
}

TEST(WilsonLowerBound, EdgeCases) {
  EXPECT_EQ(Lower(0, 0), 0);
  EXPECT_EQ(Lower(0, 50), 0);
  // All successes: n / (n + z²).
  const double z = 1.959963984540054;
  EXPECT_NEAR(Lower(29, 29), 29 / (29 + z * z), 1e-12);
  // Fractional (weighted) counts are accepted.
  EXPECT_GT(Lower(7.5, 10), Lower(7, 10));
}

TEST(WilsonLowerBound, RisesWithSuccessesAndEvidenceFallsWithConfidence) {
  for (int n = 1; n <= 200; n += 7) {
    for (int k = 0; k < n; ++k) {
      ASSERT_LT(Lower(k, n), Lower(k + 1, n));
      ASSERT_LE(Lower(k, n), static_cast<double>(k) / n);
    }
    // The same proportion with more evidence gets a tighter (higher) bound.
    ASSERT_LT(Lower(n, 2 * n), Lower(2 * n, 4 * n));
    ASSERT_GT(Lower(n, 2 * n, 0.8), Lower(n, 2 * n, 0.99));
  }
}

TEST(WilsonLowerBound, RejectsBadInput) {
  EXPECT_EQ(WilsonLowerBound(1, -1).status().details()["field"], "n");
  EXPECT_EQ(WilsonLowerBound(1, kInfinity).status().details()["field"], "n");
  EXPECT_EQ(WilsonLowerBound(11, 10).status().details()["field"], "k");
  EXPECT_EQ(WilsonLowerBound(-1, 10).status().details()["field"], "k");
  EXPECT_EQ(WilsonLowerBound(kNaN, 10).status().details()["field"], "k");
  EXPECT_EQ(WilsonLowerBound(1, 10, 1).status().details()["field"], "confidence");
  EXPECT_EQ(WilsonLowerBound(1, 10, 0).status().details()["field"], "confidence");
  EXPECT_EQ(WilsonLowerBound(1, 10, kNaN).status().details()["field"], "confidence");
}

}  // namespace
}  // namespace pactum::stats
