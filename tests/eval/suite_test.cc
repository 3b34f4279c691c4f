#include "pactum/eval/suite.h"

#include <gtest/gtest.h>

namespace pactum::eval {
namespace {

TEST(Suite, ReadsHeaderAndCases) {
  auto suite = ParseSuite(
      R"({"suite": "smoke", "checks": {"label": {"type": "equals", "actual": "/classification", "expected": "/label"}}, "jury": {"rationale": {"content": "/justification"}}}

{"id": "a-1", "input": {"alert": 1}, "expected": {"label": "TP"}, "tags": ["lateral"]}
{"id": "a-2", "input": "plain text"}
)",
      "s.jsonl");
  ASSERT_TRUE(suite.ok()) << suite.status().ToString();
  EXPECT_EQ(suite->name, "smoke");
  ASSERT_EQ(suite->checks.size(), 1u);
  EXPECT_EQ(suite->checks[0].name, "label");
  EXPECT_EQ(suite->jury_content.at("rationale"), "/justification");
  ASSERT_EQ(suite->cases.size(), 2u);
  EXPECT_EQ(suite->cases[0].tags, std::vector<std::string>{"lateral"});
  EXPECT_TRUE(suite->cases[1].expected.is_null());
}

TEST(Suite, ErrorsNameTheLine) {
  struct Bad {
    const char* text;
    const char* message;
  };
  for (const Bad& bad : {
           Bad{"{\"id\": \"a\", \"input\": 1}\n{\"id\": \"a\", \"input\": 2}\n",
               "s:2: id: repeats a"},
           Bad{"{\"id\": \"a\"}\n", "s:1: input: is required"},
           Bad{"{\"id\": \"a\", \"input\": 1, \"expect\": 1}\n", "s:1: expect: unknown case field"},
           Bad{"{\"id\": \"a\", \"input\": 1}\n{oops\n", "s:2: malformed JSON"},
           Bad{"{\"id\": 3, \"input\": 1}\n", "s:1: id: must be"},
           Bad{"{\"id\": \"a\", \"input\": 1, \"tags\": [1]}\n", "s:1: tags"},
           Bad{"{\"suite\": \"x\", \"checks\": {\"l\": {\"type\": \"nope\"}}}\n{\"id\": \"a\", "
               "\"input\": 1}\n",
               "s:1: checks.l: type"},
           Bad{"{\"suite\": \"x\", \"jury\": {\"r\": {\"content\": \"nope\"}}}\n",
               "s:1: jury.r.content"},
           Bad{"{\"suite\": \"x\"}\n", "s: no cases"},
       }) {
    auto suite = ParseSuite(bad.text, "s");
    ASSERT_FALSE(suite.ok()) << bad.text;
    EXPECT_NE(suite.status().message().find(bad.message), std::string::npos)
        << suite.status().message();
  }
}

}  // namespace
}  // namespace pactum::eval
