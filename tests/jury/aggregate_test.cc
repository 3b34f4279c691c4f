#include "pactum/jury/aggregate.h"

#include <gtest/gtest.h>

namespace pactum::jury {
namespace {

AggregateOptions Options(std::size_t quorum) {
  AggregateOptions o;
  o.quorum = quorum;
  return o;
}

TEST(Aggregate, TrimsByJurySize) {
  EXPECT_EQ(TrimCount(1), 0u);
  EXPECT_EQ(TrimCount(3), 0u);
  EXPECT_EQ(TrimCount(5), 1u);
  EXPECT_EQ(TrimCount(7), 2u);
}

TEST(Aggregate, ThreeJudgesKeepAll) {
  const Aggregate a = AggregateScores({0.6, 0.9, 0.75}, Options(3));
  EXPECT_EQ(a.kept, 3u);
  EXPECT_NEAR(a.score, 0.75, 1e-12);
  EXPECT_EQ(a.outcome, Outcome::kPass);
  EXPECT_GT(a.consensus, 0.7);
}

TEST(Aggregate, FiveJudgesDropOutliers) {
  // One contrarian judge at 0 and one generous at 1 are dropped.
  const Aggregate a = AggregateScores({0.0, 0.4, 0.4, 0.4, 1.0}, Options(5));
  EXPECT_EQ(a.kept, 3u);
  EXPECT_NEAR(a.score, 0.4, 1e-12);
  EXPECT_NEAR(a.consensus, 1.0, 1e-12);
  EXPECT_EQ(a.outcome, Outcome::kFail);
}

TEST(Aggregate, SevenJudgesDropTwoEach) {
  const Aggregate a = AggregateScores({0, 0, 0.8, 0.8, 0.8, 1, 1}, Options(7));
  EXPECT_EQ(a.kept, 3u);
  EXPECT_NEAR(a.score, 0.8, 1e-12);
}

TEST(Aggregate, LowConsensusIsUncertain) {
  const Aggregate a = AggregateScores({1.0, 1.0, 0.0}, Options(3));
  EXPECT_EQ(a.outcome, Outcome::kUncertain);
  EXPECT_LT(a.consensus, 0.6);
}

TEST(Aggregate, MissingAnswersAreUnscoredNeverFail) {
  EXPECT_EQ(AggregateScores({0.9, 0.8}, Options(3)).outcome, Outcome::kUnscored);
  EXPECT_EQ(AggregateScores({}, Options(1)).outcome, Outcome::kUnscored);
  EXPECT_EQ(AggregateScores({0.9, 0.8}, Options(2)).outcome, Outcome::kPass);
}

}  // namespace
}  // namespace pactum::jury
