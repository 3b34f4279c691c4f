#include "pactum/stats/beta.h"

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "nonfinite.h"

namespace pactum::stats {
namespace {

using testing::kInfinity;
using testing::kNaN;

constexpr double kDay = 86400;
constexpr double kHalfLife = 30 * kDay;

DecayedBeta MakeDecayed(double half_life = kHalfLife) {
  auto created = DecayedBeta::Create(half_life);
  EXPECT_TRUE(created.ok()) << created.status().ToString();
  return *created;
}

struct Observation {
  double time;
  double outcome;
  double weight;
};

// The definition, summed directly at the query time.
BetaPosterior NaivePosterior(const std::vector<Observation>& observations, double time,
                             double half_life) {
  BetaPosterior posterior;
  for (const Observation& o : observations) {
    const double decay = std::exp2(-(time - o.time) / half_life);
    posterior.alpha += o.weight * o.outcome * decay;
    posterior.beta += o.weight * (1 - o.outcome) * decay;
  }
  return posterior;
}

TEST(DecayedBeta, StartsAtTheUniformPrior) {
  const BetaPosterior posterior = MakeDecayed().At(0);
  EXPECT_EQ(posterior.alpha, 1);
  EXPECT_EQ(posterior.beta, 1);
  EXPECT_EQ(posterior.Mean(), 0.5);
  EXPECT_EQ(posterior.EffectiveEvidence(), 0);
  EXPECT_NEAR(posterior.LowerBound(), 0.05, 1e-15);
}

TEST(DecayedBeta, EvidenceHalvesEachHalfLife) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> uniform(0, 1);
  for (int trial = 0; trial < 100; ++trial) {
    DecayedBeta decayed = MakeDecayed();
    const double start = 1.7e9 + 1e8 * uniform(rng);
    ASSERT_TRUE(decayed.Observe(start, uniform(rng), 1 + 4 * uniform(rng)).ok());
    const BetaPosterior now = decayed.At(start);
    for (int k = 1; k <= 5; ++k) {
      const BetaPosterior later = decayed.At(start + k * kHalfLife);
      const double halving = std::ldexp(1.0, -k);
      EXPECT_NEAR(later.alpha - 1, (now.alpha - 1) * halving, 1e-12);
      EXPECT_NEAR(later.beta - 1, (now.beta - 1) * halving, 1e-12);
      EXPECT_NEAR(later.EffectiveEvidence(), now.EffectiveEvidence() * halving, 1e-12);
    }
  }
}

TEST(DecayedBeta, OldEvidenceReturnsToThePriorNotBelowIt) {
  DecayedBeta decayed = MakeDecayed();
  for (int i = 0; i < 100; ++i)
    ASSERT_TRUE(decayed.Observe(i * kDay, 1, 4).ok());
  const BetaPosterior forgotten = decayed.At(1e4 * kHalfLife);
  EXPECT_EQ(forgotten.alpha, 1);
  EXPECT_EQ(forgotten.beta, 1);
}

TEST(DecayedBeta, LazyRescalingMatchesNaiveSumsOverRandomSequences) {
  std::mt19937_64 rng(2026);
  std::uniform_real_distribution<double> uniform(0, 1);
  for (int trial = 0; trial < 200; ++trial) {
    const double half_life = kDay * (1 + 60 * uniform(rng));
    DecayedBeta decayed = MakeDecayed(half_life);
    std::vector<Observation> observations;
    double clock = 1.6e9 * uniform(rng);
    double newest = -kInfinity;
    const int count = 1 + static_cast<int>(uniform(rng) * 300);
    for (int i = 0; i < count; ++i) {
      // Mostly forward in time, sometimes a late arrival from up to three half-lives back.
      clock += half_life * 0.2 * uniform(rng);
      const double time = uniform(rng) < 0.2 ? clock - 3 * half_life * uniform(rng) : clock;
      const double outcome = uniform(rng) < 0.3 ? uniform(rng) : std::round(uniform(rng));
      const double weight = std::vector<double>{1, 2, 4}[rng() % 3];
      ASSERT_TRUE(decayed.Observe(time, outcome, weight).ok());
      observations.push_back({time, outcome, weight});
      newest = std::max(newest, time);
      if (i % 17 == 0 || i == count - 1) {
        const double query = newest + half_life * 2 * uniform(rng);
        const BetaPosterior lazy = decayed.At(query);
        const BetaPosterior naive = NaivePosterior(observations, query, half_life);
        ASSERT_NEAR(lazy.alpha, naive.alpha, 1e-12 * naive.alpha) << "trial " << trial;
        ASSERT_NEAR(lazy.beta, naive.beta, 1e-12 * naive.beta) << "trial " << trial;
      }
    }
  }
}

TEST(DecayedBeta, RebasesAcrossFarApartTimes) {
  // Gaps of up to 10^6 half-lives: without rebasing, 2^(t/H) overflows after 1024.
  const std::vector<double> gaps = {0, 0.5, 63, 65, 100, 1023, 1025, 5000, 1e6};
  DecayedBeta decayed = MakeDecayed(1);
  std::vector<Observation> recent;
  double time = -1e6;
  for (double gap : gaps) {
    time += gap;
    ASSERT_TRUE(decayed.Observe(time, 1, 2).ok());
    ASSERT_TRUE(decayed.Observe(time + 0.25, 0, 1).ok());
    if (gap > 64) recent.clear();  // older evidence now weighs under 2^-64 of the new
    recent.push_back({time, 1, 2});
    recent.push_back({time + 0.25, 0, 1});
    for (double later : {0.25, 1.0, 10.0}) {
      const BetaPosterior lazy = decayed.At(time + later);
      const BetaPosterior naive = NaivePosterior(recent, time + later, 1);
      EXPECT_NEAR(lazy.alpha, naive.alpha, 1e-12) << "gap " << gap;
      EXPECT_NEAR(lazy.beta, naive.beta, 1e-12) << "gap " << gap;
      EXPECT_TRUE(std::isfinite(lazy.LowerBound()));
    }
  }
  // A late observation from far before the reference counts for (almost) nothing.
  const BetaPosterior before = decayed.At(time);
  ASSERT_TRUE(decayed.Observe(time - 3000, 0, 1e12).ok());
  EXPECT_EQ(decayed.At(time).beta, before.beta);
}

TEST(DecayedBeta, QueriesBeforeTheNewestEvidenceAreAnsweredAtIt) {
  DecayedBeta decayed = MakeDecayed();
  ASSERT_TRUE(decayed.Observe(10 * kDay, 1, 1).ok());
  EXPECT_EQ(decayed.newest_time(), 10 * kDay);
  EXPECT_EQ(decayed.At(0).alpha, decayed.At(10 * kDay).alpha);
  EXPECT_EQ(decayed.At(10 * kDay).alpha, 2);
}

TEST(DecayedBeta, MeanMovesWithEachSuccessAndFailure) {
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> uniform(0, 1);
  DecayedBeta decayed = MakeDecayed();
  double time = 0;
  for (int i = 0; i < 2000; ++i) {
    time += kDay * uniform(rng);
    const double before = decayed.At(time).Mean();
    const double outcome = std::round(uniform(rng));
    ASSERT_TRUE(decayed.Observe(time, outcome, 1 + 3 * uniform(rng)).ok());
    const double after = decayed.At(time).Mean();
    if (outcome == 1) {
      EXPECT_GT(after, before);
    } else {
      EXPECT_LT(after, before);
    }
  }
}

TEST(DecayedBeta, PartialOutcomesSplitTheirWeight) {
  DecayedBeta decayed = MakeDecayed();
  ASSERT_TRUE(decayed.Observe(0, 0.75, 4).ok());
  EXPECT_EQ(decayed.At(0).alpha, 4);
  EXPECT_EQ(decayed.At(0).beta, 2);
  EXPECT_EQ(decayed.At(0).EffectiveEvidence(), 4);
}

TEST(DecayedBeta, RejectsBadInputWithoutChangingState) {
  EXPECT_EQ(DecayedBeta::Create(0).status().details()["field"], "half_life");
  EXPECT_FALSE(DecayedBeta::Create(-1).ok());
  EXPECT_FALSE(DecayedBeta::Create(kNaN).ok());
  EXPECT_FALSE(DecayedBeta::Create(kInfinity).ok());
  DecayedBeta decayed = MakeDecayed();
  ASSERT_TRUE(decayed.Observe(0, 1, 1).ok());
  const struct {
    double time, outcome, weight;
    const char* field;
  } bad[] = {{kNaN, 1, 1, "time"},    {kInfinity, 1, 1, "time"}, {1e300, 1, 1, "time"},
             {0, -0.1, 1, "outcome"}, {0, 1.5, 1, "outcome"},    {0, kNaN, 1, "outcome"},
             {0, 1, -1, "weight"},    {0, 1, kNaN, "weight"},    {0, 1, 1e13, "weight"}};
  for (const auto& b : bad) {
    const Status status = decayed.Observe(b.time, b.outcome, b.weight);
    EXPECT_EQ(status.code(), Code::kInvalidArgument) << b.field;
    EXPECT_EQ(status.details()["field"], b.field);
  }
  EXPECT_EQ(decayed.At(0).alpha, 2);
  EXPECT_EQ(decayed.At(0).beta, 1);
  EXPECT_EQ(decayed.newest_time(), 0);
}

TEST(BetaPosterior, LowerBoundNeverExceedsTheMean) {
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> exponent(0, 5);
  for (int i = 0; i < 5000; ++i) {
    const BetaPosterior posterior{std::pow(10.0, exponent(rng)), std::pow(10.0, exponent(rng))};
    const double lower = posterior.LowerBound();
    ASSERT_GE(lower, 0);
    ASSERT_LE(lower, posterior.Mean()) << posterior.alpha << ", " << posterior.beta;
  }
}

TEST(BetaPosterior, QuantilesMatchClosedForms) {
  const double ps[] = {0.001, 0.05, 0.25, 0.5, 0.9, 0.999};
  for (double p : ps) {
    EXPECT_NEAR((BetaPosterior{1, 1}.Quantile(p)), p, 1e-14);
    for (double a : {1.5, 2.0, 7.0, 250.0}) {
      // Beta(a, 1) has CDF x^a; Beta(1, b) has CDF 1 − (1 − x)^b.
      EXPECT_NEAR((BetaPosterior{a, 1}.Quantile(p)), std::pow(p, 1 / a), 1e-13);
      EXPECT_NEAR((BetaPosterior{1, a}.Quantile(p)), 1 - std::pow(1 - p, 1 / a), 1e-13);
    }
    // Beta(a, b) mirrors Beta(b, a).
    const BetaPosterior skewed{3.5, 40}, mirrored{40, 3.5};
    EXPECT_NEAR(skewed.Quantile(p), 1 - mirrored.Quantile(1 - p), 1e-13);
  }
  // Beta(a, 2) has CDF x^a·(a + 1 − a·x): the 5% quantiles of Beta(2, 2) and Beta(10, 2).
  for (double a : {2.0, 10.0}) {
    const double q = BetaPosterior{a, 2}.LowerBound();
    EXPECT_NEAR(std::pow(q, a) * (a + 1 - a * q), 0.05, 1e-14) << a;
  }
  EXPECT_NEAR((BetaPosterior{2, 2}.LowerBound()), 0.1353503622, 1e-10);
  EXPECT_NEAR((BetaPosterior{10, 2}.LowerBound()), 0.6356405108, 1e-10);
  EXPECT_NEAR((BetaPosterior{2, 2}.Quantile(0.5)), 0.5, 1e-15);
  EXPECT_TRUE(std::isnan(BetaPosterior{2, 2}.Quantile(1.5)));
  EXPECT_TRUE(std::isnan(BetaPosterior{2, 2}.Quantile(kNaN)));
}

}  // namespace
}  // namespace pactum::stats
