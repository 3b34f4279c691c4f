// DecayedBeta's separate α/β evidence and its exact withdrawal; the drift alternative; the
// fast quantile's accuracy.
#include <cmath>
#include <cstdint>
#include <random>

#include <gtest/gtest.h>

#include "pactum/stats/bernoulli.h"
#include "pactum/stats/beta.h"

namespace pactum::stats {
namespace {

constexpr double kDecayHalfLife = 30 * 86400.0;
constexpr double kT0 = 1'790'000'000;

DecayedBeta Make() {
  auto beta = DecayedBeta::Create(kDecayHalfLife);
  EXPECT_TRUE(beta.ok());
  return *beta;
}

TEST(DecayedBetaAdd, ObserveIsAddOfTheSplitWeight) {
  DecayedBeta observed = Make(), added = Make();
  ASSERT_TRUE(observed.Observe(kT0, 0.25, 2).ok());
  ASSERT_TRUE(added.Add(kT0, 0.5, 1.5).ok());
  EXPECT_EQ(observed.At(kT0).alpha, added.At(kT0).alpha);
  EXPECT_EQ(observed.At(kT0).beta, added.At(kT0).beta);
  EXPECT_FALSE(added.Add(kT0, -1, 0).ok());
  EXPECT_FALSE(added.Add(kT0, 0, std::nan("")).ok());
  EXPECT_FALSE(added.Add(std::nan(""), 1, 0).ok());
}

TEST(DecayedBetaWithdraw, TakesBackExactlyWhatWasAdded) {
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> amount(0, 4), gap(0, 5 * 86400.0);
  for (int trial = 0; trial < 50; ++trial) {
    DecayedBeta with = Make(), without = Make();
    double time = kT0;
    const int withdrawn = static_cast<int>(rng() % 40);
    double withdrawn_time = 0, withdrawn_a = 0, withdrawn_b = 0;
    // Long gaps move the reference (rebasing) between adding and withdrawing.
    for (int i = 0; i < 40; ++i) {
      const double a = amount(rng), b = amount(rng);
      ASSERT_TRUE(with.Add(time, a, b).ok());
      if (i == withdrawn) {
        withdrawn_time = time;
        withdrawn_a = a;
        withdrawn_b = b;
      } else {
        ASSERT_TRUE(without.Add(time, a, b).ok());
      }
      time += gap(rng) * (trial % 5 == 0 ? 40 : 1);
    }
    ASSERT_TRUE(with.Withdraw(withdrawn_time, withdrawn_a, withdrawn_b).ok());
    const BetaPosterior x = with.At(time), y = without.At(time);
    EXPECT_NEAR(x.alpha, y.alpha, 1e-12 * y.alpha) << trial;
    EXPECT_NEAR(x.beta, y.beta, 1e-12 * y.beta) << trial;
  }
}

TEST(DecayedBetaWithdraw, NeverBelowThePrior) {
  DecayedBeta beta = Make();
  EXPECT_EQ(beta.Withdraw(kT0, 1, 1).code(), Code::kFailedPrecondition);
  ASSERT_TRUE(beta.Add(kT0, 1, 0).ok());
  ASSERT_TRUE(beta.Withdraw(kT0, 5, 5).ok());
  EXPECT_EQ(beta.At(kT0).alpha, BetaPosterior::kPriorAlpha);
  EXPECT_EQ(beta.At(kT0).beta, BetaPosterior::kPriorBeta);
  EXPECT_EQ(beta.newest_time(), kT0);
}

TEST(DriftFailureRate, DoublesOrHalvesTheSuccessRate) {
  EXPECT_DOUBLE_EQ(DriftFailureRate(0.1), 0.2);
  EXPECT_DOUBLE_EQ(DriftFailureRate(0.5), 0.75);
  EXPECT_DOUBLE_EQ(DriftFailureRate(0.9), 0.95);
  EXPECT_DOUBLE_EQ(DriftFailureRate(1.0 / 3), 2.0 / 3);  // where the two rules meet
  for (double p0 = 1e-6; p0 < 1; p0 *= 1.5) {
    const double p1 = DriftFailureRate(p0);
    EXPECT_GT(p1, p0);
    EXPECT_LT(p1, 1);
    EXPECT_TRUE(BernoulliLlr(p0, p1).ok());
  }
}

TEST(BetaFastQuantile, AgreesWithTheExactQuantile) {
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> log_size(0, std::log(5000.0)), share(0, 1);
  for (int i = 0; i < 2000; ++i) {
    const double total = std::exp(log_size(rng));
    const BetaPosterior b{1 + total * share(rng), 1 + total * share(rng)};
    const double exact = b.LowerBound();
    // Scores are on a 0..1000 scale: 1e-5 is a hundredth of their resolution.
    EXPECT_NEAR(b.FastQuantile(BetaPosterior::kLowerBoundProbability), exact, 1e-5)
        << b.alpha << " " << b.beta;
  }
  EXPECT_TRUE(std::isnan(BetaPosterior{}.FastQuantile(2)));
}

}  // namespace
}  // namespace pactum::stats
